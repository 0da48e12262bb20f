"""Resize, confirm, revert, cold and live migration and evacuation, as Nova 34 answers them.

Statuses, messages and event names were first observed on the real Nova (the oracle's
functional-test stack); where that stack differs from a deployment (its RPC casts run as
calls, so a failed resize is a 500 there) the deployment's behaviour is kept: the API
answers 202 and the failure is in the instance action.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.servers.passwords import PASSWORD_GROUPS, nova_password
from fakenova.testing import fault

V = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


class World(testing.World):
    """demo's vm1 on compute1; compute2 can take anything up to m1.large."""

    def __init__(self, **nova: Any) -> None:
        super().__init__(nova=nova, vm="vm1")

    def server(self) -> dict[str, Any]:
        return self.show(mv="2.47")

    def last_action(self) -> dict[str, Any]:
        listed = self.admin.get(self.path + "/os-instance-actions").json["instanceActions"]
        req = listed[0]["request_id"]
        shown = self.admin.get(f"{self.path}/os-instance-actions/{req}", microversion="2.84")
        return shown.json["instanceAction"]

    def down(self, host: str) -> None:
        for service in self.cloud.compute.services:
            if service.host == host:
                service.forced_down = True


@pytest.fixture
def w() -> World:
    return World()


def events(action: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["event"], e["result"], e["host"]) for e in action["events"]]


# -- resize -----------------------------------------------------------------------------------


def test_resize_goes_to_verify_resize_on_another_host(w: World) -> None:
    r = w.act({"resize": {"flavorRef": "2", "OS-DCF:diskConfig": "AUTO"}})
    assert r.status_int == 202 and r.body == b""
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("VERIFY_RESIZE", "compute2")
    assert server["flavor"]["original_name"] == "m1.small"
    assert server["OS-DCF:diskConfig"] == "AUTO"
    action = w.last_action()
    assert action["action"] == "resize" and action["message"] is None
    assert action["request_id"] == r.headers["x-openstack-request-id"]
    assert events(action) == [
        ("compute_finish_resize", "Success", "compute2"),
        ("compute_resize_instance", "Success", "compute1"),
        ("compute_prep_resize", "Success", "compute2"),
        ("cold_migrate", "Success", "controller"),
        ("conductor_migrate_server", "Success", "controller"),
    ]


