"""``PUT /servers/{id}`` and ``DELETE /servers/{id}``.

Every status and message here was first observed on the real Nova 34.0.0 (its functional-test
stack, replayed by the oracle), except where a comment says the production deployment differs
(policy defaults: the oracle's fixtures load a test policy; soft delete's power state: the
oracle's fake virt driver).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import PowerState
from fakenova.settings import load_settings
from fakenova.testing import Client, fault, mock_cloud

V = "/compute/v2.1"
UNKNOWN = "11111111-2222-3333-4444-555555555555"


class World(testing.World):
    """A cloud with demo's vm1 (cell1); clients for demo, alt_demo, admin and a reader."""

    def __init__(self, **nova: Any) -> None:
        super().__init__(nova=nova, reader=True, vm="vm1")

    def snapshot(self) -> Server:
        return dataclasses.replace(self.vm, record=dataclasses.replace(self.vm.record))


@pytest.fixture
def w() -> World:
    return World()


# -- PUT: accepted -------------------------------------------------------------------------------


def test_rename_at_21_answers_the_reduced_view(w: World) -> None:
    w.cloud.clock.advance(30)
    r = w.demo.put(w.path, {"server": {"name": "new1"}})
    assert r.status_int == 200, r.text
    server = r.json["server"]
    assert set(server) == {
        "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "addresses", "created", "flavor",
        "hostId", "id", "image", "links", "metadata", "name", "progress", "status",
        "tenant_id", "updated", "user_id",
    }  # fmt: skip
    assert server["name"] == "new1"
    assert server["updated"] == w.cloud.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Addresses without their type and MAC before 2.75.
    assert all(set(a) == {"version", "addr"} for a in server["addresses"]["private"])
    assert w.vm.name == "new1"


@pytest.mark.parametrize(
    ("mv", "added"),
    [
        ("2.9", {"locked"}),
        ("2.19", {"locked", "description"}),
        ("2.26", {"locked", "description", "tags"}),
        ("2.63", {"locked", "description", "tags", "trusted_image_certificates"}),
        ("2.71", {"locked", "description", "tags", "trusted_image_certificates", "server_groups"}),
        (
            "2.74",
            {
                "locked", "description", "tags", "trusted_image_certificates", "server_groups",
                "locked_reason",
            },
        ),
    ],
)  # fmt: skip
def test_reduced_view_grows_with_microversions_until_274(w: World, mv: str, added: set) -> None:
    r = w.demo.put(w.path, {"server": {"name": "x"}}, microversion=mv)
    assert r.status_int == 200, r.text
    assert "OS-EXT-STS:vm_state" not in r.json["server"]
    assert added <= set(r.json["server"])


@pytest.mark.parametrize("mv", ["2.75", "2.90", "2.100", "2.104"])
def test_from_275_the_answer_is_the_show_view(w: World, mv: str) -> None:
    r = w.demo.put(w.path, {"server": {"name": "full"}}, microversion=mv)
    assert r.status_int == 200, r.text
    shown = w.demo.get(w.path, microversion=mv).json
    assert r.json == shown
    assert "OS-EXT-SRV-ATTR:host" not in r.json["server"]  # a member: no extended attributes


def test_admin_sees_extended_attributes_and_host_status_in_the_275_answer(w: World) -> None:
    r = w.admin.put(w.path, {"server": {"name": "n75a"}}, microversion="2.75")
    server = r.json["server"]
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"
    assert server["host_status"] == "UP"


def test_every_field(w: World) -> None:
    body = {
        "server": {
            "name": "renamed",
            "accessIPv4": "1.2.3.4",
            "accessIPv6": "2001:DB8::1",
            "OS-DCF:diskConfig": "AUTO",
            "description": "d1",
            "hostname": "a.b.example",
        }
    }
    server = w.demo.put(w.path, body, microversion="2.94").json["server"]
    assert server["name"] == "renamed"
    assert (server["accessIPv4"], server["accessIPv6"]) == ("1.2.3.4", "2001:db8::1")
    assert server["OS-DCF:diskConfig"] == "AUTO"
    assert server["description"] == "d1"
    assert server["OS-EXT-SRV-ATTR:hostname"] == "a.b.example"
    removed = w.demo.put(w.path, {"server": {"description": None}}, microversion="2.19")
    assert removed.json["server"]["description"] is None


def test_empty_server_object_changes_nothing_but_answers(w: World) -> None:
    r = w.demo.put(w.path, {"server": {}})
    assert r.status_int == 200
    assert r.json["server"]["name"] == "vm1"


