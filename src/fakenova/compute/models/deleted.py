"""``restore`` and ``forceDelete``: what can still happen to a soft-deleted server.

With ``reclaim_instance_interval`` above 0 a delete only soft-deletes; until the interval
passes, ``restore`` brings the server back and ``forceDelete`` destroys it at once.
``forceDelete`` in fact accepts a server in any vm_state, as long as no task runs.
"""

from __future__ import annotations

from fakenova.compute.models import action_flow as flow
from fakenova.compute.models import server_changes
from fakenova.compute.models.action_flow import Actor, States
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers import Server
from fakenova.compute.models.states import SOFT_DELETED

RESTORE_STATES = States.of([SOFT_DELETED])
FORCE_DELETE_STATES = States.of(None, (None,), must_have_launched=False)


def restore(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, RESTORE_STATES)
    if not server.host:  # never reached a host: nothing to power on
        flow.begin(backend, server, actor, "restore", None)
        server_changes.restore(backend, server)
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
        lambda: server_changes.restore(backend, server),
    )


def force_delete(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    """Recorded as a ``delete`` action, as Nova's own delete path records it."""
    flow.check_lock(server, actor)
    flow.check_states(server, FORCE_DELETE_STATES)
    record = flow.begin(backend, server, actor, "delete", server_changes.DELETING)
    server.progress = 0
    server.record.queued_for_delete = True
    flow.on_host(
        backend,
        server,
        record,
        "compute_terminate_instance",
        server_changes.DELETE_SECONDS,
        lambda: server_changes.destroy(backend, server),
    )
