"""GET /servers/{id}/diagnostics as Nova 34 answers it with a KVM host's libvirt driver:
the driver's dictionary below 2.48, the standard shape from it, admins only, 409s for a guest
that does not run or a server without a host (texts seen on the oracle)."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing


class World(testing.World):
    def __init__(self) -> None:
        super().__init__(vm="vm1")

    def diagnostics(self, who: str = "admin", mv: str | None = None, query: str = "") -> Any:
        return self.client(who).get(f"{self.path}/diagnostics{query}", microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def test_before_248_the_libvirt_dictionary(w: World) -> None:
    body = w.diagnostics().json
    tap = "tap" + w.vm.addresses[0].port_id[:11]  # type: ignore[index]
    assert {"cpu0_time", "memory", "memory-actual", "memory-rss", "vda_read", "vda_errors"} <= set(
        body
    )
    assert f"{tap}_rx" in body and f"{tap}_tx_drop" in body
    assert body["memory"] == w.vm.flavor.memory_mb * 1024
    assert w.diagnostics().json == body  # stable while the clock stands still


def test_from_248_the_standard_shape(w: World) -> None:
    body = w.diagnostics(mv="2.48").json
    assert set(body) == {
        "state", "driver", "hypervisor", "hypervisor_os", "uptime", "config_drive", "num_cpus",
        "num_nics", "num_disks", "disk_details", "cpu_details", "nic_details", "memory_details",
    }  # fmt: skip
    assert (body["state"], body["driver"], body["hypervisor"]) == ("running", "libvirt", "kvm")
    assert body["num_cpus"] == len(body["cpu_details"]) == w.vm.flavor.vcpus
    assert body["nic_details"][0]["mac_address"] == w.vm.addresses[0].mac
    assert body["nic_details"][0]["rx_rate"] is None
    assert body["cpu_details"][0]["utilisation"] is None
    # whole MiB of the domain's KiB, rounded down as Nova's integer fields keep them
    assert body["memory_details"] == {"maximum": w.vm.flavor.memory_mb // 1024} | {
        "used": w.vm.flavor.memory_mb // 1024
    }


def test_admin_only_and_other_projects(w: World) -> None:
    assert testing.fault(w.diagnostics("demo"), 403) == (
        "Policy doesn't allow os_compute_api:os-server-diagnostics to be performed."
    )
    assert testing.fault(w.diagnostics("alt"), 404) == f"Instance {w.vm.uuid} could not be found."


def test_a_stopped_guest_is_refused(w: World) -> None:
    assert w.act({"os-stop": None}).status_int == 202
    w.settle()
    w.diagnostics("admin", "2.1")  # the admin's token, made on first use
    before = testing.snapshot(w.cloud)
    for mv in ("2.1", "2.48"):
        assert testing.fault(w.diagnostics(mv=mv), 409) == (
            f"Cannot 'get_diagnostics' instance {w.vm.uuid} while it is in power state shutdown"
        )
    assert testing.snapshot(w.cloud) == before


def test_a_deleted_server_is_not_found(w: World) -> None:
    assert w.demo.delete(w.path).status_int == 204
    w.settle()
    assert testing.fault(w.diagnostics(mv="2.48"), 404) == (
        f"Instance {w.vm.uuid} could not be found."
    )


def test_query_refused_from_2102(w: World) -> None:
    assert w.diagnostics(mv="2.101", query="?foo=1").status_int == 200
    assert testing.fault(w.diagnostics(mv="2.102", query="?foo=1"), 400) == (
        "Additional properties are not allowed ('foo' was unexpected)"
    )


def test_sdk_and_cli_read_diagnostics() -> None:
    world = World()
    with testing.mock_cloud(world=world) as cloud:
        shown = cloud.openstack(
            ["server", "show", "--diagnostics", "-f", "json", world.vm.uuid], user="admin"
        )
        assert shown.exit_code == 0, shown.stderr
        assert "cpu0_time" in shown.stdout or "cpu_details" in shown.stdout
