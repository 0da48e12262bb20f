"""``os-tenant-networks``: the networks a project sees, in the shape Nova 34 still gives them
below 2.36 (``cidr`` is the string ``"None"``), and the 410 of the calls that went with
nova-network. Facts from ``nova/api/openstack/compute/tenant_networks.py`` and the oracle
(``fidelity/scenarios/tenant_networks.yaml``)."""

from __future__ import annotations

from fakenova.testing import World
from fakenova.testing import network_id as named_network

API = "/compute/v2.1/os-tenant-networks"
GONE = "This resource is no longer available. No forwarding address is given."


def test_list_and_show_as_nova_answers_from_neutron() -> None:
    world = World()
    network_id = named_network(world.cloud)
    expected = {"id": network_id, "cidr": "None", "label": "private"}
    public = {"id": named_network(world.cloud, "public"), "cidr": "None", "label": "public"}
    assert world.demo.get(API).json == {"networks": [expected, public]}
    assert list(world.demo.get(API).json["networks"][0]) == ["id", "cidr", "label"]
    assert world.admin.get(f"{API}/{network_id}", microversion="2.35").json == {"network": expected}
    unknown = world.demo.get(f"{API}/nope")
    assert (unknown.status_int, unknown.json) == (
        404,
        {"itemNotFound": {"code": 404, "message": "Network not found"}},
    )


def test_gone_from_2_36_and_its_writes_gone_for_good() -> None:
    world = World()
    network_id = named_network(world.cloud)
    assert world.demo.get(API, microversion="2.36").status_int == 404
    assert world.demo.get(f"{API}/{network_id}", microversion="2.36").status_int == 404
    for method, path in (("POST", API), ("DELETE", f"{API}/{network_id}")):
        for version in ("2.1", "2.36"):
            answer = world.demo.request(method, path, body={}, microversion=version)
            assert (answer.status_int, answer.json) == (
                410,
                {"computeFault": {"code": 410, "message": GONE}},
            )
    assert set(world.cloud.compute.networks) == {network_id, named_network(world.cloud, "public")}