def test_locked_server_and_task_state_do_not_stop_an_update(w: World) -> None:
    w.vm.locked_by = "admin"
    w.vm.task_state = "rebooting"
    r = w.demo.put(w.path, {"server": {"name": "still"}})
    assert r.status_int == 200
    assert w.vm.name == "still"


def test_pin_to_current_zone_then_unpin_at_2104(w: World) -> None:
    r = w.demo.put(w.path, {"server": {"pinned_availability_zone": "nova"}}, microversion="2.104")
    assert r.json["server"]["pinned_availability_zone"] == "nova"
    wrong = w.demo.put(
        w.path, {"server": {"pinned_availability_zone": "az2"}}, microversion="2.104"
    )
    assert fault(wrong, 409) == (
        "Cannot change pinned availability zone directly. Unpin first by setting "
        "pinned_availability_zone to null."
    )
    r = w.demo.put(w.path, {"server": {"pinned_availability_zone": None}}, microversion="2.104")
    assert r.json["server"]["pinned_availability_zone"] is None
    other = w.demo.put(
        w.path, {"server": {"pinned_availability_zone": "az2"}}, microversion="2.104"
    )
    assert fault(other, 409) == (
        "Server can only be pinned to its current availability zone 'nova', but 'az2' was "
        "requested."
    )


# -- PUT: rejected -------------------------------------------------------------------------------

NAME_RULE = (
    "An invalid 'name' value was provided. The name must be: printable characters. Can not "
    "start or end with whitespace."
)
HOST_RULE = "'^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$'"


def invalid(field: str, value: object, problem: str) -> str:
    """Nova's message for a schema error below the top of the body."""
    return f"Invalid input for field/attribute {field}. Value: {value}. {problem}"


def unexpected(key: str, value: object) -> str:
    return invalid(
        "server", {key: value}, f"Additional properties are not allowed ('{key}' was unexpected)"
    )


REJECTED = [
    (None, {}, "'server' is a required property"),
    (None, {"server": None}, invalid("server", None, "None is not of type 'object'")),
    (
        None,
        {"server": {"name": "x"}, "foo": 1},
        "Additional properties are not allowed ('foo' was unexpected)",
    ),
    (None, {"server": {"name": ""}}, invalid("name", "", "'' should be non-empty")),
    (None, {"server": {"name": 5}}, invalid("name", 5, "5 is not of type 'string'")),
    (None, {"server": {"name": " sp "}}, NAME_RULE),
    (None, {"server": {"name": "abc "}}, NAME_RULE),
    (None, {"server": {"description": "x"}}, unexpected("description", "x")),
    ("2.89", {"server": {"hostname": "abc"}}, unexpected("hostname", "abc")),
    (
        "2.90",
        {"server": {"hostname": "a.b"}},
        invalid("hostname", "a.b", f"'a.b' does not match {HOST_RULE}"),
    ),
    (
        "2.90",
        {"server": {"hostname": "a"}},
        invalid("hostname", "a", f"'a' does not match {HOST_RULE}"),
    ),
    (
        "2.94",
        {"server": {"hostname": "a b"}},
        invalid("hostname", "a b", "'a b' does not match '^[a-zA-Z0-9-._]*$'"),
    ),
    (
        None,
        {"server": {"accessIPv4": "1.2.3"}},
        invalid("accessIPv4", "1.2.3", "'1.2.3' is not a 'ipv4'"),
    ),
    (None, {"server": {"accessIPv6": "zz"}}, invalid("accessIPv6", "zz", "'zz' is not a 'ipv6'")),
    (
        None,
        {"server": {"OS-DCF:diskConfig": "FOO"}},
        invalid("OS-DCF:diskConfig", "FOO", "'FOO' is not one of ['AUTO', 'MANUAL']"),
    ),
    (None, {"server": {"foo": "x"}}, unexpected("foo", "x")),
    (
        "2.103",
        {"server": {"pinned_availability_zone": "nova"}},
        unexpected("pinned_availability_zone", "nova"),
    ),
]


@pytest.mark.parametrize(("mv", "body", "message"), REJECTED)
def test_rejected_bodies(w: World, mv: str | None, body: Any, message: str) -> None:
    before = w.snapshot()
    assert fault(w.demo.put(w.path, body, microversion=mv), 400) == message
    assert w.vm == before


def test_too_long_name_and_description(w: World) -> None:
    long = "a" * 256
    r = w.demo.put(w.path, {"server": {"name": long}})
    assert fault(r, 400) == (
        f"Invalid input for field/attribute name. Value: {long}. '{long}' is too long"
    )
    r = w.demo.put(w.path, {"server": {"description": long}}, microversion="2.19")
    assert fault(r, 400) == (
        f"Invalid input for field/attribute description. Value: {long}. '{long}' is too long"
    )
    assert w.vm.name == "vm1"


