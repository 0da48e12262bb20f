"""The smaller compute routes as Nova 34 answers them: availability zones, a server's
addresses and password, the extension list and volume attachments (every status and text
below was seen on the real Nova through the oracle; ``fidelity/scenarios/small_routes.yaml``
replays them), and what the real clients make of them."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from fakenova import testing
from fakenova.testing import fault, mock_cloud, snapshot

V = "/compute/v2.1"
UNKNOWN = "b4d5e9a5-4d3b-4a49-9c43-2a6a3c1f0a11"
EXTRA = "Additional properties are not allowed ('foo' was unexpected)"

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


@pytest.fixture
def w() -> testing.World:
    return testing.World(vm="vm1")


def _zones(answer: Any) -> list[tuple[str, bool, Any]]:
    assert answer.status_int == 200, answer.text
    return [
        (z["zoneName"], z["zoneState"]["available"], z["hosts"])
        for z in answer.json["availabilityZoneInfo"]
    ]


# -- availability zones -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["demo", "alt", "admin", "reader"])
def test_anyone_lists_the_zones_without_hosts(who: str) -> None:
    w = testing.World(reader=True)
    assert _zones(w.client(who).get(f"{V}/os-availability-zone")) == [("nova", True, None)]


def test_the_detailed_zones_are_for_admins(w: testing.World) -> None:
    answer = w.demo.get(f"{V}/os-availability-zone/detail")
    assert fault(answer, 403) == (
        "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed."
    )


def test_the_detail_shows_the_internal_zone_and_each_host_services(w: testing.World) -> None:
    zones = {
        name: (up, hosts)
        for name, up, hosts in _zones(w.admin.get(f"{V}/os-availability-zone/detail"))
    }
    assert list(zones) == ["internal", "nova"]
    up, hosts = zones["internal"]
    assert up and set(hosts) == {"controller", "cell1-conductor", "cell2-conductor"}
    assert list(hosts["controller"]) == ["nova-scheduler", "nova-conductor"]
    up, hosts = zones["nova"]
    assert set(hosts) == {"compute1", "compute2", "compute3"}
    state = hosts["compute1"]["nova-compute"]
    assert (state["available"], state["active"]) == (True, True)
    assert len(state["updated_at"]) == len("2026-11-02T09:00:30.000000")


def test_a_disabled_service_leaves_the_detail_and_a_stopped_one_is_not_available(
    w: testing.World,
) -> None:
    body = {"host": "compute3", "binary": "nova-compute"}
    assert w.admin.put(f"{V}/os-services/disable", body).status_int == 200
    w.compute.stop_reporting("compute2")
    w.compute.clock.advance(120)
    zones = {n: h for n, _, h in _zones(w.admin.get(f"{V}/os-availability-zone/detail"))}
    assert set(zones["nova"]) == {"compute1", "compute2"}
    assert zones["nova"]["compute2"]["nova-compute"]["available"] is False
    assert _zones(w.demo.get(f"{V}/os-availability-zone")) == [("nova", True, None)]


def test_a_zone_whose_services_are_all_disabled_is_not_available(w: testing.World) -> None:
    for host in ("compute1", "compute2", "compute3"):
        body = {"host": host, "binary": "nova-compute"}
        assert w.admin.put(f"{V}/os-services/disable", body).status_int == 200
    assert _zones(w.demo.get(f"{V}/os-availability-zone")) == [("nova", False, None)]
    detail = _zones(w.admin.get(f"{V}/os-availability-zone/detail"))
    assert detail[-1] == ("nova", False, None)


def test_an_unreachable_cell_hides_its_hosts() -> None:
    w = testing.World("down-cells")
    w.compute.set_cell_reachable("cell2", False)
    zones = {n: h for n, _, h in _zones(w.admin.get(f"{V}/os-availability-zone/detail"))}
    assert set(zones["nova"]) == {"compute1", "compute2"}
    assert "cell2-conductor" not in zones["internal"]


@pytest.mark.parametrize("path", ["/os-availability-zone", "/os-availability-zone/detail"])
def test_unknown_zone_query_parameters_are_refused_from_2_102(path: str) -> None:
    w = testing.World()
    assert w.admin.get(f"{V}{path}?foo=1", microversion="2.101").status_int == 200
    assert fault(w.admin.get(f"{V}{path}?foo=1", microversion="2.102"), 400) == EXTRA
    # checked before policy: a member gets the 400 too
    assert fault(w.demo.get(f"{V}{path}?foo=1", microversion="2.102"), 400) == EXTRA


# -- addresses ------------------------------------------------------------------------------


def test_a_server_addresses_by_network(w: testing.World) -> None:
    (address,) = w.vm.addresses
    expected = [{"version": 4, "addr": address.addr}]
    for who in ("demo", "admin"):
        answer = w.client(who).get(f"{w.path}/ips")
        assert answer.status_int == 200
        assert answer.json == {"addresses": {"private": expected}}
    assert w.demo.get(f"{w.path}/ips/private").json == {"private": expected}


def test_addresses_of_an_unknown_network_or_server_or_another_project(w: testing.World) -> None:
    demo, alt = w.demo, w.alt  # their tokens first: a login is no change
    before = snapshot(w.cloud)
    assert fault(demo.get(f"{w.path}/ips/public"), 404) == (
        "Instance is not a member of specified network"
    )
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(alt.get(f"{w.path}/ips"), 404) == gone
    assert fault(alt.get(f"{w.path}/ips/private"), 404) == gone
    assert fault(w.demo.get(f"{V}/servers/{UNKNOWN}/ips"), 404) == (
        f"Instance {UNKNOWN} could not be found."
    )
    assert snapshot(w.cloud) == before


def test_address_queries_are_strict_from_2_102(w: testing.World) -> None:
    assert w.demo.get(f"{w.path}/ips?foo=1", microversion="2.101").status_int == 200
    assert fault(w.demo.get(f"{w.path}/ips?foo=1", microversion="2.102"), 400) == EXTRA
    answer = w.demo.get(f"{w.path}/ips/private?foo=1", microversion="2.102")
    assert fault(answer, 400) == EXTRA


# -- server password ------------------------------------------------------------------------


def test_no_password_was_posted_and_clearing_changes_nothing(w: testing.World) -> None:
    assert w.demo.get(f"{w.path}/os-server-password").json == {"password": ""}
    assert w.admin.get(f"{w.path}/os-server-password").json == {"password": ""}
    before = snapshot(w.cloud)
    for who in ("demo", "admin"):
        answer = w.client(who).delete(f"{w.path}/os-server-password")
        assert (answer.status_int, answer.body) == (204, b"")
    # the clear never checks its query
    assert (
        w.demo.delete(f"{w.path}/os-server-password?foo=1", microversion="2.102").status_int == 204
    )
    assert snapshot(w.cloud) == before
    assert w.demo.get(f"{w.path}/os-server-password").json == {"password": ""}


def test_password_refusals(w: testing.World) -> None:
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.alt.get(f"{w.path}/os-server-password"), 404) == gone
    assert fault(w.alt.delete(f"{w.path}/os-server-password"), 404) == gone
    answer = w.demo.get(f"{w.path}/os-server-password?foo=1", microversion="2.102")
    assert fault(answer, 400) == EXTRA


def test_a_reader_reads_the_password_but_does_not_clear_it() -> None:
    w = testing.World(vm="vm1", reader=True)
    assert w.reader.get(f"{w.path}/os-server-password").status_int == 200
    assert fault(w.reader.delete(f"{w.path}/os-server-password"), 403) == (
        "Policy doesn't allow os_compute_api:os-server-password:clear to be performed."
    )


# -- extensions -----------------------------------------------------------------------------


def test_the_extension_list_and_one_extension() -> None:
    w = testing.World()
    listed = w.demo.get(f"{V}/extensions", microversion="2.104").json["extensions"]
    assert len(listed) == 99
    assert listed[0]["alias"] == "NMN"
    aliases = [e["alias"] for e in listed]
    assert "os-keypairs" in aliases and "OS-EXT-AZ" in aliases
    assert w.alt.get(f"{V}/extensions/os-keypairs").json == {
        "extension": {
            "alias": "os-keypairs",
            "description": "Keypair Support.",
            "links": [],
            "name": "Keypairs",
            "namespace": "http://docs.openstack.org/compute/ext/fake_xml",
            "updated": "2014-12-03T00:00:00Z",
        }
    }
    assert fault(w.demo.get(f"{V}/extensions/os-nothing"), 404) == (
        "The resource could not be found."
    )
    assert fault(w.demo.get(f"{V}/extensions?foo=1", microversion="2.102"), 400) == EXTRA
    answer = w.demo.get(f"{V}/extensions/os-keypairs?foo=1", microversion="2.102")
    assert fault(answer, 400) == EXTRA


# -- volume attachments ---------------------------------------------------------------------


@pytest.mark.parametrize("mv", ["2.1", "2.70", "2.79", "2.89", "2.104"])
def test_a_server_has_no_volume_attachments(w: testing.World, mv: str) -> None:
    for who in ("demo", "admin"):
        answer = w.client(who).get(f"{w.path}/os-volume_attachments", microversion=mv)
        assert answer.json == {"volumeAttachments": []}
    answer = w.demo.get(f"{w.path}/os-volume_attachments?limit=1&offset=2", microversion=mv)
    assert answer.json == {"volumeAttachments": []}


def test_volume_attachment_list_refusals(w: testing.World) -> None:
    path = f"{w.path}/os-volume_attachments"
    assert fault(w.demo.get(f"{path}?limit=-1"), 400) == (
        "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"
    )
    assert fault(w.demo.get(f"{path}?offset=a"), 400) == (
        "Invalid input for query parameters offset. Value: a. 'a' does not match '^[0-9]*$'"
    )
    assert w.demo.get(f"{path}?foo=1", microversion="2.74").status_int == 200
    assert fault(w.demo.get(f"{path}?foo=1", microversion="2.75"), 400) == EXTRA
    assert fault(w.alt.get(path), 404) == f"Instance {w.vm.uuid} could not be found."
    assert fault(w.demo.get(f"{V}/servers/{UNKNOWN}/os-volume_attachments"), 404) == (
        f"Instance {UNKNOWN} could not be found."
    )


@pytest.mark.parametrize("volume", [UNKNOWN, "vol1"])
def test_no_volume_is_attached(w: testing.World, volume: str) -> None:
    path = f"{w.path}/os-volume_attachments/{volume}"
    expected = f"Instance {w.vm.uuid} is not attached to volume {volume}"
    assert fault(w.demo.get(path), 404) == expected
    assert fault(w.admin.get(path), 404) == expected
    # the show never checks its query
    assert fault(w.demo.get(f"{path}?foo=1", microversion="2.102"), 404) == expected
    assert fault(w.alt.get(path), 404) == f"Instance {w.vm.uuid} could not be found."


# -- the real clients -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cloud() -> Iterator[Any]:
    """The down cells page's cloud, reached by the real clients in this process."""
    with mock_cloud("down-cells") as cloud:
        yield cloud


