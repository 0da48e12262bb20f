"""Deferred work: state changes that Nova makes "later", settled before the next request.

Nova answers ``POST /servers`` (or a reboot, a resize ...) at once and finishes the work in
the background. The fake has no background: an action queues a :class:`Task` due some seconds
from now, and the backend settles the queue at the start of every compute request, moving the
scenario's clock to each task's due time before applying it. A client that polls (``openstack
server create --wait``) therefore sees the finished state on its first poll, the timestamps
still show the work taking time, and nothing ever sleeps.
"""

from __future__ import annotations

import datetime as dt
import heapq
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


class TaskQueue:
    """The cloud's pending work, in due order.

    ``on_time_passed`` runs whenever settling moves the clock (the backend uses it to let
    every live service report in, so waiting for a build never makes a service look down).
    """

    def __init__(self, clock: Clock, on_time_passed: Callable[[], None] | None = None) -> None:
        self.clock = clock
        self.on_time_passed = on_time_passed
        self._heap: list[Task] = []
        self._sequence = 0

    def defer(
        self, seconds: float, label: str, apply: Callable[[], None], *, timer: bool = False
    ) -> Task:
        """Queue ``apply`` to run ``seconds`` after the clock's current time (with ``timer``,
        only once the clock gets there by itself)."""
        self._sequence += 1
        due = self.clock.now + dt.timedelta(seconds=seconds)
        task = Task(due, self._sequence, label, apply, timer)
        heapq.heappush(self._heap, task)
        return task

    @property
    def pending(self) -> list[Task]:
        return sorted(self._heap)

    def settle(self) -> int:
        """Apply every queued task in due order, including tasks queued while settling
        (a build that goes on to a next step); returns how many ran."""
        done = 0
        waiting: list[Task] = []
        while self._heap:
            task = heapq.heappop(self._heap)
            if task.timer and task.due > self.clock.now and all(t.timer for t in self._heap):
                waiting.append(task)  # nothing else will move the clock past it
                continue
            if task.due > self.clock.now:
                self.clock.now = task.due
                if self.on_time_passed is not None:
                    self.on_time_passed()
            task.apply()
            done += 1
        for task in waiting:
            heapq.heappush(self._heap, task)
        return done
