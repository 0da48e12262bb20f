"""Power actions: ``pause``, ``unpause``, ``suspend``, ``resume``, ``os-start``, ``os-stop``,
``reboot`` and ``trigger_crash_dump`` (2.17). Each answers 202 with no body."""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import bodiless, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models.compute_api import ComputeAPI


def accepted() -> Reply:
    return Reply(None, 202)


pause = bodiless("pause", rules.PAUSE_SERVER + "pause", ComputeAPI.pause)
unpause = bodiless("unpause", rules.PAUSE_SERVER + "unpause", ComputeAPI.unpause)
suspend = bodiless("suspend", rules.SUSPEND_SERVER + "suspend", ComputeAPI.suspend)
resume = bodiless("resume", rules.SUSPEND_SERVER + "resume", ComputeAPI.resume)
start = bodiless("start", rules.SERVERS + "start", ComputeAPI.start)
stop = bodiless("stop", rules.SERVERS + "stop", ComputeAPI.stop)


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
