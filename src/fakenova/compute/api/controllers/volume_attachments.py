"""``GET /servers/{id}/os-volume_attachments`` and ``.../{volume_id}``: list and show.

The fake has no block storage service, so a server has no volumes: the list is empty (after
its ``limit`` and ``offset`` are checked: unknown parameters are refused from 2.75) and any
volume id is not attached (the show checks neither the id nor its query). Attach, update and
detach are not offered.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import VOLUME_ATTACHMENTS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import small_routes as schemas
from fakenova.compute.api.validation import validate


def index(call: Call, server_id: str) -> Reply:
    query = call.request.GET
    validate(pick(schemas.VOLUME_ATTACHMENTS, call.version), query.dict_of_lists(), query=True)
    server = call.compute.get(call.actor, server_id)
    call.authorize(VOLUME_ATTACHMENTS + "index", server.project_id)
    offset = int(query.get("offset") or 0)
    limit = min(call.compute.max_limit, int(query.get("limit") or 0) or call.compute.max_limit)
    found: list[Any] = call.compute.volume_attachments(server)[offset : offset + limit]
    return Reply({"volumeAttachments": found})


def show(call: Call, server_id: str, volume_id: str) -> Reply:
    server = call.compute.get(call.actor, server_id)
    call.authorize(VOLUME_ATTACHMENTS + "show", server.project_id)
    return Reply({"volumeAttachment": call.compute.volume_attachment(server_id, server, volume_id)})
