"""``rescue`` (200 with the rescue ``adminPass``), ``unrescue`` and ``changePassword``
(202, no body)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import (
    actor,
    password,
    refusals,
    server_for,
)
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import rescue as model


def rescue(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.RESCUE, body)
    options = body["rescue"] or {}
    admin_pass = password(call, options.get("adminPass"), "rescue-password", server_id)
    server = server_for(call, server_id, rules.RESCUE)
    who = actor(call)
    with refusals("rescue", server_id):
        model.check_rescue(server, who)
    image = options.get("rescue_image_ref")
    if image is not None and (
        call.backend.images is None or call.backend.images.get(image) is None
    ):
        raise bad_request(f"Requested rescue image '{image}' is not supported")
    with refusals("rescue", server_id):
        model.rescue(call.backend, server, who)
    return Reply({"adminPass": admin_pass})


def unrescue(call: Call, server_id: str, body: Any) -> Reply:
    server = server_for(call, server_id, rules.UNRESCUE)
    with refusals("unrescue", server_id):
        model.unrescue(call.backend, server, actor(call))
    return Reply(None, 202)


def change_password(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.CHANGE_PASSWORD, body)
    server = server_for(call, server_id, rules.ADMIN_PASSWORD)
    with refusals("changePassword", server_id, lock_as_state=True):
        model.change_password(call.backend, server, actor(call))
    return Reply(None, 202)
