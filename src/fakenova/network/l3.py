"""Routers and floating IPs: Neutron's L3 (``neutron/db/l3_db.py``), as far as a floating IP
needs it.

Routers come from ``conf/`` only (devstack's ``router1``): a gateway port on an external
network and an interface port at the gateway address of each subnet they join. A floating IP
holds an address of an external network through a port of its own (device owner
``network:floatingip``, no project), and may point at a port's fixed IPv4 address, which
Neutron allows only when a router joins that port's subnet to the floating IP's network. The
checks run in ``_check_and_get_fip_assoc``'s order, with its sentences; each change of an
association is told to Nova (:attr:`L3.on_association`), as Neutron's Nova notifier does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakenova.network.caller import Caller
from fakenova.network.errors import InUse, InvalidInput, NeutronError, NotFound

if TYPE_CHECKING:
    from fakenova.network.models import NetworkBackend, Port

FLOATINGIP_OWNER = "network:floatingip"
GATEWAY_OWNER = "network:router_gateway"
INTERFACE_OWNER = "network:router_interface"
# Ports the port API may not delete (Neutron's ``prevent_l3_port_deletion``).
L3_OWNERS = (FLOATINGIP_OWNER, GATEWAY_OWNER, INTERFACE_OWNER)
UNSET: Any = object()  # an attribute the request did not give


def bad(message: str) -> NeutronError:
    """neutron-lib's ``BadRequest`` for a floating IP: "Bad floatingip request: ..."."""
    return NeutronError(f"Bad floatingip request: {message}.", "BadRequest")


@dataclass
class Router:
    id: str
    name: str
    project_id: str
    gateway_network_id: str
    interface_subnets: list[str]
    created_at: str


@dataclass
class FloatingIp:
    id: str
    project_id: str
    floating_network_id: str
    floating_ip_address: str
    floating_port_id: str
    created_at: str
    description: str = ""
    port_id: str | None = None
    fixed_ip_address: str | None = None
    router_id: str | None = None
    updated_at: str = ""
    revision_number: int = 0

    @property
    def status(self) -> str:
        """What OVN reports: ACTIVE once associated, DOWN while it points nowhere."""
        return "ACTIVE" if self.port_id else "DOWN"


