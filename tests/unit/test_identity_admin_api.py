"""Keystone's admin API over HTTP: domains, projects, users, roles, grants, role assignments,
token scoping and revocation, with Keystone 30's fault texts and default policy; and the
identities it creates working at once against Compute, Image and Network."""

from __future__ import annotations

from typing import Any

import pytest
import webob

from fakenova.testing import Client, World

V3 = "/identity/v3"
TOKENS = f"{V3}/auth/tokens"


def fault(response: webob.Response) -> tuple[int, str, str]:
    error = response.json["error"]
    assert error["code"] == response.status_int
    return error["code"], error["title"], error["message"]


def login(world: World, user: str, password: str, scope: dict[str, Any] | None) -> webob.Response:
    auth: dict[str, Any] = {
        "identity": {
            "methods": ["password"],
            "password": {"user": {"name": user, "domain": {"id": "default"}, "password": password}},
        }
    }
    if scope is not None:
        auth["scope"] = scope
    return world.client().post(TOKENS, {"auth": auth})


def as_token(world: World, response: webob.Response) -> Client:
    assert response.status_int == 201, response.text
    return Client(world.app, response.headers["X-Subject-Token"])


class Cloud(World):
    """demo's cloud plus a project ``p1`` and a user ``u1`` (password ``pw``) who is a member
    of ``p1`` and a reader of demo."""

    def __init__(self) -> None:
        super().__init__()
        admin = self.admin
        self.p1 = admin.post(f"{V3}/projects", {"project": {"name": "p1"}}).json["project"]
        self.u1 = admin.post(f"{V3}/users", {"user": {"name": "u1", "password": "pw"}}).json["user"]
        self.roles = {r["name"]: r["id"] for r in admin.get(f"{V3}/roles").json["roles"]}
        demo = self.cloud.identity.projects["demo"].id
        for project, role in ((self.p1["id"], "member"), (demo, "reader")):
            path = f"{V3}/projects/{project}/users/{self.u1['id']}/roles/{self.roles[role]}"
            assert admin.put(path).status_int == 204

    def u1_in(self, project: str) -> Client:
        scope = {"project": {"name": project, "domain": {"name": "Default"}}}
        return as_token(self, login(self, "u1", "pw", scope))


@pytest.fixture
def w() -> Cloud:
    return Cloud()


# --- tokens and scope ---------------------------------------------------------------------------


def test_a_user_scopes_to_each_project_they_hold_a_role_on(w):
    for project, roles in (("p1", ["reader", "member"]), ("demo", ["reader"])):
        response = login(w, "u1", "pw", {"project": {"name": project, "domain": {"id": "default"}}})
        token = response.json["token"]
        assert token["project"]["name"] == project
        assert [r["name"] for r in token["roles"]] == roles
        assert {r["id"] for r in token["roles"]} <= set(w.roles.values())
    refused = login(w, "u1", "pw", {"project": {"name": "alt_demo", "domain": {"id": "default"}}})
    assert fault(refused) == (
        401,
        "Unauthorized",
        "The request you have made requires authentication.",
    )
    projects = w.u1_in("p1").get(f"{V3}/auth/projects").json["projects"]
    assert sorted(p["name"] for p in projects) == ["demo", "p1"]


def test_unscoped_domain_and_system_tokens(w):
    unscoped = login(w, "u1", "pw", None).json["token"]
    assert "project" not in unscoped and "roles" not in unscoped and "catalog" not in unscoped
    system = login(w, "admin", "secret", {"system": {"all": True}}).json["token"]
    assert system["system"] == {"all": True}
    assert [r["name"] for r in system["roles"]] == ["reader", "member", "manager", "admin"]
    # Compute takes it (keystonemiddleware does) and Nova's scope enforcement refuses it
    system_client = as_token(w, login(w, "admin", "secret", {"system": {"all": True}}))
    assert system_client.get("/compute/v2.1/servers").status_int == 403
    assert system_client.get(f"{V3}/users").status_int == 200


