"""Live migration (``os-migrateLive``) and what may follow while it runs: forcing it to
complete (2.22) or aborting it (2.24), both addressed by the migration's id within the
server's cell (``servers/{id}/migrations``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment.cells import Host
from fakenova.compute.models.errors import (
    InvalidMigrationState,
    MigrationNotFoundForInstance,
    NoValidHost,
)
from fakenova.compute.models.moves import common as moves
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.servers import accelerators
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, PAUSED

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

MIGRATING = "migrating"
LIVE_MIGRATE_TRACE = moves.nova_frame(
    "conductor/manager.py", 497, "live_migrate_instance", "self._live_migrate(context, instance,"
) + moves.nova_frame(
    "conductor/manager.py", 535, "_live_migrate", "raise exception.NoValidHost(reason=msg)"
)


LIVE_MIGRATE_STATES = States.of([ACTIVE, PAUSED], must_have_launched=False)
LIVE_EVENTS = (
    ("compute_check_can_live_migrate_destination", "dest", 0.231),
    ("compute_check_can_live_migrate_source", "source", 0.118),
    ("compute_pre_live_migration", "dest", 0.642),
    ("compute_live_migration", "source", 1.575),
    ("compute_post_live_migration_at_destination", "dest", 0.489),
)
FORCE_COMPLETE_EVENTS = (("compute_live_migration_force_complete", "source", 0.102),)
ABORT_EVENTS = (("compute_live_migration_abort", "source", 0.211),)
FORCE_COMPLETE_STATES = States.of([ACTIVE], [MIGRATING], must_have_launched=False)
MIGRATING_STATES = States.of(None, [MIGRATING], must_have_launched=False)  # abort


def _unable_to_migrate_to_self(uuid: str, host: str) -> str:
    return f"Unable to migrate instance ({uuid}) to current host ({host})."


def live_migrate(
    backend: ComputeBackend,
    server: Server,
    who: Actor,
    *,
    host: str | None,
    force: bool,
    asynchronous: bool,
) -> None:
    """``os-migrateLive``. Below 2.34 the API waits for the conductor's checks, so a
    failed scheduling raises :class:`NoValidHost` here (Nova's 400); from 2.34 the failure
    is only in the instance action."""
    accelerators.refuse(server)
    flow.check_lock(server, who)
    flow.check_states(server, LIVE_MIGRATE_STATES)
    if host is not None:
        moves.check_host_known(backend, host)
    server.task_state = MIGRATING
    server.updated_at = backend.clock.now
    action = flow.begin(backend, server, who, "live-migration")
    migration = moves.new_migration(backend, server, mig.LIVE, server.flavor, who)
    move = moves.Move(backend, server, action, migration)
    if asynchronous:
        move.later(moves.CONDUCTOR_SECONDS, "live migrate", _schedule_live, host, force, True)
        return
    _schedule_live(move, host, force, False)


def _schedule_live(move: moves.Move, host: str | None, force: bool, asynchronous: bool) -> None:
    """The conductor's checks and the scheduler's pick (run at once below 2.34)."""
    backend, server = move.backend, move.server
    if server.deleted or server.task_state != MIGRATING:
        return
    event = "conductor_live_migrate_instance" if asynchronous else "conductor_migrate_server"
    target: Host | None
    failure = moves.NOT_ENOUGH_HOSTS
    if force and host is not None:
        target = backend.hosts[host] if host != server.host else None
        failure = _unable_to_migrate_to_self(server.uuid, host)
    else:
        target = moves.pick_host(backend, server, server.flavor, host)
    if target is None:
        trace = (moves.WRAPPED_FRAME + LIVE_MIGRATE_TRACE,)
        move.on_conductor([(event, 0.214)], error=failure, tracebacks=trace)
        move.failed(failure, "Traceback (most recent call last):\n" + LIVE_MIGRATE_TRACE)
        if not asynchronous:
            raise NoValidHost(failure)
        return
    move.on_conductor([(event, 0.533)])
    move.migration.dest_compute = target.name
    move.migration.status = "running"
    move.migration.updated_at = backend.clock.now
    if backend.slow_live_migrations:
        return  # the guest dirties memory faster than it is copied: it runs until forced
    move.later(moves.COMPUTE_SECONDS, "finish live migration", _finish_live)


def _finish_live(move: moves.Move) -> None:
    move.on_hosts(LIVE_EVENTS)
    move.landed(move.migration.dest_compute, "completed")


def _invalid_migration_state(migration: mig.Migration, method: str) -> InvalidMigrationState:
    return InvalidMigrationState(migration.id, migration.instance_uuid, migration.status, method)


def migration_of(backend: ComputeBackend, server: Server, migration_id: str) -> mig.Migration:
    """Nova's Migration.get_by_id_and_instance: the id within the server's cell."""
    for migration in backend.migrations:
        if (
            migration.instance_uuid == server.uuid
            and str(migration.id) == migration_id
            and backend.records[migration.instance_uuid].cell is server.cell
        ):
            return migration
    raise MigrationNotFoundForInstance(migration_id, server.uuid)


def force_complete(backend: ComputeBackend, server: Server, migration_id: str, who: Actor) -> None:
    """Pause the guest so that the copy converges (2.22): the migration then finishes."""
    flow.check_lock(server, who)
    flow.check_states(server, FORCE_COMPLETE_STATES)
    migration = migration_of(backend, server, migration_id)
    if migration.status != "running":
        raise _invalid_migration_state(migration, "force complete")
    action = flow.begin(backend, server, who, "live_migration_force_complete")
    moves.Move(backend, server, action, migration).on_hosts(FORCE_COMPLETE_EVENTS)
    # The rest of the migration is recorded on the live-migration action that started it.
    started = moves.Move(backend, server, _start_action_of(backend, server), migration)
    started.later(moves.COMPUTE_SECONDS, "finish live migration", _finish_live)


def _start_action_of(backend: ComputeBackend, server: Server) -> InstanceAction:
    """The live-migration action the finishing events belong to (the newest one)."""
    found = [a for a in backend.actions.for_server(server.uuid) if a.action == "live-migration"]
    return found[-1]


def abort_live_migration(
    backend: ComputeBackend,
    server: Server,
    migration_id: str,
    who: Actor,
    *,
    queued_too: bool,
) -> None:
    """Cancel a live migration (2.24; from 2.65 also one still queued or preparing): the
    server stays on its source host, ACTIVE."""
    flow.check_lock(server, who)
    flow.check_states(server, MIGRATING_STATES)
    migration = migration_of(backend, server, migration_id)
    allowed = ("running", "queued", "preparing") if queued_too else ("running",)
    if migration.status not in allowed:
        raise _invalid_migration_state(migration, "abort live migration")
    action = flow.begin(backend, server, who, "live_migration_cancel")
    moves.Move(backend, server, action, migration).on_hosts(ABORT_EVENTS)
    migration.status = "cancelled"
    migration.updated_at = backend.clock.now
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)
