"""``/servers/{id}/migrations``: a server's in-progress live migrations (2.23), forcing one
to complete (2.22, an action on the migration) and aborting it (2.24; from 2.65 also while
queued or preparing).

Nova finds the server first (404), then asks policy on its project (403).
"""

from __future__ import annotations

import json
from typing import Any

from fakenova.compute.api.controllers.action_support import actor
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.instance_actions import _validate_query
from fakenova.compute.api.controllers.server_actions import _action_name
from fakenova.compute.api.controllers.server_lookup import project_server
from fakenova.compute.api.controllers.server_resize import requester
from fakenova.compute.api.faults import bad_request, conflict, not_found
from fakenova.compute.api.policy import SERVER_MIGRATIONS
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.migrations import LIVE_IN_PROGRESS, MigrationView
from fakenova.compute.models import live_migrations, moves
from fakenova.compute.models import migrations as mig
from fakenova.compute.models.servers import Server

NOT_FOUND = "The resource could not be found."
FORCE_COMPLETE = {
    "type": "object",
    "properties": {"force_complete": {"type": "null"}},
    "required": ["force_complete"],
    "additionalProperties": False,
}


def _since(call: Call, first: str) -> None:
    if not call.version.at_least(first):
        raise not_found(NOT_FOUND)


def _server(call: Call, server_id: str, rule: str) -> Server:
    server = project_server(call, server_id)
    call.authorize(SERVER_MIGRATIONS + rule, server.project_id)
    return server


def _view(call: Call, server: Server, with_hosts: bool) -> MigrationView:
    return MigrationView(call.version, call.backend, call.links, with_hosts)


def index(call: Call, server_id: str) -> Reply:
    _since(call, "2.23")
    if call.version.at_least("2.102"):
        _validate_query(call, ())
    server = _server(call, server_id, "index")
    target = {"project_id": server.project_id}
    hosts = call.policy.allows(call.context, SERVER_MIGRATIONS + "index:host", target)
    view = _view(call, server, hosts)
    running = [
        m
        for m in call.backend.migrations
        if m.instance_uuid == server.uuid
        and m.migration_type == mig.LIVE
        and m.status in LIVE_IN_PROGRESS
    ]
    return Reply({"migrations": [view.of_server(m) for m in running]})


def show(call: Call, server_id: str, migration_id: str) -> Reply:
    _since(call, "2.23")
    if call.version.at_least("2.102"):
        _validate_query(call, ())
    server = _server(call, server_id, "show")
    try:
        migration = live_migrations.migration_of(call.backend, server, migration_id)
    except live_migrations.MigrationNotFoundForInstance as e:
        raise not_found(
            f"In-progress live migration {migration_id} is not found for server {server_id}."
        ) from e
    if migration.migration_type != mig.LIVE:
        raise not_found(f"Migration {migration_id} for server {server_id} is not live-migration.")
    if migration.status not in LIVE_IN_PROGRESS:
        raise not_found(f"Live migration {migration_id} for server {server_id} is not in progress.")
    return Reply({"migration": _view(call, server, True).of_server(migration)})


def delete(call: Call, server_id: str, migration_id: str) -> Reply:
    """Abort: a wrong server state is Nova's generic 409, a missing migration a 404."""
    _since(call, "2.24")
    server = _server(call, server_id, "delete")
    try:
        live_migrations.abort_live_migration(
            call.backend,
            server,
            migration_id,
            requester(call),
            is_admin=actor(call).is_admin,
            queued_too=call.version.at_least("2.65"),
        )
    except (moves.InvalidState, moves.InstanceIsLocked) as e:
        raise conflict(
            f"Instance {server_id} is in an invalid state for 'abort live migration'"
        ) from e
    except live_migrations.MigrationNotFoundForInstance as e:
        raise not_found(str(e)) from e
    except live_migrations.InvalidMigrationState as e:
        raise bad_request(str(e)) from e
    return Reply(None, 202)


def action(call: Call, server_id: str, migration_id: str) -> Reply:
    """``POST .../migrations/{id}/action``: ``force_complete`` is its only action."""
    name = _action_name(call.request.body)
    if name != "force_complete":
        raise bad_request(f"There is no such action: {name}")
    _since(call, "2.22")
    body: Any = json.loads(call.request.body)
    validate(FORCE_COMPLETE, body)
    server = _server(call, server_id, "force_complete")
    try:
        live_migrations.force_complete(
            call.backend, server, migration_id, requester(call), is_admin=actor(call).is_admin
        )
    except moves.InstanceIsLocked as e:
        raise conflict(str(e)) from e
    except moves.InvalidState as e:
        raise conflict(f"Instance {server_id} is in an invalid state for 'force_complete'") from e
    except (
        live_migrations.MigrationNotFoundForInstance,
        live_migrations.InvalidMigrationState,
    ) as e:
        raise bad_request(str(e)) from e
    return Reply(None, 202)
