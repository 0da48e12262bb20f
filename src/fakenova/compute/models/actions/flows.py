"""The shape every server action shares: check, begin, record, let the services finish.

Nova's compute API checks the lock and the instance's states (the ``check_instance_lock`` and
``check_instance_state`` decorators), sets a task state, records an *instance action* under the
request id, and casts the real work to the conductor or the server's host, which record
*events* (``compute_pause_instance`` ...) and set the final state. Here that work is a task on
the backend's queue, due a few seconds later and settled before the next request, so clients
see the finished state while the action log and ``updated_at`` show the work taking time.

Every action and move uses these pieces and no others: :func:`check_lock`,
:func:`check_states` and :func:`check_host` refuse (raising before anything changes);
:func:`begin` starts the instance action; :func:`on_host` queues one event with the state it
leaves, :func:`at_api` runs an event of the API's own, and :class:`Steps` records a service's
sequence of events once its work is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fakenova.compute.models.actions.instance_actions import InstanceAction, InstanceActionLog
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.errors import (
    InstanceInvalidState,
    InstanceIsLocked,
    InstanceNotReady,
)
from fakenova.compute.models.servers.records import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

# Where the API and the super-conductor run (conf/ registers the control services there):
# the host of ``api_lock`` events and of conductor events.
CONTROLLER = "controller"


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
    """Only admins act on a locked server (whoever locked it, even its own locker)."""
    if server.locked_by is not None and not actor.is_admin:
        raise InstanceIsLocked(server.uuid)


def check_host(server: Server) -> None:
    if not server.host:
        raise InstanceNotReady(server.uuid)


def check_states(server: Server, states: States) -> None:
    """vm_state, then task_state, then launched_at, as Nova checks them."""
    if states.vm is not None and server.vm_state not in states.vm:
        raise InstanceInvalidState(server.uuid, "vm_state", server.vm_state)
    if states.task is not None and server.task_state not in states.task:
        raise InstanceInvalidState(server.uuid, "task_state", server.task_state)
    if states.must_have_launched and server.launched_at is None:
        raise InstanceInvalidState(server.uuid, "launched_at", None)


def begin(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    action: str,
    task_state: str | None = None,
) -> InstanceAction:
    """The API's part once every check passed: the task state, then the action record (under
    the caller's request id; a periodic task's has no user or project, as in Nova)."""
    now = backend.clock.now
    if task_state is not None:  # only then does Nova save the instance
        server.task_state = task_state
        server.updated_at = now
    return backend.actions.start(
        server.uuid,
        action,
        actor.request_id,
        actor.user_id,  # type: ignore[arg-type]
        actor.project_id,  # type: ignore[arg-type]
        now,
    )


def act(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    action: str,
    states: States,
    task_state: str | None,
    event: str,
    seconds: float,
    done: Callable[[], None],
    *,
    needs_host: bool = False,
) -> None:
    """The whole of a simple action: check (the lock, the host when ``needs_host``, the
    states), begin with ``task_state``, and let the server's host run ``event`` and
    ``done``."""
    check_lock(server, actor)
    if needs_host:
        check_host(server)
    check_states(server, states)
    record = begin(backend, server, actor, action, task_state)
    on_host(backend, server, record, event, seconds, done)


def on_host(
    backend: ComputeBackend,
    server: Server,
    record: InstanceAction,
    event: str,
    seconds: float,
    change: Callable[[], None],
    host: str | None = None,
    touch: bool = True,
    states: tuple[str, ...] = (),
) -> None:
    """Queue a host's (or conductor's) part: ``event`` starts now on ``host`` (the server's
    by default); ``seconds`` later ``change`` sets the final state (``touch``: and saves the
    server, moving ``updated_at``) and the event succeeds. The host goes through the task
    ``states`` on the way, one after the other in equal parts of ``seconds`` (a client
    polling a paced cloud sees each; otherwise they pass before the next request).

    The API casts the work to the host and answers; a host whose nova-compute is not running
    leaves the message in its queue, so the server keeps its task state and the action has
    no event until the service starts again and does the work then.
    """
    target = host or server.host
    if not backend.compute_running(target):
        assert target is not None  # a server without a host has no compute to wait for
        backend.waiting.setdefault(target, []).append(
            lambda: on_host(backend, server, record, event, seconds, change, host, touch, states)
        )
        return
    started = backend.actions.event_start(record, event, backend.clock.now, target)
    part = seconds / (len(states) + 1)

    def finish() -> None:
        if server.deleted:
            return  # deleted meanwhile: the host has nothing left to change
        change()
        if touch:
            server.updated_at = backend.clock.now
        backend.actions.event_finish(record, started, backend.clock.now)

    def step(left: tuple[str, ...]) -> None:
        if server.deleted:
            return
        server.task_state = left[0]
        backend.tasks.defer(part, f"{event} {server.uuid}", next_of(left[1:]))

    def next_of(left: tuple[str, ...]) -> Callable[[], None]:
        return (lambda: step(left)) if left else finish

    backend.tasks.defer(part, f"{event} {server.uuid}", next_of(states))


def at_api(
    backend: ComputeBackend, record: InstanceAction, event: str, change: Callable[[], None]
) -> None:
    """An event the API itself runs at once (``api_lock``), on the controller."""
    now = backend.clock.now
    started = backend.actions.event_start(record, event, now, CONTROLLER)
    change()
    backend.actions.event_finish(record, started, now)


@dataclass
class Steps:
    """Events of one service's finished work, laid out back to back ending at the clock's now.

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
