"""``/servers/{id}/metadata``: read, merge, replace, and one key at a time.

Writes answer 200 (not 201) with the resulting metadata, as Nova always has. The server's
lock and vm_state are checked only when something would change; reads work in any state.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import project_server, request_body
from fakenova.compute.api.faults import ApiFault, bad_request, conflict, not_found
from fakenova.compute.api.policy import METADATA
from fakenova.compute.api.schemas.server_metadata import NO_QUERY, SET_ALL, SET_ONE
from fakenova.compute.api.validation import validate
from fakenova.compute.models import quotas, server_changes
from fakenova.compute.models.servers import Server


def _server(call: Call, server_id: str, action: str) -> Server:
    server = project_server(call, server_id)
    call.authorize(METADATA + action, server.project_id)
    return server


def _check_query(call: Call) -> None:
    if call.version.at_least("2.102"):
        validate(NO_QUERY, call.request.GET.dict_of_lists())


def _refused(error: Exception, action: str, server_id: str) -> ApiFault:
    if isinstance(error, quotas.QuotaExceeded):
        return ApiFault(error.code, error.message)
    if isinstance(error, server_changes.InvalidState):
        return conflict(
            f"Cannot '{action}' instance {server_id} while it is in {error.attr} {error.state}"
        )
    return conflict(str(error))  # locked


def _set(call: Call, server: Server, items: dict[str, str], replace: bool) -> dict[str, str]:
    try:
        return server_changes.set_metadata(
            call.backend, server, items, replace=replace, is_admin=call.context.is_admin
        )
    except (
        server_changes.InstanceIsLocked,
        server_changes.InvalidState,
        quotas.QuotaExceeded,
    ) as e:
        raise _refused(e, "update metadata", server.uuid) from e


def index(call: Call, server_id: str) -> Reply:
    _check_query(call)
    server = _server(call, server_id, "index")
    return Reply({"metadata": dict(server.metadata)})


def show(call: Call, server_id: str, key: str) -> Reply:
    _check_query(call)
    server = _server(call, server_id, "show")
    if key not in server.metadata:
        raise not_found("Metadata item was not found")
    return Reply({"meta": {key: server.metadata[key]}})


def create(call: Call, server_id: str) -> Reply:
    """``POST``: merge into the existing metadata."""
    body = request_body(call.request)
    validate(SET_ALL, body)
    server = _server(call, server_id, "create")
    return Reply({"metadata": _set(call, server, body["metadata"], replace=False)})


def update_all(call: Call, server_id: str) -> Reply:
    """``PUT``: the body becomes the whole metadata."""
    body = request_body(call.request)
    validate(SET_ALL, body)
    server = _server(call, server_id, "update_all")
    return Reply({"metadata": _set(call, server, body["metadata"], replace=True)})


def update(call: Call, server_id: str, key: str) -> Reply:
    """``PUT /metadata/{key}`` with ``{"meta": {key: value}}``."""
    body = request_body(call.request)
    validate(SET_ONE, body)
    server = _server(call, server_id, "update")
    item = body["meta"]
    if key not in item:
        raise bad_request("Request body and URI mismatch")
    _set(call, server, item, replace=False)
    return Reply({"meta": item})


def delete(call: Call, server_id: str, key: str) -> Reply:
    server = _server(call, server_id, "delete")
    if key not in server.metadata:
        raise not_found("Metadata item was not found")
    try:
        server_changes.delete_metadata_key(server, key, is_admin=call.context.is_admin)
    except (server_changes.InstanceIsLocked, server_changes.InvalidState) as e:
        raise _refused(e, "delete metadata", server_id) from e
    return Reply(None, 204)
