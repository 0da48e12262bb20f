"""Fixed addresses: given to each build's port, returned on delete, and a full network.

What Nova 34 does when Neutron has no address left (``IpAddressGenerationFailure`` on the port
create) was read in its source (``nova/network/neutron.py`` ``_create_port_minimal``,
``nova/compute/manager.py`` ``_build_and_run_instance`` and ``_do_build_and_run_instance``)
and observed on the oracle, its fake Neutron made to refuse the port create: ``POST
/servers`` answers 202; the server ends in ERROR with no host, no addresses and a 500 fault
"Build of instance <id> aborted: Failed to allocate the network(s) with error No fixed IP
addresses available for network: <network id>, not rescheduling." (details, a traceback, for
admins only); the ``create`` action keeps message null and its one event
``compute__do_build_and_run_instance`` ends in Success; deleting the server is the API's own
(a ``delete`` action without events).
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from fakenova import testing
from fakenova.network.ipam import AddressPool, IpAddressGenerationFailure
from fakenova.testing import Client, snapshot
from fakenova.testing import network_id as named_network

V = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
NANO = "42"  # m1.nano: 1 vCPU, 128 MB, so that the hosts hold more servers than the network
SUBNET = ipaddress.ip_network("10.0.0.0/26")
AUTOMATIC = [str(SUBNET[i]) for i in range(10, 63)]  # .10 to .62: 53 addresses
# Room for more servers than the network has addresses (Nova's defaults allow 10 per project).
ROOMY = {"instances": 100, "cores": 100, "ram": 100 * 1024}


class World(testing.World):
    def __init__(self, **nova: Any) -> None:
        super().__init__(nova=nova)
        self.network_id = named_network(self.cloud)

    def held(self) -> dict[str, str]:
        """The addresses servers hold (router1's interface holds the gateway address)."""
        held = self.cloud.network.pools[self.network_id].snapshot()["held"]
        return {a: owner for a, owner in held.items() if a != str(SUBNET[1])}

    def boot(self, name: str, **extra: Any) -> list[str]:
        extra.setdefault("networks", "auto")
        body = {"server": {"name": name, "imageRef": IMAGE, "flavorRef": NANO, **extra}}
        r = self.demo.post(f"{V}/servers", body, microversion="2.37")
        assert r.status_int == 202, r.text
        if extra.get("return_reservation_id"):
            wanted = r.json["reservation_id"]
            return [s.uuid for s in self.cloud.compute.servers.values()
                    if s.reservation_id == wanted]  # fmt: skip
        return [r.json["server"]["id"]]

    def show(  # type: ignore[override]
        self, server_id: str, client: Client | None = None, **kw: Any
    ) -> dict[str, Any]:
        r = (client or self.demo).get(f"{V}/servers/{server_id}", **kw)
        assert r.status_int == 200, r.text
        return r.json["server"]

    def delete(self, server_id: str) -> None:
        r = self.demo.delete(f"{V}/servers/{server_id}")
        assert r.status_int == 204, r.text

    def addresses(self, shown: dict[str, Any]) -> list[str]:
        return [a["addr"] for a in shown["addresses"].get("private", [])]

    def aborted(self, server_id: str) -> str:
        return (
            f"Build of instance {server_id} aborted: Failed to allocate the network(s) with "
            f"error No fixed IP addresses available for network: {self.network_id}, not "
            "rescheduling."
        )


# -- the pool itself --------------------------------------------------------------------------


def pool(cidr: str = "10.0.0.0/26") -> AddressPool:
    return AddressPool("net-id", cidr)


def test_pool_walks_on_wraps_around_and_never_gives_the_broadcast() -> None:
    p = pool()
    given = [p.allocate(f"s{i}") for i in range(50)]
    assert given == AUTOMATIC[:50]
    p.release("s5", "10.0.0.15")
    p.release("s2", "10.0.0.12")
    # The walk goes on to the end of the pool before it comes back to released addresses.
    more = [p.allocate(name) for name in ("a", "b", "c", "d", "e")]
    assert more == ["10.0.0.60", "10.0.0.61", "10.0.0.62", "10.0.0.12", "10.0.0.15"]
    assert p.free == 0
    with pytest.raises(IpAddressGenerationFailure) as raised:
        p.allocate("one-too-many")
    assert str(raised.value) == "No more IP addresses available on network net-id."
    p.release("s30", "10.0.0.40")
    assert p.allocate("f") == "10.0.0.40"


def test_pool_steps_over_requested_addresses_and_ignores_foreign_releases() -> None:
    p = pool()
    assert p.allocate("fixed", "10.0.0.11") == "10.0.0.11"
    assert [p.allocate("a"), p.allocate("b")] == ["10.0.0.10", "10.0.0.12"]
    p.release("someone-else", "10.0.0.10")  # not the holder's port: nothing happens
    assert p.snapshot()["held"]["10.0.0.10"] == "a"
    p.release("a", "10.0.0.10")
    assert p.allocate("fixed-again", "10.0.0.10") == "10.0.0.10"
    assert p.allocate("c") == "10.0.0.13"


def test_pool_of_a_tiny_subnet_is_full_at_once() -> None:
    with pytest.raises(IpAddressGenerationFailure):
        pool("10.1.0.0/29").allocate("s")


# -- boots and deletes through the API --------------------------------------------------------


def test_five_hundred_boots_and_deletes_on_the_26_network() -> None:
    """A sliding window of live servers (the hosts and Nova's default quota hold them): every
    build is ACTIVE with an address of the subnet no other live server holds; no 500."""
    w = World()
    live: list[str] = []
    for i in range(500):
        (server_id,) = w.boot(f"vm{i}")
        shown = w.show(server_id)
        assert shown["status"] == "ACTIVE", shown.get("fault")
        (addr,) = w.addresses(shown)
        assert addr in AUTOMATIC
        live.append(server_id)
        if len(live) == 7 or i % 3 == 0:
            w.delete(live.pop(0))
    held = [w.addresses(w.show(s)) for s in live]
    assert sorted(a for (a,) in held) == sorted(w.held())
    assert len({a for (a,) in held}) == len(live)
    assert w.demo.get(f"{V}/servers").status_int == 200


def test_a_deleted_servers_address_comes_back_after_the_walk_wraps_around() -> None:
    w = World()
    first, second = w.boot("a")[0], w.boot("b")[0]
    assert w.addresses(w.show(first)) == ["10.0.0.10"]
    assert w.addresses(w.show(second)) == ["10.0.0.11"]
    w.delete(first)
    given = []
    for i in range(52):
        (server_id,) = w.boot(f"c{i}")
        given += w.addresses(w.show(server_id))
        w.delete(server_id)
    assert given == [*AUTOMATIC[2:], "10.0.0.10"]


def test_a_full_network_fails_the_build_as_nova_does() -> None:
    w = World(quota=ROOMY)
    ids = w.boot("fill", min_count=53, max_count=53, return_reservation_id=True)
    assert len(ids) == 53
    shown = [w.show(s) for s in ids]
    assert {s["status"] for s in shown} == {"ACTIVE"}
    assert sorted(a for s in shown for a in w.addresses(s)) == sorted(AUTOMATIC)

    (full,) = w.boot("full")
    member = w.show(full)
    assert member["status"] == "ERROR"
    assert member["fault"] == {
        "code": 500,
        "created": member["updated"],
        "message": w.aborted(full),
    }
    assert member["addresses"] == {}
    assert member["hostId"] == ""
    assert member["OS-EXT-STS:task_state"] is None
    assert member["OS-EXT-STS:power_state"] == 0
    assert member["OS-SRV-USG:launched_at"] is None
    admin = w.show(full, w.admin, microversion="2.16")
    assert admin["OS-EXT-SRV-ATTR:host"] is None
    assert admin["OS-EXT-SRV-ATTR:hypervisor_hostname"] is None
    assert admin["host_status"] == ""
    details = admin["fault"]["details"]
    assert details.startswith("Traceback") and details.endswith(w.aborted(full) + "\n")
    assert "NoMoreFixedIps" in details

    actions = w.demo.get(f"{V}/servers/{full}/os-instance-actions", microversion="2.84")
    (create,) = actions.json["instanceActions"]
    assert (create["action"], create["message"]) == ("create", None)
    r = w.admin.get(
        f"{V}/servers/{full}/os-instance-actions/{create['request_id']}", microversion="2.62"
    )
    (event,) = r.json["instanceAction"]["events"]
    assert (event["event"], event["result"], event["traceback"]) == (
        "compute__do_build_and_run_instance",
        "Success",
        None,
    )
    assert event["host"] in w.cloud.compute.hosts  # the host that tried, since cleared
    assert event["finish_time"] == r.json["instanceAction"]["updated_at"]

    # The failed build holds no host resources and no address; later requests still work.
    cloud = w.cloud.compute
    assert cloud.servers[full].host is None
    assert w.demo.get(f"{V}/servers/detail").status_int == 200
    (again,) = w.boot("again")
    assert w.show(again)["fault"]["message"] == w.aborted(again)

    # A refusal leaves everything as it was, the pool included.
    before = snapshot(w.cloud)
    taken = {"uuid": w.network_id, "fixed_ip": "10.0.0.20"}
    r = w.demo.post(
        f"{V}/servers",
        {"server": {"name": "x", "imageRef": IMAGE, "flavorRef": NANO, "networks": [taken]}},
        microversion="2.37",
    )
    assert r.status_int == 400, r.text
    assert snapshot(w.cloud) == before

    # Deleting frees: the ERROR server (the API's own delete) and an ACTIVE one's address.
    w.delete(full)
    deleted = w.demo.get(f"{V}/servers/{full}/os-instance-actions", microversion="2.84")
    assert deleted.json["instanceActions"][0]["action"] == "delete"
    w.delete(ids[7])
    (late,) = w.boot("late")
    assert w.show(late)["status"] == "ACTIVE"
    assert w.addresses(w.show(late)) == [w.addresses(shown[7])[0]]


def test_a_request_for_more_servers_than_addresses_builds_what_fits() -> None:
    """Each server of a multiple create builds on its own: those that find an address are
    ACTIVE, the rest ERROR; none holds an address it did not get."""
    w = World(quota=ROOMY)
    w.boot("fill", min_count=50, max_count=50, return_reservation_id=True)
    ids = w.boot("more", min_count=5, max_count=5, return_reservation_id=True)
    statuses = [w.show(s)["status"] for s in ids]
    assert sorted(statuses) == ["ACTIVE"] * 3 + ["ERROR"] * 2
    assert w.cloud.network.pools[w.network_id].free == 0


def test_a_requested_fixed_ip_is_held_and_released() -> None:
    w = World()
    (fixed,) = w.boot("fixed", networks=[{"uuid": w.network_id, "fixed_ip": "10.0.0.11"}])
    assert w.addresses(w.show(fixed)) == ["10.0.0.11"]
    autos = [w.boot(f"auto{i}")[0] for i in range(2)]
    assert [w.addresses(w.show(s)) for s in autos] == [["10.0.0.10"], ["10.0.0.12"]]
    w.delete(fixed)
    w.cloud.compute.tasks.settle()  # the host's part of the delete
    assert "10.0.0.11" not in w.held()
    (again,) = w.boot("again", networks=[{"uuid": w.network_id, "fixed_ip": "10.0.0.11"}])
    assert w.addresses(w.show(again)) == ["10.0.0.11"]


# -- soft delete keeps the address, every kind of final delete returns it ----------------------


def test_soft_deleted_server_keeps_its_address_until_force_deleted() -> None:
    w = World(reclaim_instance_interval=3600)
    (vm,) = w.boot("vm")
    w.delete(vm)
    assert w.show(vm, w.admin)["status"] == "SOFT_DELETED"
    (other,) = w.boot("other")
    assert w.addresses(w.show(other)) == ["10.0.0.11"]  # .10 is still vm's
    r = w.demo.post(f"{V}/servers/{vm}/action", {"restore": None})
    assert r.status_int == 202, r.text
    assert w.addresses(w.show(vm)) == ["10.0.0.10"]
    w.delete(vm)
    r = w.demo.post(f"{V}/servers/{vm}/action", {"forceDelete": None})
    assert r.status_int == 202, r.text
    assert w.demo.get(f"{V}/servers/{vm}").status_int == 404
    held = w.held()
    assert set(held) == {"10.0.0.11"}  # other's only


@pytest.mark.parametrize("reclaim", [0, 3600])
def test_delete_by_the_api_with_the_host_down_returns_the_address(reclaim: int) -> None:
    w = World(reclaim_instance_interval=reclaim)
    (vm,) = w.boot("vm")
    host = w.cloud.compute.servers[vm].host
    assert host is not None
    w.cloud.compute.stop_reporting(host)
    w.cloud.clock.advance(120)
    w.delete(vm)
    assert w.demo.get(f"{V}/servers/{vm}").status_int == 404
    assert w.held() == {}
