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
from fakenova.compute.api.controllers.action_support import refusals
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import project_server
from fakenova.compute.api.controllers.server_resize import requester
from fakenova.compute.api.faults import bad_request, conflict, not_found
from fakenova.compute.api.policy import EVACUATE, MIGRATE
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import server_moves as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import evacuations, live_migrations, moves, resizes

NO_FORCE_WITHOUT_HOST = "Can't force to a non-provided destination"


def migrate(call: Call, server_id: str, body: Any) -> Reply:
    validate(pick(schemas.MIGRATE, call.version), body)
    server = project_server(call, server_id)
    host = None
    if call.version.at_least("2.56") and body["migrate"] is not None:
        host = body["migrate"].get("host")
    call.authorize(MIGRATE + ("migrate:host" if host else "migrate"), server.project_id)
    with refusals("migrate", server_id):
        try:
            resizes.resize(
                call.backend, server, requester(call), is_admin=call.context.is_admin, host=host
            )
        except resizes.ServiceUnavailable as e:
            raise conflict(str(e)) from e
        except (moves.ComputeHostNotFound, resizes.CannotMigrateToSameHost) as e:
            raise bad_request(str(e)) from e
    return Reply(None, 202)


def migrate_live(call: Call, server_id: str, body: Any) -> Reply:
    validate(pick(schemas.MIGRATE_LIVE, call.version), body)
    server = project_server(call, server_id)
    fields = body["os-migrateLive"]
    host = fields["host"]
    call.authorize(MIGRATE + ("migrate_live:host" if host else "migrate_live"), server.project_id)
    force = False
    if call.version.at_least("2.30"):
        force = strutils.bool_from_string(fields.get("force", False), strict=True)
        if force and not host:
            raise bad_request(NO_FORCE_WITHOUT_HOST)
    with refusals("os-migrateLive", server_id):
        try:
            live_migrations.live_migrate(
                call.backend,
                server,
                requester(call),
                is_admin=call.context.is_admin,
                host=host,
                force=force,
                asynchronous=call.version.at_least("2.34"),
            )
        except live_migrations.NoValidHost as e:
            raise bad_request(e.message) from e
        except moves.ComputeHostNotFound as e:
            raise bad_request(str(e)) from e
    return Reply(None, 202)


def evacuate(call: Call, server_id: str, body: Any) -> Reply:
    v = call.version
    validate(pick(schemas.EVACUATE, v), body)
    server = project_server(call, server_id)
    call.authorize(EVACUATE, server.project_id)
    fields = body["evacuate"]
    host = fields.get("host")
    shared = None if v.at_least("2.14") else strutils.bool_from_string(fields["onSharedStorage"])
    force = False
    if v.at_least("2.29"):
        force = strutils.bool_from_string(fields.get("force", False), strict=True)
        if force and not host:
            raise bad_request(NO_FORCE_WITHOUT_HOST)
    password = _password(call, server.uuid, fields, shared)
    if host is not None and host not in call.backend.hosts:
        raise not_found(f"Compute host {host} not found.")
    if server.host == host:
        raise bad_request("The target host can't be the same one.")
    with refusals("evacuate", server_id):
        try:
            evacuations.evacuate(
                call.backend,
                server,
                requester(call),
                host=host,
                force=force,
                stopped=v.at_least("2.95"),
            )
        except evacuations.ComputeServiceInUse as e:
            raise bad_request(str(e)) from e
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
