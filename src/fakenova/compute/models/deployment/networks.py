"""A server's ports, as Nova manages them in the Network service (``nova/network/neutron.py``).

Nova asks Neutron for one port per requested network when a build reaches its host (bound to
that host, owned by the server: ``device_id``, ``device_owner`` ``compute:<zone>``), binds
them to the new host when the server moves, unbinds them when a shelved server leaves its
host, and deletes the ports it made when the server is deleted for good (a port the user
passed in is only unbound). The server's ``addresses`` are Nova's cache of those ports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from fakenova.compute.models.errors import ComputeError
from fakenova.compute.models.servers.records import Address
from fakenova.network.errors import NeutronError
from fakenova.network.models import Caller, NetworkBackend, Port
from fakenova.network.models import Network as Network

if TYPE_CHECKING:
    from fakenova.compute.models.servers.records import Server


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


def _address(network: Network, port: Port, preserve: bool = False) -> Address:
    return Address(
        network.name,
        port.fixed_ips[0]["ip_address"],
        port.mac_address,
        network.version,
        port_id=port.id,
        preserve=preserve,
    )


def owner(zone: str) -> str:
    return f"compute:{zone}"


def create_ports(
    net: NetworkBackend,
    server: Server,
    zone: str,
    networks: Iterable[Network],
    fixed_ips: dict[str, str] | None = None,
    groups: list[str] | None = None,
) -> list[Address]:
    """One bound port per network for ``server`` (in security groups ``groups``: ids, or
    ``default`` for the project's default group, the one used when None), all or none:
    when a network is full, the ports already made for it are deleted again, as Nova's
    ``_create_ports_for_instance`` does, and :class:`NoMoreFixedIps` is raised."""
    caller = Caller(server.project_id, is_admin=True)
    requested = fixed_ips or {}
    made: list[tuple[Network, Port]] = []
    groups = [
        net.ensure_default_group(server.project_id).id if g == "default" else g
        for g in groups or ["default"]
    ]
    for network in networks:
        try:
            port = net.create_port(
                caller,
                network.id,
                mac_name=f"{server.name}@{network.name}",
                fixed_ip=requested.get(network.id),
                security_groups=list(groups),
                device_id=server.uuid,
                device_owner=owner(zone),
                host=server.host or "",
            )
        except NeutronError as error:
            for _, undone in made:
                net.delete_port(undone.id)
            raise NoMoreFixedIps(network.id) from error
        made.append((network, port))
    return [_address(network, port) for network, port in made]


def attach_port(net: NetworkBackend, server: Server, zone: str, port_id: str) -> Address:
    """Bind a port the user made to ``server`` (``networks: [{"port": id}]``); it is kept,
    only unbound, when the server goes."""
    port = net.ports[port_id]
    net.update_port(port, device_id=server.uuid, device_owner=owner(zone), host=server.host or "")
    return _address(net.networks[port.network_id], port, preserve=True)


def bind(net: NetworkBackend, server: Server) -> None:
    """The server is now on ``server.host`` (or on none, offloaded): its ports follow."""
    for address in server.addresses:
        port = net.ports.get(address.port_id or "")
        if port is not None:
            net.update_port(port, host=server.host or "")


def release(net: NetworkBackend, addresses: Iterable[Address]) -> None:
    """The server is gone: delete the ports Nova made, unbind the ones it was given."""
    for address in addresses:
        port = net.ports.get(address.port_id or "")
        if port is None:
            continue
        if address.preserve:
            net.update_port(port, device_id="", device_owner="", host="")
        else:
            net.delete_port(port.id)


def refresh_floating(net: NetworkBackend, server: Server) -> None:
    """Nova's network info cache refreshed from the Network service: each fixed address the
    cache holds takes the floating addresses now pointing at it (a port the cache does not
    hold stays out, as a ``network-changed`` event only refreshes the ports it names)."""
    for address in server.addresses:
        if address.port_id is None:
            continue
        address.floating = tuple(
            f.floating_ip_address
            for f in net.l3.of_port(address.port_id)
            if f.fixed_ip_address == address.addr
        )
