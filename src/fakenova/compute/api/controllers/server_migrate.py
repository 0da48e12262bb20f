"""The admin moves: ``migrate`` (cold), ``os-migrateLive`` and ``evacuate``.

The microversion decides what a body may say (a target ``host`` for ``migrate`` from 2.56,
``block_migration: auto`` from 2.25, ``force`` from 2.29/2.30 until 2.67, no
``onSharedStorage`` from 2.14, a stopped evacuee from 2.95) and whether a live migration's
scheduling is waited for (below 2.34, so that its failure is the API's 400).
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils

from fakenova.compute.api.controllers.action_support import password as generated_password
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, refusals
from fakenova.compute.api.policy import EVACUATE, MIGRATE
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import server_moves as schemas
from fakenova.compute.api.validation import validate

NO_FORCE_WITHOUT_HOST = "Can't force to a non-provided destination"


@refusals("migrate")
def migrate(call: Call, server_id: str) -> Reply:
    body = call.body
    validate(pick(schemas.MIGRATE, call.version), body)
    server = call.compute.get(call.actor, server_id)
    host = None
    if call.version.at_least("2.56") and body["migrate"] is not None:
        host = body["migrate"].get("host")
    call.authorize(MIGRATE + ("migrate:host" if host else "migrate"), server.project_id)
    call.compute.migrate(call.actor, server, host)
    return Reply(None, 202)


@refusals("os-migrateLive")
def migrate_live(call: Call, server_id: str) -> Reply:
    validate(pick(schemas.MIGRATE_LIVE, call.version), call.body)
    server = call.compute.get(call.actor, server_id)
    fields = call.body["os-migrateLive"]
    host = fields["host"]
    call.authorize(MIGRATE + ("migrate_live:host" if host else "migrate_live"), server.project_id)
    force = False
    if call.version.at_least("2.30"):
        force = strutils.bool_from_string(fields.get("force", False), strict=True)
        if force and not host:
            raise bad_request(NO_FORCE_WITHOUT_HOST)
    asynchronous = call.version.at_least("2.34")
    call.compute.live_migrate(call.actor, server, host, force=force, asynchronous=asynchronous)
    return Reply(None, 202)


@refusals("evacuate")
def evacuate(call: Call, server_id: str) -> Reply:
    v = call.version
    validate(pick(schemas.EVACUATE, v), call.body)
    server = call.compute.get(call.actor, server_id)
    call.authorize(EVACUATE, server.project_id)
    fields = call.body["evacuate"]
    host = fields.get("host")
    shared = None if v.at_least("2.14") else strutils.bool_from_string(fields["onSharedStorage"])
    force = False
    if v.at_least("2.29"):
        force = strutils.bool_from_string(fields.get("force", False), strict=True)
        if force and not host:
            raise bad_request(NO_FORCE_WITHOUT_HOST)
    password = _password(call, server.uuid, fields, shared)
    call.compute.evacuate(call.actor, server, host, force=force, stopped=v.at_least("2.95"))
    if v.at_least("2.14"):
        return Reply(None, 200)
    return Reply({"adminPass": password}, 200)


def _password(call: Call, uuid: str, fields: dict[str, Any], shared: bool | None) -> str | None:
    """The new server's password: the one asked for, else a generated one (none on shared
    storage before 2.14, where the disk and its password are kept)."""
    if "adminPass" in fields:
        if shared:
            raise bad_request("admin password can't be changed on existing disk")
        return str(fields["adminPass"])
    if shared:
        return None
    return generated_password(call, None, "password", f"evacuate {uuid}")
