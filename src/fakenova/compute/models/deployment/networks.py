"""The networks servers attach to, from ``conf/`` (Neutron's view, as Nova proxies it), and
the fixed addresses their ports hold.

Nova asks Neutron for one port per requested network when a build reaches its host, and
deletes the ports when the server is deleted for good; Neutron's IPAM hands each port an
address of the subnet and takes it back with the port. :class:`AddressPools` is that IPAM.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fakenova.compute.models.errors import ComputeError
from fakenova.compute.models.servers.records import Address
from fakenova.determinism import IdSource
from fakenova.settings import Settings

# Addresses below this index of a subnet are left to the deployment (the gateway, DHCP and
# router ports of a devstack network); servers' ports are given the rest.
FIRST_INDEX = 10


@dataclass(frozen=True)
class Network:
    id: str
    name: str
    cidr: str

    @property
    def version(self) -> int:
        return ipaddress.ip_network(self.cidr).version


def load_networks(settings: Settings, ids: IdSource) -> dict[str, Network]:
    """Networks by id; a network without an ``id`` in ``conf/`` gets one from the seed."""
    found: dict[str, Network] = {}
    for raw in settings.networks:
        network_id = str(raw.get("id") or ids.uuid("network", raw["name"]))
        found[network_id] = Network(network_id, raw["name"], raw["cidr"])
    return found


class NoMoreFixedIps(ComputeError):
    """Every address of the network is held: Neutron answers ``IpAddressGenerationFailure``
    to the port create, which Nova's ``_create_port_minimal`` (``nova/network/neutron.py``)
    turns into its ``NoMoreFixedIps`` with this sentence. It never reaches the API as an
    answer: the build that meets it ends in ERROR (see
    :mod:`fakenova.compute.models.servers.builds`).
    """

    def __init__(self, network_id: str) -> None:
        super().__init__(f"No fixed IP addresses available for network: {network_id}")
        self.network_id = network_id


class AddressPool:
    """The addresses of one network's subnet and the server holding each.

    Automatic addresses come from index :data:`FIRST_INDEX` of the subnet to its last host
    address (the broadcast address of an IPv4 subnet is never given). Which free address a
    port gets: Neutron's IPAM (``NeutronDbSubnet._generate_ips`` in
    ``neutron/ipam/drivers/neutrondb_ipam/driver.py``) draws it at random among the first
    1000 free addresses of the allocation pool. A deterministic fake cannot draw, so it walks
    the pool in order from just after the address it gave last, wrapping around at the end
    and stepping over held addresses. Every choice is one Neutron could make; a fresh cloud
    numbers its servers' ports in boot order (the guide's samples rely on it); and an address
    a delete released is given again only once the rest of the pool was used, as a random
    draw seldom hands out the address just released. A requested fixed IP is held as asked
    (Nova's API has already refused one in use).
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        subnet = ipaddress.ip_network(network.cidr)
        self._base = int(subnet.network_address)
        last = subnet.num_addresses - (2 if subnet.version == 4 else 1)
        self._lo, self._hi = FIRST_INDEX, last
        self._next = self._lo  # where the walk for the next automatic address starts
        self._held: dict[str, str] = {}  # address -> uuid of the server whose port holds it

    def _text(self, index: int) -> str:
        return str(ipaddress.ip_address(self._base + index))

    def _index(self, address: str) -> int:
        return int(ipaddress.ip_address(address)) - self._base

    def allocate(self, owner: str, requested: str | None = None) -> str:
        """Hold ``requested``, or the next free address of the walk, for ``owner``'s port."""
        if requested is not None:
            self._held[requested] = owner
            return requested
        size = self._hi - self._lo + 1
        for step in range(max(size, 0)):
            index = self._lo + (self._next - self._lo + step) % size
            address = self._text(index)
            if address not in self._held:
                self._held[address] = owner
                self._next = index + 1 if index < self._hi else self._lo
                return address
        raise NoMoreFixedIps(self.network.id)

    def holder(self, address: str) -> str | None:
        return self._held.get(address)

    def release(self, owner: str, address: str) -> None:
        """Give ``address`` back, if ``owner`` holds it."""
        if self._held.get(address) == owner:
            del self._held[address]

    @property
    def free(self) -> int:
        """How many automatic addresses are left."""
        held = sum(1 for a in self._held if self._lo <= self._index(a) <= self._hi)
        return max(self._hi - self._lo + 1, 0) - held

    def snapshot(self) -> dict[str, Any]:
        return {"held": dict(self._held), "next": self._next}


class AddressPools:
    """One :class:`AddressPool` per network: the ports of every server."""

    def __init__(self, networks: dict[str, Network], ids: IdSource) -> None:
        self.ids = ids
        self.pools = {net.id: AddressPool(net) for net in networks.values()}

    def allocate(
        self,
        owner: str,
        name: str,
        networks: Iterable[Network],
        fixed_ips: dict[str, str] | None = None,
    ) -> list[Address]:
        """One port per network for server ``owner`` (called ``name``), all or none: when a
        network is full, the ports already made for this server are deleted again, as Nova's
        ``_create_ports_for_instance`` does, and :class:`NoMoreFixedIps` is raised."""
        made: list[tuple[Network, str]] = []
        requested = fixed_ips or {}
        try:
            for net in networks:
                made.append((net, self.pools[net.id].allocate(owner, requested.get(net.id))))
        except NoMoreFixedIps:
            for net, address in made:
                self.pools[net.id].release(owner, address)
            raise
        addresses = []
        for net, address in made:
            mac_tail = self.ids.uuid("mac", f"{name}@{net.name}")[:6]
            mac = "fa:16:3e:" + ":".join(mac_tail[i : i + 2] for i in (0, 2, 4))
            addresses.append(Address(net.name, address, mac, net.version))
        return addresses

    def holder(self, network_id: str, address: str) -> str | None:
        """The uuid of the server whose port on ``network_id`` holds ``address``, if any."""
        pool = self.pools.get(network_id)
        return pool.holder(address) if pool is not None else None

    def release(self, owner: str, addresses: Iterable[Address]) -> None:
        """The server's ports are deleted: their addresses are free again."""
        by_name = {pool.network.name: pool for pool in self.pools.values()}
        for address in addresses:
            pool = by_name.get(address.network)
            if pool is not None:
                pool.release(owner, address.addr)

    def snapshot(self) -> dict[str, Any]:
        """Plain data to compare (a refused request leaves it as it was)."""
        return {net_id: pool.snapshot() for net_id, pool in self.pools.items()}
