"""``POST /servers/{id}/action``: one route, dispatched on the body's only key.

Nova registers each action (``pause``, ``reboot``, ``resize`` ...) on the servers resource and
picks it by peeking at the body, before any schema or policy check: a body that is not JSON,
or has other than exactly one key, is a 400 "Malformed request body"; an unknown key is a 400
"There is no such action: <key>"; an action asked for below the microversion that introduced
it is a bare 404, as if the method did not exist.

To add actions, write a handler ``def handler(call: Call, server_id: str) -> Reply`` in a
module of this package (one module per family of actions: ``server_power``, ``server_resize``
...), decorated with :func:`~fakenova.compute.api.faults.refusals` when it can refuse a
state, and name it in :data:`ACTIONS`. ``call.body`` is the whole decoded request body,
which the handler validates with its own per-microversion schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fakenova.compute.api.controllers import (
    floating_ips,
    security_groups,
    server_admin,
    server_consoles,
    server_deleted,
    server_images,
    server_lock,
    server_migrate,
    server_power,
    server_rebuild,
    server_rescue,
    server_resize,
    server_shelve,
)
from fakenova.compute.api.controllers.base import Call, Reply, finds_its_method
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.microversions import Version

MALFORMED = "Malformed request body"


@dataclass(frozen=True)
class Action:
    """An action's handler and the microversion range it exists in (``last`` included;
    None: still there in 2.104)."""

    handler: Callable[[Call, str], Reply]
    first: str = "2.1"
    last: str | None = None


ACTIONS: dict[str, Action] = {
    "reboot": Action(server_power.reboot),
    "addSecurityGroup": Action(security_groups.add),
    "removeSecurityGroup": Action(security_groups.remove),
    "addFloatingIp": Action(floating_ips.add, last="2.43"),
    "removeFloatingIp": Action(floating_ips.remove, last="2.43"),
    "pause": Action(server_power.pause),
    "unpause": Action(server_power.unpause),
    "suspend": Action(server_power.suspend),
    "resume": Action(server_power.resume),
    "os-start": Action(server_power.start),
    "os-stop": Action(server_power.stop),
    "trigger_crash_dump": Action(server_power.trigger_crash_dump, first="2.17"),
    "lock": Action(server_lock.lock),
    "unlock": Action(server_lock.unlock),
    "rebuild": Action(server_rebuild.rebuild),
    "rescue": Action(server_rescue.rescue),
    "unrescue": Action(server_rescue.unrescue),
    "changePassword": Action(server_rescue.change_password),
    "createImage": Action(server_images.create_image),
    "createBackup": Action(server_images.create_backup),
    "restore": Action(server_deleted.restore),
    "forceDelete": Action(server_deleted.force_delete),
    "shelve": Action(server_shelve.shelve),
    "shelveOffload": Action(server_shelve.shelve_offload),
    "unshelve": Action(server_shelve.unshelve),
    "os-resetState": Action(server_admin.reset_state),
    "injectNetworkInfo": Action(server_admin.inject_network_info),
    "resetNetwork": Action(server_admin.reset_network),
    "resize": Action(server_resize.resize),
    "confirmResize": Action(server_resize.confirm_resize),
    "revertResize": Action(server_resize.revert_resize),
    "migrate": Action(server_migrate.migrate),
    "os-migrateLive": Action(server_migrate.migrate_live),
    "evacuate": Action(server_migrate.evacuate),
    "os-getConsoleOutput": Action(server_consoles.get_console_output),
    "os-getVNCConsole": Action(server_consoles.get_vnc_console, last="2.5"),
    "os-getSPICEConsole": Action(server_consoles.get_spice_console, last="2.5"),
    "os-getSerialConsole": Action(server_consoles.get_serial_console, last="2.5"),
    "os-getRDPConsole": Action(server_consoles.get_rdp_console, last="2.5"),
}


def action_name(call: Call) -> str:
    """Nova's peek at the body: exactly one key, or why not."""
    if not call.request.body:
        raise bad_request(MALFORMED)
    try:  # Nova counts the keys (a list's items, a string's letters) before it asks for them
        if len(call.body) != 1:
            raise bad_request(MALFORMED)
        return str(next(iter(call.body.keys())))
    except (AttributeError, TypeError) as e:  # not an object: Nova finds no method
        raise not_found("The resource could not be found.") from e


@finds_its_method
def action(call: Call, server_id: str) -> Reply:
    """The route's handler: find the action, then let it check everything else."""
    name = action_name(call)
    found = ACTIONS.get(name)
    if found is None:
        raise bad_request(f"There is no such action: {name}")
    call.check_url_project()  # then Nova calls the method, which knows its microversions
    if not call.version.at_least(found.first) or (
        found.last is not None and Version.parse(found.last) < call.version
    ):
        raise not_found("The resource could not be found.")
    return found.handler(call, server_id)
