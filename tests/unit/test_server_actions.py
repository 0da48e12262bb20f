"""``POST /servers/{id}/action``: the simple actions (power, lock, rebuild, rescue, images,
shelve, soft delete, admin actions).

Statuses, 409/403/400 texts, response bodies, event names and the lock rules were observed on
the real Nova 34.0.0 (the oracle). Where the oracle's test stack differs from a deployment the
fake follows the deployment: libvirt power states (the oracle's fake driver keeps RUNNING) and
asynchronous work (the oracle finishes most actions before it answers).
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.deployment import services as ops
from fakenova.compute.models.servers.states import PowerState
from fakenova.testing import fault, mock_cloud

V = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
UNKNOWN = "11111111-2222-3333-4444-555555555555"


class World(testing.World):
    """demo's vm1 (ACTIVE on compute1); clients for demo, alt_demo, admin and a reader."""

    def __init__(self, **nova: Any) -> None:
        super().__init__(nova=nova, reader=True, vm="vm1")

    def show(self, who: str = "admin", mv: str | None = "2.84", server: str | None = None) -> Any:
        return super().show(who, mv, server)

    def put_in(self, vm_state: str, task_state: str | None = None) -> None:
        self.vm.vm_state, self.vm.task_state = vm_state, task_state

    def actions(self) -> list[Any]:
        return self.cloud.compute.actions.for_server(self.vm.uuid)


@pytest.fixture
def w() -> World:
    return World()


def cannot(w: World, action: str, attr: str, state: object) -> str:
    return f"Cannot '{action}' instance {w.vm.uuid} while it is in {attr} {state}"


# -- dispatch -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        (b"{", 400, "Malformed request body"),
        (b'{"pause": null, "unpause": null}', 400, "Malformed request body"),
        (b"{}", 400, "Malformed request body"),
        (b"[1]", 404, "The resource could not be found."),
        (b"5", 404, "The resource could not be found."),
        (b'{"foo": null}', 400, "There is no such action: foo"),
    ],
)
def test_dispatch_errors(w: World, raw: bytes, code: int, message: str) -> None:
    assert fault(w.demo.post(w.path + "/action", raw=raw), code) == message


def test_unknown_action_is_reported_before_the_server_is_looked_up(w: World) -> None:
    r = w.demo.post(f"{V}/servers/{UNKNOWN}/action", {"foo": None})
    assert fault(r, 400) == "There is no such action: foo"
    r = w.demo.post(f"{V}/servers/{UNKNOWN}/action", {"pause": None})
    assert fault(r, 404) == f"Instance {UNKNOWN} could not be found."


def test_crash_dump_exists_from_217_and_takes_only_null(w: World) -> None:
    assert fault(w.act({"trigger_crash_dump": None}, mv="2.16"), 404) == (
        "The resource could not be found."
    )
    assert fault(w.act({"trigger_crash_dump": {}}, mv="2.17"), 400) == (
        "Invalid input for field/attribute trigger_crash_dump. Value: {}. {} is not of type 'null'"
    )
    assert w.act({"trigger_crash_dump": None}, mv="2.17").status_int == 202
    w.settle()
    assert [e.event for e in w.actions()[-1].events] == ["compute_trigger_crash_dump"]
    assert w.vm.vm_state == "active"


def test_reset_network_is_gone(w: World) -> None:
    assert fault(w.act({"resetNetwork": None}, "admin"), 410) == (
        "This resource is no longer available. No forwarding address is given."
    )


# -- states: which vm_states each action accepts --------------------------------------------------

