"""The hosts of ``os-hosts`` (deprecated, gone from 2.43): services by host, what a compute
host holds, and what an operator may ask of it.

The listing is Nova's service listing of every reachable cell without the disabled services
(and without API services), each with its topic and zone. A host is shown by its compute node
(total and used now, as the resource tracker records them) and by its servers' flavors, in
total and per project. The requests to the host itself go to its nova-compute over RPC and
reach the virt driver, here libvirt's: enabling or disabling a host answers without changing
the service (only a scheduler trait moves, which the next resource update resets), while
maintenance mode and the host power actions are not implemented by that driver (Nova's 501).
A compute that is not running never answers: the API's RPC call times out (its 500).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.deployment import hypervisors
from fakenova.compute.models.deployment.cells import Host, Service
from fakenova.compute.models.deployment.host_records import HostService, Resources
from fakenova.compute.models.errors import (
    DB_ERROR,
    CellUnreachable,
    HostNotMapped,
    NotSupported,
    Uncaught,
)
from fakenova.compute.models.servers.records import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

_API_BINARIES = ("nova-osapi_compute", "nova-metadata")
RPC_TIMEOUT = "oslo_messaging.exceptions.MessagingTimeout"
POWER_ACTIONS = ("startup", "shutdown", "reboot")


def topic(service: Service) -> str:
    """A service's RPC topic: its binary without the ``nova-`` prefix (``compute``...)."""
    return service.binary.removeprefix("nova-")


def listing(backend: ComputeBackend, zone: str | None) -> list[HostService]:
    """Enabled services of every reachable cell, in cell order; ``zone`` (when not empty)
    keeps one zone's."""
    found = []
    for service in backend.list_services(cell_down_support=False):
        if not isinstance(service, Service) or service.disabled:
            continue
        if service.binary in _API_BINARIES:
            continue
        if zone and service.zone != zone:
            continue
        found.append(HostService(service.host, topic(service), service.zone))
    return found


def mapped(backend: ComputeBackend, host_name: str) -> Host:
    """The host through its host mapping (only compute hosts have one), in a cell that
    answers: an unreachable cell's database fails the query (Nova's 500)."""
    host = backend.hosts.get(host_name)
    if host is None:
        raise HostNotMapped(host_name)
    if not host.cell.reachable:
        raise CellUnreachable(host.cell.uuid, f"Cell {host.cell.uuid} is not responding.", DB_ERROR)
    return host


def resources(backend: ComputeBackend, host_name: str) -> list[Resources]:
    """The compute node's total and used-now rows, then what the host's servers' flavors add
    up to (``used_max``: disk is root plus ephemeral), then the same per project in the order
    the servers were created."""
    mapped(backend, host_name)
    node = hypervisors.of_host(backend, host_name)
    rows = [
        Resources(host_name, "(total)", node.host.vcpus, node.host.memory_mb, node.host.disk_gb),
        Resources(
            host_name, "(used_now)", node.vcpus_used, node.memory_mb_used, node.local_gb_used
        ),
        _summed(host_name, "(used_max)", list(node.servers)),
    ]
    projects: dict[str, list[Server]] = {}
    for server in node.servers:
        projects.setdefault(server.project_id, []).append(server)
    rows.extend(_summed(host_name, project, servers) for project, servers in projects.items())
    return rows


def _summed(host_name: str, project: str, servers: list[Server]) -> Resources:
    return Resources(
        host_name,
        project,
        sum(s.flavor.vcpus for s in servers),
        sum(s.flavor.memory_mb for s in servers),
        sum(s.flavor.root_gb + s.flavor.ephemeral_gb for s in servers),
    )


def _ask_compute(backend: ComputeBackend, host_name: str) -> None:
    """An RPC call to the host's compute: the host must be mapped and its compute running."""
    mapped(backend, host_name)
    if not backend.compute_running(host_name):
        raise Uncaught(RPC_TIMEOUT)


def set_enabled(backend: ComputeBackend, host_name: str, enabled: bool) -> str:
    """libvirt's driver has no host switch: the compute answers what was asked and the
    service stays as it was (``os-services`` is where a host is disabled)."""
    _ask_compute(backend, host_name)
    return "enabled" if enabled else "disabled"


def set_maintenance(backend: ComputeBackend, host_name: str, mode: bool) -> str:
    _ask_compute(backend, host_name)
    raise NotSupported()


def power_action(backend: ComputeBackend, host_name: str, action: str) -> str:
    _ask_compute(backend, host_name)
    raise NotSupported()