def test_openstack_availability_zone_list(cloud: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command logs the Network API's absence at debug level with a format string that
    # does not take its argument: a shell never formats it; pytest's capture does, and raises.
    monkeypatch.setattr(logging, "raiseExceptions", False)

    result = cloud.openstack("availability zone list")
    assert result.exit_code == 0, result.stderr
    assert (result.exit_code, result.stdout) == (
        0,
        "+-----------+-------------+\n"
        "| Zone Name | Zone Status |\n"
        "+-----------+-------------+\n"
        "| nova      | available   |\n"
        "+-----------+-------------+\n",
    )
    result = cloud.openstack("availability zone list --compute --long -f json", "admin")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["Zone Name"], r["Host Name"], r["Service Name"]) for r in rows] == [
        ("internal", "controller", "nova-scheduler"),
        ("internal", "controller", "nova-conductor"),
        ("internal", "cell1-conductor", "nova-conductor"),
        ("internal", "cell2-conductor", "nova-conductor"),
        ("nova", "compute1", "nova-compute"),
        ("nova", "compute2", "nova-compute"),
        ("nova", "compute3", "nova-compute"),
    ]
    assert {r["Service Status"] for r in rows} == {"enabled :-) 2026-11-02T09:00:30.000000"}


def test_openstacksdk_lists_zone_names(cloud: Any) -> None:
    conn = cloud.connect("demo")
    assert conn.list_availability_zone_names() == ["nova"]
    assert conn.list_availability_zone_names(unavailable=True) == ["nova"]


