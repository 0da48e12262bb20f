"""The resize actions: ``resize``, ``confirmResize`` and ``revertResize``.

Each validates its body, finds the server as the caller may see it, asks policy, then hands
over to the compute API; its refusals (Nova's 400s and 409s) carry their own status.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.schemas import server_moves as schemas
from fakenova.compute.api.validation import validate


@refusals("resize")
def resize(call: Call, server_id: str) -> Reply:
    validate(schemas.RESIZE, call.body)
    fields = call.body["resize"]
    disk_config = fields.get("OS-DCF:diskConfig")
    server = server_for(call, server_id, SERVERS + "resize")
    call.compute.resize(
        call.actor,
        server,
        str(fields["flavorRef"]),
        None if disk_config is None else disk_config == "AUTO",
    )
    return Reply(None, 202)


@refusals("confirmResize")
def confirm_resize(call: Call, server_id: str) -> Reply:
    validate(schemas.CONFIRM_RESIZE, call.body)
    call.compute.confirm_resize(call.actor, server_for(call, server_id, SERVERS + "confirm_resize"))
    return Reply(None, 204)


@refusals("revertResize")
def revert_resize(call: Call, server_id: str) -> Reply:
    validate(schemas.REVERT_RESIZE, call.body)
    call.compute.revert_resize(call.actor, server_for(call, server_id, SERVERS + "revert_resize"))
    return Reply(None, 202)