def test_the_catalog_of_a_project_token_and_none_for_another_scope(w):
    token = login(w, "u1", "pw", {"project": {"name": "p1", "domain": {"name": "Default"}}})
    answer = as_token(w, token).get(f"{V3}/auth/catalog")
    assert answer.status_int == 200, answer.text
    assert answer.json["catalog"] == token.json["token"]["catalog"]
    assert {s["type"] for s in answer.json["catalog"]} >= {"identity", "compute", "image"}
    assert answer.json["links"] == {"self": "http://localhost/identity/v3/auth/catalog"}
    unscoped = as_token(w, login(w, "u1", "pw", None)).get(f"{V3}/auth/catalog")
    assert fault(unscoped) == (
        403,
        "Forbidden",
        "A project-scoped token is required to produce a service catalog.",
    )


def test_token_revocation(w):
    u1 = w.u1_in("p1")
    subject = {"X-Subject-Token": u1.token}
    assert u1.request("HEAD", TOKENS, headers=subject).status_int == 200
    assert u1.delete(TOKENS, headers=subject).status_int == 204
    assert u1.get("/compute/v2.1/servers").status_int == 401
    gone = w.admin.get(TOKENS, headers=subject)
    assert fault(gone) == (404, "Not Found", f"Could not find token: {u1.token}.")


def test_removing_the_last_role_ends_the_projects_tokens(w):
    u1 = w.u1_in("p1")
    path = f"{V3}/projects/{w.p1['id']}/users/{w.u1['id']}/roles/{w.roles['member']}"
    assert w.admin.delete(path).status_int == 204
    assert u1.get("/compute/v2.1/servers").status_int == 401
    again = w.admin.delete(path)
    assert fault(again) == (
        404,
        "Not Found",
        f"Could not find role assignment with role: {w.roles['member']}, user or group: "
        f"{w.u1['id']}, project, domain, or system: {w.p1['id']}.",
    )


# --- a new identity works against the other services at once ------------------------------------


def test_a_new_users_token_works_against_compute_image_and_network(w):
    u1 = w.u1_in("p1")
    image = u1.get("/image/v2/images").json["images"][0]["id"]
    created = u1.post(
        "/compute/v2.1/servers",
        {"server": {"name": "vm", "imageRef": image, "flavorRef": "1", "networks": "none"}},
        microversion="2.37",
    )
    assert created.status_int == 202, created.text
    w.settle()
    (server,) = u1.get("/compute/v2.1/servers/detail").json["servers"]
    assert server["tenant_id"] == w.p1["id"]
    assert server["user_id"] == w.u1["id"]
    # demo's project sees nothing of it; its own quotas are the defaults
    assert w.demo.get("/compute/v2.1/servers").json["servers"] == []
    quota = u1.get(f"/compute/v2.1/os-quota-sets/{w.p1['id']}").json["quota_set"]
    defaults = w.admin.get(f"/compute/v2.1/os-quota-sets/{w.p1['id']}/defaults").json
    assert quota["instances"] == defaults["quota_set"]["instances"]
    groups = u1.get("/networking/v2.0/security-groups").json["security_groups"]
    assert [(g["name"], g["project_id"]) for g in groups] == [("default", w.p1["id"])]
    # a reader of demo too, u1 lists demo's servers with a token scoped there
    reader = w.u1_in("demo")
    assert reader.get("/compute/v2.1/servers").status_int == 200


# --- faults and policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("projects", "identity:create_project"),
        ("users", "identity:create_user"),
        ("domains", "identity:create_domain"),
        ("roles", "identity:create_role"),
    ],
)
def test_writes_are_for_admins(w, path, action):
    kind = path[:-1]
    refused = w.demo.post(f"{V3}/{path}", {kind: {"name": "x"}})
    assert fault(refused) == (
        403,
        "Forbidden",
        f"You are not authorized to perform the requested action: {action}.",
    )


