"""``/servers/{id}/migrations``: a server's in-progress live migrations (2.23), forcing one
to complete (2.22, an action on the migration) and aborting it (2.24; from 2.65 also while
queued or preparing).

Nova finds the server first (404), then asks policy on its project (403).
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_actions import action_name
from fakenova.compute.api.faults import GENERIC, bad_request, not_found, refusals
from fakenova.compute.api.policy import SERVER_MIGRATIONS
from fakenova.compute.api.validation import check_query, validate
from fakenova.compute.api.views.migrations import MigrationView
from fakenova.compute.models.servers.records import Server

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
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVER_MIGRATIONS + rule, server.project_id)
    return server


def index(call: Call, server_id: str) -> Reply:
    _since(call, "2.23")
    if call.version.at_least("2.102"):
        check_query(call.request.GET, ())
    server = _server(call, server_id, "index")
    target = {"project_id": server.project_id}
    hosts = call.policy.allows(call.context, SERVER_MIGRATIONS + "index:host", target)
    view = MigrationView(call.version, call.backend, call.links, hosts)
    running = call.compute.live_migrations_in_progress(server)
    return Reply({"migrations": [view.of_server(m) for m in running]})


def show(call: Call, server_id: str, migration_id: str) -> Reply:
    _since(call, "2.23")
    if call.version.at_least("2.102"):
        check_query(call.request.GET, ())
    server = _server(call, server_id, "show")
    migration = call.compute.live_migration(server, migration_id)
    view = MigrationView(call.version, call.backend, call.links, True)
    return Reply({"migration": view.of_server(migration)})


@refusals("abort live migration", state=GENERIC, locked=GENERIC)
def delete(call: Call, server_id: str, migration_id: str) -> Reply:
    """Abort: a wrong server state is Nova's generic 409, a missing migration a 404."""
    _since(call, "2.24")
    server = _server(call, server_id, "delete")
    queued_too = call.version.at_least("2.65")
    call.compute.abort_live_migration(call.actor, server, migration_id, queued_too=queued_too)
    return Reply(None, 202)


@refusals("force_complete", state=GENERIC)
def action(call: Call, server_id: str, migration_id: str) -> Reply:
    """``POST .../migrations/{id}/action``: ``force_complete`` is its only action."""
    name = action_name(call)
    if name != "force_complete":
        raise bad_request(f"There is no such action: {name}")
    _since(call, "2.22")
    validate(FORCE_COMPLETE, call.body)
    server = _server(call, server_id, "force_complete")
    call.compute.force_complete_live_migration(call.actor, server, migration_id)
    return Reply(None, 202)
