"""Deferred work: state changes that Nova makes "later", settled before the next request.

Nova answers ``POST /servers`` (or a reboot, a resize ...) at once and finishes the work in
the background. The fake has no background: an action queues a :class:`Task` due some seconds
from now, and the backend settles the queue at the start of every compute request, moving the
scenario's clock to each task's due time before applying it. A client that polls (``openstack
server create --wait``) therefore sees the finished state on its first poll, the timestamps
still show the work taking time, and nothing ever sleeps.

That is the default, and the guide's pages rely on it. A cloud may instead be *paced*
(``fakenova serve --pace SECONDS``): each queued step then finishes only once that much
wall-clock time has passed since it started (a step queued by another starts when that one
finished), so a client that polls sees what it would see on a real cloud: BUILD before
ACTIVE, ``image_snapshot`` while a snapshot is saved, each task state of a resize.
"""

from __future__ import annotations

import datetime as dt
import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fakenova.determinism import Clock


@dataclass(order=True)
class Task:
    """One state change, applied at ``due`` (ties keep the order they were queued in)."""

    due: dt.datetime
    sequence: int
    label: str = field(compare=False)
    apply: Callable[[], None] = field(compare=False, repr=False)
    # A timer (a periodic task's deadline, such as resize_confirm_window) runs only once the
    # clock reaches it: settling never moves the clock forward just to fire it.
    timer: bool = field(default=False, compare=False)
    # On a paced queue, the wall-clock instant (``TaskQueue.wall``) from which it may run.
    ready: float = field(default=0.0, compare=False)


class TaskQueue:
    """The cloud's pending work, in due order.

    ``on_time_passed`` runs whenever settling moves the clock (the backend uses it to let
    every live service report in, so waiting for a build never makes a service look down).

    ``pace`` is the settle policy: 0 (the default) settles everything at the next request;
    a positive number of seconds holds each task until that long after it started, on the
    ``wall`` clock (a monotonic clock in seconds; tests may give their own).
    """

    def __init__(
        self,
        clock: Clock,
        on_time_passed: Callable[[], None] | None = None,
        *,
        pace: float = 0.0,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.on_time_passed = on_time_passed
        self.pace = pace
        self.wall = wall
        self._heap: list[Task] = []
        self._sequence = 0
        # While a paced task runs: when it became ready, the start of whatever it queues.
        self._started: float | None = None

    def defer(
        self, seconds: float, label: str, apply: Callable[[], None], *, timer: bool = False
    ) -> Task:
        """Queue ``apply`` to run ``seconds`` after the clock's current time (with ``timer``,
        only once the clock gets there by itself)."""
        self._sequence += 1
        due = self.clock.now + dt.timedelta(seconds=seconds)
        ready = 0.0
        if self.pace > 0:
            ready = (self.wall() if self._started is None else self._started) + self.pace
        task = Task(due, self._sequence, label, apply, timer, ready)
        heapq.heappush(self._heap, task)
        return task

    @property
    def pending(self) -> list[Task]:
        return sorted(self._heap)

    def settle(self) -> int:
        """Apply every queued task in due order, including tasks queued while settling
        (a build that goes on to a next step); returns how many ran. A paced queue applies
        only the tasks whose wall-clock time has come, and keeps the others."""
        done = 0
        now = self.wall() if self.pace > 0 else 0.0
        waiting: list[Task] = []
        while self._heap:
            task = heapq.heappop(self._heap)
            if task.ready > now:
                waiting.append(task)  # still under way
                continue
            if task.timer and task.due > self.clock.now and self._only_timers_left(now):
                waiting.append(task)  # nothing else will move the clock past it
                continue
            if task.due > self.clock.now:
                self.clock.now = task.due
                if self.on_time_passed is not None:
                    self.on_time_passed()
            self._started = task.ready if self.pace > 0 else None
            try:
                task.apply()
            finally:
                self._started = None
            done += 1
        for task in waiting:
            heapq.heappush(self._heap, task)
        return done

    def _only_timers_left(self, now: float) -> bool:
        """Whether no task that may run now is left to move the clock."""
        return all(t.timer or t.ready > now for t in self._heap)