def test_confirm_keeps_the_new_flavor(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    r = w.act({"confirmResize": None})
    assert r.status_int == 204
    server = w.server()
    assert (server["status"], server["flavor"]["original_name"]) == ("ACTIVE", "m1.small")
    assert events(w.last_action()) == [("compute_confirm_resize", "Success", "compute1")]


def test_revert_goes_back_to_the_old_host_and_flavor(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    r = w.act({"revertResize": None})
    assert r.status_int == 202
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute1")
    assert server["flavor"]["original_name"] == "m1.tiny"
    assert events(w.last_action()) == [
        ("compute_finish_revert_resize", "Success", "compute1"),
        ("compute_revert_resize", "Success", "compute2"),
    ]


def test_revert_shows_revert_resize_until_the_hosts_are_done(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    w.act({"revertResize": None})
    assert w.vm.status == "REVERT_RESIZE"  # before the next request settles the queue


def test_resize_confirm_window_confirms_automatically() -> None:
    w = World(resize_confirm_window=30)
    w.act({"resize": {"flavorRef": "2"}})
    assert w.server()["status"] == "VERIFY_RESIZE"
    w.cloud.clock.advance(29)
    assert w.server()["status"] == "VERIFY_RESIZE"  # settling does not hurry the window
    w.cloud.clock.advance(2)
    server = w.server()
    assert server["status"] == "ACTIVE"
    assert server["flavor"]["original_name"] == "m1.small"
    listed = w.admin.get(w.path + "/os-instance-actions").json["instanceActions"]
    auto = listed[0]
    assert (auto["action"], auto["user_id"], auto["project_id"]) == ("confirmResize", None, None)
    shown = w.demo.get(f"{w.path}/os-instance-actions/{auto['request_id']}", microversion="2.62")
    # Periodic actions have no project: the host is hashed with the server's.
    assert shown.json["instanceAction"]["events"][0]["hostId"]


def test_without_a_window_the_resize_waits(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    assert w.server()["status"] == "VERIFY_RESIZE"
    w.cloud.clock.advance(50)
    assert w.server()["status"] == "VERIFY_RESIZE"
    assert w.cloud.compute.tasks.pending == []


def test_resize_that_fits_nowhere_leaves_the_server_as_it_was(w: World) -> None:
    r = w.act({"resize": {"flavorRef": "5"}})
    assert r.status_int == 202
    server = w.server()
    assert server["status"] == "ACTIVE" and server["OS-EXT-STS:task_state"] is None
    assert server["flavor"]["original_name"] == "m1.tiny"
    assert "fault" not in server
    action = w.last_action()
    assert action["message"] == "Error"
    assert [(e["event"], e["result"], e["details"]) for e in action["events"]] == [
        ("cold_migrate", "Error", "No valid host was found. No valid host found for resize"),
        (
            "conductor_migrate_server",
            "Error",
            "No valid host was found. No valid host found for resize",
        ),
    ]
    assert all("NoValidHost" in e["traceback"] for e in action["events"])


def test_a_failed_resize_leaves_a_fault_that_error_reveals(w: World) -> None:
    # Oracle (fidelity scenario faults): the conductor records the scheduler's refusal as the
    # server's fault while the server stays ACTIVE; once an admin puts it in ERROR, the owner
    # sees that fault (the scheduler's own words) and an admin its traceback too.
    w.act({"resize": {"flavorRef": "5"}})
    asked_at = w.cloud.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "fault" not in w.demo.get(w.path).json["server"]
    assert w.act({"os-resetState": {"state": "error"}}, who="admin").status_int == 202
    fault = w.demo.get(w.path).json["server"]["fault"]
    assert (fault["code"], fault["message"]) == (500, "No valid host was found. ")
    assert fault.keys() == {"code", "created", "message"} and fault["created"] >= asked_at
    shown = w.admin.get(w.path, microversion="2.47").json["server"]["fault"]
    assert shown["details"].endswith("nova.exception.NoValidHost: No valid host was found. \n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"resize": {"flavorRef": "1"}}, "When resizing, instances must change flavor!"),
        ({"resize": {"flavorRef": "99"}}, "Flavor 99 could not be found."),
        (
            {"resize": {"flavorRef": "2", "OS-DCF:diskConfig": "X"}},
            "Invalid input for field/attribute OS-DCF:diskConfig. Value: X. "
            "'X' is not one of ['AUTO', 'MANUAL']",
        ),
        (
            {"resize": {}},
            "Invalid input for field/attribute resize. Value: {}. "
            "'flavorRef' is a required property",
        ),
    ],
)
def test_resize_refusals(w: World, body: Any, message: str) -> None:
    assert fault(w.act(body), 400) == message


@pytest.mark.parametrize("action", ["confirmResize", "revertResize"])
def test_confirm_and_revert_need_a_resized_server(w: World, action: str) -> None:
    assert fault(w.act({action: None}), 409) == (
        f"Cannot '{action}' instance {w.vm.uuid} while it is in vm_state active"
    )


def test_a_resized_server_cannot_be_resized_again(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    assert fault(w.act({"resize": {"flavorRef": "3"}}), 409) == (
        f"Cannot 'resize' instance {w.vm.uuid} while it is in vm_state resized"
    )


def test_resize_checks_task_state_after_vm_state(w: World) -> None:
    w.vm.task_state = "rebooting"
    assert fault(w.act({"resize": {"flavorRef": "2"}}), 409) == (
        f"Cannot 'resize' instance {w.vm.uuid} while it is in task_state rebooting"
    )


def test_a_locked_server_refuses_its_owner_but_not_an_admin(w: World) -> None:
    w.vm.locked_by = "owner"
    assert fault(w.act({"resize": {"flavorRef": "2"}}), 409) == (f"Instance {w.vm.uuid} is locked")
    assert w.act({"resize": {"flavorRef": "2"}}, who="admin").status_int == 202


def test_resize_needs_the_host_up(w: World) -> None:
    # Oracle: with the host's service forced down, a resize is this 409 while a reboot is
    # still accepted (202).
    w.down("compute1")
    assert fault(w.act({"resize": {"flavorRef": "2"}}), 409) == (
        "Service is unavailable at this time."
    )


def test_another_project_gets_404(w: World) -> None:
    assert fault(w.act({"resize": {"flavorRef": "2"}}, who="alt"), 404) == (
        f"Instance {w.vm.uuid} could not be found."
    )


# -- deleting a server that awaits resize confirmation -----------------------------------------
# Observed on Nova 34 (oracle): the API confirms the resize first. It records a confirmResize
# action under the DELETE's request id, then the delete action (same request id and start
# time); showing that request id shows the delete. The migration is confirmed, and once the
# server is deleted os-migrations no longer lists it (Nova deletes it with the server).


def migrations(w: World, query: str = "", mv: str = "2.80") -> list[dict[str, Any]]:
    r = w.admin.get(f"{V}/os-migrations{query}", microversion=mv)
    assert r.status_int == 200, r.text
    return list(r.json["migrations"])


def test_deleting_a_resized_server_confirms_the_resize_first(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    (before,) = migrations(w, f"?instance_uuid={w.vm.uuid}")
    assert before["status"] == "finished"
    r = w.demo.delete(w.path)
    assert r.status_int == 204
    request_id = r.headers["x-openstack-request-id"]
    listed = w.demo.get(f"{w.path}/os-instance-actions", microversion="2.58").json
    actions = listed["instanceActions"]
    assert [(a["action"], a["message"]) for a in actions] == [
        ("delete", None),
        ("confirmResize", None),
        ("resize", None),
        ("create", None),
    ]
    delete, confirm = actions[0], actions[1]
    assert delete["request_id"] == confirm["request_id"] == request_id
    assert delete["start_time"] == confirm["start_time"]
    assert delete["user_id"] == confirm["user_id"] == w.cloud.user_id("demo")
    shown = w.admin.get(f"{w.path}/os-instance-actions/{request_id}", microversion="2.84")
    action = shown.json["instanceAction"]
    assert action["action"] == "delete"
    assert events(action) == [("compute_terminate_instance", "Success", "compute2")]
    # The source host confirmed before the destination host terminated the server.
    assert confirm["updated_at"] <= action["events"][0]["start_time"]
    (confirmed,) = [
        a for a in w.cloud.compute.actions.for_server(w.vm.uuid) if a.action == "confirmResize"
    ]
    assert [(e.event, e.result, e.host) for e in confirmed.events] == [
        ("compute_confirm_resize", "Success", "compute1")
    ]
    assert w.cloud.compute.migrations[-1].status == "confirmed"
    for mv in ("2.1", "2.59", "2.80"):
        assert migrations(w, mv=mv) == []
    assert migrations(w, f"?instance_uuid={w.vm.uuid}") == []


def test_soft_deleting_a_resized_server_confirms_it_and_keeps_it_restorable() -> None:
    w = World(reclaim_instance_interval=3600)
    w.act({"resize": {"flavorRef": "2"}})
    r = w.demo.delete(w.path)
    request_id = r.headers["x-openstack-request-id"]
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("SOFT_DELETED", "compute2")
    assert server["flavor"]["original_name"] == "m1.small"
    (migration,) = migrations(w, f"?instance_uuid={w.vm.uuid}")
    assert migration["status"] == "confirmed"
    listed = w.admin.get(f"{w.path}/os-instance-actions").json["instanceActions"]
    assert [a["action"] for a in listed[:2]] == ["delete", "confirmResize"]
    shown = w.admin.get(f"{w.path}/os-instance-actions/{request_id}", microversion="2.84")
    assert events(shown.json["instanceAction"]) == [
        ("compute_soft_delete_instance", "Success", "compute2")
    ]
    assert w.act({"restore": None}).status_int == 202
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute2")
    assert server["flavor"]["original_name"] == "m1.small"


def test_a_locked_resized_server_is_confirmed_and_deleted_by_an_admin_only(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    w.act({"lock": None})
    assert fault(w.demo.delete(w.path), 409) == f"Instance {w.vm.uuid} is locked"
    (migration,) = migrations(w)
    assert migration["status"] == "finished"
    assert w.admin.delete(w.path).status_int == 204
    listed = w.demo.get(f"{w.path}/os-instance-actions", microversion="2.21").json
    assert [(a["action"], a["user_id"]) for a in listed["instanceActions"][:3]] == [
        ("delete", w.cloud.user_id("admin")),
        ("confirmResize", w.cloud.user_id("admin")),
        ("lock", w.cloud.user_id("demo")),
    ]
    assert migrations(w) == []


def test_force_delete_of_a_resized_server_confirms_it_too(w: World) -> None:
    w.act({"resize": {"flavorRef": "2"}})
    r = w.act({"forceDelete": None}, who="admin")
    assert r.status_int == 202
    listed = w.admin.get(f"{w.path}/os-instance-actions", microversion="2.21").json
    actions = listed["instanceActions"]
    assert [a["action"] for a in actions] == ["delete", "confirmResize", "resize", "create"]
    assert (
        actions[0]["request_id"] == actions[1]["request_id"] == r.headers["x-openstack-request-id"]
    )
    assert migrations(w) == []


def test_deleting_a_resized_server_frees_its_source_host(w: World) -> None:
    # big (m1.large) resized to m1.medium on compute2: compute1 keeps m1.large's RAM for it
    # until the resize is confirmed, so vm2 (m1.large, on compute2) cannot move there; once big
    # is deleted (its resize confirmed), it can.
    big = w.boot("big", flavor="4")
    vm2 = w.boot("vm2", host="compute2", flavor="4")
    big_path, vm2_path = f"{V}/servers/{big.uuid}", f"{V}/servers/{vm2.uuid}"
    assert w.demo.post(f"{big_path}/action", {"resize": {"flavorRef": "3"}}).status_int == 202
    assert w.admin.get(big_path).json["server"]["status"] == "VERIFY_RESIZE"
    assert big.host == "compute2"
    w.admin.post(f"{vm2_path}/action", {"migrate": None})
    w.admin.get(vm2_path)
    assert (vm2.host, vm2.vm_state) == ("compute2", "active")  # no valid host
    assert w.demo.delete(big_path).status_int == 204
    assert w.admin.post(f"{vm2_path}/action", {"migrate": None}).status_int == 202
    shown = w.admin.get(vm2_path).json["server"]
    assert (shown["status"], shown["OS-EXT-SRV-ATTR:host"]) == ("VERIFY_RESIZE", "compute1")


def test_a_new_server_sees_what_a_resize_awaiting_confirmation_holds(w: World) -> None:
    # big (m1.large) resized to m1.medium on compute2 still holds m1.large on compute1, as
    # Nova's placement keeps the source allocation until the resize is confirmed: a new
    # m1.large server sent to compute1 fits there only after the confirm.
    big = w.boot("big", flavor="4")
    w.boot("vm2", host="compute2", flavor="4")
    big_path = f"{V}/servers/{big.uuid}"
    assert w.demo.post(f"{big_path}/action", {"resize": {"flavorRef": "3"}}).status_int == 202
    boot = {
        "name": "new",
        "imageRef": IMAGE,
        "flavorRef": "4",
        "availability_zone": "nova:compute1",
    }

    def boot_on_compute1() -> dict[str, Any]:
        created = w.admin.post(f"{V}/servers", {"server": boot}).json["server"]
        return w.admin.get(f"{V}/servers/{created['id']}").json["server"]

    held = boot_on_compute1()
    assert held["status"] == "ERROR" and "No valid host" in held["fault"]["message"]
    assert w.demo.post(f"{big_path}/action", {"confirmResize": None}).status_int == 204
    placed = boot_on_compute1()
    assert (placed["status"], placed["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute1")


# -- cold migration ---------------------------------------------------------------------------


def test_migrate_is_for_admins(w: World) -> None:
    assert fault(w.act({"migrate": None}), 403) == (
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed."
    )


def test_migrate_keeps_the_flavor_and_waits_for_confirmation(w: World) -> None:
    assert w.act({"migrate": None}, who="admin").status_int == 202
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("VERIFY_RESIZE", "compute2")
    assert server["flavor"]["original_name"] == "m1.tiny"
    assert w.last_action()["action"] == "migrate"


def test_migrate_host_is_ignored_below_256(w: World) -> None:
    assert w.act({"migrate": {"host": "nope"}}, who="admin").status_int == 202


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("nope", "Compute host nope could not be found."),
        ("compute1", "Cannot migrate to the host where the server exists."),
    ],
)
def test_migrate_to_a_host_from_256(w: World, host: str, message: str) -> None:
    assert fault(w.act({"migrate": {"host": host}}, who="admin", mv="2.56"), 400) == message


def test_migrate_that_fits_nowhere(w: World) -> None:
    w.down("compute2")
    w.down("compute3")
    assert w.act({"migrate": None}, who="admin").status_int == 202
    action = w.last_action()
    assert action["message"] == "Error"
    assert action["events"][0]["details"] == (
        "No valid host was found. No valid host found for cold migrate"
    )
    assert w.server()["status"] == "ACTIVE"


# -- live migration ---------------------------------------------------------------------------


def test_live_migration_is_for_admins(w: World) -> None:
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert fault(w.act(body, mv="2.25"), 403) == (
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed."
    )


def test_live_migration_moves_the_running_server(w: World) -> None:
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert w.act(body, who="admin", mv="2.25").status_int == 202
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute2")
    action = w.last_action()
    assert action["action"] == "live-migration"
    assert [e["event"] for e in action["events"]][-1] == "conductor_migrate_server"


def test_live_migration_is_migrating_until_done(w: World) -> None:
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    w.act(body, who="admin", mv="2.34")
    assert w.vm.status == "MIGRATING"


@pytest.mark.parametrize(
    ("mv", "body", "message"),
    [
        (
            None,
            {"os-migrateLive": {"host": None}},
            "Invalid input for field/attribute os-migrateLive. Value: {'host': None}. "
            "'block_migration' is a required property",
        ),
        (
            "2.30",
            {"os-migrateLive": {"host": None, "block_migration": "auto", "force": True}},
            "Can't force to a non-provided destination",
        ),
        (
            "2.68",
            {"os-migrateLive": {"host": None, "block_migration": "auto", "force": False}},
            "Invalid input for field/attribute os-migrateLive. Value: {'host': None, "
            "'block_migration': 'auto', 'force': False}. Additional properties are not "
            "allowed ('force' was unexpected)",
        ),
        (
            "2.34",
            {"os-migrateLive": {"host": "nope", "block_migration": "auto"}},
            "Compute host nope could not be found.",
        ),
    ],
)
def test_live_migration_refusals(w: World, mv: str | None, body: Any, message: str) -> None:
    assert fault(w.act(body, who="admin", mv=mv), 400) == message


def test_live_migration_to_its_own_host_fails_synchronously_below_234(w: World) -> None:
    body = {"os-migrateLive": {"host": "compute1", "block_migration": "auto"}}
    assert fault(w.act(body, who="admin", mv="2.30"), 400) == (
        "No valid host was found. There are not enough hosts available."
    )
    assert w.last_action()["message"] == "Error"
    assert w.server()["OS-EXT-STS:task_state"] is None


def test_forced_live_migration_to_its_own_host(w: World) -> None:
    body = {"os-migrateLive": {"host": "compute1", "block_migration": "auto", "force": True}}
    assert fault(w.act(body, who="admin", mv="2.30"), 400) == (
        f"Unable to migrate instance ({w.vm.uuid}) to current host (compute1)."
    )


def test_live_migration_failure_is_only_in_the_action_from_234(w: World) -> None:
    body = {"os-migrateLive": {"host": "compute1", "block_migration": "auto"}}
    assert w.act(body, who="admin", mv="2.34").status_int == 202
    action = w.last_action()
    assert events(action) == [("conductor_live_migrate_instance", "Error", "controller")]
    assert w.server()["status"] == "ACTIVE"


def test_live_migration_of_a_stopped_server(w: World) -> None:
    w.vm.vm_state = "stopped"
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert fault(w.act(body, who="admin", mv="2.25"), 409) == (
        f"Cannot 'os-migrateLive' instance {w.vm.uuid} while it is in vm_state stopped"
    )


# -- evacuation -------------------------------------------------------------------------------


def test_evacuate_is_for_admins(w: World) -> None:
    assert fault(w.act({"evacuate": {}}, mv="2.14"), 403) == (
        "Policy doesn't allow os_compute_api:os-evacuate to be performed."
    )


def test_evacuate_needs_the_host_down(w: World) -> None:
    assert fault(w.act({"evacuate": {}}, who="admin", mv="2.14"), 400) == (
        "Compute service of compute1 is still in use."
    )


@pytest.mark.parametrize(
    ("mv", "body", "code", "message"),
    [
        (
            None,
            {"evacuate": {}},
            400,
            "Invalid input for field/attribute evacuate. Value: {}. "
            "'onSharedStorage' is a required property",
        ),
        ("2.14", {"evacuate": {"host": "compute1"}}, 400, "The target host can't be the same one."),
        ("2.14", {"evacuate": {"host": "nope"}}, 404, "Compute host nope not found."),
        ("2.29", {"evacuate": {"force": True}}, 400, "Can't force to a non-provided destination"),
    ],
)
def test_evacuate_refusals(w: World, mv: str | None, body: Any, code: int, message: str) -> None:
    w.down("compute1")
    assert fault(w.act(body, who="admin", mv=mv), code) == message


def test_evacuate_below_214_returns_the_password(w: World) -> None:
    w.down("compute1")
    r = w.act({"evacuate": {"onSharedStorage": False}}, who="admin")
    assert r.status_int == 200
    password = r.json["adminPass"]
    assert len(password) == 12
    # nova.utils.generate_password, as for create and rebuild: a digit, an upper and a lower
    # case letter, always
    assert password == nova_password(password)
    assert all(any(c in group for c in password) for group in PASSWORD_GROUPS)
    server = w.server()
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute2")
    assert events(w.last_action()) == [
        ("compute_rebuild_instance", "Success", "compute2"),
        ("rebuild_server", "Success", "controller"),
    ]


def test_evacuate_from_214_has_no_body_and_from_295_leaves_the_server_stopped(w: World) -> None:
    w.down("compute1")
    r = w.act({"evacuate": {}}, who="admin", mv="2.95")
    assert r.status_int == 200 and r.body == b""
    assert w.server()["status"] == "SHUTOFF"


def test_evacuate_that_fits_nowhere_ends_in_error_with_a_fault(w: World) -> None:
    w.down("compute1")
    w.down("compute2")
    w.down("compute3")
    assert w.act({"evacuate": {}}, who="admin", mv="2.14").status_int == 200
    server = w.server()
    assert server["status"] == "ERROR"
    assert server["fault"]["message"] == (
        "No valid host was found. There are not enough hosts available."
    )


def test_evacuate_ignores_the_lock(w: World) -> None:
    w.vm.locked_by = "owner"
    w.down("compute1")
    assert w.act({"evacuate": {}}, who="admin", mv="2.14").status_int == 200
