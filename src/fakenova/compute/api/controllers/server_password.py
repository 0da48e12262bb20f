"""``/servers/{id}/os-server-password``: the encrypted password a guest posted to the
metadata service (GET, empty when none was posted) and its removal (DELETE, 204). The read
refuses unknown query parameters from 2.102; the removal never checks its query."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import SERVER_PASSWORD
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate


def show(call: Call, server_id: str) -> Reply:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVER_PASSWORD + "show", server.project_id)
    return Reply({"password": call.compute.server_password(server)})


def clear(call: Call, server_id: str) -> Reply:
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVER_PASSWORD + "clear", server.project_id)
    call.compute.clear_server_password(call.actor, server)
    return Reply(None, 204)
