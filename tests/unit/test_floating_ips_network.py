"""The Network service's floating IPs (``/v2.0/floatingips``) over devstack's ``public`` and
``router1``: Neutron's bodies, filters and refusals (``neutron/db/l3_db.py``, neutron-lib's
attribute map and exceptions), the port each one holds, and what Nova learns of an
association (the server's addresses show it after the ``network-changed`` event)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_network_service import neutron_fault

from fakenova.testing import World, fault, network_id, snapshot

N = "/networking/v2.0"
V = "/compute/v2.1"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


class Cloud(World):
    def __init__(self) -> None:
        super().__init__(vm="vm1")
        self.public = network_id(self.cloud, "public")
        self.private = network_id(self.cloud)

    def port_of(self, server_id: str) -> dict[str, Any]:
        (port,) = self.demo.get(f"{N}/ports?device_id={server_id}").json["ports"]
        return port

    def create(self, who: str = "demo", **attributes: Any) -> Any:
        body = {"floatingip": {"floating_network_id": self.public, **attributes}}
        return getattr(self, who).post(f"{N}/floatingips", body)

    def addresses(self, server_id: str) -> list[tuple[str, str]]:
        shown = self.demo.get(f"{V}/servers/{server_id}").json["server"]["addresses"]
        return [(a["addr"], a["OS-EXT-IPS:type"]) for a in shown["private"]]


@pytest.fixture
def w() -> Cloud:
    return Cloud()


def test_router1_joins_private_to_public(w: Cloud) -> None:
    ports = w.admin.get(f"{N}/ports?device_owner=network:router_interface").json["ports"]
    (interface,) = ports
    assert interface["fixed_ips"][0]["ip_address"] == "10.0.0.1"  # the subnet's gateway
    (gateway,) = w.admin.get(f"{N}/ports?device_owner=network:router_gateway").json["ports"]
    assert (gateway["network_id"], gateway["project_id"]) == (w.public, "")
    assert gateway["device_id"] == interface["device_id"]
    assert w.demo.get(f"{N}/ports?device_owner=network:router_gateway").json["ports"] == []
    refused = w.admin.delete(f"{N}/ports/{interface['id']}")
    assert neutron_fault(refused, 409) == (
        "ServicePortInUse",
        f"Port {interface['id']} cannot be deleted directly via the port API: has device "
        "owner network:router_interface.",
    )


def test_create_show_list_associate_and_delete(w: Cloud) -> None:
    made = w.create(description="web")
    assert made.status_int == 201, made.text
    fip = made.json["floatingip"]
    assert (fip["status"], fip["port_id"], fip["router_id"], fip["revision_number"]) == (
        "DOWN",
        None,
        None,
        0,
    )
    assert fip["floating_ip_address"].startswith("172.24.4.")
    assert fip["port_details"] is None and fip["description"] == "web"
    assert w.demo.get(f"{N}/floatingips/{fip['id']}").json == {"floatingip": fip}
    assert w.alt.get(f"{N}/floatingips").json == {"floatingips": []}
    assert neutron_fault(w.alt.get(f"{N}/floatingips/{fip['id']}"), 404) == (
        "FloatingIPNotFound",
        f"Floating IP {fip['id']} could not be found",
    )
    port = w.port_of(w.vm.uuid)
    moved = w.demo.put(f"{N}/floatingips/{fip['id']}", {"floatingip": {"port_id": port["id"]}})
    assert moved.status_int == 200, moved.text
    body = moved.json["floatingip"]
    assert (body["status"], body["fixed_ip_address"]) == ("ACTIVE", "10.0.0.10")
    assert body["port_details"]["device_id"] == w.vm.uuid and body["router_id"]
    # Neutron tells Nova (network-changed); the server's addresses show it afterwards.
    assert w.addresses(w.vm.uuid) == [
        ("10.0.0.10", "fixed"),
        (fip["floating_ip_address"], "floating"),
    ]
    by_port = w.demo.get(f"{N}/floatingips?port_id={port['id']}").json["floatingips"]
    assert [f["id"] for f in by_port] == [fip["id"]]
    freed = w.demo.put(f"{N}/floatingips/{fip['id']}", {"floatingip": {"port_id": None}})
    assert freed.json["floatingip"]["status"] == "DOWN"
    assert w.addresses(w.vm.uuid) == [("10.0.0.10", "fixed")]
    assert w.demo.delete(f"{N}/floatingips/{fip['id']}").status_int == 204
    assert w.demo.get(f"{N}/floatingips/{fip['id']}").status_int == 404
    held = w.cloud.network.pools[w.public].snapshot()["held"]
    assert fip["floating_ip_address"] not in held  # its port went with it


def test_deleting_the_server_port_leaves_the_floating_ip_pointing_nowhere(w: Cloud) -> None:
    port = w.port_of(w.vm.uuid)
    fip = w.create(port_id=port["id"]).json["floatingip"]
    assert fip["status"] == "ACTIVE"
    assert w.demo.delete(f"{V}/servers/{w.vm.uuid}").status_int == 204
    after = w.demo.get(f"{N}/floatingips/{fip['id']}").json["floatingip"]
    assert (after["port_id"], after["fixed_ip_address"], after["status"]) == (None, None, "DOWN")


def test_refusals_change_nothing(w: Cloud) -> None:
    port = w.port_of(w.vm.uuid)["id"]
    first = w.create(port_id=port).json["floatingip"]
    w.alt.get(f"{N}/floatingips")  # alt's token, and Nova's refresh of the server, come first
    before = snapshot(w.cloud)
    cases = [
        (w.demo.post(f"{N}/floatingips", {"floatingip": {}}), 400,
         "Failed to parse request. Required attribute 'floating_network_id' not specified"),
        (w.create(status="ACTIVE"), 400, "Attribute 'status' not allowed in POST"),
        (w.create(color="red"), 400, "Unrecognized attribute(s) 'color'"),
        (w.create(port_id="nope"), 400,
         "Invalid input for port_id. Reason: 'nope' is not a valid UUID."),
        (w.demo.post(f"{N}/floatingips", {"floatingip": {"floating_network_id": w.private}}), 400,
         f"Bad floatingip request: Network {w.private} is not a valid external network."),
        (w.create(floating_ip_address="172.24.4.100"), 403,
         "(rule:create_floatingip and rule:create_floatingip:floating_ip_address) is "
         "disallowed by policy"),
        (w.create(fixed_ip_address="10.0.0.10"), 400,
         "Bad floatingip request: fixed_ip_address cannot be specified without a port_id."),
        (w.create(port_id=port), 409,
         f"Cannot associate floating IP 172.24.4.12 (IGNORED) with port {port} using fixed IP "
         f"10.0.0.10, as that fixed IP already has a floating IP on external network {w.public}."),
        (w.demo.put(f"{N}/floatingips/{first['id']}", {"floatingip": {"router_id": UNKNOWN}}),
         400, "Cannot update read-only attribute router_id"),
        (w.alt.put(f"{N}/floatingips/{first['id']}", {"floatingip": {"port_id": None}}), 404,
         f"Floating IP {first['id']} could not be found"),
        (w.demo.put(f"{N}/floatingips/{first['id']}", {"floatingip": {"port_id": UNKNOWN}}), 404,
         f"Port {UNKNOWN} could not be found."),
        (w.demo.delete(f"{N}/floatingips/{UNKNOWN}"), 404,
         f"Floating IP {UNKNOWN} could not be found"),
    ]  # fmt: skip
    for answer, status, message in cases:
        kind, said = neutron_fault(answer, status)
        if "(IGNORED)" in message:  # the refused floating IP's id is not known beforehand
            head, tail = message.split(" (IGNORED) ")
            assert said.startswith(head) and said.endswith(tail), said
        else:
            assert said == message, kind
    assert snapshot(w.cloud) == before


def test_an_unrouted_subnet_is_not_reachable(w: Cloud) -> None:
    """A port on a subnet no router joins to ``public``: Neutron's 404."""
    w.cloud.network.l3.routers.clear()
    port = w.port_of(w.vm.uuid)
    answer = w.create(port_id=port["id"])
    subnet = port["fixed_ips"][0]["subnet_id"]
    assert neutron_fault(answer, 404) == (
        "ExternalGatewayForFloatingIPNotFound",
        f"External network {w.public} is not reachable from subnet {subnet}.  Therefore, "
        f"cannot associate Port {port['id']} with a Floating IP.",
    )
    assert w.demo.get(f"{N}/floatingips").json == {"floatingips": []}