def test_empty_body_is_none_to_the_schema(w: World) -> None:
    r = w.demo.request("PUT", w.path, headers={"Content-Type": "application/json"})
    assert fault(r, 400) == "None is not of type 'object'"


def test_unknown_and_other_projects_server_are_not_found(w: World) -> None:
    r = w.demo.put(f"{V}/servers/{UNKNOWN}", {"server": {"name": "x"}})
    assert fault(r, 404) == f"Instance {UNKNOWN} could not be found."
    r = w.alt.put(w.path, {"server": {"name": "x"}})
    assert fault(r, 404) == f"Instance {w.vm.uuid} could not be found."
    assert w.vm.name == "vm1"


def test_validation_comes_before_the_lookup(w: World) -> None:
    r = w.demo.put(f"{V}/servers/{UNKNOWN}", {"server": {"bad": 1}})
    assert r.status_int == 400


def test_reader_may_not_update_and_admin_may_update_any(w: World) -> None:
    # Nova 34's default rule is project_member_or_admin (nova/policies/servers.py).
    r = w.reader.put(w.path, {"server": {"name": "x"}})
    assert fault(r, 403) == "Policy doesn't allow os_compute_api:servers:update to be performed."
    r = w.admin.put(w.path, {"server": {"name": "by-admin"}})
    assert r.status_int == 200
    assert w.vm.name == "by-admin"


# -- DELETE -------------------------------------------------------------------------------------


def test_delete_is_immediate_and_keeps_the_row_for_admins(w: World) -> None:
    w.demo.post(f"{w.path}/metadata", {"metadata": {"a": "1"}})
    w.demo.put(f"{w.path}/tags", {"tags": ["t"]}, microversion="2.26")
    r = w.demo.delete(w.path)
    assert r.status_int == 204
    assert r.body == b""
    assert fault(w.demo.get(w.path), 404) == f"Instance {w.vm.uuid} could not be found."
    assert fault(w.admin.get(w.path), 404) == f"Instance {w.vm.uuid} could not be found."
    assert w.demo.get(f"{V}/servers").json["servers"] == []
    listed = w.admin.get(f"{V}/servers/detail?all_tenants=1&deleted=True", microversion="2.26").json
    (server,) = listed["servers"]
    assert server["id"] == w.vm.uuid
    assert server["status"] == "DELETED"
    assert server["OS-EXT-STS:vm_state"] == "deleted"
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == 0
    assert server["OS-SRV-USG:terminated_at"] is not None
    assert (server["metadata"], server["tags"], server["addresses"]) == ({}, [], {})
    assert "progress" not in server
    # A member's deleted=True is an admin-only filter, dropped: nothing deleted is shown.
    assert w.demo.get(f"{V}/servers/detail?deleted=True").json["servers"] == []


def test_delete_twice_and_unknown(w: World) -> None:
    assert w.demo.delete(w.path).status_int == 204
    assert fault(w.demo.delete(w.path), 404) == f"Instance {w.vm.uuid} could not be found."
    r = w.demo.put(w.path, {"server": {"name": "x"}})
    assert fault(r, 404) == f"Instance {w.vm.uuid} could not be found."
    r = w.demo.delete(f"{V}/servers/{UNKNOWN}")
    assert fault(r, 404) == f"Instance {UNKNOWN} could not be found."


def test_locked_server_refuses_members_even_its_locker_but_not_admins(w: World) -> None:
    w.vm.locked_by = "owner"
    before = w.snapshot()
    assert fault(w.demo.delete(w.path), 409) == f"Instance {w.vm.uuid} is locked"
    assert w.vm == before
    assert w.admin.delete(w.path).status_int == 204
    w.settle()
    assert w.vm.deleted


@pytest.mark.parametrize("task", ["rebooting", "resize_prep", "image_snapshot"])
def test_no_task_state_stops_a_delete(w: World, task: str) -> None:
    # Nova's delete accepts any vm_state and task_state (compute/api.py: check_instance_state
    # with vm_state=None, task_state=None); observed with task_state rebooting: 204.
    w.vm.task_state = task
    assert w.demo.delete(w.path).status_int == 204
    w.settle()
    assert w.vm.deleted and w.vm.task_state is None


def test_other_project_gets_404_and_reader_403(w: World) -> None:
    before = w.snapshot()
    assert fault(w.alt.delete(w.path), 404) == f"Instance {w.vm.uuid} could not be found."
    r = w.reader.delete(w.path)
    assert fault(r, 403) == "Policy doesn't allow os_compute_api:servers:delete to be performed."
    assert w.vm == before