def test_novaclient_availability_zone_list_volume_attachments_and_ips(cloud: Any) -> None:
    from novaclient import client, shell

    nova = client.Client("2.1", session=cloud.session("demo"))
    (vm1,) = [s for s in nova.servers.list() if s.name == "vm1"]
    assert nova.servers.ips(vm1) == {"private": [{"version": 4, "addr": "10.0.0.10"}]}
    assert nova.volumes.get_server_volumes(vm1.id) == []
    assert nova.servers.get_password(vm1) == ""
    out = io.StringIO()
    with mock.patch.dict(os.environ, cloud.env("admin")), contextlib.redirect_stdout(out):
        shell.main(["availability-zone-list"])
    up = "| enabled :-) 2026-11-02T09:00:30.000000 |"
    assert out.getvalue().splitlines() == [
        "+---------------------+----------------------------------------+",
        "| Name                | Status                                 |",
        "+---------------------+----------------------------------------+",
        "| internal            | available                              |",
        "| |- cell1-conductor  |                                        |",
        f"| | |- nova-conductor {up}",
        "| |- cell2-conductor  |                                        |",
        f"| | |- nova-conductor {up}",
        "| |- controller       |                                        |",
        f"| | |- nova-scheduler {up}",
        f"| | |- nova-conductor {up}",
        "| nova                | available                              |",
        "| |- compute1         |                                        |",
        f"| | |- nova-compute   {up}",
        "| |- compute2         |                                        |",
        f"| | |- nova-compute   {up}",
        "| |- compute3         |                                        |",
        f"| | |- nova-compute   {up}",
        "+---------------------+----------------------------------------+",
    ]