def test_quota_counts_floating_ips(w: Cloud) -> None:
    w.create()
    details = w.demo.get(f"{N}/quotas/{w.cloud.project_id('demo')}/details").json["quota"]
    assert details["floatingip"] == {"limit": 50, "used": 1, "reserved": 0}


def test_routers_are_read_only_and_their_owners(w: Cloud) -> None:
    (router,) = w.admin.get(f"{N}/routers").json["routers"]
    assert (router["name"], router["status"], router["ha"]) == ("router1", "ACTIVE", False)
    gateway = router["external_gateway_info"]
    assert gateway["network_id"] == w.public
    assert gateway["external_fixed_ips"][0]["ip_address"] == "172.24.4.10"
    assert w.admin.get(f"{N}/routers/{router['id']}").json == {"router": router}
    assert w.demo.get(f"{N}/routers").json == {"routers": []}  # the admin project's router
    assert neutron_fault(w.demo.get(f"{N}/routers/{router['id']}"), 404) == (
        "RouterNotFound",
        f"Router {router['id']} could not be found",
    )


BAD_BODIES: list[tuple[str, Any]] = [
    ("demo", "{"),
    ("demo", "[]"),
    ("demo", "null"),
    ("demo", {"floatingip": None}),
    ("demo", {"floatingip": []}),
    ("demo", {"floatingips": {}}),
    ("demo", {"floatingip": {"floating_network_id": 5}}),
    ("demo", {"floatingip": {"floating_network_id": []}}),
    ("demo", {"floatingip": {"floating_network_id": UNKNOWN}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "port_id": {}}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "fixed_ip_address": 5}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "description": 5}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "description": "d" * 256}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "project_id": 5}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "subnet_id": UNKNOWN}}),
    ("demo", {"floatingip": {"floating_network_id": "PUBLIC", "port_id": UNKNOWN}}),
    ("admin", {"floatingip": {"floating_network_id": "PUBLIC", "project_id": 5}}),
    *(
        ("admin", {"floatingip": {"floating_network_id": "PUBLIC", "floating_ip_address": a}})
        for a in ("x", "10.0.0.5", "172.24.4.10")  # not an address, not public's, router1's
    ),
]  # fmt: skip


