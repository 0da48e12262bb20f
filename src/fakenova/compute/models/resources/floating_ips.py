"""The compute API's floating-IP proxy (``os-floating-ips``, ``os-floating-ip-pools`` up to
2.35; ``addFloatingIp``/``removeFloatingIp`` up to 2.43): Nova asks Neutron with the caller's
token and words Neutron's answers its own way (``nova/network/neutron.py`` and
``nova/api/openstack/compute/floating_ips.py``).

A floating IP is shown with its pool (its network's name) and the device its port belongs to
(Neutron's ``port_details``); associating one refreshes the server's network info cache at
once (Nova's ``refresh_cache``), and so does moving or releasing one. Neutron's refusals
reach the client inside Nova's sentences, as neutronclient renders them: the message, then
the request id Neutron answered with.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment.networks import refresh_floating
from fakenova.compute.models.errors import (
    FloatingIpInvalid,
    FloatingIpNotAssociated,
    FloatingIpNotFound,
    Forbidden,
    InstanceNotFound,
)
from fakenova.compute.models.servers.records import Server
from fakenova.network.errors import InUse, NeutronError
from fakenova.network.l3 import FloatingIp
from fakenova.network.models import Caller

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend


@dataclass(frozen=True)
class ProxyFloatingIp:
    """What Nova's view needs of a floating IP: Neutron's body plus its network's name."""

    id: str
    ip: str
    fixed_ip: str | None
    instance_id: str | None
    pool: str


def _caller(actor: Actor) -> Caller:
    return Caller(str(actor.project_id), actor.is_admin)


def _neutron_said(backend: ComputeBackend, error: NeutronError, what: str) -> str:
    """neutronclient's text of a refusal: Neutron's sentence and its request id."""
    request_id = "req-" + backend.ids.uuid("request", f"neutron {what}")
    return f"{error.message}\nNeutron server returns request_ids: ['{request_id}']"


def _shown(backend: ComputeBackend, fip: FloatingIp) -> ProxyFloatingIp:
    network = backend.network.networks[fip.floating_network_id]
    port = backend.network.ports.get(fip.port_id or "")
    instance = port.device_id if port is not None else None
    return ProxyFloatingIp(
        fip.id, fip.floating_ip_address, fip.fixed_ip_address, instance, network.name or network.id
    )


def listing(backend: ComputeBackend, actor: Actor) -> list[ProxyFloatingIp]:
    """The caller's project's floating IPs (an admin's too: Nova filters by project)."""
    found = backend.network.l3.visible(_caller(actor))
    return [_shown(backend, f) for f in found if f.project_id == actor.project_id]


def get(backend: ComputeBackend, actor: Actor, fip_id: str) -> ProxyFloatingIp:
    return _shown(backend, _get(backend, actor, fip_id))


def _get(backend: ComputeBackend, actor: Actor, fip_id: str) -> FloatingIp:
    try:
        return backend.network.l3.get(_caller(actor), fip_id)
    except NeutronError:
        raise FloatingIpNotFound(f"Floating IP not found for ID {fip_id}") from None


def _by_address(backend: ComputeBackend, actor: Actor, address: str) -> FloatingIp | None:
    found = [
        f for f in backend.network.l3.visible(_caller(actor)) if f.floating_ip_address == address
    ]
    return found[0] if len(found) == 1 else None


def pools(backend: ComputeBackend, actor: Actor) -> list[str]:
    """The external networks the caller sees, by name (or id when nameless)."""
    nets = backend.network.visible_networks(_caller(actor))
    return [n.name or n.id for n in nets if n.external]


def allocate(backend: ComputeBackend, actor: Actor, pool: str | None) -> ProxyFloatingIp:
    """A floating IP from ``pool`` (a name or id; nova.conf's ``[neutron]
    default_floating_pool`` when none), refused as Nova words Neutron's refusals."""
    configured = backend.settings.nova.get("neutron", {}).get("default_floating_pool", "nova")
    wanted = pool or str(configured)
    caller = _caller(actor)
    nets = [
        n
        for n in backend.network.visible_networks(caller)
        if n.external and wanted in (n.id, n.name)
    ]
    if len(nets) != 1:
        raise FloatingIpNotFound("Floating IP pool not found.")
    l3 = backend.network.l3
    try:
        fip = l3.create(caller, nets[0].id, str(actor.project_id))
    except InUse as error:
        if error.kind == "OverQuota":
            over = (
                f"IP allocation over quota in pool {pool}." if pool else "IP allocation over quota."
            )
            raise Forbidden(over) from None
        raise FloatingIpNotFound(
            f"No more floating IPs in pool {pool}." if pool else "No more floating IPs available."
        ) from None
    except NeutronError as error:
        raise FloatingIpInvalid(_neutron_said(backend, error, f"create {nets[0].id}")) from None
    return _shown(backend, fip)


