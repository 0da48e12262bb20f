"""Power actions: ``pause``, ``unpause``, ``suspend``, ``resume``, ``os-start``, ``os-stop``,
``reboot`` and ``trigger_crash_dump`` (2.17). Each answers 202 with no body."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import actor, refusals, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import power
from fakenova.compute.models.power import PowerAction


def accepted() -> Reply:
    return Reply(None, 202)


def _run(call: Call, server_id: str, rule: str, label: str, what: PowerAction) -> Reply:
    server = server_for(call, server_id, rule)
    with refusals(label, server_id):
        power.run(call.backend, server, actor(call), what)
    return accepted()


def pause(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.PAUSE_SERVER + "pause", "pause", power.PAUSE)


def unpause(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.PAUSE_SERVER + "unpause", "unpause", power.UNPAUSE)


def suspend(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.SUSPEND_SERVER + "suspend", "suspend", power.SUSPEND)


def resume(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.SUSPEND_SERVER + "resume", "resume", power.RESUME)


def start(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.SERVERS + "start", "start", power.START)


def stop(call: Call, server_id: str, body: Any) -> Reply:
    return _run(call, server_id, rules.SERVERS + "stop", "stop", power.STOP)


def reboot(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.REBOOT, body)
    hard = body["reboot"]["type"].upper() == "HARD"
    server = server_for(call, server_id, rules.SERVERS + "reboot")
    with refusals("reboot", server_id):
        power.reboot(call.backend, server, actor(call), hard)
    return accepted()


def trigger_crash_dump(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.CRASH_DUMP, body)
    server = server_for(call, server_id, rules.SERVERS + "trigger_crash_dump")
    with refusals("trigger_crash_dump", server_id):
        power.trigger_crash_dump(call.backend, server, actor(call))
    return accepted()
