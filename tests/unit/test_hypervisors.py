"""os-hypervisors as Nova 34 answers it: the compute nodes of conf/cloud.yaml with what runs on
them, per microversion (2.28, 2.33, 2.53, 2.75, 2.88), admin-only policies and Nova's texts
(each shape and text observed on the real Nova through the oracle)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakenova import testing
from fakenova.testing import mock_cloud

V = "/compute/v2.1"


class World(testing.World):
    """demo's vm1 (m1.tiny) on compute1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(vm="vm1", **kwargs)

    def get(self, path: str, mv: str | None = None, who: str = "admin") -> Any:
        return self.client(who).get(f"{V}/os-hypervisors{path}", microversion=mv)

    def ok(self, path: str, mv: str | None = None) -> Any:
        answer = self.get(path, mv)
        assert answer.status_int == 200, answer.text
        return answer.json


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


def test_list_names_each_compute_node_by_its_id_in_its_cell(w: World) -> None:
    listed = w.ok("")["hypervisors"]
    assert [(h["hypervisor_hostname"], h["id"]) for h in listed] == [
        ("compute1", 1),
        ("compute2", 2),
        ("compute3", 1),
    ]
    assert listed[0] == {
        "hypervisor_hostname": "compute1",
        "id": 1,
        "state": "up",
        "status": "enabled",
    }


def test_detail_counts_what_runs_on_the_host(w: World) -> None:
    node = w.ok("/1")["hypervisor"]
    assert node["vcpus"] == 8 and node["memory_mb"] == 16384 and node["local_gb"] == 160
    assert (node["vcpus_used"], node["memory_mb_used"], node["local_gb_used"]) == (1, 1024, 1)
    assert (node["free_ram_mb"], node["free_disk_gb"], node["running_vms"]) == (15360, 159, 1)
    assert node["host_ip"] == "192.168.0.11"
    assert node["service"] == {"id": 2, "host": "compute1", "disabled_reason": None}
    assert isinstance(node["cpu_info"], str) and json.loads(node["cpu_info"])["arch"] == "x86_64"
    assert isinstance(w.ok("/1", "2.28")["hypervisor"]["cpu_info"], dict)


def test_253_uses_uuids_and_lists_servers_on_request(w: World) -> None:
    listed = w.ok("?with_servers=true", "2.53")["hypervisors"]
    first = listed[0]
    assert first["servers"] == [{"name": w.vm.instance_name, "uuid": w.vm.uuid}]
    assert "servers" not in listed[1]  # none there: only 2.75 shows an empty list
    node = w.ok(f"/{first['id']}", "2.53")["hypervisor"]
    assert node["id"] == first["id"] and len(node["service"]["id"]) == 36
    assert [h.get("servers") for h in w.ok("?with_servers=1", "2.75")["hypervisors"]][1:] == [
        [],
        [],
    ]
    assert "servers" not in w.ok("?with_servers=false", "2.75")["hypervisors"][1]


def test_288_drops_the_resources_and_adds_uptime(w: World) -> None:
    node = w.ok("/detail", "2.88")["hypervisors"][0]
    assert "vcpus" not in node and "cpu_info" not in node
    assert node["uptime"].startswith(" ") and "load average" in node["uptime"]
    for path in ("/statistics", f"/{node['id']}/uptime"):
        answer = w.get(path, "2.88")
        assert (answer.status_int, _message(answer)) == (404, "The resource could not be found.")


def test_paging_from_233(w: World) -> None:
    page = w.ok("?limit=1", "2.33")
    assert [h["hypervisor_hostname"] for h in page["hypervisors"]] == ["compute1"]
    assert page["hypervisors_links"][0]["href"].endswith("/os-hypervisors?limit=1&marker=1")
    rest = w.ok("?marker=1", "2.33")
    assert [h["hypervisor_hostname"] for h in rest["hypervisors"]] == ["compute2", "compute3"]
    assert "hypervisors_links" not in w.ok("?limit=1")  # 2.1 does not page
    answer = w.get("?marker=99", "2.33")
    assert (answer.status_int, _message(answer)) == (400, "marker [99] not found")


def test_pattern_and_search(w: World) -> None:
    found = w.ok("?hypervisor_hostname_pattern=3", "2.53")["hypervisors"]
    assert [h["hypervisor_hostname"] for h in found] == ["compute3"]
    answer = w.get("?hypervisor_hostname_pattern=zzz", "2.53")
    assert (answer.status_int, _message(answer)) == (
        404,
        "No hypervisor matching 'zzz' could be found.",
    )
    answer = w.get("?hypervisor_hostname_pattern=c&limit=1", "2.53")
    assert answer.status_int == 400 and _message(answer).startswith("The server could not")
    servers = w.ok("/compute1/servers")["hypervisors"]
    assert servers[0]["servers"][0]["uuid"] == w.vm.uuid
    assert w.get("/compute/search", "2.53").status_int == 404


