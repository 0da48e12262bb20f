"""Power actions: ``pause``, ``unpause``, ``suspend``, ``resume``, ``os-start``, ``os-stop``,
``reboot`` and ``trigger_crash_dump`` (2.17). Each answers 202 with no body."""

from __future__ import annotations

from collections.abc import Callable

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.servers.records import Server


def accepted() -> Reply:
    return Reply(None, 202)


def _power_action(
    action: str, rule: str, method: Callable[[ComputeAPI, Actor, Server], None]
) -> Callable[[Call, str], Reply]:
    """A handler for an action with no body to read: find, authorize, call ``method``."""

    @refusals(action)
    def handler(call: Call, server_id: str) -> Reply:
        method(call.compute, call.actor, server_for(call, server_id, rule))
        return accepted()

    handler.__name__ = handler.__qualname__ = method.__name__
    return handler


pause = _power_action("pause", rules.PAUSE_SERVER + "pause", ComputeAPI.pause)
unpause = _power_action("unpause", rules.PAUSE_SERVER + "unpause", ComputeAPI.unpause)
suspend = _power_action("suspend", rules.SUSPEND_SERVER + "suspend", ComputeAPI.suspend)
resume = _power_action("resume", rules.SUSPEND_SERVER + "resume", ComputeAPI.resume)
start = _power_action("start", rules.SERVERS + "start", ComputeAPI.start)
stop = _power_action("stop", rules.SERVERS + "stop", ComputeAPI.stop)


@refusals("reboot")
def reboot(call: Call, server_id: str) -> Reply:
    validate(schemas.REBOOT, call.body)
    hard = call.body["reboot"]["type"].upper() == "HARD"
    server = server_for(call, server_id, rules.SERVERS + "reboot")
    call.compute.reboot(call.actor, server, hard=hard)
    return accepted()


@refusals("trigger_crash_dump")
def trigger_crash_dump(call: Call, server_id: str) -> Reply:
    validate(schemas.CRASH_DUMP, call.body)
    server = server_for(call, server_id, rules.SERVERS + "trigger_crash_dump")
    call.compute.trigger_crash_dump(call.actor, server)
    return accepted()
