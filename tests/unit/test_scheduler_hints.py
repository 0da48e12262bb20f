"""The ``same_host`` and ``different_host`` scheduler hints, as Nova 34's SameHostFilter and
DifferentHostFilter apply them when ``[filter_scheduler] enabled_filters`` has them (devstack's
list, ``conf/cloud.yaml``): at boot, and again on every move the scheduler makes, from the
request spec.

The answers to bad hint values and the hints a 2.100 server shows were observed on the real
Nova (the oracle); which hosts pass each filter comes from Nova's source, since the oracle's
deployment runs Nova's default filters, which have neither.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.deployment.scheduler import DEFAULT_ENABLED_FILTERS, enabled_filters
from fakenova.settings import load_settings
from fakenova.testing import fault, mock_cloud

V = "/compute/v2.1"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
DEVSTACK_FILTERS = [
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
    "SameHostFilter",
    "DifferentHostFilter",
]


class World(testing.World):
    """An empty cloud: compute1 and compute2 (16 GB each) in cell1, compute3 (8 GB) in cell2;
    a server without hints goes to compute1, the first of the roomiest."""

    def create(self, hints: dict[str, Any] | None, mv: str = "2.37") -> dict[str, Any]:
        """Boot ``h`` with ``hints`` and settle: the server as an admin sees it at 2.100."""
        answer = self.create_server("h", mv=mv, hints=hints, networks="none")
        assert answer.status_int == 202, answer.text
        self.settle()
        return self.show(mv="2.100", server=answer.json["server"]["id"])


def where(server: dict[str, Any]) -> tuple[str, str | None]:
    return server["status"], server["OS-EXT-SRV-ATTR:host"]


@pytest.fixture
def w() -> World:
    return World()


def test_the_cloud_enables_devstacks_filters_and_nova_defaults_without_them() -> None:
    assert enabled_filters(load_settings().nova) == tuple(DEVSTACK_FILTERS)
    assert enabled_filters({}) == DEFAULT_ENABLED_FILTERS
    assert not {"SameHostFilter", "DifferentHostFilter"} & set(DEFAULT_ENABLED_FILTERS)
    as_nova_conf = {"filter_scheduler": {"enabled_filters": "ComputeFilter, SameHostFilter"}}
    assert enabled_filters(as_nova_conf) == ("ComputeFilter", "SameHostFilter")


# -- at boot ------------------------------------------------------------------------------------


def test_different_host_keeps_away_from_the_listed_server(w: World) -> None:
    vm1 = w.boot("vm1", host="compute1")
    server = w.create({"different_host": vm1.uuid})
    assert where(server) == ("ACTIVE", "compute2")
    # The request spec keeps each hint as a list, as Nova's does (2.100 shows it).
    assert server["scheduler_hints"] == {"different_host": [vm1.uuid]}


def test_different_host_with_a_list_avoids_every_listed_server(w: World) -> None:
    vm1 = w.boot("vm1", host="compute1")
    vm2 = w.boot("vm2", host="compute2")
    assert where(w.create({"different_host": [vm1.uuid, vm2.uuid]})) == ("ACTIVE", "compute3")


def test_different_host_with_unknown_servers_or_none_rules_nothing_out(w: World) -> None:
    assert where(w.create({"different_host": UNKNOWN})) == ("ACTIVE", "compute1")
    server = w.create({"different_host": []})
    assert server["status"] == "ACTIVE"
    assert server["scheduler_hints"] == {"different_host": []}


def test_different_host_that_leaves_no_host_is_no_valid_host(w: World) -> None:
    servers = [w.boot(f"vm{n}", host=f"compute{n}") for n in (1, 2, 3)]
    server = w.create({"different_host": [s.uuid for s in servers]})
    assert where(server) == ("ERROR", None)
    assert server["fault"]["message"].startswith("No valid host was found.")


def test_same_host_goes_where_the_listed_server_is(w: World) -> None:
    # compute3 has the least free memory: only the hint sends the server there.
    vm3 = w.boot("vm3", host="compute3")
    assert where(w.create({"same_host": vm3.uuid})) == ("ACTIVE", "compute3")
    vm1 = w.boot("vm1", host="compute1")
    assert where(w.create({"same_host": [UNKNOWN, vm3.uuid]}))[1] == "compute3"
    assert where(w.create({"same_host": [vm1.uuid, vm3.uuid]}))[1] in {"compute1", "compute3"}


@pytest.mark.parametrize("listed", [UNKNOWN, [UNKNOWN], "not-a-uuid"])
def test_same_host_naming_no_existing_server_is_no_valid_host(w: World, listed: Any) -> None:
    # A string hint is taken as it is (Nova's schema checks only a list's items): no host
    # holds such a server, so SameHostFilter passes none.
    server = w.create({"same_host": listed})
    assert where(server) == ("ERROR", None)
    assert server["scheduler_hints"] == {
        "same_host": listed if isinstance(listed, list) else [listed]
    }


def test_a_deleted_server_holds_no_host(w: World) -> None:
    vm3 = w.boot("vm3", host="compute3")
    assert w.demo.delete(f"{V}/servers/{vm3.uuid}").status_int == 204
    w.settle()
    assert where(w.create({"same_host": vm3.uuid})) == ("ERROR", None)


def test_the_legacy_hints_key_and_a_multiple_create_are_placed_alike(w: World) -> None:
    vm1 = w.boot("vm1", host="compute1")
    body = {
        "server": {
            "name": "m",
            "imageRef": w.cloud.settings.images[0]["id"],
            "flavorRef": "1",
            "min_count": 2,
        },
        "OS-SCH-HNT:scheduler_hints": {"different_host": [vm1.uuid]},
    }
    assert w.demo.post(f"{V}/servers", body).status_int == 202
    w.settle()
    built = [s for s in w.compute.servers.values() if s.name.startswith("m-")]
    assert len(built) == 2 and {s.host for s in built} <= {"compute2", "compute3"}


def test_a_hint_whose_filter_is_not_enabled_is_ignored() -> None:
    w = World(nova={"filter_scheduler": {"enabled_filters": list(DEFAULT_ENABLED_FILTERS)}})
    vm1 = w.boot("vm1", host="compute1")
    vm3 = w.boot("vm3", host="compute3")
    assert where(w.create({"same_host": UNKNOWN})) == ("ACTIVE", "compute2")
    assert where(w.create({"same_host": vm3.uuid}))[1] != "compute3"
    # Only one of the two dropped: the other still applies.
    only_different = [f for f in DEVSTACK_FILTERS if f != "SameHostFilter"]
    w = World(nova={"filter_scheduler": {"enabled_filters": only_different}})
    vm1 = w.boot("vm1", host="compute1")
    server = w.create({"same_host": UNKNOWN, "different_host": vm1.uuid})
    assert where(server) == ("ACTIVE", "compute2")


# -- bad values: Nova's 400s (oracle) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        (
            {"different_host": "abc"},
            "Invalid input for field/attribute different_host. Value: abc. "
            "'abc' is not valid under any of the given schemas",
        ),
        (
            {"different_host": 1},
            "Invalid input for field/attribute different_host. Value: 1. "
            "1 is not valid under any of the given schemas",
        ),
        (
            {"same_host": 1},
            "Invalid input for field/attribute same_host. Value: 1. "
            "1 is not of type 'string', 'array'",
        ),
        (
            {"same_host": {"a": 1}},
            "Invalid input for field/attribute same_host. Value: {'a': 1}. "
            "{'a': 1} is not of type 'string', 'array'",
        ),
        (
            {"same_host": ["abc"]},
            "Invalid input for field/attribute 0. Value: abc. 'abc' is not a 'uuid'",
        ),
    ],
)
def test_bad_hint_values_are_refused_and_build_nothing(
    w: World, hints: dict[str, Any], message: str
) -> None:
    answer = w.create_server("h", mv="2.37", hints=hints, networks="none")
    assert fault(answer, 400) == message
    assert not w.compute.servers


def test_a_bad_item_in_a_different_host_list_is_refused(w: World) -> None:
    vm1 = w.boot("vm1")
    answer = w.create_server("h", hints={"different_host": [vm1.uuid, "abc"]})
    assert fault(answer, 400) == (
        f"Invalid input for field/attribute different_host. Value: ['{vm1.uuid}', 'abc']. "
        f"['{vm1.uuid}', 'abc'] is not valid under any of the given schemas"
    )


# -- moves: the request spec's hints apply again ----------------------------------------------


def test_cold_migration_keeps_to_the_hints(w: World) -> None:
    vm1 = w.boot("vm1", host="compute1")
    server = w.create({"different_host": vm1.uuid})
    assert where(server) == ("ACTIVE", "compute2")
    path = f"{V}/servers/{server['id']}"
    # The only other host of its cell holds vm1: no valid host, the server stays.
    assert w.admin.post(f"{path}/action", {"migrate": None}).status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("ACTIVE", "compute2")
    # Once vm1 is gone, compute1 takes it.
    assert w.demo.delete(f"{V}/servers/{vm1.uuid}").status_int == 204
    w.settle()
    assert w.admin.post(f"{path}/action", {"migrate": None}).status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("VERIFY_RESIZE", "compute1")


def test_live_migration_and_evacuation_keep_to_the_hints(w: World) -> None:
    vm1 = w.boot("vm1", host="compute1")
    server = w.create({"different_host": vm1.uuid})
    path = f"{V}/servers/{server['id']}"
    live = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert w.admin.post(f"{path}/action", live, microversion="2.34").status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("ACTIVE", "compute2")
    for service in w.compute.services:
        if service.host == "compute2" and service.binary == "nova-compute":
            service.forced_down = True
    assert w.admin.post(f"{path}/action", {"evacuate": {}}, microversion="2.29").status_int == 200
    w.settle()
    # Nowhere left in the cell: the evacuation fails and leaves the server in ERROR.
    assert where(w.show(server=server["id"])) == ("ERROR", "compute2")


def test_unshelve_goes_back_to_the_same_host_server(w: World) -> None:
    vm2 = w.boot("vm2", host="compute2")
    server = w.create({"same_host": vm2.uuid})
    assert where(server) == ("ACTIVE", "compute2")
    path = f"{V}/servers/{server['id']}"
    assert w.demo.post(f"{path}/action", {"shelve": None}).status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("SHELVED_OFFLOADED", None)
    # Without the hint, compute1 (more free memory) would take it.
    assert w.demo.post(f"{path}/action", {"unshelve": None}).status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("ACTIVE", "compute2")


def test_unshelve_finds_no_host_once_the_same_host_server_is_gone(w: World) -> None:
    vm2 = w.boot("vm2", host="compute2")
    server = w.create({"same_host": vm2.uuid})
    path = f"{V}/servers/{server['id']}"
    assert w.demo.post(f"{path}/action", {"shelve": None}).status_int == 202
    assert w.admin.delete(f"{V}/servers/{vm2.uuid}").status_int == 204
    w.settle()
    assert w.demo.post(f"{path}/action", {"unshelve": None}).status_int == 202
    w.settle()
    assert where(w.show(server=server["id"])) == ("SHELVED_OFFLOADED", None)
    actions = w.admin.get(f"{path}/os-instance-actions").json["instanceActions"]
    shown = w.admin.get(
        f"{path}/os-instance-actions/{actions[0]['request_id']}", microversion="2.84"
    ).json["instanceAction"]
    (event,) = [e for e in shown["events"] if e["event"] == "schedule_instances"]
    assert (event["result"], event["details"]) == (
        "Error",
        "No valid host was found. There are not enough hosts available.",
    )
    assert event["traceback"].endswith("raise exception.NoValidHost(reason=reason)\n")


def test_no_valid_host_says_why_as_nova_does(w: World) -> None:
    # Placement offers no host (nothing fits m1.xlarge beside vm1): no reason; the filters
    # rule out every host offered: "not enough hosts".
    w.boot("vm1", host="compute1")
    w.boot("vm2", host="compute2")
    full = w.create_server("big", flavorRef="5", networks="none", mv="2.37")
    w.settle()
    big = w.show(server=full.json["server"]["id"])
    assert big["fault"]["message"] == "No valid host was found. "
    assert w.create({"same_host": UNKNOWN})["fault"]["message"] == (
        "No valid host was found. There are not enough hosts available."
    )


# -- the real clients ---------------------------------------------------------------------------


# openstacksdk warns about its own deprecated internals, as tests/unit/test_mock_cloud.py notes.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_openstacksdk_and_the_openstack_cli_send_the_hints() -> None:
    with mock_cloud() as cloud:
        vm1 = cloud.world.boot("vm1", host="compute1")
        vm3 = cloud.world.boot("vm3", host="compute3")
        conn = cloud.connect("demo", compute_api_version="2.37")
        image = cloud.world.cloud.settings.images[0]["id"]
        made = conn.compute.create_server(
            name="sdk",
            image_id=image,
            flavor_id="1",
            networks="none",
            scheduler_hints={"different_host": [vm1.uuid]},
        )
        cloud.settle()
        assert cloud.compute.servers[made.id].host == "compute2"

        result = cloud.openstack(
            f"server create --image {image} --flavor m1.tiny --no-network "
            f"--hint same_host={vm3.uuid} -f json cli"
        )
        assert result.exit_code == 0, result.stderr
        cloud.settle()
        created = json.loads(result.stdout)["id"]
        assert cloud.compute.servers[created].host == "compute3"
        shown = cloud.openstack(
            f"server show {created} -f json", user="admin", env={"OS_COMPUTE_API_VERSION": "2.100"}
        )
        assert json.loads(shown.stdout)["scheduler_hints"] == {"same_host": [vm3.uuid]}
