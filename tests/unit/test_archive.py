"""``nova-manage db archive_deleted_rows`` in the fake: what goes, what stays, the options, the
state the cloud keeps afterwards, and ``fakenova manage`` against a served app."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
import webob

from fakenova import manage, testing
from fakenova.compute.models.servers.archive import ArchiveRefused
from fakenova.compute.models.servers.records import Server

V = "/compute/v2.1"
WINDOW = "start=2020-01-01T00:00:00&end=2099-01-01T00:00:00&detailed=1"
ROOT = Path(__file__).resolve().parents[2]


class World(testing.World):
    """demo's vm1 (in web-group) and vm2 deleted on compute1 (cell1), vm4 deleted on compute3
    (cell2); vm3 runs. The clock moves an hour between the deletes of vm1/vm2 and vm4."""

    def __init__(self, **nova: Any) -> None:
        super().__init__(nova=nova)
        group = self.compute.create_server_group("web-group", "affinity", *self.demo_ids())
        self.vm1 = self.boot("vm1", server_group=group)
        self.group = self.compute.server_groups[group]
        self.vm2 = self.boot("vm2")
        self.vm3 = self.boot("vm3")
        self.vm4 = self.boot("vm4", host="compute3")
        self.act({"os-stop": None}, server=self.vm1.uuid)
        self.settle()
        self.before_deletes = self.compute.clock.now
        self.delete(self.vm1, self.vm2)
        self.deleted_at = self.compute.clock.now
        self.compute.clock.advance(3600)
        self.delete(self.vm4)

    def demo_ids(self) -> tuple[str, str]:
        return self.cloud.project_id("demo"), self.cloud.user_id("demo")

    def delete(self, *servers: Server) -> None:
        for server in servers:
            assert self.demo.delete(f"{V}/servers/{server.uuid}").status_int == 204
        self.settle()

    def deleted(self) -> list[str]:
        answer = self.admin.get(f"{V}/servers?deleted=true&all_tenants=1")
        return sorted(s["name"] for s in answer.json["servers"])

    def actions_status(self, server: Server) -> int:
        path = f"{V}/servers/{server.uuid}/os-instance-actions"
        return self.demo.get(path, microversion="2.21").status_int


@pytest.fixture
def w() -> World:
    return World()


def test_deleted_servers_leave_the_api_and_live_ones_stay(w: World) -> None:
    assert w.deleted() == ["vm1", "vm2", "vm4"]
    assert w.actions_status(w.vm1) == 200
    archived = w.archive_deleted_rows()
    assert archived.exit_code == 1
    assert sorted(archived.instances) == sorted([w.vm1.uuid, w.vm2.uuid])
    assert w.deleted() == ["vm4"]  # in cell2, not the default cell
    assert (w.actions_status(w.vm1), w.actions_status(w.vm2)) == (404, 404)
    since = w.admin.get(f"{V}/servers?changes-since=2020-01-01T00:00:00Z&all_tenants=1")
    assert sorted(s["name"] for s in since.json["servers"]) == ["vm3", "vm4"]
    usage = w.admin.get(f"{V}/os-simple-tenant-usage/{w.demo_ids()[0]}?{WINDOW}")
    names = {s["name"] for s in usage.json["tenant_usage"]["server_usages"]}
    assert names == {"vm3", "vm4"}
    assert w.show(server=w.vm3.uuid)["status"] == "ACTIVE"
    assert w.actions_status(w.vm3) == 200


def test_the_report_counts_every_row_an_instance_takes(w: World) -> None:
    archived = w.archive_deleted_rows(all_cells=True)
    tables = archived.tables
    assert tables["cell1.instances"] == 2 and tables["cell2.instances"] == 1
    assert tables["cell1.instance_id_mappings"] == 2
    # vm1: create, stop, delete; vm2: create, delete; each with one event.
    assert tables["cell1.instance_actions"] == tables["cell1.instance_actions_events"] == 5
    assert tables["API_DB.instance_mappings"] == tables["API_DB.request_specs"] == 3
    assert tables["API_DB.instance_group_member"] == 1
    assert w.archive_deleted_rows(all_cells=True).exit_code == 0


def test_nothing_of_an_archived_server_is_left_in_any_index(w: World) -> None:
    gone = w.vm1.uuid
    w.archive_deleted_rows(all_cells=True)
    backend = w.compute
    assert gone not in backend.servers and gone not in backend.records
    index = backend.servers
    assert gone not in index._entries and gone not in index._cell_of  # type: ignore[attr-defined]
    assert all(e[3] != gone for cell in index._cells.values() for e in cell)  # type: ignore[attr-defined]
    assert backend.actions.for_server(gone) == []
    assert all(m.instance_uuid != gone for m in backend.migrations)
    assert gone not in w.group.members
    assert backend.archived_id_mappings == set()
    assert gone not in w.cloud.ids._owned
    assert sorted(backend.servers) == sorted([w.vm3.uuid])


def test_a_soft_deleted_server_survives_and_can_be_restored() -> None:
    w = World(reclaim_instance_interval=3600)
    # vm1, vm2 and vm4 are only soft-deleted: restorable, not deleted rows.
    assert w.archive_deleted_rows(all_cells=True).exit_code == 0
    assert w.show(server=w.vm2.uuid)["status"] == "SOFT_DELETED"
    assert w.act({"restore": None}, server=w.vm2.uuid).status_int == 202
    w.settle()
    assert w.show(server=w.vm2.uuid)["status"] == "ACTIVE"
    assert w.act({"forceDelete": None}, server=w.vm1.uuid).status_int == 202
    w.settle()
    archived = w.archive_deleted_rows(all_cells=True)
    assert archived.instances == [w.vm1.uuid]


def test_before_archives_only_rows_deleted_earlier(w: World) -> None:
    earlier = w.before_deletes
    assert w.archive_deleted_rows(all_cells=True, before=earlier).exit_code == 0
    later = (w.deleted_at + dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    archived = w.archive_deleted_rows(all_cells=True, before=later)
    assert sorted(archived.instances) == sorted([w.vm1.uuid, w.vm2.uuid])  # not vm4, later
    assert w.archive_deleted_rows(all_cells=True).instances == [w.vm4.uuid]


def test_max_rows_is_a_soft_limit_counted_by_table_as_nova_does(w: World) -> None:
    first = w.archive_deleted_rows(max_rows=1)
    assert (first.tables, first.instances, first.exit_code) == ({"instance_id_mappings": 1}, [], 1)
    # One id mapping is left, then an instance counts 1 + its 6 tables of rows: 1 + 7 >= 8.
    second = w.archive_deleted_rows(max_rows=8)
    assert second.tables["instance_id_mappings"] == 1
    assert second.instances == [w.vm1.uuid]
    assert w.deleted() == ["vm2", "vm4"]
    rest = w.archive_deleted_rows(max_rows=1, until_complete=True)
    assert (rest.instances, rest.batches) == ([w.vm2.uuid], 1)
    assert w.deleted() == ["vm4"]


def test_until_complete_repeats_batches_of_max_rows() -> None:
    w = World()
    done = w.archive_deleted_rows(max_rows=1, until_complete=True)
    # Two batches of one id mapping each, then one instance a batch.
    assert (done.instances, done.batches) == ([w.vm1.uuid, w.vm2.uuid], 4)
    assert done.tables["instance_id_mappings"] == 2 and done.tables["instances"] == 2


def test_without_all_cells_only_the_default_cell_is_archived(w: World) -> None:
    w.archive_deleted_rows()
    gone = w.admin.get(f"{V}/servers?deleted=true&all_tenants=1&changes-since=2020-01-01")
    assert [s["name"] for s in gone.json["servers"]] == ["vm4"]
    assert all("." not in t or t.startswith("API_DB.") for t in w.archive_deleted_rows().tables)


def test_refusals_carry_nova_manage_s_exit_codes(w: World) -> None:
    with pytest.raises(ArchiveRefused) as negative:
        w.archive_deleted_rows(max_rows=-1)
    assert negative.value.code == 2
    with pytest.raises(ArchiveRefused) as not_a_date:
        w.archive_deleted_rows(before="the day after")
    assert not_a_date.value.code == 4
    assert w.deleted() == ["vm1", "vm2", "vm4"]


def test_a_request_about_an_archived_server_gets_an_id_never_given_before(w: World) -> None:
    path = f"{V}/servers/{w.vm1.uuid}"
    before = w.demo.get(path).headers["x-openstack-request-id"]
    w.archive_deleted_rows()
    after = w.demo.get(path).headers["x-openstack-request-id"]
    assert after != before
    again = World()  # the same requests in the same order give the same ids
    assert again.demo.get(path).headers["x-openstack-request-id"] == before
    again.archive_deleted_rows()
    assert again.demo.get(path).headers["x-openstack-request-id"] == after


def test_mock_cloud_archives_too() -> None:
    with testing.mock_cloud() as cloud:
        vm = cloud.world.boot("vm1")
        cloud.world.demo.delete(f"{V}/servers/{vm.uuid}")
        cloud.settle()
        assert cloud.archive_deleted_rows().instances == [vm.uuid]


def test_the_operator_endpoint_answers_only_this_machine(w: World) -> None:
    far = webob.Request.blank(
        manage.ARCHIVE_PATH, method="POST", body=b"{}", remote_addr="10.0.0.7"
    )
    assert far.get_response(w.app).status_int == 403
    near = webob.Request.blank(
        manage.ARCHIVE_PATH,
        method="POST",
        body=json.dumps({"verbose": True, "max_rows": -1}).encode(),
        remote_addr="127.0.0.1",
    )
    answer = near.get_response(w.app)
    assert answer.json["exit_code"] == 2
    assert answer.json["output"] == "Must supply a positive value for max_rows\n"
    assert w.deleted() == ["vm1", "vm2", "vm4"]


def test_fakenova_manage_against_a_served_app(tmp_path: Path) -> None:
    from benchmarks import soak

    with soak.serve(tmp_path) as served:
        http = soak.session(served.base, "demo")
        body = {"server": {"name": "s1", "imageRef": soak.IMAGE, "flavorRef": "1"}}
        body["server"]["networks"] = "none"
        made = http.post(f"{served.base}/compute/v2.1/servers", json=body)
        assert made.status_code == 202
        gone = http.delete(f"{served.base}/compute/v2.1/servers/{made.json()['server']['id']}")
        assert gone.status_code == 204
        command = [sys.executable, "-m", "fakenova.cli", "manage", "db", "archive_deleted_rows"]
        command += ["--all-cells", "--verbose", "--url", served.base]
        first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        assert first.returncode == 1, first.stderr
        assert "| cell1.instances " in first.stdout and "| API_DB.request_specs " in first.stdout
        second = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        assert (second.returncode, second.stdout) == (0, "Nothing was archived.\n")
        listed = requests.get(
            f"{served.base}/compute/v2.1/servers?deleted=true&all_tenants=1",
            headers=soak.session(served.base, "admin").headers,
        )
        assert listed.json()["servers"] == []


def test_an_unreachable_cell_is_left_for_a_later_run(w: World) -> None:
    w.compute.set_cell_reachable("cell2", False)
    assert w.vm4.uuid not in w.archive_deleted_rows(all_cells=True).instances
    w.compute.set_cell_reachable("cell2", True)
    assert w.archive_deleted_rows(all_cells=True).instances == [w.vm4.uuid]
