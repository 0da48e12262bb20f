"""A project manager (Keystone's ``manager`` role on the server's project) as Nova 34's
default policy treats one: it may move its project's servers without naming a host, and list
its own project's migrations, with every host field blanked (the rules are
``nova/policies/{migrate_server,migrations,servers_migrations}.py``).
``project_manager_nova.json`` holds Nova 34's answers to a manager of the member's project and
to one of another project (the oracle's stack, with clients holding those roles); the fake,
asked the same in the same order, must answer alike.

The manager is provisioned as a deployer (and ``tempest_run``) does: a user created through
the Identity admin API and granted ``manager`` on the project, which implies ``member`` and
``reader`` in its tokens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fakenova import scenarios, testing
from fakenova.testing import fault

NOVA = json.loads((Path(__file__).parent / "project_manager_nova.json").read_text())
V = "/compute/v2.1"
HOSTS = ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")
LIVE = {"os-migrateLive": {"host": None, "block_migration": "auto"}}


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

    def as_manager(self, body: Any, mv: str) -> Any:
        return self.manager.post(self.path + "/action", body, microversion=mv)

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
    done = w.manager.post(path + "/action", {"force_complete": None}, microversion="2.22")
    assert done.status_int == 202
    w.settle()
    assert w.show()["status"] == "ACTIVE"


def _same_migrations(fake: list[dict[str, Any]], nova: list[dict[str, Any]], label: str) -> None:
    """The same moves, with the same fields, and a host field blank where Nova's is."""
    assert len(fake) == len(nova), label
    for mine, theirs in zip(fake, nova, strict=True):
        assert set(mine) == set(theirs), label
        assert {f: mine[f] is None for f in HOSTS} == {f: theirs[f] is None for f in HOSTS}, label
        for field in ("instance_uuid", "status", "migration_type", "user_id", "project_id"):
            assert mine.get(field) == theirs.get(field), (label, field)


def test_a_manager_gets_the_answers_nova_gave(w: World) -> None:
    callers = {
        "member": w.demo,
        "admin": w.admin,
        "manager": w.manager,
        "other_manager": w.client("alt_manager", "alt_demo"),
    }
    names = {
        "{vm1}": w.vm.uuid,
        "{project}": w.project,
        "{compute}": "compute1",
        "{host2}": "compute2",
        '"manager"': json.dumps(w.manager_id),  # Nova's manager's user id
    }

    def ours(value: Any) -> Any:
        text = json.dumps(value)
        for name, value in names.items():
            text = text.replace(name, value)
        return json.loads(text)

    for step in NOVA["steps"]:
        if "wait" in step:
            w.settle()
            assert w.show()["status"] == step["for"]["status"]
            continue
        label, nova = step["label"], ours(step["nova"])
        answer = callers[step["as"]].request(
            step.get("method", "GET"),
            V + ours(step["path"]),
            body=ours(step.get("body")),
            microversion=step.get("microversion"),
        )
        assert answer.status_int == nova["status"], (label, answer.text)
        if "message" in nova:
            assert fault(answer, nova["status"]) == nova["message"], label
        if "body" in nova:
            _same_migrations(answer.json["migrations"], nova["body"]["migrations"], label)
        if "keys" in nova:
            # Nova's vm1 was booted without a network, so it shows no security groups.
            keys = set(answer.json["server"]) - {"security_groups"}
            assert keys == set(nova["keys"]), label
