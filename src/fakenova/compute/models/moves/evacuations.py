"""Evacuation: rebuilding a server on another host because its own is down. When no host
fits, the server is left in ERROR with a fault (unlike a failed resize or migration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment.cells import Host
from fakenova.compute.models.errors import ComputeServiceInUse
from fakenova.compute.models.moves import common as moves
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, ERROR, STOPPED, PowerState

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

REBUILDING = "rebuilding"
REBUILD_TRACE = moves.nova_frame(
    "conductor/manager.py", 1289, "rebuild_instance", "raise exception.NoValidHost(reason=msg)"
)


EVACUATE_STATES = States.of([ACTIVE, STOPPED, ERROR], must_have_launched=False)


def evacuate(
    backend: ComputeBackend,
    server: Server,
    who: Actor,
    *,
    host: str | None,
    force: bool,
    stopped: bool,
) -> None:
    """Rebuild the server elsewhere because its host is down (no lock check, as in Nova).
    From 2.95 (``stopped``) the evacuated server stays stopped on its new host."""
    flow.check_states(server, EVACUATE_STATES)
    if backend.compute_is_up(server.host):
        raise ComputeServiceInUse(server.host)
    server.task_state = REBUILDING
    server.updated_at = backend.clock.now
    action = flow.begin(backend, server, who, "evacuate")
    migration = moves.new_migration(backend, server, mig.EVACUATION, server.flavor, who)
    migration.status = "accepted"
    move = moves.Move(backend, server, action, migration)
    move.later(moves.CONDUCTOR_SECONDS, "evacuate", _schedule_evacuation, host, force, stopped)


def _schedule_evacuation(move: moves.Move, host: str | None, force: bool, stopped: bool) -> None:
    """The conductor's rebuild: a host for the server (the forced one, or the scheduler's)."""
    backend, server = move.backend, move.server
    if server.task_state != REBUILDING:
        return
    if force and host is not None:
        target: Host | None = backend.hosts[host]
    else:
        target = moves.pick_host(backend, server, server.flavor, host)
    if target is None:
        move.on_conductor(
            [("rebuild_server", 0.297)], error=moves.NOT_ENOUGH_HOSTS, tracebacks=(REBUILD_TRACE,)
        )
        move.failed(moves.NOT_ENOUGH_HOSTS, REBUILD_TRACE)
        server.vm_state = ERROR
        server.updated_at = backend.clock.now.replace(microsecond=0)
        return
    move.on_conductor([("rebuild_server", 0.297)])
    move.migration.dest_compute = target.name
    move.migration.status = "pre-migrating"
    move.later(moves.COMPUTE_SECONDS, "rebuild", _rebuilt, stopped)


def _rebuilt(move: moves.Move, stopped: bool) -> None:
    move.on_hosts((("compute_rebuild_instance", "dest", 2.764),))
    server = move.server
    was_stopped = server.vm_state == STOPPED
    # A rebuild spawns the guest afresh on the new host (its local disk is rebuilt from the
    # image; ports, metadata, flavor and volumes are kept): Nova records a new launch.
    server.launched_at = move.backend.clock.now
    if stopped or was_stopped:
        server.vm_state, server.power_state = STOPPED, PowerState.SHUTDOWN
    else:
        server.vm_state, server.power_state = ACTIVE, PowerState.RUNNING
    move.landed(move.migration.dest_compute, "done")