def release(backend: ComputeBackend, actor: Actor, fip_id: str) -> None:
    """Release a floating IP; the server it pointed at forgets it at once."""
    fip = _get(backend, actor, fip_id)
    server = _server_of(backend, actor, fip)
    backend.network.l3.delete(_caller(actor), fip.id)
    if server is not None:
        refresh_floating(backend.network, server)


def _server_of(backend: ComputeBackend, actor: Actor, fip: FloatingIp) -> Server | None:
    """The server whose port the floating IP points at (Nova's
    ``get_instance_by_floating_ip_addr``); another project's is not found."""
    port = backend.network.ports.get(fip.port_id or "")
    if port is None or not port.device_id:
        return None
    server = backend.servers.get(port.device_id)
    if server is None or (not actor.is_admin and server.project_id != actor.project_id):
        raise InstanceNotFound(port.device_id)
    return server


def owner(backend: ComputeBackend, actor: Actor, address: str) -> Server | None:
    """The server the floating IP ``address`` points at, if any (what ``removeFloatingIp``
    authorizes against)."""
    fip = _by_address(backend, actor, address)
    if fip is None:
        raise FloatingIpNotFound(f"Floating IP not found for address {address}.")
    return _server_of(backend, actor, fip)


def associate(
    backend: ComputeBackend, actor: Actor, server: Server, address: str, fixed: str | None
) -> None:
    """Point the floating IP ``address`` at one of ``server``'s fixed addresses (the first
    IPv4 one unless ``fixed`` names one), checked against Nova's cache of its network."""
    cached = [a for a in server.addresses if a.type == "fixed"] if server.addresses else None
    if not cached:
        raise FloatingIpInvalid("Instance network is not ready yet")
    if fixed is not None:
        if not any(a.addr == fixed for a in cached):
            raise FloatingIpInvalid("Specified fixed address not assigned to instance")
    else:
        fixed = next((a.addr for a in cached if ipaddress.ip_address(a.addr).version == 4), None)
        if fixed is None:
            raise FloatingIpInvalid(
                f"Unable to associate floating IP {address} to any fixed IPs for instance "
                f"{server.uuid}. Instance has no fixed IPv4 addresses to associate."
            )
    port = next(
        (
            p
            for p in backend.network.device_ports(server.uuid)
            if any(f["ip_address"] == fixed for f in p.fixed_ips)
        ),
        None,
    )
    fip = _by_address(backend, actor, address)
    if port is None or fip is None:
        if port is None:
            raise FloatingIpInvalid(
                f"Unable to associate floating IP {address} to fixed IP {fixed} for instance "
                f"{server.uuid}. Error: Fixed IP not found for address {fixed}."
            )
        raise FloatingIpNotFound("floating IP not found")
    before = _server_of_quietly(backend, fip)
    try:
        backend.network.l3.update(_caller(actor), fip.id, port_id=port.id, fixed_ip_address=fixed)
    except InUse as error:
        raise FloatingIpInvalid(_neutron_said(backend, error, f"update {fip.id}")) from None
    except NeutronError as error:
        raise FloatingIpInvalid(
            f"Unable to associate floating IP {address} to fixed IP {fixed} for instance "
            f"{server.uuid}. Error: {_neutron_said(backend, error, f'update {fip.id}')}"
        ) from None
    refresh_floating(backend.network, server)
    if before is not None and before is not server:
        refresh_floating(backend.network, before)


def _server_of_quietly(backend: ComputeBackend, fip: FloatingIp) -> Server | None:
    port = backend.network.ports.get(fip.port_id or "")
    return backend.servers.get(port.device_id) if port is not None else None


def disassociate(
    backend: ComputeBackend, actor: Actor, server_id: str, address: str, server: Server | None
) -> None:
    """Nova's ``removeFloatingIp`` once it found the floating IP's ``server``: only when that
    is the server of the URL is the floating IP disassociated."""
    fip = _by_address(backend, actor, address)
    if fip is None:
        raise FloatingIpNotFound("floating IP not found")
    if server is None or fip.port_id is None or server.uuid != server_id:
        raise FloatingIpNotAssociated(address, server_id)
    backend.network.l3.update(_caller(actor), fip.id, port_id=None)
    refresh_floating(backend.network, server)
