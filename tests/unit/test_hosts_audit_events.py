"""os-hosts, os-instance_usage_audit_log and os-server-external-events as Nova 34 answers them
for this libvirt deployment (each shape and text observed on the real Nova through the oracle
and the fidelity scenarios ``hosts``, ``usage-audit-log`` and ``external-events``), and the
real clients that use them: ``openstack host``, novaclient, openstacksdk."""

from __future__ import annotations

import contextlib
import io
import json
import os
import warnings
from typing import Any
from unittest import mock

import pytest
from openstack.warnings import RemovedInSDK50Warning

from fakenova import testing
from fakenova.testing import fault, mock_cloud

V = "/compute/v2.1"
UNKNOWN = "8a8b4f3c-1111-4222-8333-444455556666"


class World(testing.World):
    """demo's vm1 (m1.tiny) on compute1, alt_demo's vm2 (m1.small) there too."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(vm="vm1", **kwargs)
        self.vm2 = self.boot("vm2", owner="alt_demo", flavor="2")

    def get(self, path: str, mv: str | None = None, who: str = "admin") -> Any:
        return self.client(who).get(V + path, microversion=mv)

    def ok(self, path: str, mv: str | None = None) -> Any:
        answer = self.get(path, mv)
        assert answer.status_int == 200, answer.text
        return answer.json

    def events(
        self, events: list[dict[str, Any]], mv: str | None = None, who: str = "admin"
    ) -> Any:
        return self.client(who).post(
            f"{V}/os-server-external-events", {"events": events}, microversion=mv
        )


@pytest.fixture
def w() -> World:
    return World()


# -- os-hosts ---------------------------------------------------------------------------------


def test_hosts_list_every_enabled_service_by_host_with_its_zone(w: World) -> None:
    hosts = w.ok("/os-hosts")["hosts"]
    assert hosts[:2] == [
        {"host_name": "controller", "service": "scheduler", "zone": "internal"},
        {"host_name": "controller", "service": "conductor", "zone": "internal"},
    ]
    computes = [h["host_name"] for h in hosts if h["service"] == "compute"]
    assert computes == ["compute1", "compute2", "compute3"]
    assert [h["host_name"] for h in w.ok("/os-hosts?zone=nova")["hosts"]] == computes
    assert w.ok("/os-hosts?zone=nowhere&zone=nova") == w.ok("/os-hosts?zone=nova")
    assert w.ok("/os-hosts?zone=") == w.ok("/os-hosts")
    w.compute.service_by_host("compute2").disabled = True
    w.compute.set_cell_reachable("cell2", False)
    left = [h["host_name"] for h in w.ok("/os-hosts?zone=nova")["hosts"]]
    assert left == ["compute1"]


def test_a_host_shows_its_node_and_its_servers_flavors_per_project(w: World) -> None:
    rows = [r["resource"] for r in w.ok("/os-hosts/compute1")["host"]]
    total, now, most, *projects = rows
    assert (total["project"], total["cpu"], total["memory_mb"], total["disk_gb"]) == (
        "(total)",
        8,
        16384,
        160,
    )
    # used now counts the memory Nova reserves for the host
    assert (now["cpu"], now["memory_mb"], now["disk_gb"]) == (2, 512 + 512 + 2048, 21)
    assert (most["cpu"], most["memory_mb"], most["disk_gb"]) == (2, 2560, 21)
    assert [(p["project"], p["memory_mb"]) for p in projects] == [
        (w.vm.project_id, 512),
        (w.vm2.project_id, 2048),
    ]
    assert all(r["host"] == "compute1" for r in rows)
    empty = [r["resource"] for r in w.ok("/os-hosts/compute3")["host"]]
    assert [r["project"] for r in empty] == ["(total)", "(used_now)", "(used_max)"]


def test_enabling_a_host_answers_without_changing_its_service(w: World) -> None:
    answer = w.admin.put(f"{V}/os-hosts/compute1", {"status": "Disable"})
    assert (answer.status_int, answer.json) == (200, {"host": "compute1", "status": "disabled"})
    assert not w.compute.service_by_host("compute1").disabled


@pytest.mark.parametrize(
    "body", [{"maintenance_mode": "enable"}, {"status": "enable", "maintenance_mode": "DISABLE"}]
)
def test_libvirt_has_no_maintenance_mode(w: World, body: dict[str, str]) -> None:
    answer = w.admin.put(f"{V}/os-hosts/compute1", body)
    assert fault(answer, 501) == "The requested functionality is not supported."
    assert answer.json["notImplemented"]["code"] == 501


@pytest.mark.parametrize("action", ["startup", "shutdown", "reboot"])
def test_libvirt_has_no_host_power_actions(w: World, action: str) -> None:
    assert fault(w.get(f"/os-hosts/compute2/{action}"), 501).startswith("The requested")


def test_a_stopped_compute_never_answers(w: World) -> None:
    w.compute.stop_reporting("compute2")
    answer = w.admin.put(f"{V}/os-hosts/compute2", {"status": "enable"})
    assert fault(answer, 500).endswith("<class 'oslo_messaging.exceptions.MessagingTimeout'>")
    assert fault(w.get("/os-hosts/compute2/reboot"), 500).endswith("MessagingTimeout'>")


@pytest.mark.parametrize("path", ["/os-hosts/nowhere", "/os-hosts/controller"])
def test_only_mapped_hosts_are_found(w: World, path: str) -> None:
    name = path.rsplit("/", 1)[1]
    expected = f"Host '{name}' is not mapped to any cell"
    assert fault(w.get(path), 404) == expected
    assert fault(w.get(path + "/reboot"), 404) == expected
    assert fault(w.admin.put(V + path, {"status": "enable"}), 404) == expected


def test_hosts_refusals(w: World) -> None:
    for path in ("/os-hosts", "/os-hosts/compute1", "/os-hosts/compute1/reboot"):
        assert fault(w.get(path, "2.43"), 404) == "The resource could not be found."
        assert "os_compute_api:os-hosts:" in fault(w.get(path, who="demo"), 403)
    # Nova's empty query schema for these routes cannot be read: any parameter is a 500
    assert fault(w.get("/os-hosts/compute1?x=1"), 500).endswith("<class 'KeyError'>")
    bad = w.client("demo").put(f"{V}/os-hosts/compute1", {"status": "on"})
    assert fault(bad, 400).startswith("Invalid input for field/attribute status. Value: on.")
    empty = w.admin.put(f"{V}/os-hosts/compute1", {})
    assert fault(empty, 400) == "{} is not valid under any of the given schemas"


def test_host_cell_unreachable_is_a_database_error(w: World) -> None:
    w.compute.set_cell_reachable("cell2", False)
    assert fault(w.get("/os-hosts/compute3"), 500).endswith("oslo_db.exception.DBError'>")


def test_openstack_host_commands(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        listed = cloud.openstack("host list --zone nova -f json", user="admin")
        assert listed.exit_code == 0, listed.stderr
        assert [h["Host Name"] for h in json.loads(listed.stdout)] == [
            "compute1",
            "compute2",
            "compute3",
        ]
        shown = cloud.openstack("host show compute1 -f json", user="admin")
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)[0] == {
            "Host": "compute1",
            "Project": "(total)",
            "CPU": 8,
            "Memory MB": 16384,
            "Disk GB": 160,
        }
        assert cloud.openstack("host set --disable compute1", user="admin").exit_code == 0
        refused = cloud.openstack("host set --enable-maintenance compute1", user="admin")
        assert refused.exit_code == 1 and "501" in refused.stderr


# -- os-instance_usage_audit_log ----------------------------------------------------------------


def test_audit_log_of_the_last_month_with_no_host_run(w: World) -> None:
    log = w.ok("/os-instance_usage_audit_log")["instance_usage_audit_logs"]
    # The clock is in November 2026: the last completed month is October.
    assert (log["period_beginning"], log["period_ending"]) == (
        "2026-10-01 00:00:00",
        "2026-11-01 00:00:00",
    )
    # The API's own database is cell1's: its computes, disabled or not, none run
    assert log["hosts_not_run"] == ["compute1", "compute2"]
    assert (log["num_hosts"], log["num_hosts_done"], log["num_hosts_not_run"]) == (2, 0, 2)
    assert log["overall_status"] == "0 of 2 hosts done. 0 errors."
    assert (log["log"], log["total_instances"], log["total_errors"]) == ({}, 0, 0)


@pytest.mark.parametrize(
    ("before", "beginning"),
    [
        ("2026-01-15%2000:00:00", "2025-12-01 00:00:00"),
        ("2026-03-01%2000:00:00", "2026-01-01 00:00:00"),
        ("2026-03-01%2000:00:00.5", "2026-02-01 00:00:00"),
    ],
)
def test_audit_log_before_a_timestamp(w: World, before: str, beginning: str) -> None:
    log = w.ok(f"/os-instance_usage_audit_log/{before}")["instance_usage_audit_log"]
    assert log["period_beginning"] == beginning


def test_audit_log_refusals(w: World) -> None:
    for value in ("yesterday", "2026-11-15T10:00:00", "2026-02-30 10:00:00", "2026-11-15"):
        answer = w.get("/os-instance_usage_audit_log/" + value.replace(" ", "%20"))
        assert fault(answer, 400) == f"Invalid timestamp for date {value}"
    assert w.get("/os-instance_usage_audit_log?foo=1", "2.101").status_int == 200
    strict = w.get("/os-instance_usage_audit_log?foo=1", "2.102")
    assert fault(strict, 400) == "Additional properties are not allowed ('foo' was unexpected)"
    member = w.get("/os-instance_usage_audit_log/yesterday", who="demo")
    assert "os-instance-usage-audit-log:show" in fault(member, 403)


def test_nova_instance_usage_audit_log(w: World) -> None:
    out = io.StringIO()
    with mock_cloud(world=w) as cloud:
        from novaclient import client as nova_client
        from novaclient import shell

        nova = nova_client.Client("2.1", session=cloud.session("admin"))
        log = nova.instance_usage_audit_log.get(before="2026-03-01 00:00:01")
        assert log.period_ending == "2026-03-01 00:00:00"
        with mock.patch.dict(os.environ, cloud.env("admin")), contextlib.redirect_stdout(out):
            shell.OpenStackComputeShell().main(["instance-usage-audit-log"])
    assert "0 of 2 hosts done. 0 errors." in out.getvalue()


# -- os-server-external-events ----------------------------------------------------------------


def test_each_event_is_answered_on_its_own(w: World) -> None:
    w.compute.set_cell_reachable("cell2", True)
    sent = [
        {"name": "network-vif-plugged", "server_uuid": w.vm.uuid, "tag": "p", "status": "failed"},
        {"name": "network-changed", "server_uuid": UNKNOWN},
        {"name": "volume-extended", "server_uuid": w.vm.uuid},
    ]
    answer = w.events(sent, "2.51")
    assert answer.status_int == 207
    assert [(e["status"], e["code"]) for e in answer.json["events"]] == [
        ("completed", 200),
        ("failed", 404),
        ("failed", 400),
    ]
    assert answer.json["events"][0]["tag"] == "p" and "tag" not in answer.json["events"][1]
    alone = w.events([{"name": "network-changed", "server_uuid": w.vm.uuid}])
    assert alone.status_int == 200


def test_a_server_without_a_host_cannot_take_events(w: World) -> None:
    w.act({"shelve": None})
    w.settle()
    answer = w.events([{"name": "network-changed", "server_uuid": w.vm.uuid}])
    assert (answer.status_int, answer.json["events"][0]["code"]) == (207, 422)


def test_names_per_microversion(w: World) -> None:
    for name, last, first in (
        ("volume-extended", "2.50", "2.51"),
        ("power-update", "2.75", "2.76"),
        ("accelerator-request-bound", "2.81", "2.82"),
        ("volume-reimaged", "2.92", "2.93"),
    ):
        event = {"name": name, "server_uuid": w.vm.uuid, "tag": "t"}
        assert fault(w.events([event], last), 400).startswith("Invalid input for field/attribute")
        assert w.events([event], first).status_int == 200, name
    assert "os-server-external-events:create" in fault(
        w.events([{"name": "network-changed", "server_uuid": w.vm.uuid}], who="demo"), 403
    )


def _actions(w: World) -> list[dict[str, Any]]:
    return w.ok(f"/servers/{w.vm.uuid}/os-instance-actions", "2.84")["instanceActions"]


def test_power_update_records_an_action_a_libvirt_host_cannot_apply(w: World) -> None:
    answer = w.events(
        [{"name": "power-update", "server_uuid": w.vm.uuid, "tag": "POWER_OFF"}], "2.76"
    )
    assert answer.status_int == 200
    w.settle()
    action = _actions(w)[0]
    assert (action["action"], action["message"]) == ("stop", "Error")
    shown = w.ok(f"/servers/{w.vm.uuid}/os-instance-actions/{action['request_id']}", "2.84")
    event = shown["instanceAction"]["events"][0]
    assert (event["event"], event["result"], event["details"]) == (
        "compute_power_update",
        "Error",
        "NotImplementedError",
    )
    assert event["traceback"].rstrip().endswith("raise NotImplementedError()")
    server = w.show(mv="2.47")
    assert (server["status"], server["OS-EXT-STS:task_state"]) == ("ACTIVE", None)
    # Already running: a no-op that succeeds; an unknown tag records nothing.
    w.events([{"name": "power-update", "server_uuid": w.vm.uuid, "tag": "POWER_ON"}], "2.76")
    w.events([{"name": "power-update", "server_uuid": w.vm.uuid, "tag": "UP"}], "2.76")
    w.settle()
    actions = _actions(w)
    assert [(a["action"], a["message"]) for a in actions[:2]] == [
        ("start", None),
        ("stop", "Error"),
    ]


def test_volume_extended_records_an_action(w: World) -> None:
    event = {"name": "volume-extended", "server_uuid": w.vm.uuid, "tag": UNKNOWN}
    assert w.events([event], "2.51").status_int == 200
    w.settle()
    assert _actions(w)[0]["action"] == "extend_volume"


def test_a_stopped_compute_takes_the_event_when_it_starts(w: World) -> None:
    w.compute.stop_reporting("compute1")
    w.events([{"name": "volume-extended", "server_uuid": w.vm.uuid, "tag": "v"}], "2.51")
    w.settle()
    request = _actions(w)[0]["request_id"]
    show = f"/servers/{w.vm.uuid}/os-instance-actions/{request}"
    assert w.ok(show, "2.84")["instanceAction"]["events"] == []
    w.compute.start_reporting("compute1")
    w.settle()
    assert w.ok(show, "2.84")["instanceAction"]["events"][0]["result"] == "Success"


def test_clients_send_external_events(w: World) -> None:
    from novaclient import client as nova_client

    with mock_cloud(world=w) as cloud:
        conn = cloud.connect("admin")
        sent = [{"name": "network-changed", "server_uuid": w.vm.uuid}]
        with warnings.catch_warnings():
            # the SDK's bulk create calls a method of its own it deprecated
            warnings.simplefilter("ignore", RemovedInSDK50Warning)
            made = list(conn.compute.create_server_external_events(sent))
        assert [(e.name, e.code, e.status) for e in made] == [("network-changed", 200, "completed")]
        nova = nova_client.Client("2.1", session=cloud.session("admin"))
        answered = nova.server_external_events.create(
            [{"name": "network-vif-plugged", "server_uuid": UNKNOWN, "tag": "p"}]
        )
        assert [(e["code"], e["status"]) for e in answered] == [(404, "failed")]


def test_vif_deleted_drops_the_address_but_not_the_port(w: World) -> None:
    port = w.vm.addresses[0].port_id
    other = {"name": "network-vif-deleted", "server_uuid": w.vm.uuid, "tag": UNKNOWN}
    w.events([other])
    w.settle()
    assert w.show()["addresses"]
    w.events([{"name": "network-vif-deleted", "server_uuid": w.vm.uuid, "tag": port}])
    w.settle()
    shown = w.show()
    assert shown["addresses"] == {}
    attached = w.ok(f"/servers/{w.vm.uuid}/os-interface")["interfaceAttachments"]
    assert [a["port_id"] for a in attached] == [port]
    w.events([{"name": "network-changed", "server_uuid": w.vm.uuid, "tag": port}])
    w.settle()
    assert w.show()["addresses"] == {}  # a refresh reads only the ports the cache holds


@pytest.mark.parametrize(
    ("unit", "beginning", "ending"),
    [
        ("month", "2026-10-01 00:00:00", "2026-11-01 00:00:00"),
        ("month@15", "2026-09-15 00:00:00", "2026-10-15 00:00:00"),
        ("day", "2026-11-01 00:00:00", "2026-11-02 00:00:00"),
        ("day@12", "2026-10-31 12:00:00", "2026-11-01 12:00:00"),
        ("hour", "2026-11-02 08:00:00", "2026-11-02 09:00:00"),
        ("year@3", "2025-03-01 00:00:00", "2026-03-01 00:00:00"),
    ],
)
def test_audit_period_follows_nova_conf(unit: str, beginning: str, ending: str) -> None:
    """The cloud's clock is just past 2026-11-02 09:00: a period ending later is not over."""
    world = World(nova={"instance_usage_audit_period": unit})
    log = world.ok("/os-instance_usage_audit_log")["instance_usage_audit_logs"]
    assert (log["period_beginning"], log["period_ending"]) == (beginning, ending)
