"""``rescue`` (200 with the rescue ``adminPass``), ``unrescue`` and ``changePassword``
(202, no body)."""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import bodiless, password, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import GENERIC, refusals
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models.compute_api import ComputeAPI


@refusals("rescue")
def rescue(call: Call, server_id: str) -> Reply:
    validate(schemas.RESCUE, call.body)
    options = call.body["rescue"] or {}
    admin_pass = password(call, options.get("adminPass"), "rescue-password", server_id)
    server = server_for(call, server_id, rules.RESCUE)
    call.compute.rescue(call.actor, server, options.get("rescue_image_ref"))
    return Reply({"adminPass": admin_pass})


unrescue = bodiless("unrescue", rules.UNRESCUE, ComputeAPI.unrescue)


@refusals("changePassword", locked=GENERIC)
def change_password(call: Call, server_id: str) -> Reply:
    validate(schemas.CHANGE_PASSWORD, call.body)
    server = server_for(call, server_id, rules.ADMIN_PASSWORD)
    call.compute.set_admin_password(call.actor, server)
    return Reply(None, 202)
