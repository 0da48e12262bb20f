"""Moving servers between hosts: resize (and its confirm or revert), cold and live migration,
evacuation.

Each entry point checks what Nova's compute API checks, in Nova's order (the lock, then the
vm_state and task_state, then the host), and raises before changing anything. It then does the
API's part at once (a task state, the instance action keyed by the caller's request id) and
queues the rest: the conductor asks the scheduler for a host a moment later, the compute hosts
finish the move after that. Each step records the events Nova's services record, on the host
that ran them, so ``os-instance-actions`` tells the story afterwards.

When no host fits, the move ends where Nova's ends: a resize or migration leaves the server
as it was (ACTIVE on its old flavor) with a failed action and no fault to show; an
evacuation leaves it in ERROR with a fault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from fakenova.compute.models import migrations as mig
from fakenova.compute.models import scheduler, server_groups
from fakenova.compute.models.flavors import Flavor
from fakenova.compute.models.infrastructure import Host
from fakenova.compute.models.instance_actions import InstanceAction, InstanceActionLog
from fakenova.compute.models.server_changes import InstanceIsLocked, InvalidState, check_unlocked
from fakenova.compute.models.servers import Fault, Server
from fakenova.compute.models.states import (
    ACTIVE,
    ERROR,
    PAUSED,
    RESIZED,
    STOPPED,
    PowerState,
)

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

__all__ = ["InstanceIsLocked", "InvalidState"]

CONDUCTOR_SECONDS = 1  # from the API's answer to the conductor having asked the scheduler
COMPUTE_SECONDS = 4  # from the scheduler's answer to the hosts having moved the server
RESIZE_PREP, RESIZE_REVERTING, MIGRATING, REBUILDING = (
    "resize_prep",
    "resize_reverting",
    "migrating",
    "rebuilding",
)
NO_VALID_HOST = "No valid host was found. "
NOT_ENOUGH_HOSTS = NO_VALID_HOST + "There are not enough hosts available."
STACK = "/opt/stack/nova/nova/"  # where devstack installs Nova: tracebacks name these files


def _frame(path: str, line: int, function: str, code: str, carets: str = "") -> str:
    text = f'  File "{STACK}{path}", line {line}, in {function}\n    {code}\n'
    return text + (f"    {carets}\n" if carets else "")


# What ``traceback.format_tb`` shows for the failures below, in Nova 34's files.
_WRAPPED = _frame(
    "compute/utils.py",
    1483,
    "decorated_function",
    "return function(self, context, *args, **kwargs)",
    "       " + "^" * 40,
)
COLD_MIGRATE_TRACE = _frame(
    "conductor/manager.py", 362, "migrate_server", "self._cold_migrate(context, instance, flavor,"
) + _frame("conductor/manager.py", 431, "_cold_migrate", "raise exception.NoValidHost(reason=msg)")
LIVE_MIGRATE_TRACE = _frame(
    "conductor/manager.py", 497, "live_migrate_instance", "self._live_migrate(context, instance,"
) + _frame("conductor/manager.py", 535, "_live_migrate", "raise exception.NoValidHost(reason=msg)")
REBUILD_TRACE = _frame(
    "conductor/manager.py", 1289, "rebuild_instance", "raise exception.NoValidHost(reason=msg)"
)


class NoValidHost(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServiceUnavailable(Exception):
    def __init__(self) -> None:
        super().__init__("Service is unavailable at this time.")


class ComputeHostNotFound(Exception):
    def __init__(self, host: str) -> None:
        super().__init__(f"Compute host {host} could not be found.")
        self.host = host


class CannotMigrateToSameHost(Exception):
    def __init__(self) -> None:
        super().__init__("Cannot migrate to the host where the server exists.")


class UnableToMigrateToSelf(Exception):
    def __init__(self, uuid: str, host: str) -> None:
        super().__init__(f"Unable to migrate instance ({uuid}) to current host ({host}).")


class ComputeServiceInUse(Exception):
    def __init__(self, host: str | None) -> None:
        super().__init__(f"Compute service of {host} is still in use.")


class SameFlavor(Exception):
    def __init__(self) -> None:
        super().__init__("When resizing, instances must change flavor!")


class FlavorNotFound(Exception):
    def __init__(self, flavor_id: str) -> None:
        super().__init__(f"Flavor {flavor_id} could not be found.")


class NotResized(Exception):
    """No finished migration to confirm or revert (Nova's MigrationNotFound)."""


@dataclass(frozen=True)
class Requester:
    """Who asked: the instance action is recorded under these (None for periodic tasks)."""

    request_id: str
    user_id: str | None
    project_id: str | None


# -- checks shared by every move --------------------------------------------------------------


def check_state(
    server: Server, vm_states: tuple[str, ...], task_states: tuple[str | None, ...] = (None,)
) -> None:
    """Nova's ``check_instance_state``: the vm_state first, then the task_state."""
    if server.vm_state not in vm_states:
        raise InvalidState("vm_state", server.vm_state)
    if server.task_state not in task_states:
        raise InvalidState("task_state", server.task_state)


def _compute_up(backend: ComputeBackend, host: str | None) -> bool:
    for service in backend.services:
        if service.is_compute and service.host == host:
            return backend.service_is_up(service)
    return False


def _check_host_up(backend: ComputeBackend, server: Server) -> None:
    if not _compute_up(backend, server.host):
        raise ServiceUnavailable()


def _usage(backend: ComputeBackend) -> dict[str, scheduler.Usage]:
    """Placement's view: every server on its host, plus the old flavor a resize awaiting
    confirmation still holds on its source host."""
    used = scheduler.usage_by_host(backend.servers.values())
    for migration in backend.migrations:
        if migration.status == "finished" and migration.source_compute:
            host = migration.source_compute
            used[host] = used.get(host, scheduler.Usage()).plus(migration.old_flavor)
    return used


def _pick(backend: ComputeBackend, server: Server, flavor: Flavor, host: str | None) -> Host | None:
    """The scheduler for a move: never the server's own host (Nova's default
    ``allow_resize_to_same_host = False``), never another cell, the requested host when one
    is named."""
    # Moves stay in the server's cell (Nova's cross-cell resize policy is off by default).
    candidates = [
        h for h in backend.schedulable_hosts() if h.name != server.host and h.cell is server.cell
    ]
    # Nova's group filters run on moves too (only a rebuild skips them).
    placement = scheduler.Placement(host=host, group=server_groups.rule_for(backend, server))
    return scheduler.select_host(candidates, _usage(backend), flavor, placement)


def _known_host(backend: ComputeBackend, host: str) -> None:
    if host not in backend.hosts:
        raise ComputeHostNotFound(host)


def _start_action(
    backend: ComputeBackend, server: Server, name: str, who: Requester
) -> InstanceAction:
    return backend.actions.start(
        server.uuid,
        name,
        who.request_id,
        who.user_id,  # type: ignore[arg-type]  # None for periodic tasks, as in Nova
        who.project_id,  # type: ignore[arg-type]
        backend.clock.now,
    )


def _new_migration(
    backend: ComputeBackend, server: Server, kind: str, new_flavor: Flavor, who: Requester
) -> mig.Migration:
    now = backend.clock.now
    # Ids are per cell database, as in Nova: two cells may both have a migration 1.
    in_cell = sum(
        1 for m in backend.migrations if backend.records[m.instance_uuid].cell is server.cell
    )
    migration = mig.Migration(
        id=in_cell + 1,
        uuid=backend.ids.uuid("migration", server.uuid),
        instance_uuid=server.uuid,
        migration_type=kind,
        source_compute=server.host,
        dest_compute=None,
        old_flavor=server.flavor,
        new_flavor=new_flavor,
        status="pre-migrating",
        created_at=now,
        updated_at=now,
        project_id=who.project_id,
        user_id=who.user_id,
    )
    backend.migrations.append(migration)
    return migration


@dataclass
class _Steps:
    """Events of one service's work, laid out back to back ending at the clock's now.

    Each event is ``(name, host, seconds)``; the events start in order and each finishes
    before the next starts, so Nova's newest-first listing shows them in reverse.
    """

    backend: ComputeBackend
    action: InstanceAction

    def run(
        self,
        events: list[tuple[str, str | None, float]],
        *,
        error: str | None = None,
        tracebacks: tuple[str, ...] = (),
        nested: bool = False,
    ) -> None:
        """Record ``events``; with ``nested`` the first encloses the others (a conductor
        method and the reporter inside it). ``error`` fails every one of them."""
        end = self.backend.clock.now
        total = sum(seconds for _, _, seconds in events)
        start = end - dt.timedelta(seconds=total)
        spans = []
        cursor = start
        for name, host, seconds in events:
            spans.append((name, host, cursor, cursor + dt.timedelta(seconds=seconds)))
            cursor += dt.timedelta(seconds=seconds)
        if nested and len(spans) > 1:
            outer = spans[0]
            spans[0] = (outer[0], outer[1], start, end)
            spans[1:] = [
                (n, h, s + dt.timedelta(microseconds=2519), f - dt.timedelta(microseconds=9341))
                for n, h, s, f in spans[1:]
            ]
        recorded = [
            InstanceActionLog.event_start(self.action, name, began, host)
            for name, host, began, _ in spans
        ]
        # Inner events finish first (a reporter exits before the method that opened it).
        order = list(range(len(spans)))
        if nested:
            order = order[1:] + order[:1]
        for index in order:
            trace = tracebacks[index] if index < len(tracebacks) else None
            InstanceActionLog.event_finish(
                self.action, recorded[index], spans[index][3], error=error, traceback=trace
            )


def conductor_host(backend: ComputeBackend) -> str:
    """The super-conductor's host: where scheduling events are recorded."""
    for service in backend.services:
        if service.binary == "nova-conductor" and service.cell.name == "cell0":
            return service.host
    return "controller"


def _add_fault(server: Server, message: str, traceback: str, at: dt.datetime) -> None:
    """The fault of a move that left the server in ERROR. (A failed resize or migration
    leaves none that the API ever shows: not while ACTIVE, nor once deleted.)"""
    server.fault = Fault(500, message, traceback, at.replace(microsecond=0))


# -- resize and cold migration ----------------------------------------------------------------


def resize(
    backend: ComputeBackend,
    server: Server,
    who: Requester,
    *,
    is_admin: bool,
    flavor_id: str | None = None,
    host: str | None = None,
    auto_disk_config: bool | None = None,
) -> None:
    """``resize`` (with ``flavor_id``) or ``migrate`` (without): Nova's ``API.resize``."""
    check_unlocked(server, is_admin)
    check_state(server, (ACTIVE, STOPPED))
    _check_host_up(backend, server)
    if host is not None:
        _known_host(backend, host)
        if host == server.host:
            raise CannotMigrateToSameHost()
    if flavor_id is None:
        new_flavor = server.flavor
    else:
        found = backend.flavors.get(flavor_id)
        if found is None:
            raise FlavorNotFound(flavor_id)
        new_flavor = found.snapshot()
        if found.flavorid == server.flavor.flavorid:
            raise SameFlavor()
    server.task_state = RESIZE_PREP
    server.progress = 0
    server.auto_disk_config = bool(auto_disk_config)
    server.updated_at = backend.clock.now
    action = _start_action(backend, server, "migrate" if flavor_id is None else "resize", who)
    backend.tasks.defer(
        CONDUCTOR_SECONDS,
        f"cold migrate {server.uuid}",
        partial(_schedule_cold, backend, server, action, new_flavor, host, who),
    )


def _schedule_cold(
    backend: ComputeBackend,
    server: Server,
    action: InstanceAction,
    new_flavor: Flavor,
    host: str | None,
    who: Requester,
) -> None:
    if server.deleted or server.task_state != RESIZE_PREP:
        return
    kind = mig.COLD if new_flavor.flavorid == server.flavor.flavorid else mig.RESIZE
    migration = _new_migration(backend, server, kind, new_flavor, who)
    target = _pick(backend, server, new_flavor, host)
    conductor = conductor_host(backend)
    steps = _Steps(backend, action)
    events = [("conductor_migrate_server", conductor, 0.386), ("cold_migrate", conductor, 0.377)]
    if target is None:
        reason = "cold migrate" if kind == mig.COLD else "resize"
        message = f"{NO_VALID_HOST}No valid host found for {reason}"
        steps.run(
            events,
            error=message,
            tracebacks=(_WRAPPED + COLD_MIGRATE_TRACE, COLD_MIGRATE_TRACE),
            nested=True,
        )
        migration.status = "error"
        server.task_state = None
        server.updated_at = backend.clock.now
        return
    steps.run(events, nested=True)
    migration.dest_compute = target.name
    migration.status = "migrating"
    backend.tasks.defer(
        COMPUTE_SECONDS,
        f"finish resize {server.uuid}",
        partial(_finish_cold, backend, server, action, migration),
    )


def _finish_cold(
    backend: ComputeBackend, server: Server, action: InstanceAction, migration: mig.Migration
) -> None:
    if server.deleted:
        return
    source, dest = migration.source_compute, migration.dest_compute
    _Steps(backend, action).run(
        [
            ("compute_prep_resize", dest, 0.412),
            ("compute_resize_instance", source, 1.207),
            ("compute_finish_resize", dest, 0.853),
        ]
    )
    dest_host = backend.hosts[dest or ""]
    server.host = server.node = dest_host.name
    server.record.flavor = migration.new_flavor
    server.vm_state = RESIZED
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)
    migration.status = "finished"
    migration.updated_at = backend.clock.now
    window = confirm_window(backend)
    if window > 0:
        backend.tasks.defer(
            window,
            f"auto-confirm {server.uuid}",
            partial(_auto_confirm, backend, server, migration),
            timer=True,
        )


