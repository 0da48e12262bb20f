"""Changes to a built server: its editable fields, deletion, metadata and tags.

Each function checks what Nova's compute API checks (the lock, the vm_state), in the same
order, and raises before touching anything: a refused request leaves the server as it was.
The API layer turns the exceptions below into Nova's 403/409 answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.errors import TooManyTags
from fakenova.compute.models.resources import quotas
from fakenova.compute.models.servers import accelerators
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import (
    ACTIVE,
    DELETED,
    PAUSED,
    SOFT_DELETED,
    STOPPED,
    SUSPENDED,
    PowerState,
)

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

# Metadata and tags may change only while the server is settled in one of these vm_states
# (whatever its task).
EDITABLE = States.of([ACTIVE, PAUSED, SUSPENDED, STOPPED], None, must_have_launched=False)
MAX_TAGS = 50
DELETE_SECONDS = 2  # from the API's answer to the host having removed the guest
DELETING, SOFT_DELETING = "deleting", "soft-deleting"


def check_editable(server: Server) -> None:
    flow.check_states(server, EDITABLE)


# -- PUT /servers/{id} ------------------------------------------------------------------------


def update(backend: ComputeBackend, server: Server, changes: dict[str, Any]) -> None:
    """Apply already-validated field changes. Nova checks neither lock nor state here."""
    for name, value in changes.items():
        setattr(server, name, value)
    server.updated_at = backend.clock.now


# -- DELETE /servers/{id}: the states it ends in (the checks and the actions: models.deleted) --


def reclaim_interval(backend: ComputeBackend) -> int:
    """``[DEFAULT] reclaim_instance_interval``: above 0, deleting only soft-deletes."""
    return int(backend.settings.nova.get("reclaim_instance_interval", 0) or 0)


def soft_delete(backend: ComputeBackend, server: Server) -> None:
    """SOFT_DELETED keeps everything (metadata, tags, ports) so that a restore is complete.

    The guest is powered off: libvirt has no soft delete of its own, so nova-compute falls
    back to a power-off (Nova's in-tree fake driver, used by its functional tests, leaves the
    power state at RUNNING instead).
    """
    now = backend.clock.now
    server.vm_state = SOFT_DELETED
    server.task_state = None
    server.power_state = PowerState.SHUTDOWN
    server.progress = 0
    server.deleted_at = server.deleted_at or now  # the API's time of the request
    server.updated_at = now
    server.record.queued_for_delete = True


def restore(backend: ComputeBackend, server: Server) -> None:
    """Undo :func:`soft_delete` (the ``restore`` action): running and listed again."""
    server.vm_state = ACTIVE
    server.task_state = None
    server.power_state = PowerState.RUNNING
    server.deleted_at = None
    server.updated_at = backend.clock.now
    server.record.queued_for_delete = False


def destroy(backend: ComputeBackend, server: Server) -> None:
    """The compute host's terminate: the guest is gone (no power state), then the row."""
    server.vm_state = DELETED
    server.power_state = PowerState.NOSTATE
    _delete_row(backend, server)


def destroy_locally(backend: ComputeBackend, server: Server, *, soft: bool) -> None:
    """The API's own delete, with no host to ask (none, or its service is down): the row is
    marked DELETED, or SOFT_DELETED when a soft delete was asked for, and deleted at once.
    Nothing reaches a guest, so the power state stays as it was.

    Observed on Nova 34 (oracle): an admin's ``deleted=True`` listing shows such a server as
    status DELETED with vm_state ``soft-delete`` and its last power state; it cannot be shown,
    restored or deleted again (404).
    """
    server.vm_state = SOFT_DELETED if soft else DELETED
    _delete_row(backend, server)


def _delete_row(backend: ComputeBackend, server: Server) -> None:
    """The row stays, marked deleted, as Nova soft-deletes rows: admins list it with
    ``deleted=True``. Metadata, tags, ports, volume attachments, faults and the server's
    migration records go with the server; the ports' addresses are free for the next build
    (a SOFT_DELETED server, still restorable, keeps its ports until it gets here)."""
    now = backend.clock.now
    server.task_state = None
    server.progress = 0
    server.terminated_at = now
    server.deleted_at = now
    server.updated_at = now
    server.deleted = True
    accelerators.release(backend, server)
    server.metadata = {}
    server.tags = []
    ports.release(backend.network, server.addresses)
    server.addresses = []
    server.volumes_attached = []
    server.fault = None
    server.record.queued_for_delete = True
    for migration in backend.migrations:
        if migration.instance_uuid == server.uuid:
            migration.deleted = True


# -- metadata ---------------------------------------------------------------------------------


def set_metadata(
    backend: ComputeBackend,
    server: Server,
    items: dict[str, str],
    *,
    replace: bool,
    actor: Actor,
) -> dict[str, str]:
    """Merge ``items`` into the metadata (or replace it whole); returns the new metadata.
    The result must fit the ``metadata_items`` quota (:class:`quotas.QuotaExceeded`)."""
    flow.check_lock(server, actor)
    check_editable(server)
    merged = dict(items) if replace else {**server.metadata, **items}
    quotas.check_metadata(backend, actor, merged)
    server.metadata = merged
    return dict(merged)


def delete_metadata_key(server: Server, key: str, actor: Actor) -> None:
    """Remove one key the caller already found (Nova reports a missing key first)."""
    flow.check_lock(server, actor)
    check_editable(server)
    server.metadata = {k: v for k, v in server.metadata.items() if k != key}


# -- tags (no lock check in Nova: only the vm_state matters) ----------------------------------


def add_tag(server: Server, tag: str) -> bool:
    """Add ``tag``; False when it was already there. The limit counts before the duplicate
    check, as in Nova: a server with 50 tags refuses even one it already has."""
    check_editable(server)
    if len(server.tags) >= MAX_TAGS:
        raise TooManyTags(MAX_TAGS)
    if tag in server.tags:
        return False
    server.tags = sorted({*server.tags, tag})
    return True


def replace_tags(server: Server, tags: list[str]) -> list[str]:
    """Nova stores tags as a set and reads them back sorted."""
    check_editable(server)
    server.tags = sorted(set(tags))
    return list(server.tags)


def remove_tag(server: Server, tag: str) -> bool:
    """Remove ``tag``; False when the server does not have it (state is checked first)."""
    check_editable(server)
    if tag not in server.tags:
        return False
    server.tags = [t for t in server.tags if t != tag]
    return True


def clear_tags(server: Server) -> None:
    check_editable(server)
    server.tags = []
