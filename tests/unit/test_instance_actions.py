"""``os-instance-actions`` per microversion and caller, and instance faults in server views.

Keys, orders and messages as the real Nova 34 answered them (oracle), including its quirk of
naming ``None`` when a ``marker`` is unknown.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from fakenova import testing
from fakenova.testing import Client, fault

V = "/compute/v2.1"
ACTION_KEYS = {"action", "instance_uuid", "request_id", "user_id", "project_id", "start_time"}
ACTION_KEYS |= {"message"}


class World(testing.World):
    """demo's vm1 (created by the API, on compute1) after a resize no host could take."""

    def __init__(self) -> None:
        super().__init__()
        created = self.create_server("vm1", mv="2.37", networks="auto")
        assert created.status_int == 202, created.text
        self.create_req = created.headers["x-openstack-request-id"]
        self.uuid = created.json["server"]["id"]
        self.vm = self.compute.servers[self.uuid]
        resized = self.act({"resize": {"flavorRef": "5"}})
        assert resized.status_int == 202
        self.resize_req = resized.headers["x-openstack-request-id"]

    def action(self, who: Client, mv: str | None, req: str | None = None) -> dict[str, Any]:
        r = who.get(f"{self.path}/os-instance-actions/{req or self.resize_req}", microversion=mv)
        assert r.status_int == 200, r.text
        return r.json["instanceAction"]

    def listed(self, query: str = "", mv: str | None = None, who: Client | None = None) -> Any:
        return (who or self.demo).get(f"{self.path}/os-instance-actions{query}", microversion=mv)


@pytest.fixture(scope="module")
def w() -> World:
    return World()


def test_the_list_is_newest_first_with_the_request_ids_the_api_answered(w: World) -> None:
    actions = w.listed().json["instanceActions"]
    assert [(a["action"], a["request_id"], a["message"]) for a in actions] == [
        ("resize", w.resize_req, "Error"),
        ("create", w.create_req, None),
    ]
    assert all(set(a) == ACTION_KEYS for a in actions)


def test_updated_at_from_258(w: World) -> None:
    actions = w.listed(mv="2.58").json["instanceActions"]
    assert all(set(a) == ACTION_KEYS | {"updated_at"} for a in actions)
    assert "links" not in w.listed(mv="2.58").json


@pytest.mark.parametrize(
    ("who", "mv", "events", "event_keys"),
    [
        ("demo", "2.1", False, None),
        ("demo", "2.50", False, None),
        ("demo", "2.51", True, {"event", "start_time", "finish_time", "result"}),
        ("demo", "2.62", True, {"event", "start_time", "finish_time", "result", "hostId"}),
        ("demo", "2.84", True, {"event", "start_time", "finish_time", "result", "hostId"}),
        ("admin", "2.1", True, {"event", "start_time", "finish_time", "result", "traceback"}),
        (
            "admin",
            "2.62",
            True,
            {"event", "start_time", "finish_time", "result", "traceback", "host", "hostId"},
        ),
        (
            "admin",
            "2.84",
            True,
            {
                "event", "start_time", "finish_time", "result", "traceback", "host", "hostId",
                "details",
            },
        ),
    ],
)  # fmt: skip
def test_event_keys_per_microversion_and_caller(
    w: World, who: str, mv: str, events: bool, event_keys: set[str] | None
) -> None:
    action = w.action(w.client(who), mv)
    assert ("events" in action) is events
    if events:
        assert all(set(e) == event_keys for e in action["events"])
    keys = (
        ACTION_KEYS
        | ({"updated_at"} if mv >= "2.58" else set())
        | ({"events"} if events else set())
    )
    assert set(action) == keys


def test_failed_resize_events_as_nova_records_them(w: World) -> None:
    action = w.action(w.admin, "2.84")
    assert [(e["event"], e["result"], e["host"]) for e in action["events"]] == [
        ("cold_migrate", "Error", "controller"),
        ("conductor_migrate_server", "Error", "controller"),
    ]
    project = w.cloud.project_id("demo")
    expected = hashlib.sha224((project + "controller").encode()).hexdigest()
    assert {e["hostId"] for e in action["events"]} == {expected}
    assert "raise exception.NoValidHost(reason=msg)" in action["events"][0]["traceback"]
    assert action["events"][0]["details"] == (
        "No valid host was found. No valid host found for resize"
    )


def test_the_create_action_has_the_build_event(w: World) -> None:
    action = w.action(w.admin, "2.84", w.create_req)
    (event,) = action["events"]
    assert (event["event"], event["result"], event["host"]) == (
        "compute__do_build_and_run_instance",
        "Success",
        "compute1",
    )
    assert event["traceback"] is None and event["details"] is None


def test_tracebacks_follow_the_events_policy() -> None:
    w = testing.World(vm="vm1")
    rules = w.cloud.policy._enforcer.rules
    rules["os_compute_api:os-instance-actions:events"] = rules["os_compute_api:servers:show"]
    listed = w.demo.get(f"{w.path}/os-instance-actions").json["instanceActions"]
    shown = w.demo.get(
        f"{w.path}/os-instance-actions/{listed[0]['request_id']}", microversion="2.62"
    ).json["instanceAction"]
    assert {"traceback", "host"} <= set(shown["events"][0])


