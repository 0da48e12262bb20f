"""Power actions: pause, suspend, stop, start, reboot, crash dump (and their undoing).

Each is Nova's compute API method in one table row: the vm_states it accepts, the task state it
sets, the event the host records, and the state the host leaves. Power states are the ones a
libvirt host reports (paused guests are PAUSED, suspended ones saved to disk are SHUTDOWN).
"""

from __future__ import annotations

from dataclasses import dataclass

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import (
    ACTIVE,
    ERROR,
    PAUSED,
    RESCUED,
    RESIZED,
    STOPPED,
    SUSPENDED,
    PowerState,
)

# task_states.ALLOW_REBOOT: a hard reboot may interrupt these.
ALLOW_HARD_REBOOT_TASKS = (
    None, "rebooting", "reboot_pending", "reboot_started", "resuming", "rebooting_hard",
    "unpausing", "pausing", "suspending",
)  # fmt: skip


@dataclass(frozen=True)
class PowerAction:
    action: str  # the instance action's name
    states: States
    task_state: str | None  # set by the API
    event: str
    seconds: float  # how long the host takes
    vm_state: str  # what the host leaves
    power_state: PowerState
    needs_host: bool = False  # Nova's check_instance_host


RUNNING, SHUTDOWN = PowerState.RUNNING, PowerState.SHUTDOWN
# Nova's API methods as rows: the action, the vm_states it accepts, the task state the API sets,
# the host's event and how long it takes, the vm_state and power state the host leaves.
_ROWS = [
    ("pause", [ACTIVE], "pausing", "compute_pause_instance", 2, PAUSED, PowerState.PAUSED),
    ("unpause", [PAUSED], "unpausing", "compute_unpause_instance", 2, ACTIVE, RUNNING),
    ("suspend", [ACTIVE], "suspending", "compute_suspend_instance", 3, SUSPENDED, SHUTDOWN),
    ("resume", [SUSPENDED], "resuming", "compute_resume_instance", 3, ACTIVE, RUNNING),
    ("stop", [ACTIVE, ERROR], "powering-off", "compute_stop_instance", 3, STOPPED, SHUTDOWN),
    ("start", [STOPPED], "powering-on", "compute_start_instance", 3, ACTIVE, RUNNING),
    ("reboot", [ACTIVE], "rebooting", "compute_reboot_instance", 5, ACTIVE, RUNNING),
]  # fmt: skip
# In the order of the rows; start and stop need a host (Nova's check_instance_host).
PAUSE, UNPAUSE, SUSPEND, RESUME, STOP, START, SOFT_REBOOT = (
    PowerAction(name, States.of(vm), task, event, seconds, after, power, name in ("stop", "start"))
    for name, vm, task, event, seconds, after, power in _ROWS
)
HARD_REBOOT = PowerAction(
    "reboot", States.of([ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR], ALLOW_HARD_REBOOT_TASKS),
    "rebooting_hard", "compute_reboot_instance", 4, ACTIVE, RUNNING,
)  # fmt: skip
CRASH_DUMP_STATES = States.of([ACTIVE, PAUSED, RESCUED, RESIZED, ERROR])


def run(backend: ComputeBackend, server: Server, actor: Actor, what: PowerAction) -> None:
    """Check as Nova does (lock, host, states), mark the task, let the host finish."""
    flow.check_lock(server, actor)
    if what.needs_host:
        flow.check_host(server)
    flow.check_states(server, what.states)
    if what.action == "stop":
        server.progress = 0
    record = flow.begin(backend, server, actor, what.action, what.task_state)

    def done() -> None:
        server.vm_state = what.vm_state
        server.task_state = None
        server.power_state = what.power_state

    flow.on_host(backend, server, record, what.event, what.seconds, done)


def reboot(backend: ComputeBackend, server: Server, actor: Actor, hard: bool) -> None:
    """The lock is checked before the reboot type's own states (Nova's order)."""
    run(backend, server, actor, HARD_REBOOT if hard else SOFT_REBOOT)


def trigger_crash_dump(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    """An NMI to the guest: recorded, but no state changes (the guest's kernel takes over)."""
    flow.check_lock(server, actor)
    flow.check_host(server)
    flow.check_states(server, CRASH_DUMP_STATES)
    record = flow.begin(backend, server, actor, "trigger_crash_dump", None)
    flow.on_host(
        backend, server, record, "compute_trigger_crash_dump", 1, lambda: None, touch=False
    )