# -- the image proxy (below 2.36) -----------------------------------------------------------

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def test_the_image_proxy_shows_glance_images_in_nova_old_shape() -> None:
    w = testing.World()
    for who in ("demo", "alt", "admin"):
        answer = w.client(who).get(f"{V}/images/{IMAGE}", microversion="2.35")
        assert answer.status_int == 200, answer.text
    image = answer.json["image"]
    assert image == {
        "id": IMAGE,
        "name": "cirros-0.6.3-x86_64-disk",
        "minRam": 0,
        "minDisk": 0,
        "metadata": {},
        "created": "2026-11-02T08:00:00Z",
        "updated": "2026-11-02T08:00:00Z",
        "status": "ACTIVE",
        "progress": 100,
        "OS-EXT-IMG-SIZE:size": 21692416,
        "links": [
            {"rel": "self", "href": f"http://localhost{V}/images/{IMAGE}"},
            {"rel": "bookmark", "href": f"http://localhost/compute/images/{IMAGE}"},
            {
                "rel": "alternate",
                "type": "application/vnd.openstack.image",
                "href": f"http://localhost/image/images/{IMAGE}",
            },
        ],
    }
    assert w.demo.get(f"{V}/images/{IMAGE}/metadata").json == {"metadata": {}}


@pytest.mark.parametrize(
    ("method", "path", "last"),
    [
        ("GET", "/images", "2.35"),
        ("GET", "/images/detail", "2.35"),
        ("GET", f"/images/{IMAGE}", "2.35"),
        ("DELETE", f"/images/{IMAGE}", "2.35"),
        ("GET", f"/images/{IMAGE}/metadata", "2.38"),
        ("GET", f"/images/{IMAGE}/metadata/foo", "2.38"),
    ],
)
def test_the_image_proxy_is_gone_after_its_last_microversion(
    method: str, path: str, last: str
) -> None:
    w = testing.World()
    major, minor = last.split(".")
    gone = f"{major}.{int(minor) + 1}"
    before = snapshot(w.cloud)
    assert fault(w.admin.request(method, f"{V}{path}", microversion=gone), 404) == (
        "The resource could not be found."
    )
    assert snapshot(w.cloud)["images"] == before["images"]