def test_unknown_action_and_server(w: World) -> None:
    r = w.demo.get(f"{w.path}/os-instance-actions/req-nope")
    assert fault(r, 404) == "Action req-nope not found"
    r = w.demo.get(f"{V}/servers/00000000-0000-0000-0000-000000000000/os-instance-actions")
    assert fault(r, 404) == "Instance 00000000-0000-0000-0000-000000000000 could not be found."
    assert fault(w.listed(who=w.alt), 404) == f"Instance {w.uuid} could not be found."


def test_paging_by_limit_and_marker(w: World) -> None:
    first = w.listed("?limit=1", mv="2.58").json
    assert [a["request_id"] for a in first["instanceActions"]] == [w.resize_req]
    (link,) = first["links"]
    assert link["rel"] == "next"
    assert link["href"].endswith(f"/os-instance-actions?limit=1&marker={w.resize_req}")
    rest = w.listed(f"?marker={w.resize_req}", mv="2.58").json
    assert [a["request_id"] for a in rest["instanceActions"]] == [w.create_req]
    assert w.listed("?limit=0", mv="2.58").json == {"instanceActions": []}


@pytest.mark.parametrize(
    ("query", "mv", "message"),
    [
        ("?marker=req-nope", "2.58", "Marker None could not be found."),
        (
            "?limit=-1",
            "2.58",
            "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'",
        ),
        ("?foo=1", "2.58", "Additional properties are not allowed ('foo' was unexpected)"),
        (
            "?changes-before=2020-01-01T00:00:00Z",
            "2.58",
            "Additional properties are not allowed ('changes-before' was unexpected)",
        ),
        (
            "?changes-since=yesterday",
            "2.58",
            "Invalid input for query parameters changes-since. Value: yesterday. "
            "'yesterday' is not a 'date-time'",
        ),
        (
            "?changes-since=2020-01-02T00:00:00Z&changes-before=2020-01-01T00:00:00Z",
            "2.66",
            "The value of changes-since must be less than or equal to changes-before.",
        ),
    ],
)
def test_list_query_refusals(w: World, query: str, mv: str, message: str) -> None:
    assert fault(w.listed(query, mv=mv), 400) == message


def test_unknown_query_is_ignored_before_258(w: World) -> None:
    assert w.listed("?foo=1").status_int == 200


def test_changes_since_and_before(w: World) -> None:
    assert w.listed("?changes-since=2099-01-01T00:00:00Z", mv="2.58").json == {
        "instanceActions": []
    }
    old = w.listed("?changes-before=2000-01-01T00:00:00Z", mv="2.66").json
    assert old == {"instanceActions": []}
    everything = w.listed("?changes-since=2000-01-01T00:00:00Z", mv="2.66").json
    assert len(everything["instanceActions"]) == 2


def test_show_query_is_strict_from_2102(w: World) -> None:
    r = w.demo.get(f"{w.path}/os-instance-actions/{w.resize_req}?foo=1", microversion="2.102")
    assert fault(r, 400) == "Additional properties are not allowed ('foo' was unexpected)"
    assert w.demo.get(f"{w.path}/os-instance-actions/{w.resize_req}?foo=1").status_int == 200


def test_a_failed_resize_shows_no_fault(w: World) -> None:
    server = w.admin.get(w.path, microversion="2.47").json["server"]
    assert server["status"] == "ACTIVE" and "fault" not in server


# -- deleted servers (2.21) and faults ----------------------------------------------------------


@pytest.fixture
def failed() -> tuple[testing.World, Client, Client, str]:
    """demo's vm2 that fits no host: ERROR with a fault."""
    w = testing.World()
    r = w.create_server("vm2", mv="2.37", flavorRef="5", networks="auto")
    return w, w.demo, w.admin, r.json["server"]["id"]


def test_fault_details_only_for_admins_when_500(failed: Any) -> None:
    _, demo, admin, uuid = failed
    member = demo.get(f"{V}/servers/{uuid}").json["server"]
    assert member["status"] == "ERROR"
    assert set(member["fault"]) == {"code", "created", "message"}
    assert member["fault"]["message"] == "No valid host was found. "
    shown = admin.get(f"{V}/servers/{uuid}").json["server"]["fault"]
    assert set(shown) == {"code", "created", "message", "details"}
    detailed = demo.get(f"{V}/servers/detail").json["servers"][0]
    assert detailed["fault"] == member["fault"]


def test_a_failed_build_records_the_conductor_event(failed: Any) -> None:
    _, demo, admin, uuid = failed
    (action,) = demo.get(f"{V}/servers/{uuid}/os-instance-actions").json["instanceActions"]
    assert (action["action"], action["message"]) == ("create", "Error")
    shown = admin.get(
        f"{V}/servers/{uuid}/os-instance-actions/{action['request_id']}", microversion="2.84"
    ).json["instanceAction"]
    (event,) = shown["events"]
    assert (event["event"], event["result"], event["host"], event["details"]) == (
        "conductor_schedule_and_build_instances",
        "Error",
        "controller",
        "No valid host was found. ",
    )


def test_actions_of_a_deleted_server_from_221(failed: Any) -> None:
    w, demo, _, uuid = failed
    assert demo.request("DELETE", f"{V}/servers/{uuid}").status_int == 204
    w.settle()
    path = f"{V}/servers/{uuid}/os-instance-actions"
    assert fault(demo.get(path), 404) == f"Instance {uuid} could not be found."
    assert demo.get(path, microversion="2.21").status_int == 200
