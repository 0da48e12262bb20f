"""A server's security groups, as Nova's Neutron security-group API keeps them
(``nova/network/security_group_api.py``): they are the groups of the server's ports.

Adding a group looks it up by name or id among the caller's project's groups and appends it
to every port of the server; removing takes it off every port that has it. A server with no
port has no group to change: Nova says the server is not a device of any port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.errors import SecurityGroupNotFound, SecurityGroupNotUnique
from fakenova.compute.models.servers.records import Server
from fakenova.network.models import Caller, Port, SecurityGroup

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend


def of_server(backend: ComputeBackend, actor: Actor, server: Server) -> list[SecurityGroup]:
    """The groups of the server's ports the caller can see, each once, sorted as Nova sorts
    its answer (by project, then name)."""
    return _on_ports(backend, server, Caller(str(actor.project_id), actor.is_admin))


def _on_ports(backend: ComputeBackend, server: Server, caller: Caller) -> list[SecurityGroup]:
    net = backend.network
    found: dict[str, SecurityGroup] = {}
    for port in net.device_ports(server.uuid):
        for group_id in port.security_groups:
            group = net.groups.get(group_id)
            if group is not None and caller.sees(group.project_id):
                found.setdefault(group.id, group)
    return sorted(found.values(), key=lambda g: (g.project_id, g.name))


def _lookup(backend: ComputeBackend, actor: Actor, name: str) -> SecurityGroup:
    """By id, else by name among the caller's project's groups (neutronclient's
    ``find_resourceid_by_name_or_id`` with the project)."""
    net = backend.network
    project = str(actor.project_id)
    net.ensure_default_group(project)
    by_id = net.groups.get(name)
    if by_id is not None and (actor.is_admin or by_id.project_id == project):
        return by_id
    named = [g for g in net.groups.values() if g.name == name and g.project_id == project]
    if len(named) > 1:
        raise SecurityGroupNotUnique(
            f"Multiple security_group matches found for name '{name}', use an ID to be more "
            "specific."
        )
    if not named:
        raise SecurityGroupNotFound(
            f"Security group {name} is not found for project {actor.project_id}"
        )
    return named[0]


def _ports(backend: ComputeBackend, server: Server) -> list[Port]:
    ports = backend.network.device_ports(server.uuid)
    if not ports:
        raise SecurityGroupNotFound(
            f"instance_id {server.uuid} could not be found as device id on any ports"
        )
    return ports


def _remember(backend: ComputeBackend, server: Server) -> None:
    """Nova's view of the server's groups follows its ports."""
    groups = _on_ports(backend, server, Caller(server.project_id, is_admin=True))
    server.security_groups = [g.name for g in groups]


def add(backend: ComputeBackend, actor: Actor, server: Server, name: str) -> None:
    group = _lookup(backend, actor, name)
    for port in _ports(backend, server):
        if group.id not in port.security_groups:
            backend.network.update_port(port, security_groups=[*port.security_groups, group.id])
    _remember(backend, server)


def remove(backend: ComputeBackend, actor: Actor, server: Server, name: str) -> None:
    group = _lookup(backend, actor, name)
    changed = False
    for port in _ports(backend, server):
        if group.id in port.security_groups:
            kept = [g for g in port.security_groups if g != group.id]
            backend.network.update_port(port, security_groups=kept)
            changed = True
    if not changed:
        raise SecurityGroupNotFound(
            f"Security group {name} not associated with the instance {server.uuid}"
        )
    _remember(backend, server)
