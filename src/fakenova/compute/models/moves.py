"""What every move of a server between hosts shares: who asked, the checks, the scheduler's
pick, the migration record and the events each service records. The moves themselves are in
:mod:`~fakenova.compute.models.resizes` (resize, cold migration, confirm and revert),
:mod:`~fakenova.compute.models.live_migrations` and :mod:`~fakenova.compute.models.evacuations`.

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
from typing import TYPE_CHECKING

from fakenova.compute.models import migrations as mig
from fakenova.compute.models import scheduler, server_groups
from fakenova.compute.models.flavors import Flavor
from fakenova.compute.models.infrastructure import Host
from fakenova.compute.models.instance_actions import InstanceAction, InstanceActionLog
from fakenova.compute.models.server_changes import InstanceIsLocked, InvalidState
from fakenova.compute.models.servers import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

__all__ = ["InstanceIsLocked", "InvalidState"]

CONDUCTOR_SECONDS = 1  # from the API's answer to the conductor having asked the scheduler
COMPUTE_SECONDS = 4  # from the scheduler's answer to the hosts having moved the server
NO_VALID_HOST = "No valid host was found. "
NOT_ENOUGH_HOSTS = NO_VALID_HOST + "There are not enough hosts available."
STACK = "/opt/stack/nova/nova/"  # where devstack installs Nova: tracebacks name these files


def nova_frame(path: str, line: int, function: str, code: str, carets: str = "") -> str:
    text = f'  File "{STACK}{path}", line {line}, in {function}\n    {code}\n'
    return text + (f"    {carets}\n" if carets else "")


# What ``traceback.format_tb`` shows for the failures of the moves, in Nova 34's files: this
# frame, then the move's own (each move's module has them).
WRAPPED_FRAME = nova_frame(
    "compute/utils.py",
    1483,
    "decorated_function",
    "return function(self, context, *args, **kwargs)",
    "       " + "^" * 40,
)


class ComputeHostNotFound(Exception):
    def __init__(self, host: str) -> None:
        super().__init__(f"Compute host {host} could not be found.")
        self.host = host


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


def compute_is_up(backend: ComputeBackend, host: str | None) -> bool:
    for service in backend.services:
        if service.is_compute and service.host == host:
            return backend.service_is_up(service)
    return False


def pick_host(
    backend: ComputeBackend, server: Server, flavor: Flavor, host: str | None
) -> Host | None:
    """The scheduler for a move: never the server's own host (Nova's default
    ``allow_resize_to_same_host = False``), never another cell, the requested host when one
    is named."""
    # Moves stay in the server's cell (Nova's cross-cell resize policy is off by default).
    candidates = [
        h for h in backend.schedulable_hosts() if h.name != server.host and h.cell is server.cell
    ]
    # Nova's group filters run on moves too (only a rebuild skips them).
    placement = scheduler.Placement(host=host, group=server_groups.rule_for(backend, server))
    used = scheduler.usage_by_host(backend.servers.values(), backend.migrations)
    return scheduler.select_host(candidates, used, flavor, placement)


def check_host_known(backend: ComputeBackend, host: str) -> None:
    if host not in backend.hosts:
        raise ComputeHostNotFound(host)


def start_action(
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


def new_migration(
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
class Steps:
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
