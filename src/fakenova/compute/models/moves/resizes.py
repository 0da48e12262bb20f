"""Resize and cold migration (Nova's ``API.resize``: a migration is a resize to the same
flavor), then the resize's confirmation (by the caller, by nova-compute once
``resize_confirm_window`` has passed, or by the API when the server is deleted) or its revert
to the source host and old flavor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.errors import (
    CannotMigrateToSameHost,
    CannotResizeToSameFlavor,
    ComputeError,
    FlavorNotFound,
    InstanceNotResized,
    ServiceUnavailable,
)
from fakenova.compute.models.moves import common as moves
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.resources import flavor_image, flavor_rules, quotas
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers import accelerators
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, RESIZED, STOPPED, PowerState

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

RESIZE_PREP, RESIZE_REVERTING = "resize_prep", "resize_reverting"
# The scheduler's refusal as the conductor records it in the server's fault: Nova's own
# frames from the conductor's task down to the scheduler (the oslo frames between them depend
# on the deployment's messaging driver).
SCHEDULE_FAULT_TRACE = (
    "Traceback (most recent call last):\n"
    + moves.nova_frame("conductor/manager.py", 416, "_cold_migrate", "task.execute()")
    + moves.nova_frame("conductor/tasks/base.py", 23, "wrap", "return original(self)", "^" * 14)
    + moves.nova_frame("conductor/tasks/base.py", 40, "execute", "return self._execute()", "^" * 15)
    + moves.nova_frame(
        "conductor/tasks/migrate.py",
        294,
        "_execute",
        "selection = self._schedule()",
        "            " + "^" * 16,
    )
    + moves.nova_frame(
        "conductor/tasks/migrate.py",
        342,
        "_schedule",
        "selection_lists = self.query_client.select_destinations(",
        "                  " + "^" * 38,
    )
    + moves.nova_frame(
        "scheduler/manager.py",
        283,
        "select_destinations",
        'raise exception.NoValidHost(reason="")',
    )
    + f"nova.exception.NoValidHost: {moves.NO_VALID_HOST}\n"
)
COLD_MIGRATE_TRACE = moves.nova_frame(
    "conductor/manager.py", 362, "migrate_server", "self._cold_migrate(context, instance, flavor,"
) + moves.nova_frame(
    "conductor/manager.py", 431, "_cold_migrate", "raise exception.NoValidHost(reason=msg)"
)


RESIZE_EVENTS = (
    ("compute_prep_resize", "dest", 0.412),
    ("compute_resize_instance", "source", 1.207),
    ("compute_finish_resize", "dest", 0.853),
)
CONFIRM_EVENTS = (("compute_confirm_resize", "source", 0.618),)
REVERT_EVENTS = (
    ("compute_revert_resize", "dest", 0.944),
    ("compute_finish_revert_resize", "source", 1.131),
)
# Moves check vm_state and task_state only (they never see a server that has not run).
RESIZE_STATES = States.of([ACTIVE, STOPPED], must_have_launched=False)
RESIZED_STATES = States.of([RESIZED], must_have_launched=False)


def _check_host_up(backend: ComputeBackend, server: Server) -> None:
    if not backend.compute_is_up(server.host):
        raise ServiceUnavailable()


def resize(
    backend: ComputeBackend,
    server: Server,
    who: Actor,
    *,
    flavor_id: str | None = None,
    host: str | None = None,
    auto_disk_config: bool | None = None,
) -> None:
    """``resize`` (with ``flavor_id``) or ``migrate`` (without): Nova's ``API.resize``."""
    accelerators.refuse(server)
    flow.check_lock(server, who)
    flow.check_states(server, RESIZE_STATES)
    _check_host_up(backend, server)
    if host is not None:
        moves.check_host_known(backend, host)
        if host == server.host:
            raise CannotMigrateToSameHost()
    if flavor_id is None:
        new_flavor = server.flavor
    else:
        found = backend.flavors.get(flavor_id)
        if found is None or not flavor_rules.sees(who, found):
            raise FlavorNotFound(flavor_id)
        accelerators.refuse_flavor(found)
        new_flavor = found.snapshot()
        if found.flavorid == server.flavor.flavorid:
            raise CannotResizeToSameFlavor()
        quotas.check_resize(backend, server, new_flavor)
        flavor_image.check_cpu_policy(new_flavor, server.image_properties)
    server.task_state = RESIZE_PREP
    server.progress = 0
    server.auto_disk_config = bool(auto_disk_config)
    server.updated_at = backend.clock.now
    action = flow.begin(backend, server, who, "migrate" if flavor_id is None else "resize")
    # The migration record is the conductor's to make: until then there is no Move.
    conductor = partial(_schedule_cold, backend, server, action, new_flavor, host, who)
    backend.tasks.defer(moves.CONDUCTOR_SECONDS, f"cold migrate {server.uuid}", conductor)