def confirm_window(backend: ComputeBackend) -> int:
    """``[DEFAULT] resize_confirm_window``: above 0, resizes confirm themselves after it."""
    return int(backend.settings.nova.get("resize_confirm_window", 0) or 0)


def _auto_confirm(backend: ComputeBackend, server: Server, migration: mig.Migration) -> None:
    """nova-compute's periodic confirmation: an admin context with no user or project."""
    if server.deleted or server.vm_state != RESIZED or migration.status != "finished":
        return
    who = Requester("req-" + backend.ids.uuid("request", f"auto-confirm {server.uuid}"), None, None)
    try:
        confirm(backend, server, who, is_admin=True)
    except (InvalidState, ServiceUnavailable, NotResized):
        return  # Nova logs and tries again at the next period; nothing to show here


def confirm(backend: ComputeBackend, server: Server, who: Requester, *, is_admin: bool) -> None:
    check_unlocked(server, is_admin)
    check_state(server, (RESIZED,))
    migration = mig.latest(backend.migrations, server.uuid, "finished")
    if migration is None:
        raise NotResized()
    if not _compute_up(backend, migration.source_compute):
        raise ServiceUnavailable()
    migration.status = "confirming"
    action = _start_action(backend, server, "confirmResize", who)
    backend.tasks.defer(
        CONDUCTOR_SECONDS,
        f"confirm resize {server.uuid}",
        partial(_confirmed, backend, server, action, migration),
    )


