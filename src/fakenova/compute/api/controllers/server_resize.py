"""The resize actions: ``resize``, ``confirmResize`` and ``revertResize``.

Each validates its body, finds the server as the caller may see it, asks policy, then hands
over to :mod:`fakenova.compute.models.resizes`; the model's refusals become Nova's 400 and 409
answers here, with Nova's words (the lock and state ones through
:func:`~fakenova.compute.api.controllers.action_support.refusals`, as for every action).
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.controllers.action_support import refusals
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import project_server
from fakenova.compute.api.faults import bad_request, conflict
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.schemas import server_moves as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import moves, resizes

NOT_RESIZED = "Instance has not been resized."


def requester(call: Call) -> moves.Requester:
    """The instance action is recorded under the request id this request answers with."""
    ctx = call.context
    return moves.Requester(ctx.request_id, ctx.user_id, ctx.project_id)


def resize(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.RESIZE, body)
    fields = body["resize"]
    disk_config = fields.get("OS-DCF:diskConfig")
    server = project_server(call, server_id)
    call.authorize(SERVERS + "resize", server.project_id)
    with refusals("resize", server_id):
        try:
            resizes.resize(
                call.backend,
                server,
                requester(call),
                is_admin=call.context.is_admin,
                flavor_id=str(fields["flavorRef"]),
                auto_disk_config=None if disk_config is None else disk_config == "AUTO",
            )
        except resizes.ServiceUnavailable as e:
            raise conflict(str(e)) from e
        except (resizes.SameFlavor, resizes.FlavorNotFound) as e:
            raise bad_request(str(e)) from e
    return Reply(None, 202)


def confirm_resize(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.CONFIRM_RESIZE, body)
    server = project_server(call, server_id)
    call.authorize(SERVERS + "confirm_resize", server.project_id)
    with refusals("confirmResize", server_id):
        try:
            resizes.confirm(call.backend, server, requester(call), is_admin=call.context.is_admin)
        except resizes.NotResized as e:
            raise bad_request(NOT_RESIZED) from e
        except resizes.ServiceUnavailable as e:
            raise conflict(str(e)) from e
    return Reply(None, 204)


def revert_resize(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.REVERT_RESIZE, body)
    server = project_server(call, server_id)
    call.authorize(SERVERS + "revert_resize", server.project_id)
    with refusals("revertResize", server_id):
        try:
            resizes.revert(call.backend, server, requester(call), is_admin=call.context.is_admin)
        except resizes.NotResized as e:
            raise bad_request(NOT_RESIZED) from e
    return Reply(None, 202)
