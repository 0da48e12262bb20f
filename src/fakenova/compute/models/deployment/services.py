"""What an operator does to services: disable, force down, delete.

Nova keeps a service row per cell database, so a service is found by its uuid (unique) or by
its integer id, which two cells may share; by host and binary through the host's cell mapping.
Each refusal below is an error of :mod:`~fakenova.compute.models.errors` with Nova's sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.deployment import aggregates
from fakenova.compute.models.deployment.cells import Service
from fakenova.compute.models.errors import Conflict, Invalid, NotFound, ServiceNotFound
from fakenova.compute.models.moves import migrations as mig

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

COMPUTE = "nova-compute"
# Migration statuses that still need their hosts (Nova's "in progress" list for deletion).
_FINISHED = {"confirmed", "reverted", "error", "failed", "completed", "cancelled", "done"}


def only_computes(binary: str) -> None:
    if binary != COMPUTE:
        raise Invalid(
            f"Updating a {binary} service is not supported. Only nova-compute services can "
            "be updated.",
        )


def by_host_and_binary(backend: ComputeBackend, host: str, binary: str) -> Service:
    """Through the host mapping (only compute hosts have one), then the cell's row."""
    if host not in backend.hosts:
        raise NotFound(f"Host '{host}' is not mapped to any cell")
    for service in backend.services:
        if service.host == host and service.binary == binary:
            return service
    raise NotFound(f"Could not find binary {binary} on host {host}.")


def by_id(backend: ComputeBackend, service_id: str) -> Service:
    """By uuid, or by integer id across every cell (an id two cells share is ambiguous)."""
    if service_id.isdigit():
        found = [s for s in backend.services if s.id == int(service_id)]
        if len(found) > 1:
            raise Invalid(f"Service id {service_id} refers to multiple services.")
    else:
        found = [s for s in backend.services if s.uuid == service_id]
    if not found:
        raise ServiceNotFound(service_id)
    return found[0]


def update(
    backend: ComputeBackend,
    service: Service,
    *,
    disabled: bool | None = None,
    reason: str | None = None,
    forced_down: bool | None = None,
) -> None:
    """Change the row; a change moves its ``updated_at`` (os-services shows it)."""
    if forced_down is False and service.is_compute:
        check_no_done_evacuations(backend, service.host)
    if disabled is not None:
        service.disabled = disabled
        service.disabled_reason = reason if disabled else None
    if forced_down is not None:
        service.forced_down = forced_down
    service.changed_at = backend.clock.now


def check_no_done_evacuations(backend: ComputeBackend, host: str) -> None:
    """A host is forced up only once its compute has restarted and cleaned up evacuations."""
    if any(
        m.source_compute == host and m.status == "done" and m.migration_type == mig.EVACUATION
        for m in backend.migrations
    ):
        raise Invalid(
            f"Unable to force up host {host} as `done` evacuation migration records remain "
            "associated with the host. Ensure the compute service has been restarted, allowing "
            "these records to move to `completed` before retrying this request.",
        )


def restart(backend: ComputeBackend, host: str) -> None:
    """nova-compute starts again on ``host``: it reports, and finishes what evacuations left
    behind (their ``done`` records become ``completed``), as Nova's init_host does."""
    backend.start_reporting(host)
    for migration in backend.migrations:
        if (
            migration.source_compute == host
            and migration.migration_type == mig.EVACUATION
            and migration.status == "done"
        ):
            migration.status = "completed"
            migration.updated_at = backend.clock.now


def delete(backend: ComputeBackend, service: Service) -> None:
    """Remove the row; a compute is refused while it hosts servers or moves, and otherwise
    leaves its aggregates too, as Nova's API removes it from each."""
    if service.is_compute:
        if any(s.host == service.host and not s.deleted for s in backend.servers.values()):
            raise Conflict(
                "Unable to delete compute service that is hosting instances. Migrate or "
                "delete the instances first.",
            )
        if any(
            service.host in (m.source_compute, m.dest_compute) and m.status not in _FINISHED
            for m in backend.migrations
        ):
            raise Conflict(
                "Unable to delete compute service that has in-progress migrations. Complete "
                "the migrations or delete the instances first.",
            )
        aggregates.forget_host(backend, service.host)
        backend.hosts.pop(service.host, None)
    backend.services.remove(service)