ACTIONS = {
    "pause": ({"pause": None}, "pause", {"active"}),
    "unpause": ({"unpause": None}, "unpause", {"paused"}),
    "suspend": ({"suspend": None}, "suspend", {"active"}),
    "resume": ({"resume": None}, "resume", {"suspended"}),
    "os-stop": ({"os-stop": None}, "stop", {"active", "error"}),
    "os-start": ({"os-start": None}, "start", {"stopped"}),
    "soft reboot": ({"reboot": {"type": "SOFT"}}, "reboot", {"active"}),
    "hard reboot": (
        {"reboot": {"type": "hard"}},
        "reboot",
        {"active", "stopped", "paused", "suspended", "error"},
    ),
    "rescue": ({"rescue": None}, "rescue", {"active", "stopped", "error"}),
    "unrescue": ({"unrescue": None}, "unrescue", {"rescued"}),
    "changePassword": ({"changePassword": {"adminPass": "x"}}, "changePassword", {"active"}),
    "rebuild": ({"rebuild": {"imageRef": IMAGE}}, "rebuild", {"active", "stopped", "error"}),
    "createImage": (
        {"createImage": {"name": "s"}},
        "createImage",
        {"active", "stopped", "paused", "suspended"},
    ),
    "createBackup": (
        {"createBackup": {"name": "b", "backup_type": "daily", "rotation": 1}},
        "createBackup",
        {"active", "stopped", "paused", "suspended"},
    ),
    "shelve": ({"shelve": None}, "shelve", {"active", "stopped", "paused", "suspended"}),
    "unshelve": ({"unshelve": None}, "unshelve", {"shelved", "shelved_offloaded"}),
    "restore": ({"restore": None}, "restore", {"soft-delete"}),
    "crash dump": (
        {"trigger_crash_dump": None},
        "trigger_crash_dump",
        {"active", "paused", "rescued", "resized", "error"},
    ),
}
VM_STATES = [
    "active", "stopped", "paused", "suspended", "rescued", "error", "shelved",
    "shelved_offloaded", "soft-delete",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(ACTIONS))
@pytest.mark.parametrize("vm_state", VM_STATES)
def test_allowed_and_refused_vm_states(w: World, name: str, vm_state: str) -> None:
    body, label, allowed = ACTIONS[name]
    w.put_in(vm_state)
    if vm_state == "shelved_offloaded":
        w.vm.host = w.vm.node = None
    r = w.act(body, mv="2.17")
    if vm_state in allowed:
        assert r.status_int in (200, 202), r.text
        assert w.actions()[-1].action == label
    elif name in ("os-stop", "os-start", "crash dump") and vm_state == "shelved_offloaded":
        assert fault(r, 409) == f"Instance {w.vm.uuid} is not ready"  # no host
    else:
        assert fault(r, 409) == cannot(w, label, "vm_state", vm_state)
        assert w.vm.vm_state == vm_state and w.vm.task_state is None


def test_a_running_task_refuses_actions_but_a_hard_reboot(w: World) -> None:
    assert w.act({"reboot": {"type": "SOFT"}}).status_int == 202
    assert w.vm.task_state == "rebooting"  # the next request settles it first
    w.settle()
    w.put_in("active", "rebooting")  # as seen by a request while the host still works
    assert fault(w.act({"reboot": {"type": "SOFT"}}), 409) == cannot(
        w, "reboot", "task_state", "rebooting"
    )
    assert fault(w.act({"pause": None}), 409) == cannot(w, "pause", "task_state", "rebooting")
    assert w.act({"reboot": {"type": "HARD"}}).status_int == 202
    assert w.vm.task_state == "rebooting_hard"


def test_never_launched_server_is_refused_in_generic_words(w: World) -> None:
    # Oracle (fidelity scenario faults, a server no host took): Nova names the attribute and
    # its value only when there is a value, so a launched_at of None gets the generic 409.
    w.vm.launched_at = None
    assert fault(w.act({"pause": None}), 409) == (
        f"Instance {w.vm.uuid} is in an invalid state for 'pause'"
    )


def test_force_delete_while_a_task_runs_is_nova_500(w: World) -> None:
    w.put_in("active", "pausing")
    r = w.act({"forceDelete": None})
    assert fault(r, 500).endswith("<class 'nova.exception.InstanceInvalidState'>")


def test_reboot_body_is_validated(w: World) -> None:
    assert fault(w.act({"reboot": {"type": "MEDIUM"}}), 400) == (
        "Invalid input for field/attribute type. Value: MEDIUM. 'MEDIUM' is not one of "
        "['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']"
    )
    assert fault(w.act({"reboot": None}), 400) == (
        "Invalid input for field/attribute reboot. Value: None. None is not of type 'object'"
    )