def test_admin_deletes_another_projects_server(w: World) -> None:
    assert w.admin.delete(w.path).status_int == 204
    w.settle()
    assert w.vm.deleted


def test_delete_marks_the_task_and_the_host_finishes_before_the_next_request(w: World) -> None:
    asked = w.cloud.clock.now
    assert w.demo.delete(w.path).status_int == 204
    # Between the answer and the next request: Nova's API has only marked the task.
    assert (w.vm.status, w.vm.task_state, w.vm.deleted) == ("ACTIVE", "deleting", False)
    assert w.vm.record.queued_for_delete
    assert w.demo.get(w.path).status_int == 404
    assert w.vm.deleted and w.vm.task_state is None
    assert w.vm.terminated_at == asked + dt.timedelta(seconds=2)


# -- soft delete ([DEFAULT] reclaim_instance_interval > 0) ---------------------------------------


@pytest.fixture
def soft() -> World:
    return World(reclaim_instance_interval=60)


def test_conf_default_is_nova_default() -> None:
    assert load_settings().nova_option("reclaim_instance_interval") == 0


def test_soft_delete_keeps_the_server_visible_as_soft_deleted(soft: World) -> None:
    soft.demo.post(f"{soft.path}/metadata", {"metadata": {"a": "1"}})
    soft.demo.put(f"{soft.path}/tags", {"tags": ["x"]}, microversion="2.26")
    soft.cloud.clock.advance(5)
    asked = soft.cloud.clock.now
    assert soft.demo.delete(soft.path).status_int == 204
    assert soft.vm.task_state == "soft-deleting"
    server = soft.demo.get(soft.path, microversion="2.26").json["server"]
    assert server["status"] == "SOFT_DELETED"
    assert server["OS-EXT-STS:vm_state"] == "soft-delete"
    assert server["OS-EXT-STS:task_state"] is None
    # libvirt has no soft delete: nova-compute powers the guest off (the oracle's fake driver
    # keeps it RUNNING).
    assert server["OS-EXT-STS:power_state"] == PowerState.SHUTDOWN
    assert server["OS-SRV-USG:terminated_at"] is None
    assert (server["metadata"], server["tags"]) == ({"a": "1"}, ["x"])
    assert soft.vm.deleted_at == asked
    assert soft.vm.record.queued_for_delete and not soft.vm.deleted


def test_soft_deleted_server_can_be_renamed_and_deleted_again(soft: World) -> None:
    soft.demo.delete(soft.path)
    r = soft.demo.put(soft.path, {"server": {"name": "renamed"}}, microversion="2.75")
    assert r.json["server"]["OS-EXT-STS:vm_state"] == "soft-delete"
    assert soft.demo.delete(soft.path).status_int == 204
    assert soft.vm.vm_state == "soft-delete"


def test_soft_delete_of_a_locked_server_is_refused(soft: World) -> None:
    soft.vm.locked_by = "admin"
    assert fault(soft.demo.delete(soft.path), 409) == f"Instance {soft.vm.uuid} is locked"
    assert soft.vm.vm_state == "active"


def test_never_launched_server_is_deleted_at_once_even_with_reclaim(soft: World) -> None:
    soft.vm.launched_at = None
    assert soft.demo.delete(soft.path).status_int == 204
    assert fault(soft.demo.get(soft.path), 404) == f"Instance {soft.vm.uuid} could not be found."


def test_restore_model_undoes_a_soft_delete(soft: World) -> None:
    from fakenova.compute.models.servers import changes

    soft.demo.delete(soft.path)
    soft.settle()
    changes.restore(soft.cloud.compute, soft.vm)
    assert soft.vm.status == "ACTIVE" and soft.vm.deleted_at is None
    assert not soft.vm.record.queued_for_delete
    assert isinstance(soft.vm.updated_at, dt.datetime)


# -- the real openstack CLI, in-process -----------------------------------------------------------


