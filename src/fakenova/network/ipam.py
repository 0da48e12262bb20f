"""Fixed addresses of a subnet: which port holds which address (Neutron's IPAM)."""

from __future__ import annotations

import ipaddress
from typing import Any

# Addresses below this index of a subnet are left to the deployment (the gateway, DHCP and
# router ports of a devstack network); servers' ports are given the rest.
FIRST_INDEX = 10


class IpAddressGenerationFailure(Exception):
    """Every automatic address of the subnet is held (Neutron's 409 of the same name)."""

    def __init__(self, network_id: str) -> None:
        super().__init__(f"No more IP addresses available on network {network_id}.")
        self.network_id = network_id


class AddressPool:
    """The addresses of one subnet and the port owner (a server's uuid) holding each.

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
    (the caller has already refused one in use).
    """

    def __init__(self, network_id: str, cidr: str) -> None:
        self.network_id = network_id
        subnet = ipaddress.ip_network(cidr)
        self._base = int(subnet.network_address)
        last = subnet.num_addresses - (2 if subnet.version == 4 else 1)
        self._lo, self._hi = FIRST_INDEX, last
        self._next = self._lo  # where the walk for the next automatic address starts
        self._held: dict[str, str] = {}  # address -> owner of the port holding it

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
        raise IpAddressGenerationFailure(self.network_id)

    @property
    def walk(self) -> int:
        """Where the walk for the next automatic address starts."""
        return self._next

    def rewind(self, walk: int) -> None:
        """Back to an earlier :attr:`walk`: an address taken for a request Neutron then
        refused (and gave back) leaves no trace, as a random draw would not."""
        self._next = walk

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
