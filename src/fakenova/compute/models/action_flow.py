"""The shape every server action shares: check, start, record, let the host finish.

Nova's compute API checks the lock and the instance's states (the ``check_instance_lock`` and
``check_instance_state`` decorators), sets a task state, records an *instance action* under the
request id, and casts the real work to the server's host, which records an *event*
(``compute_pause_instance`` ...) and sets the final state. Here the host's part is a task on the
backend's queue, due a few seconds later and settled before the next request, so clients see
the finished state while the action log and ``updated_at`` show the work taking time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.instance_actions import InstanceAction
from fakenova.compute.models.server_changes import InstanceIsLocked, InvalidState
from fakenova.compute.models.servers import Server

# Where the API and the super-conductor run (conf/ registers the control services there):
# the host of ``api_lock`` events and of conductor events.
CONTROLLER = "controller"


class InstanceNotReady(Exception):
    """The server has no host (Nova's ``check_instance_host``): a 409 at the API."""

    def __init__(self, uuid: str) -> None:
        super().__init__(f"Instance {uuid} is not ready")


@dataclass(frozen=True)
class Actor:
    """Who asked, as the instance action records it (the caller, not the server's owner)."""

    request_id: str
    user_id: str
    project_id: str
    is_admin: bool


@dataclass(frozen=True)
class States:
    """Nova's ``check_instance_state``: vm_states allowed (None: any), task_states allowed
    (None: any; by default only no task) and whether the server must have run once."""

    vm: frozenset[str] | None
    task: frozenset[str | None] | None = frozenset({None})
    must_have_launched: bool = True

    @classmethod
    def of(
        cls,
        vm: Iterable[str] | None,
        task: Iterable[str | None] | None = (None,),
        must_have_launched: bool = True,
    ) -> States:
        return cls(
            None if vm is None else frozenset(vm),
            None if task is None else frozenset(task),
            must_have_launched,
        )


def check_lock(server: Server, actor: Actor) -> None:
    """Only admins act on a locked server (whoever locked it)."""
    if server.locked_by is not None and not actor.is_admin:
        raise InstanceIsLocked(server.uuid)


def check_host(server: Server) -> None:
    if not server.host:
        raise InstanceNotReady(server.uuid)


def check_states(server: Server, states: States) -> None:
    """vm_state, then task_state, then launched_at, as Nova checks them."""
    if states.vm is not None and server.vm_state not in states.vm:
        raise InvalidState("vm_state", server.vm_state)
    if states.task is not None and server.task_state not in states.task:
        raise InvalidState("task_state", server.task_state)
    if states.must_have_launched and server.launched_at is None:
        raise InvalidState("launched_at", None)


def begin(
    backend: ComputeBackend, server: Server, actor: Actor, action: str, task_state: str | None
) -> InstanceAction:
    """The API's part once every check passed: the task state, then the action record."""
    now = backend.clock.now
    if task_state is not None:  # only then does Nova save the instance
        server.task_state = task_state
        server.updated_at = now
    return backend.actions.start(
        server.uuid, action, actor.request_id, actor.user_id, actor.project_id, now
    )


def on_host(
    backend: ComputeBackend,
    server: Server,
    record: InstanceAction,
    event: str,
    seconds: float,
    change: Callable[[], None],
    host: str | None = None,
    touch: bool = True,
) -> None:
    """Queue a host's (or conductor's) part: ``event`` starts now on ``host`` (the server's
    by default); ``seconds`` later ``change`` sets the final state (``touch``: and saves the
    server, moving ``updated_at``) and the event succeeds."""
    started = backend.actions.event_start(record, event, backend.clock.now, host or server.host)

    def finish() -> None:
        if server.deleted:
            return  # deleted meanwhile: the host has nothing left to change
        change()
        if touch:
            server.updated_at = backend.clock.now
        backend.actions.event_finish(record, started, backend.clock.now)

    backend.tasks.defer(seconds, f"{event} {server.uuid}", finish)


def at_api(
    backend: ComputeBackend, record: InstanceAction, event: str, change: Callable[[], None]
) -> None:
    """An event the API itself runs at once (``api_lock``), on the controller."""
    now = backend.clock.now
    started = backend.actions.event_start(record, event, now, CONTROLLER)
    change()
    backend.actions.event_finish(record, started, now)