def test_reads_of_ones_own_resources(w):
    u1 = w.u1_in("p1")
    assert u1.get(f"{V3}/projects/{w.p1['id']}").status_int == 200
    assert u1.get(f"{V3}/users/{w.u1['id']}").status_int == 200
    assert u1.get(f"{V3}/users/{w.u1['id']}/projects").status_int == 200
    demo_user = w.cloud.identity.users["demo"].id
    for path, action in (
        (f"projects/{w.cloud.identity.projects['demo'].id}", "get_project"),
        (f"users/{demo_user}", "get_user"),
        ("users", "list_users"),
        ("projects", "list_projects"),
        ("roles", "list_roles"),
        ("role_assignments", "list_role_assignments"),
        (f"users/{demo_user}/projects", "list_user_projects"),
    ):
        refused = u1.get(f"{V3}/{path}")
        assert fault(refused)[2].endswith(f"action: identity:{action}."), path


def test_unknown_resources_are_404_to_an_admin_and_403_to_others(w):
    admin, demo = w.admin, w.demo
    for kind in ("project", "user", "domain", "role"):
        missing = admin.get(f"{V3}/{kind}s/nope")
        assert fault(missing) == (404, "Not Found", f"Could not find {kind}: nope.")
        assert demo.get(f"{V3}/{kind}s/nope").status_int == 403


def test_a_grant_looks_up_role_user_and_project_before_the_policy(w):
    user, project, role = w.u1["id"], w.p1["id"], w.roles["member"]
    for path, kind, wanted in (
        (f"projects/{project}/users/{user}/roles/nope", "role", "nope"),
        (f"projects/{project}/users/nope/roles/{role}", "user", "nope"),
        (f"projects/nope/users/{user}/roles/{role}", "project", "nope"),
    ):
        answer = w.demo.put(f"{V3}/{path}")
        assert fault(answer) == (404, "Not Found", f"Could not find {kind}: {wanted}.")
    assert w.demo.put(f"{V3}/projects/{project}/users/{user}/roles/{role}").status_int == 403
    check = f"{V3}/projects/{project}/users/{user}/roles/{role}"
    assert w.admin.request("HEAD", check).status_int == 204
    assert w.admin.put(check).status_int == 204  # granting twice is fine


def test_bad_bodies_are_keystones_400(w):
    admin = w.admin
    missing = admin.post(f"{V3}/projects", {"project": {}})
    assert fault(missing) == (
        400,
        "Bad Request",
        "Invalid input for field/attribute project. Value: {}. 'name' is a required property",
    )
    blank = admin.post(f"{V3}/users", {"user": {"name": ""}})
    assert fault(blank)[2] == (
        "Invalid input for field/attribute name. Value: . '' should be non-empty"
    )
    wrapped = admin.post(f"{V3}/roles", {"name": "x"})
    assert fault(wrapped)[2] == "'role' is a required property"


def test_conflicts_are_409(w):
    again = w.admin.post(f"{V3}/users", {"user": {"name": "u1"}})
    assert fault(again) == (
        409,
        "Conflict",
        "Conflict occurred attempting to store user - Duplicate entry found with name u1 at "
        "domain ID default.",
    )
    assert w.admin.post(f"{V3}/projects", {"project": {"name": "p1"}}).status_int == 409


def test_a_domain_must_be_disabled_before_it_is_deleted(w):
    admin = w.admin
    domain = admin.post(f"{V3}/domains", {"domain": {"name": "d"}}).json["domain"]
    refused = admin.delete(f"{V3}/domains/{domain['id']}")
    assert fault(refused) == (
        403,
        "Forbidden",
        "Cannot delete a domain that is enabled, please disable it first.",
    )
    body = {"domain": {"enabled": False}}
    assert admin.request("PATCH", f"{V3}/domains/{domain['id']}", body=body).status_int == 200
    assert admin.delete(f"{V3}/domains/{domain['id']}").status_int == 204