def test_openstack_server_set_name_and_delete_wait(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        result = cloud.openstack(["server", "set", "--name", "web1", "vm1"])
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
        assert w.vm.name == "web1"
        result = cloud.openstack(["server", "delete", "--wait", "web1"])
        assert (result.exit_code, result.stderr) == (0, ""), result.stderr
        assert w.vm.deleted
        assert cloud.openstack(["server", "list", "-f", "value"]).stdout == ""


def test_soft_deleted_server_is_listed_only_with_deleted_true(soft: World) -> None:
    # As observed on Nova: hidden from default and status=SOFT_DELETED listings (deleted=False
    # excludes soft-deleted rows), shown to an admin asking for deleted=True.
    soft.demo.delete(soft.path)

    def ids(user: Client, query: str) -> list[str]:
        return [s["id"] for s in user.get(f"{V}/servers{query}").json["servers"]]

    assert ids(soft.demo, "") == []
    assert ids(soft.demo, "/detail?status=SOFT_DELETED") == []
    assert ids(soft.admin, "?all_tenants=1&status=SOFT_DELETED") == []
    assert ids(soft.admin, "?all_tenants=1&deleted=False") == []
    assert ids(soft.admin, "?all_tenants=1&deleted=True") == [soft.vm.uuid]


# -- the instance actions a delete records ---------------------------------------------------------
# Observed on Nova 34 (oracle): DELETE records a ``delete`` action under its request id; the
# compute host's event is ``compute_terminate_instance`` (``compute_soft_delete_instance`` for a
# soft delete). Without a host, or with the host down, the API deletes the server itself: the
# action has no event. The actions of a deleted server are listed from 2.21 only.

EVENT_KEYS_284 = {"event", "start_time", "finish_time", "result", "traceback", "host", "hostId"}
EVENT_KEYS_284 |= {"details"}


def actions(w: World, who: Client | None = None, mv: str = "2.21") -> list[dict[str, Any]]:
    r = (who or w.admin).get(f"{w.path}/os-instance-actions", microversion=mv)
    assert r.status_int == 200, r.text
    return r.json["instanceActions"]


def action(w: World, request_id: str, who: Client | None = None, mv: str = "2.84") -> Any:
    r = (who or w.admin).get(f"{w.path}/os-instance-actions/{request_id}", microversion=mv)
    assert r.status_int == 200, r.text
    return r.json["instanceAction"]


def test_delete_records_a_delete_action_and_the_hosts_terminate_event(w: World) -> None:
    asked = w.cloud.clock.now
    r = w.demo.delete(w.path)
    request_id = r.headers["x-openstack-request-id"]
    listed = actions(w, w.demo)
    assert [(a["action"], a["message"]) for a in listed] == [("delete", None), ("create", None)]
    assert listed[0]["request_id"] == request_id
    assert listed[0]["user_id"] == w.cloud.user_id("demo")
    assert listed[0]["project_id"] == w.cloud.project_id("demo")
    shown = action(w, request_id)
    (event,) = shown["events"]
    assert set(event) == EVENT_KEYS_284
    assert (event["event"], event["result"], event["host"]) == (
        "compute_terminate_instance",
        "Success",
        "compute1",
    )
    assert (event["traceback"], event["details"]) == (None, None)
    finished = (asked + dt.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S.%f")
    assert event["finish_time"] == shown["updated_at"] == finished
    # A member sees the events from 2.51, without traceback and host.
    (seen,) = action(w, request_id, w.demo, "2.51")["events"]
    assert set(seen) == {"event", "start_time", "finish_time", "result"}
    assert "events" not in action(w, request_id, w.demo, "2.21")


@pytest.mark.parametrize("mv", [None, "2.20"])
def test_actions_of_a_deleted_server_are_not_found_before_221(w: World, mv: str | None) -> None:
    w.demo.delete(w.path)
    r = w.demo.get(f"{w.path}/os-instance-actions", microversion=mv)
    assert fault(r, 404) == f"Instance {w.vm.uuid} could not be found."


def test_admin_delete_of_a_locked_server_is_recorded_as_the_admins(w: World) -> None:
    w.demo.post(f"{w.path}/action", {"lock": None})
    assert w.admin.delete(w.path).status_int == 204
    latest = actions(w, w.demo, "2.84")[0]
    assert (latest["action"], latest["user_id"]) == ("delete", w.cloud.user_id("admin"))
    (event,) = action(w, latest["request_id"], w.demo)["events"]
    assert (event["event"], event["result"]) == ("compute_terminate_instance", "Success")


def test_a_refused_delete_records_nothing(w: World) -> None:
    w.vm.locked_by = "owner"
    w.demo.delete(w.path)
    assert [a["action"] for a in actions(w)] == ["create"]


def test_a_delete_under_way_is_not_recorded_again(w: World) -> None:
    # Nova's API ignores a delete of a server whose delete is under way (task_state deleting
    # or soft-deleting): no action, no second cast; the first delete finishes the server.
    from fakenova.compute.models.actor import Actor
    from fakenova.compute.models.compute_api import ComputeAPI

    compute = ComputeAPI(w.cloud.compute)
    demo = Actor("req-1", w.cloud.user_id("demo"), w.cloud.project_id("demo"), False)
    compute.delete(demo, w.vm)
    compute.delete(dataclasses.replace(demo, request_id="req-2"), w.vm)
    recorded = w.cloud.compute.actions.for_server(w.vm.uuid)
    assert [(a.action, a.request_id) for a in recorded] == [
        ("create", recorded[0].request_id),
        ("delete", "req-1"),
    ]
    w.settle()
    assert w.vm.deleted
    assert [e.event for e in recorded[-1].events] == ["compute_terminate_instance"]


def test_shelved_server_delete_drops_its_snapshot_and_the_host_terminates_it() -> None:
    w = World(shelved_offload_time=-1)
    w.demo.post(f"{w.path}/action", {"shelve": None})
    w.settle()
    image_id = w.vm.shelved_image_id
    assert w.vm.vm_state == "shelved" and w.cloud.images.get(image_id) is not None
    r = w.demo.delete(w.path)
    assert w.cloud.images.get(image_id) is None
    (event,) = action(w, r.headers["x-openstack-request-id"])["events"]
    assert (event["event"], event["host"]) == ("compute_terminate_instance", "compute1")


def assert_local_delete(
    w: World, request_id: str, asked: dt.datetime, vm_state: str = "deleted"
) -> None:
    """Gone at once, in ``vm_state`` (``soft-delete`` when a soft delete was asked for); the
    ``delete`` action has no event and was never updated."""
    assert w.vm.deleted and w.vm.vm_state == vm_state
    assert w.vm.status == "DELETED" and w.vm.task_state is None
    assert w.vm.terminated_at == asked
    latest = actions(w, mv="2.84")[0]
    assert (latest["action"], latest["request_id"]) == ("delete", request_id)
    assert latest["updated_at"] == latest["start_time"]
    assert action(w, request_id)["events"] == []


@pytest.mark.parametrize("reclaim", [0, 3600])
def test_offloaded_server_is_deleted_by_the_api_with_its_snapshot(reclaim: int) -> None:
    w = World(reclaim_instance_interval=reclaim)
    w.demo.post(f"{w.path}/action", {"shelve": None})
    w.settle()
    image_id = w.vm.shelved_image_id
    assert w.vm.vm_state == "shelved_offloaded" and w.cloud.images.get(image_id) is not None
    asked = w.cloud.clock.now
    r = w.demo.delete(w.path)
    assert w.cloud.images.get(image_id) is None
    vm_state = "soft-delete" if reclaim else "deleted"
    assert_local_delete(w, r.headers["x-openstack-request-id"], asked, vm_state)
    assert w.vm.power_state == PowerState.SHUTDOWN  # as shelving left it
    assert fault(w.demo.get(w.path), 404) == f"Instance {w.vm.uuid} could not be found."


@pytest.mark.parametrize("reclaim", [0, 3600])
def test_server_on_a_host_that_is_down_is_deleted_by_the_api(reclaim: int) -> None:
    w = World(reclaim_instance_interval=reclaim)
    service = w.admin.get(f"{V}/os-services?host=compute1", microversion="2.53")
    (compute1,) = service.json["services"]
    r = w.admin.put(f"{V}/os-services/{compute1['id']}", {"forced_down": True}, microversion="2.53")
    assert r.status_int == 200, r.text
    asked = w.cloud.clock.now
    r = w.demo.delete(w.path)
    assert r.status_int == 204
    vm_state = "soft-delete" if reclaim else "deleted"
    assert_local_delete(w, r.headers["x-openstack-request-id"], asked, vm_state)
    assert w.vm.power_state == PowerState.RUNNING  # no host touched the guest


@pytest.mark.parametrize("reclaim", [0, 3600])
def test_failed_build_without_a_host_is_deleted_by_the_api(reclaim: int) -> None:
    w = World(reclaim_instance_interval=reclaim)
    created = w.create_server("e1", mv="2.37", flavorRef="5", networks="none")
    assert created.status_int == 202, created.text
    uuid = created.json["server"]["id"]
    w.vm = w.cloud.compute.servers[uuid]
    assert w.demo.get(w.path).json["server"]["status"] == "ERROR"
    asked = w.cloud.clock.now
    r = w.demo.delete(w.path)
    assert [a["action"] for a in actions(w)] == ["delete", "create"]
    # Never launched: even with soft delete on, Nova deletes it for good.
    assert_local_delete(w, r.headers["x-openstack-request-id"], asked, "deleted")


def test_soft_delete_records_the_hosts_soft_delete_event_each_time(soft: World) -> None:
    first = soft.demo.delete(soft.path).headers["x-openstack-request-id"]
    # A soft-deleted server may be deleted again: one more action and event, still SOFT_DELETED.
    again = soft.demo.delete(soft.path).headers["x-openstack-request-id"]
    assert soft.demo.get(soft.path).json["server"]["status"] == "SOFT_DELETED"
    listed = actions(soft, soft.demo, "2.58")
    assert [(a["action"], a["request_id"]) for a in listed[:2]] == [
        ("delete", again),
        ("delete", first),
    ]
    for request_id in (first, again):
        (event,) = action(soft, request_id)["events"]
        assert (event["event"], event["result"], event["host"]) == (
            "compute_soft_delete_instance",
            "Success",
            "compute1",
        )
    # Restore, delete, then force the delete: restore, delete and delete again.
    soft.demo.post(f"{soft.path}/action", {"restore": None})
    soft.demo.delete(soft.path)
    forced = soft.demo.post(f"{soft.path}/action", {"forceDelete": None})
    assert forced.status_int == 202
    assert fault(soft.demo.get(soft.path), 404) == f"Instance {soft.vm.uuid} could not be found."
    assert fault(soft.demo.get(f"{soft.path}/os-instance-actions", microversion="2.20"), 404)
    listed = actions(soft, soft.demo, "2.58")
    assert [a["action"] for a in listed] == ["delete", "delete", "restore"] + ["delete"] * 2 + [
        "create"
    ]
    shown = action(soft, forced.headers["x-openstack-request-id"])
    assert [(e["event"], e["result"]) for e in shown["events"]] == [
        ("compute_terminate_instance", "Success")
    ]
    restored = action(soft, listed[2]["request_id"])
    assert [(e["event"], e["result"]) for e in restored["events"]] == [
        ("compute_restore_instance", "Success")
    ]


def test_force_delete_of_an_offloaded_server_is_a_local_delete() -> None:
    w = World()
    w.demo.post(f"{w.path}/action", {"shelve": None})
    w.settle()
    asked = w.cloud.clock.now
    r = w.demo.post(f"{w.path}/action", {"forceDelete": None})
    assert r.status_int == 202
    assert_local_delete(w, r.headers["x-openstack-request-id"], asked)


# -- local deletes with soft delete on: what an admin sees afterwards --------------------------
# Observed on Nova 34 (oracle, reclaim_instance_interval=3600): when the API deletes a server
# itself (its host's service down, or no host), a soft delete still destroys the row, which
# keeps vm_state ``soft-delete`` (a server that never launched falls back to a plain delete:
# ``deleted``) and the power state it had. An admin lists it with ``deleted=True``, as status
# DELETED, also under ``status=SOFT_DELETED``; nobody can show, restore, force-delete or
# delete it again (404). Its ``delete`` action has no event.


def listed(w: World, query: str, who: Client | None = None, mv: str = "2.37") -> dict[str, Any]:
    r = (who or w.admin).get(f"{V}/servers/detail?{query}", microversion=mv)
    assert r.status_int == 200, r.text
    return {s["id"]: s for s in r.json["servers"]}


def take_compute1_down(w: World, how: str) -> None:
    if how == "not-reporting":
        w.cloud.compute.stop_reporting("compute1")
        w.cloud.clock.advance(120)  # past service_down_time (60 s)
        return
    service = w.admin.get(f"{V}/os-services?host=compute1", microversion="2.53")
    (compute1,) = service.json["services"]
    r = w.admin.put(f"{V}/os-services/{compute1['id']}", {"forced_down": True}, microversion="2.53")
    assert r.status_int == 200, r.text


def assert_gone_for_everyone(w: World) -> None:
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.admin.get(w.path, microversion="2.37"), 404) == gone
    assert fault(w.demo.get(w.path), 404) == gone
    for who in (w.demo, w.admin):
        assert fault(who.post(f"{w.path}/action", {"restore": None}), 404) == gone
    assert fault(w.admin.post(f"{w.path}/action", {"forceDelete": None}), 404) == gone
    assert fault(w.admin.delete(w.path), 404) == gone


@pytest.mark.parametrize(
    ("how", "vm_state"),
    [("forced-down", "active"), ("not-reporting", "active"), ("forced-down", "error")],
)
def test_soft_delete_with_the_host_down_destroys_the_server_as_soft_deleted(
    how: str, vm_state: str
) -> None:
    w = World(reclaim_instance_interval=3600)
    if vm_state == "error":  # an ERROR server that ran once, on its host
        r = w.admin.post(f"{w.path}/action", {"os-resetState": {"state": "error"}})
        assert r.status_int == 202, r.text
    take_compute1_down(w, how)
    r = w.demo.delete(w.path)
    assert r.status_int == 204
    uuid = w.vm.uuid
    server = listed(w, "all_tenants=1&deleted=True", mv="2.16")[uuid]
    assert (server["status"], server["OS-EXT-STS:vm_state"]) == ("DELETED", "soft-delete")
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == PowerState.RUNNING
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"
    assert server["OS-SRV-USG:terminated_at"] is not None
    assert server["host_status"] == ""  # a deleted row joins no compute service
    assert "fault" not in server
    # Nova filters on the vm_state: status=SOFT_DELETED finds it among deleted servers.
    assert uuid in listed(w, "all_tenants=1&deleted=True&status=SOFT_DELETED")
    assert uuid not in listed(w, "all_tenants=1&deleted=True&status=DELETED")
    assert uuid not in listed(w, "all_tenants=1&status=DELETED")
    assert uuid not in listed(w, "all_tenants=1&status=SOFT_DELETED")
    assert uuid not in listed(w, "all_tenants=1&deleted=False")
    assert listed(w, "deleted=True", w.demo) == {}  # the filter is the admin's only
    mine = listed(w, "changes-since=2000-01-01T00:00:00Z", w.demo)[uuid]
    assert (mine["status"], mine["OS-EXT-STS:vm_state"]) == ("DELETED", "soft-delete")
    assert_gone_for_everyone(w)
    latest = actions(w, mv="2.84")[0]
    request_id = r.headers["x-openstack-request-id"]
    assert (latest["action"], latest["request_id"]) == ("delete", request_id)
    assert action(w, request_id)["events"] == []


def test_soft_delete_of_an_offloaded_server_destroys_it_as_soft_deleted() -> None:
    w = World(reclaim_instance_interval=3600)
    w.demo.post(f"{w.path}/action", {"shelve": None})
    w.settle()
    assert w.vm.vm_state == "shelved_offloaded" and w.vm.host is None
    assert w.demo.delete(w.path).status_int == 204
    server = listed(w, "all_tenants=1&deleted=True")[w.vm.uuid]
    assert (server["status"], server["OS-EXT-STS:vm_state"]) == ("DELETED", "soft-delete")
    assert server["OS-EXT-STS:power_state"] == PowerState.SHUTDOWN
    assert server["OS-EXT-SRV-ATTR:host"] is None
    assert w.vm.uuid in listed(w, "all_tenants=1&deleted=True&status=SOFT_DELETED")
    assert_gone_for_everyone(w)
    assert action(w, actions(w, mv="2.84")[0]["request_id"])["events"] == []


def test_failed_build_deleted_with_soft_delete_on_is_plainly_deleted_without_its_fault() -> None:
    # Never launched: Nova's soft delete refuses it and the API deletes it for good. The
    # instance's faults are deleted with its row, so the DELETED server shows none.
    w = World(reclaim_instance_interval=3600)
    created = w.create_server("e1", mv="2.37", flavorRef="5", networks="none")
    uuid = created.json["server"]["id"]
    w.vm = w.cloud.compute.servers[uuid]
    assert "fault" in w.admin.get(w.path).json["server"]
    assert w.demo.delete(w.path).status_int == 204
    server = listed(w, "all_tenants=1&deleted=True")[uuid]
    assert (server["status"], server["OS-EXT-STS:vm_state"]) == ("DELETED", "deleted")
    assert server["OS-EXT-STS:power_state"] == PowerState.NOSTATE
    assert "fault" not in server
    assert uuid in listed(w, "all_tenants=1&status=DELETED")  # an admin's DELETED implies deleted
    assert uuid not in listed(w, "all_tenants=1&deleted=True&status=SOFT_DELETED")
    assert_gone_for_everyone(w)
    assert action(w, actions(w, mv="2.84")[0]["request_id"])["events"] == []


def test_host_status_of_a_listing_is_set_by_the_first_server_on_each_host(w: World) -> None:
    # Observed on Nova 34 (oracle): host statuses are looked up once per host in a listing,
    # through the first listed server on it; a deleted one joins no service, so it and every
    # later server on its host show "", and an earlier live one lends them its UP.
    vm2 = w.boot("vm2")
    w.demo.delete(f"{V}/servers/{vm2.uuid}")
    w.settle()
    assert vm2.deleted and vm2.host == w.vm.host == "compute1"

    def statuses(query: str) -> list[tuple[str, str]]:
        shown = listed(w, "all_tenants=1&" + query, mv="2.16").values()
        return [(s["id"], s["host_status"]) for s in shown]

    since = "changes-since=2000-01-01T00:00:00Z"
    assert statuses(since) == [(vm2.uuid, ""), (w.vm.uuid, "")]
    assert statuses(since + "&sort_key=created_at&sort_dir=asc") == [
        (w.vm.uuid, "UP"),
        (vm2.uuid, "UP"),
    ]
    assert statuses("deleted=False") == [(w.vm.uuid, "UP")]
    assert statuses("deleted=True") == [(vm2.uuid, "")]
