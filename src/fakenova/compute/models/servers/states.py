"""vm_state, task_state and power_state values, and the status a user sees for each pair.

The status table is Nova's public contract (the API guide lists it); an unknown pair shows
``UNKNOWN`` as in Nova.
"""

from __future__ import annotations

from enum import IntEnum

ACTIVE, BUILDING, STOPPED, RESIZED, PAUSED = "active", "building", "stopped", "resized", "paused"
SUSPENDED, RESCUED, ERROR, DELETED = "suspended", "rescued", "error", "deleted"
SOFT_DELETED, SHELVED, SHELVED_OFFLOADED = "soft-delete", "shelved", "shelved_offloaded"

_REBOOT = {"rebooting", "reboot_pending", "reboot_started"}
_HARD_REBOOT = {"rebooting_hard", "reboot_pending_hard", "reboot_started_hard"}
_REBUILD = {"rebuilding", "rebuild_block_device_mapping", "rebuild_spawning"}
_RESIZE = {"resize_prep", "resize_migrating", "resize_migrated", "resize_finish"}


def _with(tasks: set[str], status: str) -> dict[str, str]:
    return dict.fromkeys(tasks, status)


STATUS_BY_STATE: dict[str, dict[str | None, str]] = {
    ACTIVE: {
        None: "ACTIVE",
        **_with(_REBOOT, "REBOOT"),
        **_with(_HARD_REBOOT, "HARD_REBOOT"),
        "updating_password": "PASSWORD",
        **_with(_REBUILD, "REBUILD"),
        "migrating": "MIGRATING",
        **_with(_RESIZE, "RESIZE"),
    },
    BUILDING: {None: "BUILD"},
    STOPPED: {None: "SHUTOFF", **_with(_RESIZE, "RESIZE"), **_with(_REBUILD, "REBUILD")},
    RESIZED: {None: "VERIFY_RESIZE", "resize_reverting": "REVERT_RESIZE"},
    PAUSED: {None: "PAUSED", "migrating": "MIGRATING"},
    SUSPENDED: {None: "SUSPENDED"},
    RESCUED: {None: "RESCUE"},
    ERROR: {None: "ERROR", **_with(_REBUILD, "REBUILD")},
    DELETED: {None: "DELETED"},
    SOFT_DELETED: {None: "SOFT_DELETED"},
    SHELVED: {None: "SHELVED"},
    SHELVED_OFFLOADED: {None: "SHELVED_OFFLOADED"},
}


def status_for(vm_state: str, task_state: str | None) -> str:
    """The API status for a (vm_state, task_state) pair, as the server views show it."""
    tasks = STATUS_BY_STATE.get(vm_state)
    if tasks is None:
        return "UNKNOWN"
    return tasks.get(task_state, tasks[None])


def states_for_status(status: str) -> tuple[list[str], list[str | None]]:
    """The vm_states and task_states a ``status=`` filter selects (empty when unknown)."""
    vm_states: list[str] = []
    task_states: list[str | None] = []
    for vm_state, tasks in STATUS_BY_STATE.items():
        for task, shown in tasks.items():
            if shown != status.upper():
                continue
            if task is None:
                vm_states.append(vm_state)
                task_states.append("default")
            else:
                vm_states.append(vm_state)
                task_states.append(task)
    return sorted(set(vm_states)), task_states


class PowerState(IntEnum):
    NOSTATE = 0
    RUNNING = 1
    PAUSED = 3
    SHUTDOWN = 4
    CRASHED = 6
    SUSPENDED = 7
