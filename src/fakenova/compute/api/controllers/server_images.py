"""``createImage`` and ``createBackup``: 202 and where the new image is.

Below 2.45 the answer has no body: ``createImage`` gives the image's Glance URL in
``Location``, ``createBackup`` a URL below the compute API (and none at all with rotation 0).
From 2.45 both answer ``{"image_id": ...}`` instead. Neither checks the lock.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate

# What webob answers for a bare 202 (Nova builds these responses itself, without a body).
BARE = {"Content-Type": "text/html; charset=UTF-8"}


@refusals("createImage")
def create_image(call: Call, server_id: str) -> Reply:
    validate(schemas.CREATE_IMAGE, call.body)
    server = server_for(call, server_id, rules.SERVERS + "create_image")
    entity = call.body["createImage"]
    image = call.compute.snapshot(
        call.actor, server, entity["name"].strip(), entity.get("metadata", {})
    )
    if call.version.at_least("2.45"):
        return Reply({"image_id": image.id}, 202)
    glance = call.request.host_url + "/image"
    return Reply(None, 202, {**BARE, "Location": f"{glance}/images/{image.id}"})


@refusals("createBackup")
def create_backup(call: Call, server_id: str) -> Reply:
    validate(schemas.CREATE_BACKUP, call.body)
    server = server_for(call, server_id, rules.CREATE_BACKUP)
    entity = call.body["createBackup"]
    rotation = int(entity["rotation"])
    image = call.compute.backup(
        call.actor,
        server,
        entity["name"].strip(),
        entity["backup_type"],
        rotation,
        entity.get("metadata", {}),
    )
    if call.version.at_least("2.45"):
        return Reply({"image_id": image.id}, 202)
    if rotation == 0:
        return Reply(None, 202, dict(BARE))
    compute = call.request.host_url + call.request.script_name + "/v2.1"
    return Reply(None, 202, {**BARE, "Location": f"{compute}/images/{image.id}"})