# -- transitions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "start", "task", "end", "power", "event"),
    [
        ({"pause": None}, "active", "pausing", "paused", PowerState.PAUSED,
         "compute_pause_instance"),
        ({"unpause": None}, "paused", "unpausing", "active", PowerState.RUNNING,
         "compute_unpause_instance"),
        ({"suspend": None}, "active", "suspending", "suspended", PowerState.SHUTDOWN,
         "compute_suspend_instance"),
        ({"resume": None}, "suspended", "resuming", "active", PowerState.RUNNING,
         "compute_resume_instance"),
        ({"os-stop": None}, "active", "powering-off", "stopped", PowerState.SHUTDOWN,
         "compute_stop_instance"),
        ({"os-start": None}, "stopped", "powering-on", "active", PowerState.RUNNING,
         "compute_start_instance"),
        ({"reboot": {"type": "SOFT"}}, "active", "rebooting", "active", PowerState.RUNNING,
         "compute_reboot_instance"),
        ({"reboot": {"type": "HARD"}}, "error", "rebooting_hard", "active", PowerState.RUNNING,
         "compute_reboot_instance"),
        ({"rescue": None}, "active", "rescuing", "rescued", PowerState.RUNNING,
         "compute_rescue_instance"),
        ({"unrescue": None}, "rescued", "unrescuing", "active", PowerState.RUNNING,
         "compute_unrescue_instance"),
        ({"changePassword": {"adminPass": "p"}}, "active", "updating_password", "active",
         PowerState.RUNNING, "compute_set_admin_password"),
    ],
)  # fmt: skip
def test_transition_and_instance_action(
    w: World, body: dict, start: str, task: str, end: str, power: int, event: str
) -> None:
    w.put_in(start)
    before = w.cloud.clock.now
    r = w.act(body)
    assert r.status_int in (200, 202), r.text
    assert (w.vm.vm_state, w.vm.task_state) == (start, task)
    status = w.show()  # the next request settles the host's part first
    assert (status["OS-EXT-STS:vm_state"], status["OS-EXT-STS:task_state"]) == (end, None)
    assert status["OS-EXT-STS:power_state"] == power
    action = w.actions()[-1]
    assert action.action == {"os-stop": "stop", "os-start": "start"}.get(*[next(iter(body))] * 2)
    assert action.request_id == r.headers["x-openstack-request-id"]
    assert (action.user_id, action.project_id) == (
        w.cloud.user_id("demo"),
        w.cloud.project_id("demo"),
    )
    assert [(e.event, e.host, e.result) for e in action.events] == [(event, "compute1", "Success")]
    assert action.events[0].finish_time > action.start_time == before
    assert w.vm.updated_at == action.events[0].finish_time


def test_rescue_answers_the_password_given_or_a_generated_one(w: World) -> None:
    r = w.act({"rescue": {"adminPass": "pw1"}})
    assert (r.status_int, r.json) == (200, {"adminPass": "pw1"})
    w.act({"unrescue": None})
    r = w.act({"rescue": None})
    assert r.status_int == 200 and len(r.json["adminPass"]) == 12


def test_rescue_image_must_exist(w: World) -> None:
    r = w.act({"rescue": {"rescue_image_ref": UNKNOWN}})
    assert fault(r, 400) == f"Requested rescue image '{UNKNOWN}' is not supported"
    r = w.act({"rescue": {"rescue_image_ref": "abc"}})
    assert fault(r, 400) == (
        "Invalid input for field/attribute rescue_image_ref. Value: abc. 'abc' is not a 'uuid'"
    )


# -- lock -----------------------------------------------------------------------------------------


LOCK_CHECKED = [
    {"pause": None},
    {"reboot": {"type": "HARD"}},
    {"os-stop": None},
    {"rescue": None},
    {"shelve": None},
    {"forceDelete": None},
    {"rebuild": {"imageRef": IMAGE}},
]


@pytest.mark.parametrize("body", LOCK_CHECKED, ids=lambda b: next(iter(b)))
def test_a_locked_server_refuses_members_but_not_admins(w: World, body: dict) -> None:
    assert w.act({"lock": None}).status_int == 202
    assert fault(w.act(body), 409) == f"Instance {w.vm.uuid} is locked"
    assert w.act(body, "admin").status_int in (200, 202)


@pytest.mark.parametrize("body", [{"changePassword": {"adminPass": "x"}}, {"restore": None}])
def test_lock_errors_of_handlers_that_only_catch_invalid_state(w: World, body: dict) -> None:
    w.act({"lock": None})
    label = next(iter(body))
    assert fault(w.act(body), 409) == f"Instance {w.vm.uuid} is in an invalid state for '{label}'"


def test_snapshots_ignore_the_lock(w: World) -> None:
    w.act({"lock": None})
    assert w.act({"createImage": {"name": "while-locked"}}).status_int == 202


