"""Deleting a server (``DELETE /servers/{id}``, ``forceDelete``) and ``restore``.

Nova's compute API runs one routine for every kind of delete, and records what it did:

- with ``reclaim_instance_interval`` above 0, a server that has run at least once is only
  soft-deleted (restorable until reclaimed); ``forceDelete`` destroys it at once, and accepts
  a server in any vm_state as long as no task runs;
- a shelved server's snapshot image is deleted first;
- a server awaiting resize confirmation (VERIFY_RESIZE) has its resize confirmed first,
  which frees the source host (see
  :func:`~fakenova.compute.models.moves.resizes.confirm_on_delete`);
- when the server's compute host is up, a ``delete`` action is recorded under the request id
  and the host does the work: a ``compute_terminate_instance`` event (a soft delete:
  ``compute_soft_delete_instance``);
- with no host (shelved-offloaded, or never built) or a host that is down, the API deletes the
  server itself at once (a *local* delete): the ``delete`` action has no event, and even a
  soft delete destroys the server, whose deleted row keeps vm_state ``soft-delete`` (see
  :func:`~fakenova.compute.models.servers.changes.destroy_locally`);
- deleting a server whose delete is already under way (task ``deleting`` or
  ``soft-deleting``) records nothing: the delete under way finishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions import shelves
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.moves import resizes
from fakenova.compute.models.moves.common import CONDUCTOR_SECONDS
from fakenova.compute.models.resources import quotas
from fakenova.compute.models.servers import changes
from fakenova.compute.models.servers.changes import DELETING, SOFT_DELETING
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import RESIZED, SHELVED, SHELVED_OFFLOADED, SOFT_DELETED

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

RESTORE_STATES = States.of([SOFT_DELETED])
FORCE_DELETE_STATES = States.of(None, (None,), must_have_launched=False)
TERMINATE_EVENT, SOFT_DELETE_EVENT = "compute_terminate_instance", "compute_soft_delete_instance"


def delete(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    """``DELETE /servers/{id}``: any vm_state and task_state is accepted, only the lock counts.

    A soft delete needs a server that has run once; one that never launched is deleted for
    good, as Nova falls back to.
    """
    flow.check_lock(server, actor)
    soft = changes.reclaim_interval(backend) > 0 and server.launched_at is not None
    _delete(backend, server, actor, soft=soft)


def force_delete(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, FORCE_DELETE_STATES)
    _delete(backend, server, actor, soft=False)


def _delete(backend: ComputeBackend, server: Server, actor: Actor, *, soft: bool) -> None:
    """The API marks the task (and, soft, the time of deletion), then either casts the work to
    the host, queued so that the next request already sees it done, or deletes locally."""
    now = backend.clock.now
    if server.vm_state in (SHELVED, SHELVED_OFFLOADED):
        shelves.drop_snapshot(backend, server)
    under_way = server.task_state in (DELETING, SOFT_DELETING)
    task = SOFT_DELETING if soft else DELETING
    server.task_state = task
    server.progress = 0
    server.updated_at = now
    if soft:
        server.deleted_at = now
    server.record.queued_for_delete = True
    confirm = None
    if server.vm_state == RESIZED:
        confirm = resizes.confirm_on_delete(backend, server, actor)
    local = not server.host or not backend.compute_is_up(server.host)
    work: Callable[[], None] | None = None
    if local:
        flow.begin(backend, server, actor, "delete", None)
        work = partial(changes.destroy_locally, backend, server, soft=soft)
    elif not under_way:
        record = flow.begin(backend, server, actor, "delete", None)
        finish = changes.soft_delete if soft else changes.destroy
        work = partial(
            flow.on_host,
            backend,
            server,
            record,
            SOFT_DELETE_EVENT if soft else TERMINATE_EVENT,
            changes.DELETE_SECONDS,
            partial(finish, backend, server),
        )
    if confirm is None:
        if work is not None:
            work()
        return

    def confirmed_then_deleted() -> None:
        """The confirmation ends the resize (no task); a soft delete marks its task again."""
        if server.deleted:
            return
        confirm()
        if soft:
            server.task_state = task
        if work is not None:
            work()

    backend.tasks.defer(
        CONDUCTOR_SECONDS, f"confirm resize to delete {server.uuid}", confirmed_then_deleted
    )


def restore(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    """Bring a soft-deleted server back. A SOFT_DELETED server no longer counts against its
    owner's quota, so Nova's ``restore`` checks the owner's room for one more server of its
    flavor first, as a create would (``check_num_instances_quota``); its handler answers the
    refusal with a 403."""
    flow.check_lock(server, actor)
    flow.check_states(server, RESTORE_STATES)
    quotas.check_servers(backend, server.project_id, server.user_id, server.flavor, 1, 1)
    if not server.host:  # never reached a host: nothing to power on
        flow.begin(backend, server, actor, "restore", None)
        changes.restore(backend, server)
        return
    record = flow.begin(backend, server, actor, "restore", "restoring")
    server.deleted_at = None
    server.record.queued_for_delete = False
    flow.on_host(
        backend,
        server,
        record,
        "compute_restore_instance",
        2,
        lambda: changes.restore(backend, server),
    )