@dataclass
class L3:
    """The routers and floating IPs of one cloud, beside its :class:`NetworkBackend`."""

    net: NetworkBackend
    routers: dict[str, Router] = field(default_factory=dict)
    floating_ips: dict[str, FloatingIp] = field(default_factory=dict)
    # Neutron's Nova notifier: told the compute port whose floating IPs changed.
    on_association: Callable[[Port], object] | None = None
    quota: int = 50  # floating IPs a project may hold (Neutron's default)

    def load_router(self, raw: dict[str, Any], owner: str) -> Router:
        """A router of ``conf/`` with its ports (the gateway's address from the external
        network's walk; each interface at its subnet's gateway address)."""
        admin = Caller(owner, is_admin=True)
        by_name = {n.name: n for n in self.net.networks.values()}
        gateway = by_name[raw["gateway"]]
        subnets = [by_name[name].subnet for name in raw.get("interfaces", ())]
        router_id = str(raw.get("id") or self.net.ids.uuid("router", raw["name"]))
        router = Router(
            router_id, raw["name"], owner, gateway.id, [s.id for s in subnets], self.net.now()
        )
        port = self._port(admin, gateway.id, f"{router.name}@{gateway.name}", router.id)
        self.net.update_port(port, device_owner=GATEWAY_OWNER, project_id="")
        for subnet in subnets:
            name = f"{router.name}@{subnet.name}"
            port = self._port(admin, subnet.network_id, name, router.id, subnet.gateway_ip)
            self.net.update_port(port, device_owner=INTERFACE_OWNER)
        self.routers[router.id] = router
        return router

    def _port(
        self, admin: Caller, network_id: str, name: str, device_id: str, address: str | None = None
    ) -> Port:
        return self.net.create_port(
            admin,
            network_id,
            mac_name=name,
            fixed_ip=address,
            security_groups=[],
            device_id=device_id,
            port_id=self.net.ids.uuid("port", name),
        )

    # -- reading ------------------------------------------------------------------------------

    def visible_routers(self, caller: Caller) -> list[Router]:
        return [r for r in self.routers.values() if caller.sees(r.project_id)]

    def router(self, caller: Caller, router_id: str) -> Router:
        missing = NotFound(f"Router {router_id} could not be found", "RouterNotFound")
        return caller.own(self.routers.get(router_id), missing)

    def gateway_port(self, router: Router) -> Port:
        return next(p for p in self.net.device_ports(router.id) if p.device_owner == GATEWAY_OWNER)

    def visible(self, caller: Caller) -> list[FloatingIp]:
        return [f for f in self.floating_ips.values() if caller.sees(f.project_id)]

    def get(self, caller: Caller, fip_id: str) -> FloatingIp:
        missing = NotFound(f"Floating IP {fip_id} could not be found", "FloatingIPNotFound")
        return caller.own(self.floating_ips.get(fip_id), missing)

    def of_port(self, port_id: str) -> Iterator[FloatingIp]:
        return (f for f in self.floating_ips.values() if f.port_id == port_id)

    # -- changes ------------------------------------------------------------------------------

    def create(
        self,
        caller: Caller,
        network_id: str,
        project_id: str,
        *,
        address: str | None = None,
        port_id: str | None = None,
        fixed_ip_address: str | None = None,
        description: str = "",
    ) -> FloatingIp:
        """A floating IP of ``project_id`` on the external network ``network_id``: its port
        first (the next address of the walk, or ``address``), then the association, all or
        nothing (Neutron deletes the port again when the association is refused). The quota
        comes first, as Neutron's API layer checks it before the plugin runs."""
        if self.usage(project_id)["floatingip"] >= self.quota:
            raise InUse("Quota exceeded for resources: ['floatingip'].", "OverQuota")
        network = self.net.networks.get(network_id)
        if network is None or not caller.reads(network):
            raise NotFound(f"Network {network_id} could not be found.", "NetworkNotFound")
        if not network.external:
            raise bad(f"Network {network_id} is not a valid external network")
        if address is not None and ipaddress.ip_address(address) not in ipaddress.ip_network(
            network.cidr
        ):
            raise InvalidInput(
                f"IP address {address} is not a valid IP for any of the subnets on the "
                "specified network.",
                "InvalidIpForNetwork",
            )
        fip_id = self.net.ids.uuid("floatingip", network.id)
        now = self.net.now()
        admin = Caller(caller.project_id, is_admin=True)
        name = f"floatingip {fip_id}"
        walk = self.net.pools[network.id].walk
        port = self._port(admin, network.id, name, fip_id, address)
        self.net.update_port(port, device_owner=FLOATINGIP_OWNER, project_id="")
        address = port.fixed_ips[0]["ip_address"]
        fip = FloatingIp(fip_id, project_id, network.id, address, port.id, now, description)
        fip.updated_at = now
        try:
            self._associate(caller, fip, port_id, fixed_ip_address)
        except NeutronError:
            self.net.delete_port(port.id)
            self.net.pools[network.id].rewind(walk)
            raise
        self.floating_ips[fip.id] = fip
        self._tell_nova(None, fip.port_id)
        return fip

    def update(
        self,
        caller: Caller,
        fip_id: str,
        port_id: Any = UNSET,
        fixed_ip_address: Any = UNSET,
        description: Any = UNSET,
    ) -> FloatingIp:
        """Associate (``port_id``), disassociate (``port_id`` None) or describe; an update
        that names no port keeps the association, as Neutron re-checks it."""
        fip = self.get(caller, fip_id)
        before = fip.port_id
        if fixed_ip_address not in (UNSET, None) and port_id in (UNSET, None):
            raise bad("fixed_ip_address cannot be specified without a port_id")
        if port_id is UNSET:
            port_id, fixed = fip.port_id, None
        else:
            fixed = None if fixed_ip_address is UNSET else fixed_ip_address
        self._associate(caller, fip, port_id, fixed)
        if description is not UNSET:
            fip.description = description
        fip.revision_number += 1
        fip.updated_at = self.net.now()
        self._tell_nova(before, fip.port_id)
        return fip

    def delete(self, caller: Caller, fip_id: str) -> None:
        fip = self.get(caller, fip_id)
        del self.floating_ips[fip.id]
        self.net.delete_port(fip.floating_port_id)
        self._tell_nova(fip.port_id, None)

    def port_deleted(self, port_id: str) -> None:
        """The port went: its floating IPs point nowhere (Neutron's
        ``disassociate_floatingips``)."""
        for fip in list(self.of_port(port_id)):
            fip.port_id = fip.fixed_ip_address = fip.router_id = None
            fip.revision_number += 1

    # -- the association ----------------------------------------------------------------------

    def _associate(
        self, caller: Caller, fip: FloatingIp, port_id: str | None, fixed: str | None
    ) -> None:
        if fixed is not None and port_id is None:
            raise bad("fixed_ip_address cannot be specified without a port_id")
        if port_id is None:
            fip.port_id = fip.fixed_ip_address = fip.router_id = None
            return
        port = self.net.port(caller, port_id)
        if port.project_id != fip.project_id and not caller.is_admin:
            raise bad(
                f"Cannot process floating IP association with Port {port_id}, since that port "
                "is owned by a different project"
            )
        subnet_id, address = self._fixed(port, fixed)
        router = self._router(port, subnet_id, fip.floating_network_id)
        if port.id != fip.port_id:
            for other in self.of_port(port.id):
                same = (other.floating_network_id, other.fixed_ip_address)
                if same == (fip.floating_network_id, address):
                    raise InUse(
                        f"Cannot associate floating IP {fip.floating_ip_address} ({fip.id}) "
                        f"with port {port.id} using fixed IP {address}, as that fixed IP "
                        "already has a floating IP on external network "
                        f"{fip.floating_network_id}.",
                        "FloatingIPPortAlreadyAssociated",
                    )
        fip.port_id, fip.fixed_ip_address, fip.router_id = port.id, address, router.id

    def _fixed(self, port: Port, fixed: str | None) -> tuple[str, str]:
        """The port's fixed IPv4 address to point at, and its subnet."""
        if fixed is not None:
            if ipaddress.ip_address(fixed).version != 4:
                raise bad(
                    f"Cannot process floating IP association with {fixed}, since that is not "
                    "an IPv4 address"
                )
            for held in port.fixed_ips:
                if held["ip_address"] == fixed:
                    return held["subnet_id"], fixed
            raise bad(f"Port {port.id} does not have fixed ip {fixed}")
        ipv4 = [f for f in port.fixed_ips if ipaddress.ip_address(f["ip_address"]).version == 4]
        if not ipv4:
            raise bad(f"Cannot add floating IP to port {port.id} that has no fixed IPv4 addresses")
        if len(ipv4) > 1:
            raise bad(
                f"Port {port.id} has multiple fixed IPv4 addresses.  Must provide a specific "
                "IPv4 address when assigning a floating IP"
            )
        return ipv4[0]["subnet_id"], ipv4[0]["ip_address"]

    def _router(self, port: Port, subnet_id: str, network_id: str) -> Router:
        """A router with its gateway on the floating IP's network and an interface on the
        port's subnet (Neutron's ``get_router_for_floatingip``)."""
        for router in self.routers.values():
            if router.gateway_network_id == network_id and subnet_id in router.interface_subnets:
                return router
        raise NotFound(
            f"External network {network_id} is not reachable from subnet {subnet_id}.  "
            f"Therefore, cannot associate Port {port.id} with a Floating IP.",
            "ExternalGatewayForFloatingIPNotFound",
        )

    def _tell_nova(self, before: str | None, after: str | None) -> None:
        """A ``network-changed`` event for each compute port that gained or lost a floating
        IP: the old one when the floating IP moved, then the new one (Neutron's
        ``send_network_change``)."""
        if self.on_association is None:
            return
        for port_id in dict.fromkeys(p for p in (before, after) if p is not None):
            port = self.net.ports.get(port_id)
            if port is not None:
                self.on_association(port)

    def usage(self, project_id: str) -> dict[str, int]:
        return {
            "floatingip": sum(1 for f in self.floating_ips.values() if f.project_id == project_id),
            "router": sum(1 for r in self.routers.values() if r.project_id == project_id),
        }

    def snapshot(self) -> dict[str, Any]:
        return {k: repr(v) for k, v in self.floating_ips.items()}