def test_lock_reason_from_273(w: World) -> None:
    assert w.act({"lock": {"locked_reason": "ignored"}}, mv="2.72").status_int == 202
    shown = w.show("demo", "2.73")
    assert (shown["locked"], shown["locked_reason"]) == (True, None)
    w.act({"unlock": None})
    assert fault(w.act({"lock": {"locked_reason": ""}}, mv="2.73"), 400) == (
        "Invalid input for field/attribute locked_reason. Value: . '' should be non-empty"
    )
    assert fault(w.act({"lock": {"foo": 1}}, mv="2.73"), 400) == (
        "Invalid input for field/attribute lock. Value: {'foo': 1}. Additional properties are "
        "not allowed ('foo' was unexpected)"
    )
    assert w.act({"lock": {"locked_reason": "maint"}}, mv="2.73").status_int == 202
    assert w.show("demo", "2.73")["locked_reason"] == "maint"
    assert w.act({"unlock": {"anything": 1}}, mv="2.73").status_int == 202
    shown = w.show("demo", "2.73")
    assert (shown["locked"], shown["locked_reason"]) == (False, None)


def test_admin_lock_needs_the_override_to_unlock(w: World) -> None:
    assert w.act({"lock": {"locked_reason": "maint"}}, "admin", "2.73").status_int == 202
    assert w.vm.locked_by == "admin"
    assert fault(w.act({"unlock": None}), 403) == (
        "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed."
    )
    # The owner locking again changes nothing and records nothing.
    recorded = len(w.actions())
    assert w.act({"lock": {"locked_reason": "mine"}}, mv="2.73").status_int == 202
    assert (w.vm.locked_by, w.vm.locked_reason, len(w.actions())) == ("admin", "maint", recorded)
    assert w.act({"unlock": None}, "admin").status_int == 202
    assert w.vm.locked_by is None


def test_admin_takes_over_an_owner_lock(w: World) -> None:
    w.act({"lock": None})
    assert w.act({"lock": {"locked_reason": "adm"}}, "admin", "2.73").status_int == 202
    assert (w.vm.locked_by, w.vm.locked_reason) == ("admin", "adm")
    w.act({"unlock": None}, "admin")
    assert w.act({"unlock": None}).status_int == 202  # unlocking an unlocked server: fine


def test_lock_events_are_recorded_by_the_api(w: World) -> None:
    r = w.act({"lock": None})
    w.act({"unlock": None})
    lock, unlock = w.actions()[-2:]
    assert (lock.action, lock.request_id) == ("lock", r.headers["x-openstack-request-id"])
    assert [(e.event, e.host, e.result) for e in lock.events] == [
        ("api_lock", "controller", "Success")
    ]
    assert [e.event for e in unlock.events] == ["api_unlock"]


# -- policy and projects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "rule", "mv"),
    [
        ({"shelveOffload": None}, "os_compute_api:os-shelve:shelve_offload", None),
        ({"os-resetState": {"state": "error"}}, "os_compute_api:os-admin-actions:reset_state",
         None),
        ({"injectNetworkInfo": None}, "os_compute_api:os-admin-actions:inject_network_info",
         None),
    ],
)  # fmt: skip
def test_admin_only_actions(w: World, body: dict, rule: str, mv: str | None) -> None:
    assert fault(w.act(body, mv=mv), 403) == f"Policy doesn't allow {rule} to be performed."


def test_a_reader_may_not_act(w: World) -> None:
    assert fault(w.act({"pause": None}, "reader"), 403) == (
        "Policy doesn't allow os_compute_api:os-pause-server:pause to be performed."
    )


@pytest.mark.parametrize("body", [b for _, (b, _, _) in sorted(ACTIONS.items())][:8])
def test_another_projects_server_is_not_found(w: World, body: dict) -> None:
    r = w.act(body, "alt", "2.17")
    assert fault(r, 404) == f"Instance {w.vm.uuid} could not be found."


def test_reset_state_is_recorded_without_events(w: World) -> None:
    assert fault(w.act({"os-resetState": {"state": "paused"}}, "admin"), 400) == (
        "Invalid input for field/attribute state. Value: paused. 'paused' is not one of "
        "['active', 'error']"
    )
    w.put_in("active", "pausing")
    assert w.act({"os-resetState": {"state": "error"}}, "admin").status_int == 202
    assert (w.vm.vm_state, w.vm.task_state) == ("error", None)
    action = w.actions()[-1]
    assert (action.action, action.events) == ("resetState", [])
    assert w.act({"injectNetworkInfo": None}, "admin").status_int == 202
    assert w.actions()[-1] is action  # no action for injectNetworkInfo


# -- rebuild --------------------------------------------------------------------------------------