def _confirmed(
    backend: ComputeBackend, server: Server, action: InstanceAction, migration: mig.Migration
) -> None:
    if server.deleted:
        return
    _Steps(backend, action).run([("compute_confirm_resize", migration.source_compute, 0.618)])
    server.vm_state = STOPPED if server.power_state == PowerState.SHUTDOWN else ACTIVE
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)
    migration.status = "confirmed"
    migration.updated_at = backend.clock.now


def revert(backend: ComputeBackend, server: Server, who: Requester, *, is_admin: bool) -> None:
    check_unlocked(server, is_admin)
    check_state(server, (RESIZED,))
    migration = mig.latest(backend.migrations, server.uuid, "finished")
    if migration is None:
        raise NotResized()
    server.task_state = RESIZE_REVERTING
    server.updated_at = backend.clock.now
    migration.status = "reverting"
    action = _start_action(backend, server, "revertResize", who)
    backend.tasks.defer(
        COMPUTE_SECONDS,
        f"revert resize {server.uuid}",
        partial(_reverted, backend, server, action, migration),
    )


def _reverted(
    backend: ComputeBackend, server: Server, action: InstanceAction, migration: mig.Migration
) -> None:
    if server.deleted:
        return
    _Steps(backend, action).run(
        [
            ("compute_revert_resize", migration.dest_compute, 0.944),
            ("compute_finish_revert_resize", migration.source_compute, 1.131),
        ]
    )
    server.host = server.node = migration.source_compute
    server.record.flavor = migration.old_flavor
    server.vm_state = STOPPED if server.power_state == PowerState.SHUTDOWN else ACTIVE
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)
    migration.status = "reverted"
    migration.updated_at = backend.clock.now


