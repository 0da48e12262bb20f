"""os-migrations and /servers/{id}/migrations as Nova 34 answers them (shapes per
microversion, policies, paging, force-complete and abort, texts observed on the oracle)."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import scenarios, testing

V = "/compute/v2.1"


class World(testing.World):
    """demo's vm1 on compute1, cold-migrated (to compute2) and confirmed; vm2 on compute1."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")
        self.vm2 = self.boot("vm2")
        assert self.act({"migrate": None}, "admin").status_int == 202
        assert self.act({"confirmResize": None}, "admin").status_int == 204

    def live(self) -> str:
        """A live migration that runs until forced or aborted; its id."""
        scenarios.operate(self.cloud, {"live_migrations": "slow"})
        live = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
        answer = self.act(live, "admin", "2.30")
        assert answer.status_int == 202, answer.text
        self.admin.get(self.path)  # settles the scheduling
        return str(self.compute.migrations[-1].id)

    def migrations(self, mv: str, query: str = "", who: str = "admin") -> Any:
        return self.client(who).get(f"{V}/os-migrations{query}", microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


BASE_KEYS = {
    "created_at", "dest_compute", "dest_host", "dest_node", "id", "instance_uuid",
    "new_instance_type_id", "old_instance_type_id", "source_compute", "source_node",
    "status", "updated_at",
}  # fmt: skip


@pytest.mark.parametrize(
    ("mv", "extra"),
    [
        ("2.1", set()),
        ("2.23", {"migration_type"}),
        ("2.59", {"migration_type", "uuid"}),
        ("2.80", {"migration_type", "uuid", "user_id", "project_id"}),
    ],
)
def test_os_migrations_shape_per_microversion(w: World, mv: str, extra: set[str]) -> None:
    (migration,) = w.migrations(mv).json["migrations"]
    assert set(migration) == BASE_KEYS | extra
    assert migration["status"] == "confirmed"
    assert (migration["source_compute"], migration["dest_compute"]) == ("compute1", "compute2")
    assert migration["dest_host"] == "192.168.0.12"
    assert (migration["old_instance_type_id"], migration["new_instance_type_id"]) == (1, 1)
    assert migration["id"] == 1


def test_os_migrations_policies(w: World) -> None:
    answer = w.migrations("2.80", who="demo")
    assert (answer.status_int, _message(answer)) == (
        403,
        "Policy doesn't allow os_compute_api:os-migrations:index to be performed.",
    )


def test_a_manager_lists_their_project_without_hosts(w: World) -> None:
    scenarios.operate(w.cloud, {"policy": "os_compute_api:os-migrations:index=role:member"})
    project = w.cloud.project_id("demo")
    w.compute.migrations[0].project_id = project  # as if demo's manager had migrated it
    answer = w.migrations("2.80", f"?project_id={project}", who="demo")
    (migration,) = answer.json["migrations"]
    assert migration["source_compute"] is None and migration["dest_host"] is None
    answer = w.migrations("2.80", who="demo")
    assert _message(answer) == (
        "Policy doesn't allow os_compute_api:os-migrations:index:all_projects to be performed."
    )


def test_os_migrations_paging_and_filters(w: World) -> None:
    uuid = w.compute.migrations[0].uuid
    answer = w.migrations("2.59", "?limit=1")
    assert answer.json["migrations_links"] == [
        {"rel": "next", "href": f"http://localhost{V}/os-migrations?limit=1&marker={uuid}"}
    ]
    assert w.migrations("2.59", f"?marker={uuid}").json["migrations"] == []
    answer = w.migrations("2.59", "?marker=nope")
    assert (answer.status_int, _message(answer)) == (400, "Marker nope could not be found.")
    assert w.migrations("2.23", "?migration_type=resize").json["migrations"] == []
    assert len(w.migrations("2.23", "?host=compute2").json["migrations"]) == 1
    assert w.migrations("2.80", "?user_id=nobody").json["migrations"] == []
    # unknown parameters: dropped below 2.59, refused from 2.59
    assert len(w.migrations("2.23", "?user_id=nobody&foo=1").json["migrations"]) == 1
    answer = w.migrations("2.59", "?foo=1")
    assert _message(answer) == "Additional properties are not allowed ('foo' was unexpected)"


def test_a_deleted_servers_migrations_are_gone_but_still_a_marker(w: World) -> None:
    # Observed on Nova 34 (oracle): os-migrations drops a deleted server's migrations; a marker
    # naming one is still found, and so is a marker the filters leave out: the page goes on
    # from the marker's place in the newest-first order.
    assert w.act({"migrate": None}, "admin", server=w.vm2.uuid).status_int == 202
    assert w.act({"confirmResize": None}, "admin", server=w.vm2.uuid).status_int == 204
    first, second = (m.uuid for m in w.compute.migrations)
    listed = w.migrations("2.80").json["migrations"]
    assert [m["uuid"] for m in listed] == [second, first]

    def uuids(query: str) -> list[str]:
        return [m["uuid"] for m in w.migrations("2.80", query).json["migrations"]]

    assert uuids(f"?marker={second}&instance_uuid={w.vm.uuid}") == [first]
    assert uuids(f"?marker={first}&instance_uuid={w.vm2.uuid}") == []
    assert w.admin.delete(f"{V}/servers/{w.vm2.uuid}").status_int == 204
    assert uuids("") == [first]
    assert [m["instance_uuid"] for m in w.migrations("2.1").json["migrations"]] == [w.vm.uuid]
    assert uuids(f"?instance_uuid={w.vm2.uuid}") == []
    assert uuids(f"?marker={second}") == [first]


@pytest.mark.parametrize(
    ("mv", "query", "message"),
    [
        (
            "2.59",
            "?changes-since=abc",
            "Invalid input for query parameters changes-since. Value: abc. 'abc' is not a "
            "'date-time'",
        ),
        (
            "2.59",
            "?changes-before=2000-01-01T00:00:00Z",
            "Additional properties are not allowed ('changes-before' was unexpected)",
        ),
        (
            "2.66",
            "?changes-since=2030-01-01T00:00:00Z&changes-before=2000-01-01T00:00:00Z",
            "The value of changes-since must be less than or equal to changes-before.",
        ),
    ],
)
def test_os_migrations_time_filters(w: World, mv: str, query: str, message: str) -> None:
    answer = w.migrations(mv, query)
    assert (answer.status_int, _message(answer)) == (400, message)


def test_changes_before_filters_from_266(w: World) -> None:
    assert w.migrations("2.66", "?changes-before=2000-01-01T00:00:00Z").json["migrations"] == []


def test_server_migrations_need_223_and_list_only_running_live_migrations(w: World) -> None:
    assert w.admin.get(w.path + "/migrations", microversion="2.22").status_int == 404
    assert w.admin.get(w.path + "/migrations", microversion="2.23").json == {"migrations": []}
    mid = w.live()
    (listed,) = w.admin.get(w.path + "/migrations", microversion="2.80").json["migrations"]
    assert listed["status"] == "running" and listed["memory_total_bytes"] is None
    assert {"uuid", "user_id", "project_id", "server_uuid"} <= set(listed)
    shown = w.admin.get(f"{w.path}/migrations/{mid}", microversion="2.23").json["migration"]
    assert shown["id"] == int(mid) and "uuid" not in shown
    (row,) = [m for m in w.migrations("2.23").json["migrations"] if "links" in m]
    assert row["links"][0]["href"] == f"http://localhost{w.path}/migrations/{mid}"


def test_server_migration_errors(w: World) -> None:
    w.live()
    cases = [
        ("1", f"Migration 1 for server {w.vm.uuid} is not live-migration."),
        ("999", f"In-progress live migration 999 is not found for server {w.vm.uuid}."),
    ]
    for mid, message in cases:
        answer = w.admin.get(f"{w.path}/migrations/{mid}", microversion="2.80")
        assert (answer.status_int, _message(answer)) == (404, message)
    answer = w.demo.get(f"{w.path}/migrations/2", microversion="2.80")
    assert _message(answer) == (
        "Policy doesn't allow os_compute_api:servers:migrations:show to be performed."
    )


def test_force_complete_finishes_the_live_migration(w: World) -> None:
    mid = w.live()
    path = f"{w.path}/migrations/{mid}/action"
    assert w.admin.post(path, {"force_complete": None}, microversion="2.21").status_int == 404
    answer = w.admin.post(path, {"force_complete": None}, microversion="2.22")
    assert answer.status_int == 202, answer.text
    server = w.admin.get(w.path, microversion="2.16").json["server"]
    assert (server["OS-EXT-SRV-ATTR:host"], server["OS-EXT-STS:task_state"]) == ("compute1", None)
    assert w.compute.migrations[-1].status == "completed"
    actions = w.admin.get(w.path + "/os-instance-actions").json["instanceActions"]
    assert actions[0]["action"] == "live_migration_force_complete"


@pytest.mark.parametrize(
    ("mid", "body", "status", "message"),
    [
        ("999", {"force_complete": None}, 400, "Migration 999 not found for instance {vm}"),
        (
            "1",
            {"force_complete": None},
            400,
            "Migration 1 state of instance {vm} is confirmed. Cannot force complete while the "
            "migration is in this state.",
        ),
        (
            "2",
            {"force_complete": 1},
            400,
            "Invalid input for field/attribute force_complete. Value: 1. 1 is not of type 'null'",
        ),
        ("2", {"foo": None}, 400, "There is no such action: foo"),
    ],
)
def test_force_complete_errors(w: World, mid: str, body: Any, status: int, message: str) -> None:
    w.live()
    answer = w.admin.post(f"{w.path}/migrations/{mid}/action", body, microversion="2.22")
    assert (answer.status_int, _message(answer)) == (status, message.format(vm=w.vm.uuid))


def test_force_complete_of_a_server_not_migrating(w: World) -> None:
    w.live()
    path = f"{V}/servers/{w.vm2.uuid}/migrations/2/action"
    answer = w.admin.post(path, {"force_complete": None}, microversion="2.22")
    assert (answer.status_int, _message(answer)) == (
        409,
        f"Instance {w.vm2.uuid} is in an invalid state for 'force_complete'",
    )


def test_abort_keeps_the_server_on_its_host(w: World) -> None:
    mid = w.live()
    assert w.admin.delete(f"{w.path}/migrations/{mid}", microversion="2.23").status_int == 404
    answer = w.demo.delete(f"{w.path}/migrations/{mid}", microversion="2.24")
    assert _message(answer) == (
        "Policy doesn't allow os_compute_api:servers:migrations:delete to be performed."
    )
    assert w.admin.delete(f"{w.path}/migrations/{mid}", microversion="2.24").status_int == 202
    server = w.admin.get(w.path, microversion="2.16").json["server"]
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute2")
    assert w.compute.migrations[-1].status == "cancelled"


@pytest.mark.parametrize(
    ("mid", "status", "message"),
    [
        ("999", 404, "Migration 999 not found for instance {vm}"),
        (
            "1",
            400,
            "Migration 1 state of instance {vm} is confirmed. Cannot abort live migration while "
            "the migration is in this state.",
        ),
    ],
)
def test_abort_errors(w: World, mid: str, status: int, message: str) -> None:
    w.live()
    answer = w.admin.delete(f"{w.path}/migrations/{mid}", microversion="2.24")
    assert (answer.status_int, _message(answer)) == (status, message.format(vm=w.vm.uuid))
    other = w.admin.delete(f"{V}/servers/{w.vm2.uuid}/migrations/2", microversion="2.24")
    assert (other.status_int, _message(other)) == (
        409,
        f"Instance {w.vm2.uuid} is in an invalid state for 'abort live migration'",
    )


def test_evacuation_needs_the_host_down_and_is_listed(w: World) -> None:
    vm2 = w.vm2
    path = f"{V}/servers/{vm2.uuid}/action"
    answer = w.admin.post(path, {"evacuate": {}}, microversion="2.95")
    assert (answer.status_int, _message(answer)) == (
        400,
        "Compute service of compute1 is still in use.",
    )
    w.compute.service_by_host("compute1").disabled = True  # maintenance is not down
    assert w.admin.post(path, {"evacuate": {}}, microversion="2.95").status_int == 400
    w.compute.service_by_host("compute1").forced_down = True
    launched = vm2.launched_at
    addresses = list(vm2.addresses)
    assert w.admin.post(path, {"evacuate": {}}, microversion="2.95").status_int == 200
    server = w.admin.get(f"{V}/servers/{vm2.uuid}", microversion="2.16").json["server"]
    assert server["OS-EXT-SRV-ATTR:host"] == "compute2"
    assert server["status"] == "SHUTOFF"  # 2.95: an evacuee stays stopped
    assert vm2.addresses == addresses and vm2.launched_at != launched
    (row,) = w.migrations("2.59", "?migration_type=evacuation").json["migrations"]
    assert (row["status"], row["source_compute"], row["dest_compute"]) == (
        "done",
        "compute1",
        "compute2",
    )
    assert row["id"] == 2  # the second migration of cell1


def test_the_scheduler_skips_disabled_and_down_hosts(w: World) -> None:
    w.compute.service_by_host("compute2").disabled = True
    answer = w.act({"migrate": None}, "admin", server=w.vm2.uuid)
    assert answer.status_int == 202
    w.admin.get(f"{V}/servers/{w.vm2.uuid}")
    assert w.compute.migrations[-1].status == "error"  # compute3 is in another cell
    w.compute.service_by_host("compute2").disabled = False
    w.compute.stop_reporting("compute2")
    w.compute.clock.advance(120)
    w.act({"migrate": None}, "admin", server=w.vm2.uuid)
    w.admin.get(f"{V}/servers/{w.vm2.uuid}")
    assert w.compute.migrations[-1].status == "error"