REDUCED = {
    "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "addresses", "adminPass", "created",
    "flavor", "hostId", "id", "image", "links", "metadata", "name", "progress", "status",
    "tenant_id", "updated", "user_id",
}  # fmt: skip


@pytest.mark.parametrize(
    ("mv", "extra"),
    [
        ("2.1", set()),
        ("2.57", {"description", "key_name", "locked", "tags", "user_data"}),
    ],
)
def test_rebuild_answer_below_275(w: World, mv: str, extra: set) -> None:
    r = w.act({"rebuild": {"imageRef": IMAGE, "name": "rb1", "metadata": {"a": "b"}}}, mv=mv)
    assert r.status_int == 202, r.text
    server = r.json["server"]
    assert set(server) == REDUCED | extra
    assert (server["status"], server["name"], server["metadata"]) == ("REBUILD", "rb1", {"a": "b"})
    assert len(server["adminPass"]) == 12
    # Nova adds the server's self link as Location, as for a create (fidelity run).
    assert r.headers["Location"] == server["links"][0]["href"]
    w.settle()
    assert (w.vm.vm_state, w.vm.task_state) == ("active", None)
    action = w.actions()[-1]
    assert [(e.event, e.host) for e in action.events] == [
        ("rebuild_server", "controller"),
        ("compute_rebuild_instance", "compute1"),
    ]


def test_rebuild_answer_from_275_is_the_show_view_with_user_data(w: World) -> None:
    r = w.act({"rebuild": {"imageRef": IMAGE, "adminPass": "pw"}}, "admin", "2.100")
    server = r.json["server"]
    assert server["adminPass"] == "pw" and server["user_data"] is None
    assert "OS-EXT-SRV-ATTR:host" in server and "OS-EXT-SRV-ATTR:user_data" not in server
    assert {"pinned_availability_zone", "scheduler_hints", "locked_reason"} <= set(server)


def test_rebuild_keeps_a_stopped_server_stopped(w: World) -> None:
    w.act({"os-stop": None})
    w.act({"rebuild": {"imageRef": IMAGE, "hostname": "newhost"}}, mv="2.90")
    w.settle()
    assert (w.vm.vm_state, w.vm.power_state, w.vm.hostname) == ("stopped", 4, "newhost")


@pytest.mark.parametrize(
    ("body", "mv", "message"),
    [
        ({"imageRef": UNKNOWN}, None, "Cannot find image for rebuild"),
        ({"name": "x"}, None, "Invalid input for field/attribute rebuild. Value: {'name': 'x'}. "
         "'imageRef' is a required property"),
        ({"imageRef": IMAGE, "key_name": "nokey"}, "2.54", "Invalid key_name provided."),
        ({"imageRef": IMAGE, "key_name": "nokey"}, "2.53", "Invalid input for field/attribute "
         f"rebuild. Value: {{'imageRef': '{IMAGE}', 'key_name': 'nokey'}}. Additional "
         "properties are not allowed ('key_name' was unexpected)"),
    ],
)  # fmt: skip
def test_rebuild_refusals(w: World, body: dict, mv: str | None, message: str) -> None:
    assert fault(w.act({"rebuild": body}, mv=mv), 400) == message


# -- images ---------------------------------------------------------------------------------------


def test_create_image_location_below_245_and_the_image_in_glance(w: World) -> None:
    r = w.act({"createImage": {"name": "snap1", "metadata": {"k": "v"}}})
    assert (r.status_int, r.body) == (202, b"")
    assert r.headers["Content-Type"] == "text/html; charset=UTF-8"
    location = r.headers["Location"]
    image_id = location.rsplit("/", 1)[1]
    assert location == f"http://localhost/image/images/{image_id}"
    assert w.vm.task_state == "image_snapshot_pending"
    assert w.cloud.images.get(image_id).status == "queued"  # until the host uploaded it
    image = w.demo.get(f"/image/v2/images/{image_id}").json  # settles the upload first
    assert (image["name"], image["k"]) == ("snap1", "v")
    assert (image["status"], image["image_type"], image["instance_uuid"]) == (
        "active",
        "snapshot",
        w.vm.uuid,
    )
    assert image["visibility"] == "private"
    assert [e.event for e in w.actions()[-1].events] == ["compute_snapshot_instance"]


