"""Compute nodes as ``os-hypervisors`` shows them: one per nova-compute service.

Each node's record is what Nova's resource tracker would have written for a libvirt/KVM
host of ``conf/cloud.yaml``: its inventory, what the servers on it use (plus the 512 MB Nova
reserves for the host, counted as used memory), its instances and how many are busy with a
task (the tracker's ``current_workload``). Ids are per cell database, as Nova's
``compute_nodes`` rows are, which is why 2.53 answers with uuids instead.

Listing walks the cells in order and each cell's nodes by id (Nova's
``compute_node_get_all``); a marker found in no cell is refused. A node whose service has
been deleted is no longer shown (Nova deletes the node with its service).
"""

from __future__ import annotations

import re

from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.deployment import scheduler
from fakenova.compute.models.deployment.compute_nodes import Hypervisor
from fakenova.compute.models.errors import (
    ComputeServiceUnavailable,
    HypervisorMarkerNotFound,
    HypervisorNotFound,
)


def _node_ids(backend: ComputeBackend) -> dict[str, int]:
    """Each compute host's node id: its rank among its cell's computes, from 1."""
    ids: dict[str, int] = {}
    per_cell: dict[str, int] = {}
    for host in backend.hosts.values():
        per_cell[host.cell.name] = per_cell.get(host.cell.name, 0) + 1
        ids[host.name] = per_cell[host.cell.name]
    return ids


def all_nodes(backend: ComputeBackend) -> list[Hypervisor]:
    """Every compute node with a service, cell by cell, each cell's by id."""
    used = scheduler.usage_by_host(backend.servers.values(), backend.migrations)
    ids = _node_ids(backend)
    services = {s.host: s for s in backend.services if s.is_compute}
    nodes = []
    for cell in backend.cells.values():
        for host in backend.hosts.values():
            service = services.get(host.name)
            if host.cell is not cell or service is None:
                continue
            on_host = tuple(
                s for s in backend.servers.values() if s.host == host.name and not s.deleted
            )
            usage = used.get(host.name, scheduler.Usage())
            nodes.append(
                Hypervisor(
                    id=ids[host.name],
                    uuid=host.node_uuid,
                    host=host,
                    service=service,
                    host_ip=backend.settings.hosts[host.name].ip,
                    vcpus_used=usage.vcpus,
                    memory_mb_used=usage.memory_mb + scheduler.RESERVED_HOST_MEMORY_MB,
                    local_gb_used=usage.disk_gb,
                    current_workload=sum(1 for s in on_host if s.task_state is not None),
                    servers=on_host,
                )
            )
    return nodes


def page(backend: ComputeBackend, limit: int | None, marker: str | None) -> list[Hypervisor]:
    """Nodes after ``marker`` (a uuid, or an id: the first cell holding that id), at most
    ``limit`` of them."""
    nodes = all_nodes(backend)
    if marker is not None:
        at = next((i for i, n in enumerate(nodes) if marker in (n.uuid, str(n.id))), None)
        if at is None:
            raise HypervisorMarkerNotFound(f"marker [{marker}] not found")
        nodes = nodes[at + 1 :]
    return nodes if limit is None else nodes[:limit]


def matching(backend: ComputeBackend, pattern: str) -> list[Hypervisor]:
    """Nodes whose name contains ``pattern`` (SQL ``LIKE``: ``%`` and ``_`` are wildcards)."""
    regex = re.compile(
        ".*".join(".".join(re.escape(p) for p in part.split("_")) for part in pattern.split("%")),
        re.IGNORECASE | re.DOTALL,
    )
    found = [n for n in all_nodes(backend) if regex.search(n.hostname)]
    if not found:
        raise HypervisorNotFound(f"No hypervisor matching '{pattern}' could be found.")
    return found


def by_id(backend: ComputeBackend, node_id: str, *, uuid: bool) -> Hypervisor:
    for node in all_nodes(backend):
        if (node.uuid if uuid else str(node.id)) == node_id:
            return node
    raise HypervisorNotFound(f"Hypervisor with ID '{node_id}' could not be found.")


def statistics(backend: ComputeBackend) -> dict[str, int]:
    """Sums over the nodes whose compute service is enabled (Nova's
    ``compute_node_statistics`` joins on enabled services)."""
    nodes = [n for n in all_nodes(backend) if not n.service.disabled]
    return {
        "count": len(nodes),
        "vcpus": sum(n.host.vcpus for n in nodes),
        "memory_mb": sum(n.host.memory_mb for n in nodes),
        "local_gb": sum(n.host.disk_gb for n in nodes),
        "vcpus_used": sum(n.vcpus_used for n in nodes),
        "memory_mb_used": sum(n.memory_mb_used for n in nodes),
        "local_gb_used": sum(n.local_gb_used for n in nodes),
        "free_ram_mb": sum(n.free_ram_mb for n in nodes),
        "free_disk_gb": sum(n.free_disk_gb for n in nodes),
        "current_workload": sum(n.current_workload for n in nodes),
        "running_vms": sum(len(n.servers) for n in nodes),
        "disk_available_least": sum(n.free_disk_gb for n in nodes),
    }


def uptime(backend: ComputeBackend, node: Hypervisor) -> str:
    """What ``uptime`` prints on the host (libvirt's driver runs it): up since its compute
    service started, one user, an idle load. Only a running compute can be asked."""
    if not backend.service_is_up(node.service):
        raise ComputeServiceUnavailable(
            f"Compute service of {node.host.name} is unavailable at this time."
        )
    now = backend.clock.now
    up = now - node.service.created_at
    days = up.days
    hours, rest = divmod(up.seconds, 3600)
    minutes = rest // 60
    since = f"{days} day{'s' if days != 1 else ''}, " if days else ""
    clock = f"{hours:2d}:{minutes:02d}" if hours else f"{minutes} min"
    return (
        f" {now.strftime('%H:%M:%S')} up {since}{clock},  1 user,  load average: 0.00, 0.00, 0.00\n"
    )


def uptime_or_none(backend: ComputeBackend, node: Hypervisor) -> str | None:
    """2.88's detail field: None when the host cannot be asked (Nova swallows the error)."""
    try:
        return uptime(backend, node)
    except ComputeServiceUnavailable:
        return None