def test_bad_ids_and_queries(w: World) -> None:
    cases = {
        ("/abc", None): (404, "Hypervisor with ID 'abc' could not be found."),
        ("/99", None): (404, "Hypervisor with ID '99' could not be found."),
        ("/1", "2.53"): (400, "Invalid uuid 1"),
        ("?foo=1", "2.53"): (400, "Additional properties are not allowed ('foo' was unexpected)"),
    }
    for (path, mv), expected in cases.items():
        answer = w.get(path, mv)
        assert (answer.status_int, _message(answer)) == expected, path


def test_statistics_count_enabled_hosts_only(w: World) -> None:
    stats = w.ok("/statistics")["hypervisor_statistics"]
    assert (stats["count"], stats["vcpus"], stats["running_vms"]) == (3, 20, 1)
    w.compute.service_by_host("compute3").disabled = True
    stats = w.ok("/statistics")["hypervisor_statistics"]
    assert (stats["count"], stats["vcpus"]) == (2, 16)
    assert w.ok("")["hypervisors"][2]["status"] == "disabled"


def test_uptime_of_a_down_host_is_refused(w: World) -> None:
    w.compute.service_by_host("compute2").forced_down = True
    answer = w.get("/2/uptime")
    assert (answer.status_int, _message(answer)) == (
        400,
        "Compute service of compute2 is unavailable at this time.",
    )
    assert w.ok("/1/uptime")["hypervisor"]["uptime"].endswith("\n")
    node = next(h for h in w.ok("/detail", "2.88")["hypervisors"] if h["state"] == "down")
    assert node["uptime"] is None


@pytest.mark.parametrize("path", ["", "/detail", "/1", "/statistics", "/1/uptime", "/c/search"])
def test_members_are_refused(w: World, path: str) -> None:
    answer = w.get(path, who="demo")
    assert answer.status_int == 403
    assert "os_compute_api:os-hypervisors:" in _message(answer)


def test_openstack_cli(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        listed = cloud.openstack("hypervisor list -f json", user="admin")
        assert listed.exit_code == 0, listed.stderr
        assert [h["Hypervisor Hostname"] for h in json.loads(listed.stdout)] == [
            "compute1",
            "compute2",
            "compute3",
        ]
        stats = cloud.openstack(
            "hypervisor stats show -f json", user="admin", env={"OS_COMPUTE_API_VERSION": "2.87"}
        )
        assert stats.exit_code == 0, stats.stderr
        assert json.loads(stats.stdout)["count"] == 3
        refused = cloud.openstack("hypervisor list", user="demo")
        assert refused.exit_code == 1 and "ForbiddenException: 403" in refused.stderr


def test_novaclient_hypervisor_list(w: World) -> None:
    from novaclient import client as nova_client

    with mock_cloud(world=w) as cloud:
        nova = nova_client.Client("2.53", session=cloud.session("admin"))
        names = [h.hypervisor_hostname for h in nova.hypervisors.list()]
    assert names == ["compute1", "compute2", "compute3"]


def test_an_unreachable_cell_fails_what_asks_it(w: World) -> None:
    w.compute.set_cell_reachable("cell2", False)
    for path, mv in (("", None), ("/statistics", None), ("/3", None), ("?limit=3", "2.33")):
        answer = w.get(path, mv)
        assert answer.status_int == 500, path
        assert _message(answer).endswith("<class 'oslo_db.exception.DBError'>"), path
    page = w.ok("?limit=2", "2.33")["hypervisors"]  # full before cell2 is asked
    assert [h["hypervisor_hostname"] for h in page] == ["compute1", "compute2"]
    assert w.ok("/2")["hypervisor"]["hypervisor_hostname"] == "compute2"


def test_nova_hypervisor_list(w: World) -> None:
    """The ``nova hypervisor-list`` command (novaclient's shell, at its newest microversion)."""
    import contextlib
    import io
    import os
    from unittest import mock

    from novaclient import shell

    out = io.StringIO()
    with mock_cloud(world=w) as cloud:
        env = cloud.env("admin")
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out):
            shell.OpenStackComputeShell().main(["hypervisor-list"])
    rows = [line for line in out.getvalue().splitlines() if "compute" in line]
    assert [row.split("|")[2].strip() for row in rows] == ["compute1", "compute2", "compute3"]
    assert all("up" in row and "enabled" in row for row in rows)