def test_create_image_from_245_answers_the_image_id(w: World) -> None:
    r = w.act({"createImage": {"name": "snap2"}}, mv="2.45")
    assert r.status_int == 202 and "Location" not in r.headers
    assert w.cloud.images.get(r.json["image_id"]).name == "snap2"
    assert fault(w.act({"createImage": {"name": " x "}}), 400) == (
        "An invalid 'name' value was provided. The name must be: printable characters. Can not "
        "start or end with whitespace."
    )


def test_backup_rotation_deletes_the_oldest(w: World) -> None:
    ids = []
    for n in range(3):
        r = w.act({"createBackup": {"name": f"b{n}", "backup_type": "daily", "rotation": 2}})
        assert r.headers["Location"].startswith("http://localhost/compute/v2.1/images/")
        ids.append(r.headers["Location"].rsplit("/", 1)[1])
        w.settle()
    assert [w.cloud.images.get(i) is not None for i in ids] == [False, True, True]
    r = w.act({"createBackup": {"name": "w", "backup_type": "weekly", "rotation": "1"}}, mv="2.45")
    assert set(r.json) == {"image_id"}
    r = w.act({"createBackup": {"name": "z", "backup_type": "daily", "rotation": 0}})
    assert "Location" not in r.headers
    w.settle()
    daily = [
        i for i in w.cloud.images.images.values() if i.properties.get("backup_type") == "daily"
    ]
    assert daily == []  # rotation 0 keeps none
    assert (
        fault(w.act({"createBackup": {"name": "b", "backup_type": "d", "rotation": -1}}), 400)
        == "Invalid input for field/attribute rotation. Value: -1. -1 is less than the minimum of 0"
    )


# -- shelve ---------------------------------------------------------------------------------------


