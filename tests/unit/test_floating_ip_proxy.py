"""The compute API's floating-IP proxy: ``os-floating-ips`` and ``os-floating-ip-pools`` up to
2.35, the ``addFloatingIp`` / ``removeFloatingIp`` actions up to 2.43, and the floating
addresses in a server's ``addresses``.

Seen on the oracle (``fidelity/scenarios/floating_ips.yaml``): the 404s from 2.36 and 2.44, the
schema refusals, the empty list and "floating IP not found" / "Floating IP not found for
address" of its test Neutron, which has no floating IPs and no external network. The rest is
read in ``nova/api/openstack/compute/floating_ips.py`` and ``nova/network/neutron.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import World, fault, snapshot

V = "/compute/v2.1"
FIP = f"{V}/os-floating-ips"
OLD = "2.35"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


class Cloud(World):
    def __init__(self) -> None:
        super().__init__(vm="vm1")
        self.vm_id = self.vm.uuid

    def allocate(self, who: str = "demo", **body: Any) -> dict[str, Any]:
        made = getattr(self, who).post(FIP, body or {"pool": "public"}, microversion=OLD)
        assert made.status_int == 200, made.text
        return dict(made.json["floating_ip"])

    def act(self, body: dict[str, Any], who: str = "demo", server: str | None = None) -> Any:
        path = f"{V}/servers/{server or self.vm_id}/action"
        return getattr(self, who).post(path, body, microversion=OLD)

    def addresses(self, server: str | None = None) -> list[tuple[str, str]]:
        shown = self.demo.get(f"{V}/servers/{server or self.vm_id}").json["server"]
        return [(a["addr"], a["OS-EXT-IPS:type"]) for a in shown["addresses"]["private"]]


@pytest.fixture
def w() -> Cloud:
    return Cloud()


def test_gone_from_2_36_and_the_actions_from_2_44(w: Cloud) -> None:
    for method, path in (
        ("GET", FIP),
        ("POST", FIP),
        ("GET", f"{FIP}/{UNKNOWN}"),
        ("DELETE", f"{FIP}/{UNKNOWN}"),
        ("GET", f"{V}/os-floating-ip-pools"),
    ):
        answer = w.demo.request(method, path, microversion="2.36")
        assert fault(answer, 404) == "The resource could not be found."
    for action in ("addFloatingIp", "removeFloatingIp"):
        body = {action: {"address": "172.24.4.10"}}
        answer = w.demo.post(f"{V}/servers/{w.vm_id}/action", body, microversion="2.44")
        assert fault(answer, 404) == "The resource could not be found."


def test_pools_list_the_external_network(w: Cloud) -> None:
    assert w.demo.get(f"{V}/os-floating-ip-pools").json == {
        "floating_ip_pools": [{"name": "public"}]
    }


def test_allocate_show_list_and_release(w: Cloud) -> None:
    made = w.allocate()
    assert (made["pool"], made["fixed_ip"], made["instance_id"]) == ("public", None, None)
    assert made["ip"].startswith("172.24.4.")
    assert w.demo.get(f"{FIP}/{made['id']}").json == {"floating_ip": made}
    assert w.demo.get(FIP).json == {"floating_ips": [made]}
    assert w.alt.get(FIP).json == {"floating_ips": []}
    assert w.admin.get(FIP).json == {"floating_ips": []}  # Nova lists the caller's project's
    default = w.demo.post(FIP, None)  # no body: nova.conf's default_floating_pool
    assert default.json["floating_ip"]["pool"] == "public"
    gone = w.demo.delete(f"{FIP}/{made['id']}")
    assert (gone.status_int, gone.body) == (202, b"")
    assert fault(w.demo.get(f"{FIP}/{made['id']}"), 404) == (
        f"Floating IP not found for ID {made['id']}"
    )


def test_associate_shows_it_in_the_server_and_disassociate_forgets_it(w: Cloud) -> None:
    made = w.allocate()
    assert w.act({"addFloatingIp": {"address": made["ip"]}}).status_int == 202
    assert w.addresses() == [("10.0.0.10", "fixed"), (made["ip"], "floating")]
    ips = w.demo.get(f"{V}/servers/{w.vm_id}/ips").json["addresses"]["private"]
    assert ips == [{"version": 4, "addr": "10.0.0.10"}, {"version": 4, "addr": made["ip"]}]
    shown = w.demo.get(f"{FIP}/{made['id']}").json["floating_ip"]
    assert (shown["instance_id"], shown["fixed_ip"]) == (w.vm_id, "10.0.0.10")
    assert w.act({"removeFloatingIp": {"address": made["ip"]}}).status_int == 202
    assert w.addresses() == [("10.0.0.10", "fixed")]
    assert w.demo.get(f"{FIP}/{made['id']}").json["floating_ip"]["instance_id"] is None


def test_moving_to_another_server_refreshes_both(w: Cloud) -> None:
    made = w.allocate()
    other = w.boot("vm2")
    assert w.act({"addFloatingIp": {"address": made["ip"]}}).status_int == 202
    assert w.act({"addFloatingIp": {"address": made["ip"]}}, server=other.uuid).status_int == 202
    assert (made["ip"], "floating") not in w.addresses()
    assert (made["ip"], "floating") in w.addresses(other.uuid)
    refused = w.act({"removeFloatingIp": {"address": made["ip"]}})
    assert fault(refused, 409) == (
        f"Floating IP {made['ip']} is not associated with instance {w.vm_id}."
    )


def test_deleting_an_associated_floating_ip_updates_the_server(w: Cloud) -> None:
    made = w.allocate()
    w.act({"addFloatingIp": {"address": made["ip"]}})
    assert w.demo.delete(f"{FIP}/{made['id']}").status_int == 202
    assert w.addresses() == [("10.0.0.10", "fixed")]


def test_refusals_change_nothing(w: Cloud) -> None:
    first, second = w.allocate(), w.allocate()
    w.act({"addFloatingIp": {"address": first["ip"]}})
    w.alt.get(FIP)
    w.admin.get(FIP)
    w.settle()
    before = snapshot(w.cloud)
    port = w.cloud.network.device_ports(w.vm_id)[0].id
    public = next(n.id for n in w.cloud.network.networks.values() if n.name == "public")
    cases = [
        (w.demo.post(FIP, {"pool": "nope"}, microversion=OLD), 404, "Floating IP pool not found."),
        (w.demo.post(FIP, {"pool": 5}, microversion=OLD), 400,
         "Invalid input for field/attribute pool. Value: 5. 5 is not of type 'string', 'null'"),
        (w.demo.get(f"{FIP}/{UNKNOWN}", microversion=OLD), 404,
         f"Floating IP not found for ID {UNKNOWN}"),
        (w.alt.delete(f"{FIP}/{first['id']}", microversion=OLD), 404,
         f"Floating IP not found for ID {first['id']}"),
        (w.act({"addFloatingIp": {"address": "0.0.0.0"}}), 404, "floating IP not found"),
        (w.act({"addFloatingIp": {"address": second["ip"], "fixed_address": "10.0.0.99"}}), 400,
         "Specified fixed address not assigned to instance"),
        (w.act({"addFloatingIp": {"address": second["ip"]}}), 400,
         f"Cannot associate floating IP {second['ip']} ({second['id']}) with port {port} using "
         f"fixed IP 10.0.0.10, as that fixed IP already has a floating IP on external network "
         f"{public}.\nNeutron server returns request_ids: ['REQUEST']"),
        (w.act({"addFloatingIp": {"address": first["ip"]}}, who="alt"), 404,
         f"Instance {w.vm_id} could not be found."),
        (w.act({"removeFloatingIp": {"address": "0.0.0.0"}}), 404,
         "Floating IP not found for address 0.0.0.0."),
        (w.act({"removeFloatingIp": {"address": second["ip"]}}), 403,
         "Policy doesn't allow os_compute_api:os-floating-ips:remove to be performed."),
        (w.act({"removeFloatingIp": {"address": second["ip"]}}, who="admin"), 409,
         f"Floating IP {second['ip']} is not associated with instance {w.vm_id}."),
        (w.act({"removeFloatingIp": {"address": "x"}}), 400, None),
        (w.act({"addFloatingIp": {}}), 400, None),
    ]  # fmt: skip
    for answer, status, message in cases:
        said = fault(answer, status)
        if message is not None and "REQUEST" in message:
            head = message.split("['REQUEST']")[0]
            assert said.startswith(head) and said.endswith("']"), said
        elif message is not None:
            assert said == message
    assert snapshot(w.cloud) == before
