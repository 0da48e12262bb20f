"""Server groups: who may create them, who sees them, and what they tell the scheduler.

The groups themselves live in :class:`~fakenova.compute.models.backend.ComputeBackend`
(``server_groups``); a member joins when its build starts. This module holds the rules Nova
applies around them: a create within the ``server_groups`` quota (counted and checked by
:mod:`~fakenova.compute.models.resources.quotas`, as the members' quota is), the members a
group shows (deleted servers drop out), and the
:class:`~fakenova.compute.models.deployment.scheduler.GroupRule` a build or a move must respect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.deployment.scheduler import GroupRule
from fakenova.compute.models.errors import NotFound
from fakenova.compute.models.resources import quotas

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend, ServerGroup
    from fakenova.compute.models.servers.records import Server


def create(
    backend: ComputeBackend,
    name: str,
    policy: str,
    project_id: str,
    user_id: str,
    rules: dict[str, int] | None = None,
) -> ServerGroup:
    """A new group, unless the project already has its quota of them
    (:class:`quotas.QuotaExceeded`)."""
    quotas.check_server_groups(backend, project_id, user_id)
    uuid = backend.create_server_group(name, policy, project_id, user_id, rules)
    return backend.server_groups[uuid]


def get(backend: ComputeBackend, uuid: str) -> ServerGroup:
    group = backend.server_groups.get(uuid)
    if group is None:
        raise NotFound(f"Instance group {uuid} could not be found.")
    return group


def delete(backend: ComputeBackend, uuid: str) -> None:
    """Nova deletes a group with members too; they simply stop belonging to one."""
    get(backend, uuid)
    del backend.server_groups[uuid]


def listed(backend: ComputeBackend, project_id: str | None) -> list[ServerGroup]:
    """Groups in creation order, of one project or (``None``) of all."""
    return [
        g
        for g in backend.server_groups.values()
        if project_id is None or g.project_id == project_id
    ]


def members(backend: ComputeBackend, group: ServerGroup) -> list[str]:
    """The members a group shows: those not deleted (or in a cell that cannot say)."""
    shown = []
    for uuid in group.members:
        server = backend.servers.get(uuid)
        record = backend.records.get(uuid)
        if record is not None and not record.cell.reachable:
            continue  # Nova cannot read an unreachable cell's instances
        if server is not None and not server.deleted:
            shown.append(uuid)
    return shown


def rule(backend: ComputeBackend, group_uuid: str | None) -> GroupRule | None:
    """What the group says about hosts: where its live members run (the moving server
    included, as Nova counts it), and its anti-affinity limit."""
    group = backend.server_groups.get(group_uuid) if group_uuid else None
    if group is None:
        return None
    on: dict[str, int] = {}
    for uuid in group.members:
        server = backend.servers.get(uuid)
        if server is not None and not server.deleted and server.host:
            on[server.host] = on.get(server.host, 0) + 1
    return GroupRule(group.policy, on, int(group.rules.get("max_server_per_host", 1)))


def rule_for(backend: ComputeBackend, server: Server) -> GroupRule | None:
    groups = backend.group_of(server.uuid)
    return rule(backend, groups[0]) if groups else None