def test_shelve_offloads_at_once_by_default_and_unshelve_reschedules(w: World) -> None:
    assert w.act({"shelve": None}).status_int == 202
    assert w.vm.task_state == "shelving"
    shown = w.show()
    assert (shown["status"], shown["OS-EXT-SRV-ATTR:host"], shown["OS-EXT-STS:power_state"]) == (
        "SHELVED_OFFLOADED",
        None,
        4,
    )
    image_id = w.vm.shelved_image_id
    assert w.cloud.images.get(image_id).name == "vm1-shelved"
    assert [e.event for e in w.actions()[-1].events] == ["compute_shelve_instance"]
    assert fault(w.act({"shelve": None}), 409) == cannot(
        w, "shelve", "vm_state", "shelved_offloaded"
    )
    assert w.act({"unshelve": None}).status_int == 202
    shown = w.show()
    assert (shown["status"], shown["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute1")
    assert w.cloud.images.get(image_id) is None
    assert [(e.event, e.host) for e in w.actions()[-1].events] == [
        ("get_image_info", "controller"),
        ("schedule_instances", "controller"),
        ("compute_unshelve_instance", "compute1"),
    ]


def test_shelved_offload_time_positive_offloads_later_without_an_action() -> None:
    w = World(shelved_offload_time=3600)
    w.act({"shelve": None})
    assert w.show()["status"] == "SHELVED"
    recorded = len(w.actions())
    w.cloud.clock.advance(3600)
    assert w.show()["status"] == "SHELVED_OFFLOADED"
    assert len(w.actions()) == recorded


def test_never_offloaded_and_admin_offload_then_zone_and_host_rules() -> None:
    w = World(shelved_offload_time=-1)
    w.act({"shelve": None})
    w.cloud.clock.advance(10**6)
    assert w.show()["status"] == "SHELVED"
    r = w.act({"unshelve": {"availability_zone": "nova"}}, mv="2.77")
    assert fault(r, 409) == (
        f'Specifying an availability zone or a host when unshelving server "{w.vm.uuid}" with '
        'status "shelved" is not supported. The server status must be SHELVED_OFFLOADED.'
    )
    assert w.act({"shelveOffload": None}, "admin").status_int == 202
    assert w.show()["status"] == "SHELVED_OFFLOADED"
    assert [e.event for e in w.actions()[-1].events] == ["compute_shelve_offload_instance"]
    assert fault(w.act({"unshelve": {}}, mv="2.77"), 400) == (
        "Invalid input for field/attribute unshelve. Value: {}. 'availability_zone' is a "
        "required property"
    )
    assert fault(w.act({"unshelve": {"availability_zone": "nope"}}, mv="2.77"), 400) == (
        "The requested availability zone is not available"
    )
    assert fault(w.act({"unshelve": {"host": "compute2"}}, mv="2.91"), 403) == (
        "Policy doesn't allow os_compute_api:os-shelve:unshelve_to_host to be performed."
    )
    assert fault(w.act({"unshelve": {"host": "nohost"}}, "admin", "2.91"), 400) == (
        "Compute host nohost could not be found."
    )
    assert w.act({"unshelve": {"host": "compute2"}}, "admin", "2.91").status_int == 202
    assert w.show()["OS-EXT-SRV-ATTR:host"] == "compute2"


def test_unshelving_a_shelved_server_just_starts_it() -> None:
    w = World(shelved_offload_time=-1)
    w.act({"shelve": None})
    w.settle()
    assert w.act({"unshelve": None}).status_int == 202
    assert w.show()["status"] == "ACTIVE"
    assert [e.event for e in w.actions()[-1].events] == ["compute_start_instance"]


# Observed on Nova 34 (oracle, /tmp/oracle-work/unshelve.json): when no host can take an
# offloaded server (every compute disabled, or none with room for its flavor) the unshelve is
# accepted (202) and fails in the super-conductor: the server stays SHELVED_OFFLOADED with no
# task, no host and no fault; the action's message is Error; get_image_info succeeded and
# schedule_instances failed with NoValidHost's message and the conductor's traceback.


def disable_computes(w: World, *hosts: str) -> None:
    for host in hosts:
        listed = w.admin.get(f"{V}/os-services?host={host}", microversion="2.53").json
        (service,) = listed["services"]
        r = w.admin.put(
            f"{V}/os-services/{service['id']}", {"status": "disabled"}, microversion="2.53"
        )
        assert r.status_int == 200, r.text


def assert_unshelve_found_no_host(w: World, request_id: str) -> None:
    shown = w.show()
    assert (shown["status"], shown["OS-EXT-STS:task_state"], shown["OS-EXT-SRV-ATTR:host"]) == (
        "SHELVED_OFFLOADED",
        None,
        None,
    )
    assert "fault" not in shown and "fault" not in w.show(who="demo")
    listed = w.demo.get(f"{V}/servers/{w.vm.uuid}/os-instance-actions", microversion="2.58")
    latest = listed.json["instanceActions"][0]
    assert (latest["action"], latest["message"], latest["request_id"]) == (
        "unshelve",
        "Error",
        request_id,
    )
    path = f"{V}/servers/{w.vm.uuid}/os-instance-actions/{request_id}"
    action = w.admin.get(path, microversion="2.84").json["instanceAction"]
    assert action["message"] == "Error"
    scheduling, image_info = action["events"]
    assert (image_info["event"], image_info["result"], image_info["details"]) == (
        "get_image_info",
        "Success",
        None,
    )
    assert (scheduling["event"], scheduling["result"], scheduling["host"]) == (
        "schedule_instances",
        "Error",
        "controller",
    )
    assert scheduling["details"] == "No valid host was found. "
    assert scheduling["finish_time"] == action["updated_at"]
    trace = scheduling["traceback"]
    assert trace.startswith('  File "/opt/stack/nova/nova/conductor/manager.py", line 1113, in')
    assert trace.endswith('    raise exception.NoValidHost(reason="")\n')
    # A member sees the events (2.51) without traceback or details.
    seen = w.demo.get(path, microversion="2.84").json["instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in seen] == [
        ("schedule_instances", "Error"),
        ("get_image_info", "Success"),
    ]
    assert all(set(e) == {"event", "start_time", "finish_time", "result", "hostId"} for e in seen)


def test_unshelve_with_every_host_disabled_fails_in_schedule_instances(w: World) -> None:
    w.act({"shelve": None})
    image_id = w.vm.shelved_image_id
    disable_computes(w, "compute1", "compute2")
    r = w.act({"unshelve": None})
    assert r.status_int == 202
    assert_unshelve_found_no_host(w, r.headers["x-openstack-request-id"])
    assert w.vm.shelved_image_id == image_id and w.cloud.images.get(image_id) is not None
    # Once a host is back, the same server unshelves there.
    listed = w.admin.get(f"{V}/os-services?host=compute2", microversion="2.53").json
    r = w.admin.put(
        f"{V}/os-services/{listed['services'][0]['id']}", {"status": "enabled"}, microversion="2.53"
    )
    assert r.status_int == 200, r.text
    assert w.act({"unshelve": None}).status_int == 202
    shown = w.show()
    assert (shown["status"], shown["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute2")
    assert [(e.event, e.result) for e in w.actions()[-1].events] == [
        ("get_image_info", "Success"),
        ("schedule_instances", "Success"),
        ("compute_unshelve_instance", "Success"),
    ]
    assert w.actions()[-1].message is None


def test_unshelve_with_no_room_for_the_flavor_fails_each_time(w: World) -> None:
    w.vm = w.boot("big", flavor="4")  # m1.large on compute1
    w.act({"shelve": None})
    assert w.show()["status"] == "SHELVED_OFFLOADED"
    for host in ("compute1", "compute2"):  # an m1.large each: 7680 MB left, it needs 8192
        w.boot(f"filler-{host}", host=host, flavor="4")
    for _ in range(2):
        r = w.act({"unshelve": None})
        assert r.status_int == 202
        assert_unshelve_found_no_host(w, r.headers["x-openstack-request-id"])


# -- soft delete ----------------------------------------------------------------------------------


def test_restore_and_force_delete_a_soft_deleted_server() -> None:
    w = World(reclaim_instance_interval=3600)
    assert w.demo.delete(f"{V}/servers/{w.vm.uuid}").status_int == 204
    w.settle()
    assert w.vm.vm_state == "soft-delete"
    assert w.act({"restore": None}).status_int == 202
    assert w.show()["status"] == "ACTIVE"
    assert [e.event for e in w.actions()[-1].events] == ["compute_restore_instance"]
    w.demo.delete(f"{V}/servers/{w.vm.uuid}")
    w.settle()
    assert w.act({"forceDelete": None}).status_int == 202
    w.settle()
    assert w.vm.deleted
    action = w.actions()[-1]
    assert (action.action, [e.event for e in action.events]) == (
        "delete",
        ["compute_terminate_instance"],
    )


def test_force_delete_works_on_any_settled_server(w: World) -> None:
    assert w.act({"forceDelete": None}).status_int == 202
    assert w.demo.get(f"{V}/servers/{w.vm.uuid}").status_int == 404


# -- the real CLI ---------------------------------------------------------------------------------


def test_openstack_cli_runs_the_actions(w: World) -> None:
    with mock_cloud(world=w) as cloud:

        def ok(*argv: str) -> str:
            result = cloud.openstack(list(argv))
            assert (result.exit_code, result.stderr) == (0, ""), result.stderr
            return result.stdout

        def status() -> str:
            return ok("server", "show", "vm1", "-f", "value", "-c", "status").strip()

        ok("server", "pause", "vm1")
        assert status() == "PAUSED"
        ok("server", "unpause", "vm1")
        ok("server", "stop", "vm1")
        assert status() == "SHUTOFF"
        ok("server", "start", "vm1")
        ok("server", "reboot", "--hard", "--wait", "vm1")
        assert status() == "ACTIVE"
        ok("--os-compute-api-version", "2.73", "server", "lock", "--reason", "maint", "vm1")
        assert w.vm.locked_reason == "maint"
        ok("server", "unlock", "vm1")
        ok("server", "image", "create", "--name", "snap", "--wait", "vm1")
        assert w.cloud.images.by_name("snap").status == "active"
        ok("server", "shelve", "vm1")
        assert status() == "SHELVED_OFFLOADED"
        ok("server", "unshelve", "vm1")
        assert status() == "ACTIVE"


def test_work_cast_to_a_stopped_compute_waits_for_it(w: World) -> None:
    # Nova's API casts a reboot or a stop to the server's host without asking whether its
    # nova-compute runs (only resize and volume detach check): the message waits in the
    # host's queue, the server keeps its task state and the action has no event, until the
    # service starts again.
    def reboot_events() -> list[str]:
        listed = w.demo.get(f"{w.path}/os-instance-actions").json["instanceActions"]
        request_id = listed[0]["request_id"]
        shown = w.demo.get(f"{w.path}/os-instance-actions/{request_id}", microversion="2.51")
        assert shown.json["instanceAction"]["action"] == "reboot"
        return [e["event"] for e in shown.json["instanceAction"]["events"]]

    w.compute.stop_reporting("compute1")
    w.cloud.clock.advance(90)
    assert w.act({"reboot": {"type": "SOFT"}}).status_int == 202
    w.settle()
    assert (w.vm.status, w.vm.task_state) == ("REBOOT", "rebooting")
    assert reboot_events() == []
    ops.restart(w.compute, "compute1")
    w.settle()
    assert (w.vm.status, w.vm.task_state) == ("ACTIVE", None)
    assert reboot_events() == ["compute_reboot_instance"]