# -- live migration ---------------------------------------------------------------------------


def live_migrate(
    backend: ComputeBackend,
    server: Server,
    who: Requester,
    *,
    is_admin: bool,
    host: str | None,
    force: bool,
    asynchronous: bool,
) -> None:
    """``os-migrateLive``. Below 2.34 the API waits for the conductor's checks, so a
    failed scheduling raises :class:`NoValidHost` here (Nova's 400); from 2.34 the failure
    is only in the instance action."""
    check_unlocked(server, is_admin)
    check_state(server, (ACTIVE, PAUSED))
    if host is not None:
        _known_host(backend, host)
    server.task_state = MIGRATING
    server.updated_at = backend.clock.now
    action = _start_action(backend, server, "live-migration", who)
    migration = _new_migration(backend, server, mig.LIVE, server.flavor, who)
    if asynchronous:
        backend.tasks.defer(
            CONDUCTOR_SECONDS,
            f"live migrate {server.uuid}",
            partial(_schedule_live, backend, server, action, migration, host, force, True),
        )
        return
    _schedule_live(backend, server, action, migration, host, force, False)


def _schedule_live(
    backend: ComputeBackend,
    server: Server,
    action: InstanceAction,
    migration: mig.Migration,
    host: str | None,
    force: bool,
    asynchronous: bool,
) -> None:
    if server.deleted or server.task_state != MIGRATING:
        return
    event = "conductor_live_migrate_instance" if asynchronous else "conductor_migrate_server"
    conductor = conductor_host(backend)
    steps = _Steps(backend, action)
    target: Host | None
    failure = NOT_ENOUGH_HOSTS
    if force and host is not None:
        target = backend.hosts[host] if host != server.host else None
        failure = str(UnableToMigrateToSelf(server.uuid, host))
    else:
        target = _pick(backend, server, server.flavor, host)
    if target is None:
        trace = (_WRAPPED + LIVE_MIGRATE_TRACE,)
        steps.run([(event, conductor, 0.214)], error=failure, tracebacks=trace)
        migration.status = "error"
        server.task_state = None
        server.updated_at = backend.clock.now
        if not asynchronous:
            raise NoValidHost(failure)
        return
    steps.run([(event, conductor, 0.533)])
    migration.dest_compute = target.name
    migration.status = "running"
    migration.updated_at = backend.clock.now
    if backend.slow_live_migrations:
        return  # the guest dirties memory faster than it is copied: it runs until forced
    backend.tasks.defer(
        COMPUTE_SECONDS,
        f"finish live migration {server.uuid}",
        partial(_finish_live, backend, server, action, migration),
    )


