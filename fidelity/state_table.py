"""``python -m fidelity.state_table``: the fake's status table against Nova's own functions.

The server status a user sees is computed from (vm_state, task_state). Rather than restating
Nova's table in a test, ask Nova: for every vm_state and task_state Nova 34 defines (and no
task at all), Nova's ``status_from_state`` and the fake's ``status_for`` must agree, and so
must the states a ``status=`` filter selects. Runs in the fidelity env, where Nova is
installed; exits 1 on the first disagreement, listing all of them.
"""

from __future__ import annotations

import logging
import sys


def _constants(module: object) -> list[str]:
    return sorted(
        {
            value
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, str) and not name.startswith("_")
        }
    )


def main() -> int:
    logging.disable(logging.CRITICAL)  # Nova logs an error for each UNKNOWN pair it maps
    from nova.api.openstack import common
    from nova.compute import task_states, vm_states

    from fakenova.compute.models.servers import states

    vm_values, task_values = _constants(vm_states), _constants(task_states)
    wrong = [
        f"status of ({vm!r}, {task!r}): Nova {nova!r}, fake {fake!r}"
        for vm in vm_values
        for task in [None, *task_values]
        if (nova := common.status_from_state(vm, task if task is not None else "default"))
        != (fake := states.status_for(vm, task))
    ]
    statuses = sorted({common.status_from_state(vm) for vm in vm_values} | {"REBOOT", "RESIZE"})
    for status in statuses:
        nova_vm, nova_task = common.task_and_vm_state_from_status([status])
        fake_vm, fake_task = states.states_for_status(status)
        # Both are sets of states to select (Nova's come from sets; no task is "default").
        nova_sel = (sorted(set(nova_vm)), sorted({t or "default" for t in nova_task}))
        fake_sel = (sorted(set(fake_vm)), sorted({t or "default" for t in fake_task}))
        if nova_sel != fake_sel:
            wrong.append(f"status={status}: Nova selects {nova_sel}, fake {fake_sel}")
    pairs = len(vm_values) * (len(task_values) + 1)
    print(f"state table: {pairs} (vm_state, task_state) pairs and {len(statuses)} status filters")
    for line in wrong:
        print(f"  DIFFERENT {line}")
    print("state table: " + ("matches Nova 34" if not wrong else f"{len(wrong)} differences"))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
