"""Tokens that name no project at the Compute API, as Nova 34 behind keystonemiddleware
answers them: accepted, then refused by scope enforcement (system, domain) or met with no
roles and no project (unscoped); never a 401, never a change of state."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import API, Client, World, fault, snapshot

SYSTEM = {"system": {"all": True}}
DOMAIN = {"domain": {"id": "default"}}


def refused(rule: str) -> str:
    return f"Policy doesn't allow {rule} to be performed."


@pytest.fixture
def w() -> World:
    world = World(vm="vm1")
    # a deployer's grant: admin's admin role on the Default domain (bootstrap makes none)
    admin = world.cloud.identity.users["admin"]
    role = world.cloud.identity.role_id("admin")
    grant = f"/identity/v3/domains/default/users/{admin.id}/roles/{role}"
    assert world.admin.put(grant).status_int == 204
    return world


def scoped(w: World, user: str, scope: dict[str, Any] | str) -> Client:
    return Client(w.app).as_user(user, scope=scope)


def test_keystone_issues_each_scope_and_an_explicit_unscoped_token(w: World) -> None:
    answer = w.client().post(
        "/identity/v3/auth/tokens",
        {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {"name": "demo", "domain": {"id": "default"}, "password": "secret"}
                    },
                },
                "scope": "unscoped",
            }
        },
    )
    assert answer.status_int == 201, answer.text
    assert "project" not in answer.json["token"] and "roles" not in answer.json["token"]
    for scope, key in ((SYSTEM, "system"), (DOMAIN, "domain")):
        token = scoped(w, "admin", scope).token
        shown = w.admin.get("/identity/v3/auth/tokens", headers={"X-Subject-Token": token})
        assert key in shown.json["token"] and "project" not in shown.json["token"]


@pytest.mark.parametrize("scope", [SYSTEM, DOMAIN])
@pytest.mark.parametrize(
    ("method", "path", "body", "rule"),
    [
        ("GET", "/servers", None, "os_compute_api:servers:index"),
        ("GET", "/servers/detail?all_tenants=1", None, "os_compute_api:servers:detail"),
        ("GET", "/servers/{vm}", None, "os_compute_api:servers:show"),
        ("DELETE", "/servers/{vm}", None, "os_compute_api:servers:delete"),
        ("POST", "/servers/{vm}/action", {"pause": None}, "os_compute_api:os-pause-server:pause"),
        ("GET", "/os-services", None, "os_compute_api:os-services:list"),
        ("GET", "/os-hypervisors", None, "os_compute_api:os-hypervisors:list"),
        ("GET", "/limits", None, "os_compute_api:limits"),
        ("GET", "/extensions", None, "os_compute_api:extensions"),
    ],
)
def test_system_and_domain_tokens_meet_scope_enforcement(
    w: World, scope: dict[str, Any], method: str, path: str, body: Any, rule: str
) -> None:
    client = scoped(w, "admin", scope)
    before = snapshot(w.cloud)
    answer = client.request(method, API + path.format(vm=w.vm.uuid), body=body)
    assert fault(answer, 403) == refused(rule)
    assert "OpenStack-API-Version" in answer.headers
    assert snapshot(w.cloud) == before


def test_a_lookup_before_the_policy_still_answers_first(w: World) -> None:
    unknown = "0b3f0ea8-bd1c-4a1a-8d8b-6a2d7c4c9a11"
    answer = scoped(w, "admin", SYSTEM).get(f"{API}/servers/{unknown}")
    assert fault(answer, 404) == f"Instance {unknown} could not be found."
    answer = scoped(w, "admin", SYSTEM).post(f"{API}/servers/{w.vm.uuid}/action", {"nope": None})
    assert fault(answer, 400) == "There is no such action: nope"


def test_routes_without_a_policy_check_answer_a_system_admin(w: World) -> None:
    listed = scoped(w, "admin", SYSTEM).get(f"{API}/flavors/detail")
    assert listed.status_int == 200
    assert listed.json == w.admin.get(f"{API}/flavors/detail").json
    assert scoped(w, "admin", SYSTEM).get(f"{API}/flavors/1").status_int == 200


def test_an_unscoped_token_meets_the_rules_with_no_roles(w: World) -> None:
    demo = scoped(w, "demo", "unscoped")
    before = snapshot(w.cloud)
    assert fault(demo.get(f"{API}/servers"), 403) == refused("os_compute_api:servers:index")
    # rules anyone passes, or the user's own: then Nova's database API refuses a caller
    # without a project, and a server's cell fails for it
    assert fault(demo.get(f"{API}/limits"), 403) == "Forbidden"
    assert fault(demo.get(f"{API}/flavors/1"), 403) == "Forbidden"
    assert fault(demo.post(f"{API}/os-keypairs", {"keypair": {"name": "k"}}), 403) == "Forbidden"
    assert demo.get(f"{API}/os-keypairs").json == {"keypairs": []}
    assert demo.get(f"{API}/flavors").status_int == 200
    assert demo.get(f"{API}/extensions").status_int == 200
    assert fault(demo.get(w.path), 500).startswith("Unexpected API Error")
    assert fault(demo.delete(w.path), 500).startswith("Unexpected API Error")
    minimal = demo.get(w.path, microversion="2.69")
    assert fault(minimal, 403) == refused("os_compute_api:servers:show")
    assert snapshot(w.cloud) == before


def test_an_unknown_or_expired_token_is_still_keystonemiddlewares_401(w: World) -> None:
    answer = Client(w.app, "gAAAAnothing").get(f"{API}/servers")
    assert answer.status_int == 401
    assert answer.json["error"]["title"] == "Unauthorized"


def test_a_show_filters_by_project_before_the_policy_decides() -> None:
    w = World(vm="vm1", policy={"os_compute_api:servers:show": "@"})
    assert fault(w.alt.get(w.path), 404) == f"Instance {w.vm.uuid} could not be found."
    w = World(vm="vm1", policy={"os_compute_api:servers:show": "rule:context_is_admin"})
    assert fault(w.demo.get(w.path), 403) == refused("os_compute_api:servers:show")
    assert w.admin.get(w.path).status_int == 200