def _finish_live(
    backend: ComputeBackend, server: Server, action: InstanceAction, migration: mig.Migration
) -> None:
    if server.deleted:
        return
    source, dest = migration.source_compute, migration.dest_compute
    _Steps(backend, action).run(
        [
            ("compute_check_can_live_migrate_destination", dest, 0.231),
            ("compute_check_can_live_migrate_source", source, 0.118),
            ("compute_pre_live_migration", dest, 0.642),
            ("compute_live_migration", source, 1.575),
            ("compute_post_live_migration_at_destination", dest, 0.489),
        ]
    )
    server.host = server.node = dest
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)
    migration.status = "completed"
    migration.updated_at = backend.clock.now


class MigrationNotFoundForInstance(Exception):
    def __init__(self, migration_id: str, uuid: str) -> None:
        super().__init__(f"Migration {migration_id} not found for instance {uuid}")


class InvalidMigrationState(Exception):
    def __init__(self, migration: mig.Migration, method: str) -> None:
        super().__init__(
            f"Migration {migration.id} state of instance {migration.instance_uuid} is "
            f"{migration.status}. Cannot {method} while the migration is in this state."
        )


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


def force_complete(
    backend: ComputeBackend, server: Server, migration_id: str, who: Requester, *, is_admin: bool
) -> None:
    """Pause the guest so that the copy converges (2.22): the migration then finishes."""
    check_unlocked(server, is_admin)
    check_state(server, (ACTIVE,), (MIGRATING,))
    migration = migration_of(backend, server, migration_id)
    if migration.status != "running":
        raise InvalidMigrationState(migration, "force complete")
    action = _start_action(backend, server, "live_migration_force_complete", who)
    _Steps(backend, action).run(
        [("compute_live_migration_force_complete", migration.source_compute, 0.102)]
    )
    backend.tasks.defer(
        COMPUTE_SECONDS,
        f"finish live migration {server.uuid}",
        partial(_finish_live, backend, server, _start_action_of(backend, server), migration),
    )