def test_image_proxy_refusals() -> None:
    w = testing.World()
    demo, admin = w.demo, w.admin
    before = snapshot(w.cloud)
    for path in (f"/images/{UNKNOWN}", "/images/abc", f"/images/{UNKNOWN}/metadata"):
        assert fault(demo.get(f"{V}{path}"), 404) == "Image not found."
    assert fault(demo.delete(f"{V}/images/{UNKNOWN}"), 404) == "Image not found."
    assert fault(demo.get(f"{V}/images/{IMAGE}/metadata/foo"), 404) == (
        "The resource could not be found."
    )
    # Glance lets only the owner's members or an admin delete: demo does not own cirros
    assert fault(demo.delete(f"{V}/images/{IMAGE}"), 403) == (
        "You are not allowed to delete the image."
    )
    # Nova's empty query schema of the metadata routes fails on any parameter
    for path in (f"/images/{IMAGE}/metadata?foo=1", f"/images/{IMAGE}/metadata/foo?foo=1"):
        assert fault(admin.get(f"{V}{path}"), 500) == (
            "Unexpected API Error. Please contact the administrator\n<class 'KeyError'>"
        )
    for query, message in (
        (
            "limit=0",
            "Invalid input for query parameters limit. Value: 0. 0 is less than the minimum of 1",
        ),
        (
            "limit=a",
            "Invalid input for query parameters limit. Value: a. 'a' does not match '^[0-9]*$'",
        ),
        (
            "offset=0",
            "Invalid input for query parameters offset. Value: 0. 0 is less than the minimum of 1",
        ),
    ):
        assert fault(demo.get(f"{V}/images/detail?{query}"), 400) == message
    assert snapshot(w.cloud) == before


def test_a_snapshot_through_the_image_proxy_listed_filtered_and_deleted() -> None:
    w = testing.World(vm="vm1")
    answer = w.act({"createImage": {"name": "snap1", "metadata": {"auto_disk_config": "True"}}})
    assert answer.status_int == 202, answer.text
    snap = answer.headers["Location"].rsplit("/", 1)[-1]
    listed = w.demo.get(f"{V}/images/detail").json["images"]
    assert [i["name"] for i in listed] == ["snap1", "cirros-0.6.3-x86_64-disk"]
    shown = listed[0]
    assert shown["server"]["id"] == w.vm.uuid
    assert shown["OS-DCF:diskConfig"] == "AUTO"
    assert shown["metadata"]["image_type"] == "snapshot"
    # another project sees the public image only
    assert [i["id"] for i in w.alt.get(f"{V}/images").json["images"]] == [IMAGE]
    assert fault(w.alt.get(f"{V}/images/{snap}"), 404) == "Image not found."
    assert fault(w.alt.delete(f"{V}/images/{snap}"), 404) == "Image not found."
    # the old filters
    for query, expected in (
        ("name=snap1", [snap]),
        (f"server={w.vm.uuid}", [snap]),
        ("type=snapshot", [snap]),
        ("status=ACTIVE", [snap, IMAGE]),
        ("minDisk=1", [snap]),
        ("property-image_type=snapshot", [snap]),
    ):
        assert [i["id"] for i in w.demo.get(f"{V}/images?{query}").json["images"]] == expected
    # one a page, with a link to the next
    page = w.demo.get(f"{V}/images?limit=1").json
    assert [i["id"] for i in page["images"]] == [snap]
    assert page["images_links"] == [
        {"rel": "next", "href": f"http://localhost{V}/images?limit=1&marker={snap}"}
    ]
    page = w.demo.get(f"{V}/images?limit=1&marker={snap}").json
    assert [i["id"] for i in page["images"]] == [IMAGE]
    assert w.demo.get(f"{V}/images/{snap}/metadata/image_type").json == {
        "meta": {"image_type": "snapshot"}
    }
    answer = w.demo.delete(f"{V}/images/{snap}")
    assert (answer.status_int, answer.body) == (204, b"")
    assert fault(w.demo.get(f"{V}/images/{snap}"), 404) == "Image not found."
    assert snap not in w.cloud.images.images