def _schedule_cold(
    backend: ComputeBackend,
    server: Server,
    action: InstanceAction,
    new_flavor: Flavor,
    host: str | None,
    who: Actor,
) -> None:
    """The conductor's part: a migration record, then the scheduler's pick."""
    if server.deleted or server.task_state != RESIZE_PREP:
        return
    kind = mig.COLD if new_flavor.flavorid == server.flavor.flavorid else mig.RESIZE
    move = moves.Move(
        backend, server, action, moves.new_migration(backend, server, kind, new_flavor, who)
    )
    target = moves.pick_host(backend, server, new_flavor, host)
    events = [("conductor_migrate_server", 0.386), ("cold_migrate", 0.377)]
    if target is None:
        reason = "cold migrate" if kind == mig.COLD else "resize"
        move.on_conductor(
            events,
            error=f"{moves.NO_VALID_HOST}No valid host found for {reason}",
            tracebacks=(moves.WRAPPED_FRAME + COLD_MIGRATE_TRACE, COLD_MIGRATE_TRACE),
            nested=True,
        )
        move.failed(moves.NO_VALID_HOST, SCHEDULE_FAULT_TRACE)
        return
    move.on_conductor(events, nested=True)
    move.migration.dest_compute = target.name
    move.migration.status = "migrating"
    part = moves.COMPUTE_SECONDS / (len(HOST_STATES) + 1)
    move.later(part, "resize on hosts", _on_hosts, HOST_STATES, part)


# The hosts' task states, in order: the source copies the disk (``resize_migrating``), has
# copied it (``resize_migrated``, its migration ``post-migrating``), and the destination
# finishes (``resize_finish``), as Nova's compute manager sets them.
HOST_STATES = ("resize_migrating", "resize_migrated", "resize_finish")


def _on_hosts(move: moves.Move, states: tuple[str, ...], part: float) -> None:
    """One task state of the hosts' part per step, then the end of the move."""
    if not states:
        _finish_cold(move)
        return
    move.server.task_state = states[0]
    if states[0] == "resize_migrated":
        move.migration.status = "post-migrating"
    move.later(part, "resize on hosts", _on_hosts, states[1:], part)


def _finish_cold(move: moves.Move) -> None:
    move.on_hosts(RESIZE_EVENTS)
    server, backend = move.server, move.backend
    server.record.flavor = move.migration.new_flavor
    server.vm_state = RESIZED
    move.landed(move.migration.dest_compute, "finished")
    window = confirm_window(backend)
    if window > 0:
        backend.tasks.defer(
            window,
            f"auto-confirm {server.uuid}",
            partial(_auto_confirm, backend, server, move.migration),
            timer=True,
        )


def confirm_window(backend: ComputeBackend) -> int:
    """``[DEFAULT] resize_confirm_window``: above 0, resizes confirm themselves after it."""
    return int(backend.settings.nova.get("resize_confirm_window", 0) or 0)


def _auto_confirm(backend: ComputeBackend, server: Server, migration: mig.Migration) -> None:
    """nova-compute's periodic confirmation: an admin context with no user or project."""
    if server.deleted or server.vm_state != RESIZED or migration.status != "finished":
        return
    who = Actor.periodic("req-" + backend.ids.uuid("request", f"auto-confirm {server.uuid}"))
    try:
        confirm(backend, server, who)
    except ComputeError:
        return  # Nova logs and tries again at the next period; nothing to show here


def _awaiting_confirmation(backend: ComputeBackend, server: Server, who: Actor) -> mig.Migration:
    """What confirm and revert both check, in Nova's order; the resize's migration record."""
    flow.check_lock(server, who)
    flow.check_states(server, RESIZED_STATES)
    migration = mig.latest(backend.migrations, server.uuid, "finished")
    if migration is None:
        raise InstanceNotResized()
    return migration


def _back_in_service(move: moves.Move, host: str | None, status: str) -> None:
    """The end of a confirm or revert: the server runs (or stays stopped) with no task."""
    server = move.server
    server.vm_state = STOPPED if server.power_state == PowerState.SHUTDOWN else ACTIVE
    move.landed(host, status)


def confirm(backend: ComputeBackend, server: Server, who: Actor) -> None:
    migration = _awaiting_confirmation(backend, server, who)
    if not backend.compute_is_up(migration.source_compute):
        raise ServiceUnavailable()
    migration.status = "confirming"
    move = moves.Move(backend, server, flow.begin(backend, server, who, "confirmResize"), migration)
    move.later(moves.CONDUCTOR_SECONDS, "confirm resize", _confirmed)


def _confirmed(move: moves.Move) -> None:
    move.on_hosts(CONFIRM_EVENTS)
    _back_in_service(move, move.server.host, "confirmed")


def confirm_on_delete(
    backend: ComputeBackend, server: Server, who: Actor
) -> Callable[[], None] | None:
    """Nova confirms the resize of a server it is asked to delete before deleting it, so that
    the source host's resources (the old flavor it still holds) are freed.

    The API records a ``confirmResize`` action under the delete's request id (before the
    ``delete`` action) and has the source host confirm (``compute_confirm_resize``), waiting
    for it. Returns that confirmation, for the caller to run before the delete's own work;
    None when the server has no resize to confirm (no migration ``finished`` or
    ``confirming``).
    """
    migration = mig.latest(backend.migrations, server.uuid, "finished") or mig.latest(
        backend.migrations, server.uuid, "confirming"
    )
    if migration is None:
        return None
    action = flow.begin(backend, server, who, "confirmResize")
    return partial(_confirmed, moves.Move(backend, server, action, migration))


def revert(backend: ComputeBackend, server: Server, who: Actor) -> None:
    migration = _awaiting_confirmation(backend, server, who)
    quotas.check_revert(backend, server, migration.old_flavor)
    server.task_state = RESIZE_REVERTING
    server.updated_at = backend.clock.now
    migration.status = "reverting"
    move = moves.Move(backend, server, flow.begin(backend, server, who, "revertResize"), migration)
    move.later(moves.COMPUTE_SECONDS, "revert resize", _reverted)


def _reverted(move: moves.Move) -> None:
    move.on_hosts(REVERT_EVENTS)
    move.server.record.flavor = move.migration.old_flavor
    _back_in_service(move, move.migration.source_compute, "reverted")
