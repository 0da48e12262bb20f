"""A project manager (Keystone's ``manager`` role on the server's project) as Nova 34's
default policy treats one: it may move its project's servers without naming a host, and list
its own project's migrations, with every host field blanked. Statuses and sentences as Nova 34
answered a manager of the member's project (roles reader, member, manager) in its functional
test stack; the rules are ``nova/policies/{migrate_server,migrations,servers_migrations}.py``.

The manager is provisioned as a deployer (and ``tempest_run``) does: a user created through
the Identity admin API and granted ``manager`` on the project, which implies ``member`` and
``reader`` in its tokens.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import scenarios, testing
from fakenova.testing import fault

V = "/compute/v2.1"
HOSTS = ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")
LIVE = {"os-migrateLive": {"host": None, "block_migration": "auto"}}


def _policy(rule: str) -> str:
    return f"Policy doesn't allow {rule} to be performed."


class World(testing.World):
    """demo's vm1 on compute1; ``demo_manager`` manages demo, ``alt_manager`` alt_demo."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")
        self.project = self.cloud.project_id("demo")
        self.manager_id = self.provision("demo_manager", "demo")
        self.provision("alt_manager", "alt_demo")

    def provision(self, name: str, project: str) -> str:
        """A user holding ``manager`` on ``project``, made through Keystone's admin API."""
        project_id = self.cloud.project_id(project)
        user = {"name": name, "password": testing.PASSWORD, "domain_id": "default"}
        made = self.admin.post("/identity/v3/users", {"user": user})
        assert made.status_int == 201, made.text
        (role,) = self.admin.get("/identity/v3/roles?name=manager").json["roles"]
        user_id = made.json["user"]["id"]
        grant = f"/identity/v3/projects/{project_id}/users/{user_id}/roles/{role['id']}"
        assert self.admin.put(grant).status_int == 204
        return user_id

    @property
    def manager(self) -> testing.Client:
        return self.client("demo_manager", "demo")

    def as_manager(self, body: Any, mv: str, who: str = "demo_manager") -> Any:
        project = "demo" if who == "demo_manager" else "alt_demo"
        return self.client(who, project).post(self.path + "/action", body, microversion=mv)

    def migrations(self, query: str, mv: str = "2.80", client: Any = None) -> Any:
        return (client or self.manager).get(f"{V}/os-migrations{query}", microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def test_the_managers_token_carries_the_roles_manager_implies(w: World) -> None:
    token = w.manager.token
    answer = w.admin.get("/identity/v3/auth/tokens", headers={"X-Subject-Token": token})
    assert {r["name"] for r in answer.json["token"]["roles"]} == {"manager", "member", "reader"}


def test_a_manager_live_migrates_and_sees_no_host(w: World) -> None:
    """Tempest's project manager workflow (LiveMigrationManagerWorkflowTest) at 2.80."""
    source = w.vm.host
    assert w.as_manager(LIVE, "2.80").status_int == 202
    w.settle()
    assert w.vm.host != source
    listed = w.manager.get(f"{w.path}/migrations", microversion="2.80")
    assert (listed.status_int, listed.json) == (200, {"migrations": []})
    query = f"?project_id={w.project}&migration_type=live-migration"
    (mine,) = w.migrations(query).json["migrations"]
    assert all(mine[field] is None for field in HOSTS)
    assert (mine["user_id"], mine["project_id"]) == (w.manager_id, w.project)
    assert (mine["instance_uuid"], mine["status"]) == (w.vm.uuid, "completed")
    (seen,) = w.migrations(query, client=w.admin).json["migrations"]
    assert (seen["source_compute"], seen["dest_compute"]) == (source, w.vm.host)
    assert {k: v for k, v in seen.items() if k not in HOSTS} == {
        k: v for k, v in mine.items() if k not in HOSTS
    }


def test_a_manager_sees_an_in_progress_live_migration_without_hosts(w: World) -> None:
    scenarios.operate(w.cloud, {"live_migrations": "slow"})
    assert w.as_manager(LIVE, "2.80").status_int == 202
    w.manager.get(w.path)  # settles the scheduling
    (running,) = w.manager.get(f"{w.path}/migrations", microversion="2.80").json["migrations"]
    assert all(running[field] is None for field in HOSTS)
    assert running["server_uuid"] == w.vm.uuid
    (seen,) = w.admin.get(f"{w.path}/migrations", microversion="2.80").json["migrations"]
    assert seen["source_compute"] == "compute1" and seen["dest_compute"] is not None
    path = f"{w.path}/migrations/{running['id']}"
    answer = w.manager.get(path, microversion="2.80")
    assert fault(answer, 403) == _policy("os_compute_api:servers:migrations:show")
    done = w.manager.post(path + "/action", {"force_complete": None}, microversion="2.22")
    assert done.status_int == 202
    w.settle()
    assert w.show()["status"] == "ACTIVE"


def test_a_manager_may_not_name_a_host(w: World) -> None:
    to_host = {"os-migrateLive": {"host": "compute2", "block_migration": "auto"}}
    answer = w.as_manager(to_host, "2.80")
    assert fault(answer, 403) == _policy("os_compute_api:os-migrate-server:migrate_live:host")
    answer = w.as_manager({"migrate": {"host": "compute2"}}, "2.56")
    assert fault(answer, 403) == _policy("os_compute_api:os-migrate-server:migrate:host")
    assert w.vm.host == "compute1" and w.show()["status"] == "ACTIVE"


def test_a_manager_lists_only_their_own_projects_migrations(w: World) -> None:
    assert w.migrations(f"?project_id={w.project}").json == {"migrations": []}
    all_projects = _policy("os_compute_api:os-migrations:index:all_projects")
    own = f"?project_id={w.project}"
    # Below 2.59 Nova drops the unknown project_id: a list of every project's.
    for query, mv in [("", "2.80"), ("?project_id=abc", "2.80"), (own, "2.1")]:
        assert fault(w.migrations(query, mv), 403) == all_projects
    unexpected = "Additional properties are not allowed ('project_id' was unexpected)"
    assert fault(w.migrations(own, "2.59"), 400) == unexpected


def test_a_manager_cold_migrates_and_confirms(w: World) -> None:
    assert w.as_manager({"migrate": None}, "2.56").status_int == 202
    w.settle()
    assert w.show()["status"] == "VERIFY_RESIZE"
    assert w.as_manager({"confirmResize": None}, "2.1").status_int == 204
    w.settle()
    (migration,) = w.migrations(f"?project_id={w.project}").json["migrations"]
    assert migration["migration_type"] == "migration" and migration["source_compute"] is None
    path = f"{w.path}/migrations/{migration['id']}"
    answer = w.manager.post(path + "/action", {"force_complete": None}, microversion="2.22")
    assert fault(answer, 409) == f"Instance {w.vm.uuid} is in an invalid state for 'force_complete'"
    answer = w.manager.delete(path, microversion="2.24")
    assert fault(answer, 409) == (
        f"Instance {w.vm.uuid} is in an invalid state for 'abort live migration'"
    )


def test_a_manager_is_no_admin(w: World) -> None:
    """A server its member locked stays put; evacuation and services stay the admin's."""
    assert w.act({"lock": None}).status_int == 202
    locked = f"Instance {w.vm.uuid} is locked"
    assert fault(w.as_manager(LIVE, "2.80"), 409) == locked
    assert fault(w.as_manager({"migrate": None}, "2.56"), 409) == locked
    answer = w.as_manager({"evacuate": {}}, "2.95")
    assert fault(answer, 403) == _policy("os_compute_api:os-evacuate")
    answer = w.manager.get(f"{V}/os-services")
    assert fault(answer, 403) == _policy("os_compute_api:os-services:list")


def test_another_projects_manager_finds_no_server(w: World) -> None:
    missing = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.as_manager(LIVE, "2.80", who="alt_manager"), 404) == missing
    other = w.client("alt_manager", "alt_demo")
    assert fault(other.get(f"{w.path}/migrations", microversion="2.80"), 404) == missing