def _start_action_of(backend: ComputeBackend, server: Server) -> InstanceAction:
    """The live-migration action the finishing events belong to (the newest one)."""
    found = [a for a in backend.actions.for_server(server.uuid) if a.action == "live-migration"]
    return found[-1]


def abort_live_migration(
    backend: ComputeBackend,
    server: Server,
    migration_id: str,
    who: Requester,
    *,
    is_admin: bool,
    queued_too: bool,
) -> None:
    """Cancel a live migration (2.24; from 2.65 also one still queued or preparing): the
    server stays on its source host, ACTIVE."""
    check_unlocked(server, is_admin)
    check_state(server, (server.vm_state,), (MIGRATING,))
    migration = migration_of(backend, server, migration_id)
    allowed = ("running", "queued", "preparing") if queued_too else ("running",)
    if migration.status not in allowed:
        raise InvalidMigrationState(migration, "abort live migration")
    action = _start_action(backend, server, "live_migration_cancel", who)
    _Steps(backend, action).run([("compute_live_migration_abort", migration.source_compute, 0.211)])
    migration.status = "cancelled"
    migration.updated_at = backend.clock.now
    server.task_state = None
    server.updated_at = backend.clock.now.replace(microsecond=0)


# -- evacuation -------------------------------------------------------------------------------


def evacuate(
    backend: ComputeBackend,
    server: Server,
    who: Requester,
    *,
    host: str | None,
    force: bool,
    stopped: bool,
) -> None:
    """Rebuild the server elsewhere because its host is down (no lock check, as in Nova).
    From 2.95 (``stopped``) the evacuated server stays stopped on its new host."""
    check_state(server, (ACTIVE, STOPPED, ERROR))
    if _compute_up(backend, server.host):
        raise ComputeServiceInUse(server.host)
    server.task_state = REBUILDING
    server.updated_at = backend.clock.now
    action = _start_action(backend, server, "evacuate", who)
    migration = _new_migration(backend, server, mig.EVACUATION, server.flavor, who)
    migration.status = "accepted"
    backend.tasks.defer(
        CONDUCTOR_SECONDS,
        f"evacuate {server.uuid}",
        partial(_schedule_evacuation, backend, server, action, migration, host, force, stopped),
    )


def _schedule_evacuation(
    backend: ComputeBackend,
    server: Server,
    action: InstanceAction,
    migration: mig.Migration,
    host: str | None,
    force: bool,
    stopped: bool,
) -> None:
    if server.deleted or server.task_state != REBUILDING:
        return
    conductor = conductor_host(backend)
    steps = _Steps(backend, action)
    if force and host is not None:
        target: Host | None = backend.hosts[host]
    else:
        target = _pick(backend, server, server.flavor, host)
    if target is None:
        steps.run(
            [("rebuild_server", conductor, 0.297)],
            error=NOT_ENOUGH_HOSTS,
            tracebacks=(REBUILD_TRACE,),
        )
        migration.status = "error"
        server.vm_state = ERROR
        server.task_state = None
        server.updated_at = backend.clock.now.replace(microsecond=0)
        _add_fault(server, NOT_ENOUGH_HOSTS, REBUILD_TRACE, backend.clock.now)
        return
    steps.run([("rebuild_server", conductor, 0.297)])
    migration.dest_compute = target.name
    migration.status = "pre-migrating"
    backend.tasks.defer(
        COMPUTE_SECONDS,
        f"rebuild {server.uuid}",
        partial(_rebuilt, backend, server, action, migration, stopped),
    )


def _rebuilt(
    backend: ComputeBackend,
    server: Server,
    action: InstanceAction,
    migration: mig.Migration,
    stopped: bool,
) -> None:
    if server.deleted:
        return
    _Steps(backend, action).run([("compute_rebuild_instance", migration.dest_compute, 2.764)])
    was_stopped = server.vm_state == STOPPED
    server.host = server.node = migration.dest_compute
    server.task_state = None
    # A rebuild spawns the guest afresh on the new host (its local disk is rebuilt from the
    # image; ports, metadata, flavor and volumes are kept): Nova records a new launch.
    server.launched_at = backend.clock.now
    if stopped or was_stopped:
        server.vm_state, server.power_state = STOPPED, PowerState.SHUTDOWN
    else:
        server.vm_state, server.power_state = ACTIVE, PowerState.RUNNING
    server.updated_at = backend.clock.now.replace(microsecond=0)
    migration.status = "done"
    migration.updated_at = backend.clock.now
