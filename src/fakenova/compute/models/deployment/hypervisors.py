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

from oslo_utils.uuidutils import is_uuid_like

from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.deployment import scheduler
from fakenova.compute.models.deployment.cells import Cell
from fakenova.compute.models.deployment.compute_nodes import Hypervisor
from fakenova.compute.models.errors import (
    DB_ERROR,
    CellUnreachable,
    ComputeServiceUnavailable,
    HypervisorMarkerNotFound,
    HypervisorNotFound,
    NotFound,
)


def _cell_nodes(backend: ComputeBackend, cell: Cell) -> list[Hypervisor]:
    """A cell's compute nodes with a service, by id. An unreachable cell's database fails
    the query, which Nova's API lets escape as its 500."""
    if not cell.reachable:
        raise CellUnreachable(cell.uuid, f"Cell {cell.uuid} is not responding.", DB_ERROR)
    used = scheduler.usage_by_host(backend.servers.values(), backend.migrations)
    services = {s.host: s for s in backend.services if s.is_compute and s.cell is cell}
    nodes = []
    hosts = [h for h in backend.hosts.values() if h.cell is cell]
    for node_id, host in enumerate(hosts, start=1):
        service = services.get(host.name)
        if service is None:
            continue
        on_host = tuple(
            s for s in backend.servers.values() if s.host == host.name and not s.deleted
        )
        usage = used.get(host.name, scheduler.Usage())
        nodes.append(
            Hypervisor(
                id=node_id,
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


def all_nodes(backend: ComputeBackend) -> list[Hypervisor]:
    """Every compute node, cell by cell."""
    return [n for cell in backend.cells.values() for n in _cell_nodes(backend, cell)]


def page(backend: ComputeBackend, limit: int | None, marker: str | None) -> list[Hypervisor]:
    """At most ``limit`` nodes after ``marker``, asking one cell after another as Nova's
    ``compute_node_get_all`` does: a uuid marker is looked for cell by cell, an id marker is
    taken in the first cell holding that id, and the walk stops once the page is full (so a
    later unreachable cell is never asked)."""
    by_uuid = bool(marker) and is_uuid_like(marker or "")
    found: list[Hypervisor] = []
    remaining = limit
    for cell in backend.cells.values():
        nodes = _cell_nodes(backend, cell)
        if marker is not None:
            keys = [n.uuid if by_uuid else str(n.id) for n in nodes]
            if marker not in keys:
                continue
            nodes = nodes[keys.index(marker) + 1 :]
            marker = None
        if remaining is not None:
            nodes = nodes[:remaining]
        found.extend(nodes)
        if remaining:
            remaining -= len(nodes)
            if remaining <= 0:
                break
    if marker is not None and not found:
        raise HypervisorMarkerNotFound(f"marker [{marker}] not found")
    return found


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
    """The first cell's node by that id (or uuid); cells after it are not asked."""
    for cell in backend.cells.values():
        for node in _cell_nodes(backend, cell):
            if (node.uuid if uuid else str(node.id)) == node_id:
                return node
    raise HypervisorNotFound(f"Hypervisor with ID '{node_id}' could not be found.")


def of_host(backend: ComputeBackend, host_name: str) -> Hypervisor:
    """The compute node of a mapped host (``os-hosts`` reads it by host name)."""
    cell = backend.hosts[host_name].cell
    for node in _cell_nodes(backend, cell):
        if node.hostname == host_name:
            return node
    raise NotFound(f"Compute host {host_name} could not be found.")


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
