"""What every move of a server between hosts shares: the scheduler's pick, the migration
record, the conductor's host and the tracebacks of failed scheduling. The moves themselves
are in :mod:`~fakenova.compute.models.moves.resizes` (resize, cold migration, confirm and
revert), :mod:`~fakenova.compute.models.moves.live_migrations` and
:mod:`~fakenova.compute.models.moves.evacuations`.

Each entry point checks what Nova's compute API checks, in Nova's order (the lock, then the
vm_state and task_state, then the host; :mod:`~fakenova.compute.models.actions.flows`), and
raises before changing anything. It then does the API's part at once (a task state, the
instance action keyed by the caller's request id) and queues the rest: the conductor asks
the scheduler for a host a moment later, the compute hosts finish the move after that. Each
step records the events Nova's services record, on the host that ran them, so
``os-instance-actions`` tells the story afterwards.

When no host fits, the move ends where Nova's ends: a resize or migration leaves the server
as it was (ACTIVE on its old flavor) with a failed action, and a fault recorded that shows
only if the server is later put in ERROR; an evacuation leaves it in ERROR with a fault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fakenova.compute.models.actions.flows import Steps
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.deployment import scheduler
from fakenova.compute.models.deployment.cells import Host
from fakenova.compute.models.errors import ComputeHostNotFound
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.resources import server_groups
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.records import Fault, Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

CONDUCTOR_SECONDS = 1  # from the API's answer to the conductor having asked the scheduler
COMPUTE_SECONDS = 4  # from the scheduler's answer to the hosts having moved the server
NO_VALID_HOST = "No valid host was found. "
NOT_ENOUGH_HOSTS = NO_VALID_HOST + scheduler.NOT_ENOUGH_HOSTS_REASON
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


def pick_host(
    backend: ComputeBackend, server: Server, flavor: Flavor, host: str | None
) -> Host | None:
    """The scheduler for a move: never the server's own host (Nova's default
    ``allow_resize_to_same_host = False``), never another cell, the requested host when one
    is named, and only within the zone the server was booted into (its request spec keeps
    it, so Nova's scheduler filters moves by it too)."""
    # Moves stay in the server's cell (Nova's cross-cell resize policy is off by default).
    candidates = [
        h for h in backend.schedulable_hosts() if h.name != server.host and h.cell is server.cell
    ]
    # Nova's group filters run on moves too (only a rebuild skips them).
    placement = scheduler.Placement(
        zone=server.record.requested_az,
        host=host,
        group=server_groups.rule_for(backend, server),
        hints=move_hints(backend, server),
    )
    used = scheduler.usage_by_host(backend.servers.values(), backend.migrations)
    return scheduler.select_host(candidates, used, flavor, placement)


def move_hints(backend: ComputeBackend, server: Server) -> scheduler.HostHints:
    """The same_host and different_host hints the server was booted with: its request spec
    keeps them, and Nova's scheduler applies them again to every move it schedules (cold
    migration and resize, live migration, evacuation, unshelve)."""
    others = (s for s in backend.servers.values() if s is not server)
    return scheduler.host_hints(backend.settings.nova, others, server.record.scheduler_hints)


def check_host_known(backend: ComputeBackend, host: str) -> None:
    if host not in backend.hosts:
        raise ComputeHostNotFound(host)


def new_migration(
    backend: ComputeBackend, server: Server, kind: str, new_flavor: Flavor, who: Actor
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


# A host's event of a move: (event, "source" or "dest", seconds it takes).
HostEvent = tuple[str, str, float]


@dataclass
class Move:
    """A move under way: the server, the instance action its events go to, and its
    migration record. Each later part of a move is a function taking the ``Move`` first."""

    backend: ComputeBackend
    server: Server
    action: InstanceAction
    migration: mig.Migration

    def later(self, seconds: float, label: str, step: Callable[..., None], *args: Any) -> None:
        """Queue ``step(self, *args)``, the next part, ``seconds`` from now; once the server
        is deleted there is nothing left to move, and the part does nothing."""

        def run() -> None:
            if not self.server.deleted:
                step(self, *args)

        self.backend.tasks.defer(seconds, f"{label} {self.server.uuid}", run)

    def on_conductor(self, events: list[tuple[str, float]], **recorded: Any) -> None:
        """Record the super-conductor's finished ``events`` (``error``, ``tracebacks`` and
        ``nested`` as :meth:`~fakenova.compute.models.actions.flows.Steps.run` takes them)."""
        conductor = self.backend.conductor_host()
        Steps(self.backend, self.action).run(
            [(name, conductor, seconds) for name, seconds in events], **recorded
        )

    def on_hosts(self, events: tuple[HostEvent, ...]) -> None:
        """Record the hosts' finished ``events``, each on the source or the destination."""
        hosts = {"source": self.migration.source_compute, "dest": self.migration.dest_compute}
        Steps(self.backend, self.action).run(
            [(name, hosts[where], seconds) for name, where, seconds in events]
        )

    def failed(self, message: str, traceback: str) -> None:
        """No host fits: the migration errors and the server drops its task where it is.

        Nova's conductor records the scheduler's error as an instance fault all the same
        (``set_vm_state_and_notify``): the API shows none while the server is ACTIVE, but
        the fault is the server's newest, and shows if the server is later put in ERROR.
        """
        now = self.backend.clock.now
        self.migration.status = "error"
        self.server.task_state = None
        self.server.updated_at = now
        self.server.fault = Fault(500, message, traceback, now.replace(microsecond=0))

    def landed(self, host: str | None, status: str) -> None:
        """The end of a move: the server on ``host`` with no task, the migration ``status``."""
        server, now = self.server, self.backend.clock.now
        server.host = server.node = host
        ports.bind(self.backend.network, server)
        server.task_state = None
        server.updated_at = now.replace(microsecond=0)
        self.migration.status = status
        self.migration.updated_at = now
