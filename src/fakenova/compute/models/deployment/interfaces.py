"""A server's interfaces (``os-interface``): its ports, listed, shown, attached and detached
as Nova's compute API and manager do it against Neutron (``nova/compute/api.py``
``attach_interface``/``detach_interface``, ``nova/network/neutron.py``).

Both changes need the server unlocked (for members) and ACTIVE, PAUSED or STOPPED with no
task. An attach is a synchronous call to the host, which makes (or binds) the port and
answers with it; its refusals reach the API. A detach unbinds a port the user made and
deletes one Nova made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.deployment.networks import NoMoreFixedIps
from fakenova.compute.models.errors import InterfaceConflict, InterfaceInvalid, InterfaceNotFound
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, PAUSED, STOPPED
from fakenova.network.errors import NeutronError
from fakenova.network.models import Caller, Network, Port

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

CHANGEABLE = States.of((ACTIVE, PAUSED, STOPPED))


def listing(backend: ComputeBackend, server: Server) -> list[tuple[Port, str | None]]:
    """The server's ports with the tag each was attached with."""
    tags = {a.port_id: a.tag for a in server.addresses}
    return [(p, tags.get(p.id)) for p in backend.network.device_ports(server.uuid)]


def show(
    backend: ComputeBackend, actor: Actor, server: Server, server_id: str, port_id: str
) -> tuple[Port, str | None]:
    caller = Caller(str(actor.project_id), actor.is_admin)
    try:
        port = backend.network.port(caller, port_id)
    except NeutronError:
        raise InterfaceNotFound(f"Port id {port_id} could not be found.") from None
    if port.device_id != server.uuid:
        raise InterfaceNotFound(f"Instance {server_id} does not have a port with id {port_id}")
    return port, next((a.tag for a in server.addresses if a.port_id == port.id), None)


def attach(
    backend: ComputeBackend,
    actor: Actor,
    server: Server,
    network_id: str | None,
    port_id: str | None,
    address: str | None,
    tag: str | None,
) -> str:
    """Attach a port (the given one, or a new one on the given or the only network) and
    return its id."""
    flows.check_lock(server, actor)
    flows.check_states(server, CHANGEABLE)
    net = backend.network
    if port_id:
        found = net.ports.get(port_id)
        if found is None:
            raise InterfaceNotFound(f"Port id {port_id} could not be found.")
        if net.resource_request(found):
            _no_port_resources(backend, actor, server)
        if found.device_id:
            raise InterfaceConflict(f"Port {port_id} is still in use.")
        made = backend.attach_port(server, port_id)
    else:
        network = _network(backend, actor, server.project_id, network_id)
        holder = net.address_holder(network.id, address) if address else None
        if holder is not None:
            raise InterfaceConflict(
                f"Fixed IP address {address} is already in use on instance {holder.device_id}."
            )
        fixed = {network.id: address} if address else None
        try:
            groups = server_groups(backend, server)
            (made,) = backend.allocate_addresses(server, [network], fixed, groups)
        except NoMoreFixedIps as error:
            raise InterfaceInvalid(error.message) from error
    made.tag = tag
    server.addresses = [*server.addresses, made]
    _record(backend, actor, server, "attach_interface")
    return str(made.port_id)


def server_groups(backend: ComputeBackend, server: Server) -> list[str]:
    """The groups a new port of the server gets: those of its first port, else default."""
    existing = backend.network.device_ports(server.uuid)
    return list(existing[0].security_groups) if existing else ["default"]


def _network(
    backend: ComputeBackend, actor: Actor, project_id: str, network_id: str | None
) -> Network:
    """The network asked for, else the only one the server's project can use (Nova's
    ``_get_available_networks`` for the instance's project)."""
    caller = Caller(str(actor.project_id), actor.is_admin)
    if network_id:
        try:
            return backend.network.network(caller, network_id)
        except NeutronError:
            raise InterfaceNotFound(f"Network {network_id} could not be found.") from None
    available = backend.available_networks(project_id)
    if not available:
        raise InterfaceInvalid(
            f"No specific network was requested and none are available for project '{project_id}'."
        )
    if len(available) > 1:
        raise InterfaceInvalid(
            "More than one possible network found. Specify network ID(s) to select which "
            "one(s) to connect to."
        )
    return available[0]


def detach(backend: ComputeBackend, actor: Actor, server: Server, port_id: str) -> None:
    flows.check_lock(server, actor)
    flows.check_states(server, CHANGEABLE)
    gone = [a for a in server.addresses if a.port_id == port_id]
    if not gone:
        raise InterfaceNotFound(f"Port {port_id} is not attached")
    _record(backend, actor, server, "detach_interface")
    ports.release(backend.network, gone)
    server.addresses = [a for a in server.addresses if a.port_id != port_id]


def _no_port_resources(backend: ComputeBackend, actor: Actor, server: Server) -> None:
    """The host asks Placement for a port's resources within its own tree before it
    touches the port, and no host here has any (see the scheduler's ``Placement``): the
    attach fails on the host, recorded as a failed action, and the API answers 400."""
    message = f"Failed to allocate additional resources to {server.uuid} during interface attach"
    record = flows.begin(backend, server, actor, "attach_interface")
    now = backend.clock.now
    event = backend.actions.event_start(record, "compute_attach_interface", now, server.host)
    trace = (
        "Traceback (most recent call last):\n"
        '  File "nova/compute/manager.py", in _allocate_port_resource_for_instance\n'
        "    raise exception.InterfaceAttachResourceAllocationFailed(\n"
        f"nova.exception.InterfaceAttachResourceAllocationFailed: {message}\n"
    )
    backend.actions.event_finish(record, event, now, error=message, traceback=trace)
    raise InterfaceInvalid(message)


def _record(backend: ComputeBackend, actor: Actor, server: Server, action: str) -> None:
    """The instance action and the host's event, finished at once (the API waits for the
    attach; the detach is quick enough that no client sees it pending)."""
    record = flows.begin(backend, server, actor, action)
    now = backend.clock.now
    event = backend.actions.event_start(record, f"compute_{action}", now, server.host)
    backend.actions.event_finish(record, event, now)