@pytest.mark.parametrize(("who", "body"), BAD_BODIES)
def test_bad_creates_are_4xx_and_change_nothing(w: Cloud, who: str, body: Any) -> None:
    getattr(w, who).get(f"{N}/floatingips")
    before = snapshot(w.cloud)
    client = getattr(w, who)
    if isinstance(body, str):
        answer = client.request("POST", f"{N}/floatingips", raw=body.encode())
    else:
        text = json.dumps(body).replace('"PUBLIC"', json.dumps(w.public))
        answer = client.request("POST", f"{N}/floatingips", raw=text.encode())
    assert 400 <= answer.status_int < 500, answer.text
    assert snapshot(w.cloud) == before


BAD_UPDATES: list[Any] = [
    {"floatingip": None},
    {"floatingip": {"port_id": 5}},
    {"floatingip": {"port_id": "PORT", "fixed_ip_address": "10.0.0.99"}},
    {"floatingip": {"port_id": "PORT", "fixed_ip_address": "fe80::1"}},
    {"floatingip": {"fixed_ip_address": "10.0.0.10"}},
    {"floatingip": {"status": "ACTIVE"}},
    {"floatingip": {"floating_ip_address": "172.24.4.50"}},
    {"floatingip": {"description": ["x"]}},
]


@pytest.mark.parametrize("body", BAD_UPDATES)
def test_bad_updates_are_4xx_and_change_nothing(w: Cloud, body: Any) -> None:
    fip = w.create().json["floatingip"]
    port = w.port_of(w.vm.uuid)["id"]
    before = snapshot(w.cloud)
    text = json.dumps(body).replace('"PORT"', json.dumps(port))
    answer = w.demo.request("PUT", f"{N}/floatingips/{fip['id']}", raw=text.encode())
    assert 400 <= answer.status_int < 500, answer.text
    assert snapshot(w.cloud) == before


def test_nova_shows_a_floating_ip_once_told_of_it(w: Cloud) -> None:
    """Nova's network info cache: without Neutron's event (its notifier off), the server does
    not show the floating IP; a ``network-changed`` event for the port refreshes it."""
    w.cloud.network.notify_nova = None
    port = w.port_of(w.vm.uuid)["id"]
    fip = w.create(port_id=port).json["floatingip"]
    assert w.addresses(w.vm.uuid) == [("10.0.0.10", "fixed")]
    event = {"name": "network-changed", "server_uuid": w.vm.uuid, "tag": port}
    told = w.admin.post(f"{V}/os-server-external-events", {"events": [event]})
    assert told.json["events"][0]["code"] == 200
    assert w.addresses(w.vm.uuid) == [
        ("10.0.0.10", "fixed"),
        (fip["floating_ip_address"], "floating"),
    ]


def test_over_quota(w: Cloud) -> None:
    w.cloud.network.l3.quota = 1
    w.create()
    assert neutron_fault(w.create(), 409) == (
        "OverQuota",
        "Quota exceeded for resources: ['floatingip'].",
    )
    over = w.demo.post(f"{V}/os-floating-ips", {"pool": "public"})
    assert fault(over, 403) == "IP allocation over quota in pool public."
