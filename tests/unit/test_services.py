"""os-services as Nova 34 answers it: reports on the scenario's clock, disable/enable with a
reason, forced down (2.11), the 2.53 uuid API, delete, policies and error texts (each text
observed on the real Nova through the oracle)."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.deployment import services as ops
from fakenova.testing import mock_cloud

V = "/compute/v2.1"
COMPUTE2 = {"host": "compute2", "binary": "nova-compute"}


class World(testing.World):
    """demo's vm1 on compute1."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")

    def service(self, host: str = "compute2") -> Any:
        return self.compute.service_by_host(host)

    def listed(self, host: str, mv: str = "2.53") -> dict[str, Any]:
        answer = self.admin.get(f"{V}/os-services?host={host}", microversion=mv)
        assert answer.status_int == 200, answer.text
        (service,) = answer.json["services"]
        return service

    def put(self, action: str, body: Any, mv: str | None = None, who: str = "admin") -> Any:
        return self.client(who).put(f"{V}/os-services/{action}", body, microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


# -- reports on the clock -------------------------------------------------------------------


def test_services_report_every_report_interval(w: World) -> None:
    start = w.service().created_at
    w.compute.clock.now = start
    w.compute.clock.advance(37)
    assert (w.compute.last_report(w.service()) - start).total_seconds() == 30
    assert w.listed("compute2")["state"] == "up"


def test_a_stopped_service_goes_down_after_service_down_time(w: World) -> None:
    w.compute.stop_reporting("compute2")
    stopped = w.compute.last_report(w.service())
    w.compute.clock.advance(60)
    assert w.listed("compute2")["state"] == "up"  # its last report is within 60 s still
    w.compute.clock.advance(10)
    shown = w.listed("compute2")
    assert shown["state"] == "down"
    assert shown["updated_at"] == stopped.replace(tzinfo=None).isoformat(timespec="microseconds")


def test_a_restarted_service_reports_at_once(w: World) -> None:
    w.compute.stop_reporting("compute2")
    w.compute.clock.advance(300)
    ops.restart(w.compute, "compute2")
    assert w.listed("compute2")["state"] == "up"


def test_moving_the_clock_never_makes_a_running_service_down(w: World) -> None:
    w.compute.clock.advance(3600)
    assert {s["state"] for s in w.admin.get(f"{V}/os-services").json["services"]} == {"up"}


# -- before 2.53: actions in the path ---------------------------------------------------------


def test_disable_and_enable(w: World) -> None:
    answer = w.put("disable", COMPUTE2)
    assert answer.status_int == 200
    assert answer.json == {"service": {**COMPUTE2, "status": "disabled"}}
    shown = w.listed("compute2", "2.1")
    assert (shown["status"], shown["disabled_reason"], shown["id"]) == ("disabled", None, 3)
    assert w.put("enable", COMPUTE2).json == {"service": {**COMPUTE2, "status": "enabled"}}
    assert w.listed("compute2")["status"] == "enabled"


def test_disable_log_reason(w: World) -> None:
    body = {**COMPUTE2, "disabled_reason": "maintenance"}
    answer = w.put("disable-log-reason", body)
    assert answer.json == {"service": {**body, "status": "disabled"}}
    assert w.listed("compute2")["disabled_reason"] == "maintenance"
    # A reason sent to plain 'disable' is accepted and ignored.
    w.put("disable", {**COMPUTE2, "disabled_reason": "x"})
    assert w.listed("compute2")["disabled_reason"] is None


def test_disable_log_reason_needs_the_reason(w: World) -> None:
    answer = w.put("disable-log-reason", COMPUTE2)
    assert (answer.status_int, _message(answer)) == (400, "Missing disabled reason field")


def test_force_down_from_211(w: World) -> None:
    answer = w.put("force-down", {**COMPUTE2, "forced_down": True}, mv="2.1")
    assert answer.status_int == 400
    assert (
        _message(answer) == "Additional properties are not allowed ('forced_down' was unexpected)"
    )
    answer = w.put("force-down", {**COMPUTE2, "forced_down": True}, mv="2.11")
    assert answer.json == {"service": {**COMPUTE2, "forced_down": True}}
    shown = w.listed("compute2", "2.11")
    assert (shown["forced_down"], shown["state"]) == (True, "down")
    answer = w.put("force-down", {**COMPUTE2, "forced_down": "no"}, mv="2.11")
    assert answer.json["service"]["forced_down"] is False
    assert w.listed("compute2")["state"] == "up"


def test_force_down_errors(w: World) -> None:
    answer = w.put("force-down", COMPUTE2, mv="2.11")
    assert (answer.status_int, _message(answer)) == (400, "Missing forced_down field")
    answer = w.put("force-down", {**COMPUTE2, "forced_down": "maybe"}, mv="2.11")
    assert answer.status_int == 400
    assert _message(answer).startswith(
        "Invalid input for field/attribute forced_down. Value: maybe. 'maybe' is not one of"
    )


@pytest.mark.parametrize(
    ("action", "body", "status", "message"),
    [
        (
            "disable",
            {"host": "controller", "binary": "nova-scheduler"},
            400,
            "Updating a nova-scheduler service is not supported. Only nova-compute services "
            "can be updated.",
        ),
        (
            "disable",
            {"host": "nohost", "binary": "nova-compute"},
            404,
            "Host 'nohost' is not mapped to any cell",
        ),
        ("foo", COMPUTE2, 404, "Unknown action"),
        ("disable", {"host": "compute2"}, 400, "'binary' is a required property"),
    ],
)
def test_update_errors_before_253(
    w: World, action: str, body: Any, status: int, message: str
) -> None:
    answer = w.put(action, body)
    assert (answer.status_int, _message(answer)) == (status, message)


def test_members_may_not_update_but_bad_bodies_are_400_first(w: World) -> None:
    answer = w.put("disable", COMPUTE2, who="demo")
    assert answer.status_int == 403
    assert _message(answer) == (
        "Policy doesn't allow os_compute_api:os-services:update to be performed."
    )
    assert w.put("disable", {"host": "compute2"}, who="demo").status_int == 400


# -- 2.53: uuids ----------------------------------------------------------------------------


def test_put_253_disables_with_a_reason_and_answers_the_service(w: World) -> None:
    uuid = w.service().uuid
    answer = w.put(uuid, {"status": "disabled", "disabled_reason": "rolling update"}, mv="2.53")
    assert answer.status_int == 200
    service = answer.json["service"]
    assert service["id"] == uuid
    assert (service["status"], service["disabled_reason"]) == ("disabled", "rolling update")
    assert service["updated_at"] == w.compute.clock.now.replace(tzinfo=None).isoformat(
        timespec="microseconds"
    )
    assert w.put(uuid, {"status": "enabled"}, mv="2.53").json["service"]["status"] == "enabled"


def test_put_253_forced_down(w: World) -> None:
    uuid = w.service().uuid
    service = w.put(uuid, {"forced_down": True}, mv="2.53").json["service"]
    assert (service["forced_down"], service["state"]) == (True, "down")
    assert w.put(uuid, {"forced_down": False}, mv="2.53").json["service"]["state"] == "up"


@pytest.mark.parametrize(
    ("target", "body", "status", "message"),
    [
        (
            "compute2",
            {"status": "enabled", "disabled_reason": "x"},
            400,
            "Specifying 'disabled_reason' with status 'enabled' is invalid.",
        ),
        (
            "compute2",
            {},
            400,
            "No updates were requested. Fields 'status' or 'forced_down' should be specified.",
        ),
        (
            "controller",
            {"status": "disabled"},
            400,
            "Updating a nova-scheduler service is not supported. Only nova-compute services "
            "can be updated.",
        ),
        ("not-a-uuid", {"status": "disabled"}, 400, "Invalid uuid not-a-uuid"),
        (
            "e0e8b8a6-6b5b-4f0b-9d4f-1b0a3c0d0e0f",
            {"status": "disabled"},
            404,
            "Service e0e8b8a6-6b5b-4f0b-9d4f-1b0a3c0d0e0f could not be found.",
        ),
        (
            "disable",
            COMPUTE2,
            400,
            "Additional properties are not allowed ('binary', 'host' were unexpected)",
        ),
        ("disable", {}, 400, "Invalid uuid disable"),
    ],
)
def test_put_253_errors(w: World, target: str, body: Any, status: int, message: str) -> None:
    path = target
    if target == "compute2":
        path = w.service().uuid
    elif target == "controller":
        path = w.compute.service_by_host("controller", "nova-scheduler").uuid
    answer = w.put(path, body, mv="2.53")
    assert (answer.status_int, _message(answer)) == (status, message)


def test_put_253_checks_the_uuid_before_policy(w: World) -> None:
    assert w.put("not-a-uuid", {"status": "disabled"}, mv="2.53", who="demo").status_int == 400
    assert w.put(w.service().uuid, {"status": "disabled"}, mv="2.53", who="demo").status_int == 403


def test_list_query_is_strict_from_275(w: World) -> None:
    answer = w.admin.get(f"{V}/os-services?foo=bar", microversion="2.75")
    assert (answer.status_int, _message(answer)) == (
        400,
        "Additional properties are not allowed ('foo' was unexpected)",
    )
    assert w.admin.get(f"{V}/os-services?foo=bar", microversion="2.74").status_int == 200


# -- delete -------------------------------------------------------------------------------------


def test_delete_refuses_a_compute_hosting_servers(w: World) -> None:
    uuid = w.service("compute1").uuid
    answer = w.admin.delete(f"{V}/os-services/{uuid}", microversion="2.53")
    assert (answer.status_int, _message(answer)) == (
        409,
        "Unable to delete compute service that is hosting instances. Migrate or delete the "
        "instances first.",
    )


def test_delete_an_empty_compute(w: World) -> None:
    uuid = w.service("compute2").uuid
    answer = w.admin.delete(f"{V}/os-services/{uuid}", microversion="2.53")
    assert answer.status_int == 204
    hosts = {s["host"] for s in w.admin.get(f"{V}/os-services").json["services"]}
    assert "compute2" not in hosts
    assert "compute2" not in {h.name for h in w.compute.schedulable_hosts()}


@pytest.mark.parametrize(
    ("service_id", "mv", "status", "message"),
    [
        ("abc", "2.1", 400, "Invalid input received: id must be an integer"),
        ("abc", "2.53", 400, "Invalid uuid abc"),
        ("999", "2.1", 404, "Service 999 not found."),
        # Every cell has a service 1: an integer id is ambiguous across cells.
        ("1", "2.1", 400, "Service id 1 refers to multiple services."),
        (
            "e0e8b8a6-6b5b-4f0b-9d4f-1b0a3c0d0e0f",
            "2.53",
            404,
            "Service e0e8b8a6-6b5b-4f0b-9d4f-1b0a3c0d0e0f not found.",
        ),
    ],
)
def test_delete_errors(w: World, service_id: str, mv: str, status: int, message: str) -> None:
    answer = w.admin.delete(f"{V}/os-services/{service_id}", microversion=mv)
    assert (answer.status_int, _message(answer)) == (status, message)


def test_delete_is_admin_only(w: World) -> None:
    answer = w.demo.delete(f"{V}/os-services/abc", microversion="2.53")
    assert (answer.status_int, _message(answer)) == (
        403,
        "Policy doesn't allow os_compute_api:os-services:delete to be performed.",
    )


def test_forcing_up_is_refused_while_done_evacuations_remain(w: World) -> None:
    uuid = w.service("compute1").uuid
    w.put(uuid, {"forced_down": True}, mv="2.53")
    evacuated = w.admin.post(
        f"{V}/servers/{w.vm.uuid}/action", {"evacuate": {}}, microversion="2.95"
    )
    assert evacuated.status_int == 200
    w.admin.get(f"{V}/servers/{w.vm.uuid}")  # settles the evacuation
    assert w.compute.migrations[-1].status == "done"
    answer = w.put(uuid, {"forced_down": False}, mv="2.53")
    assert answer.status_int == 400
    assert _message(answer).startswith("Unable to force up host compute1 as `done` evacuation")
    ops.restart(w.compute, "compute1")
    assert w.compute.migrations[-1].status == "completed"
    assert w.put(uuid, {"forced_down": False}, mv="2.53").status_int == 200


def test_the_cli_disables_with_a_reason_and_forces_down(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        for command in (
            "compute service set --disable --disable-reason maintenance compute2 nova-compute",
            "compute service set --down compute2 nova-compute",
        ):
            done = cloud.openstack(command, user="admin")
            assert (done.exit_code, done.stderr) == (0, "")
    shown = w.listed("compute2")
    assert (shown["status"], shown["disabled_reason"], shown["forced_down"]) == (
        "disabled",
        "maintenance",
        True,
    )
    assert shown["state"] == "down"