def test_role_assignments_filters_effective_and_names(w):
    admin = w.admin
    query = f"{V3}/role_assignments?user.id={w.u1['id']}&scope.project.id={w.p1['id']}"
    (direct,) = admin.get(query).json["role_assignments"]
    assert direct["role"] == {"id": w.roles["member"]}
    assert direct["links"]["assignment"].endswith(
        f"/v3/projects/{w.p1['id']}/users/{w.u1['id']}/roles/{w.roles['member']}"
    )
    rows = admin.get(query + "&effective&include_names").json["role_assignments"]
    assert [r["role"]["name"] for r in rows] == ["member", "reader"]
    assert rows[1]["links"]["prior_role"].endswith(
        f"/prior_role/{w.roles['reader']}/implies/{w.roles['member']}"
    )
    assert rows[0]["user"] == {
        "id": w.u1["id"],
        "name": "u1",
        "domain": {"id": "default", "name": "Default"},
    }
    both = admin.get(f"{V3}/role_assignments?scope.project.id=x&scope.domain.id=y")
    assert fault(both) == (400, "Bad Request", "Specify a domain or project, not both")


def test_refused_requests_change_nothing(w):
    from fakenova.testing import snapshot

    identity = w.cloud.identity
    demo, admin = w.demo, w.admin  # their tokens are made before the snapshot
    before = (
        dict(identity.project_records),
        dict(identity.user_records),
        set(identity.grants),
        len(identity.tokens),
        snapshot(w.cloud),
    )
    assert demo.post(f"{V3}/projects", {"project": {"name": "x"}}).status_int == 403
    assert admin.post(f"{V3}/users", {"user": {"name": "u1"}}).status_int == 409
    assert admin.post(f"{V3}/projects", {"project": {}}).status_int == 400
    assert demo.delete(f"{V3}/users/{w.u1['id']}").status_int == 403
    assert admin.delete(f"{V3}/roles/{w.roles['admin']}").status_int == 403
    after = (
        dict(identity.project_records),
        dict(identity.user_records),
        set(identity.grants),
        len(identity.tokens),
        snapshot(w.cloud),
    )
    assert before == after


def test_a_token_rescoped_with_the_token_method(w):
    u1 = w.u1_in("p1")
    original = w.admin.get(TOKENS, headers={"X-Subject-Token": u1.token}).json["token"]
    body = {
        "auth": {
            "identity": {"methods": ["token"], "token": {"id": u1.token}},
            "scope": {"project": {"name": "demo", "domain": {"id": "default"}}},
        }
    }
    rescoped = w.client().post(TOKENS, body)
    assert rescoped.status_int == 201
    token = rescoped.json["token"]
    assert token["project"]["name"] == "demo"
    assert token["methods"] == ["token", "password"]
    assert token["expires_at"] == original["expires_at"]
    assert token["audit_ids"][1:] == original["audit_ids"]
    body["auth"]["scope"] = {"project": {"name": "alt_demo", "domain": {"id": "default"}}}
    assert w.client().post(TOKENS, body).status_int == 401


def test_project_tags(w):
    admin, tags = w.admin, f"{V3}/projects/{w.p1['id']}/tags"
    assert admin.put(tags, {"tags": ["a", "b"]}).json["tags"] == ["a", "b"]
    added = admin.put(f"{tags}/c")
    assert added.status_int == 201
    assert added.headers["Location"].endswith(f"/v3/{w.p1['id']}/tags/c")
    assert admin.get(tags).json["tags"] == ["a", "b", "c"]
    assert admin.request("HEAD", f"{tags}/c").status_int == 204
    assert admin.delete(f"{tags}/a").status_int == 204
    assert fault(admin.get(f"{tags}/a")) == (404, "Not Found", "Could not find project tag: a.")
    assert w.u1_in("p1").get(tags).json["tags"] == ["b", "c"]
    assert w.u1_in("p1").put(f"{tags}/d").status_int == 403
    assert admin.delete(tags).status_int == 204
    assert admin.get(f"{V3}/projects/{w.p1['id']}").json["project"]["tags"] == []
