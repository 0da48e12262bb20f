"""``/servers/{id}/metadata``: read, merge, replace, and one key at a time.

Writes answer 200 (not 201) with the resulting metadata, as Nova always has. The server's
lock and vm_state are checked only when something would change; reads work in any state.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found, refusals
from fakenova.compute.api.policy import METADATA
from fakenova.compute.api.schemas.server_metadata import NO_QUERY, SET_ALL, SET_ONE
from fakenova.compute.api.validation import validate
from fakenova.compute.models.servers.records import Server


def _server(call: Call, server_id: str, action: str) -> Server:
    server = call.compute.get(call.actor, server_id)
    call.authorize(METADATA + action, server.project_id)
    return server


def _check_query(call: Call) -> None:
    if call.version.at_least("2.102"):
        validate(NO_QUERY, call.request.GET.dict_of_lists())


def _set(call: Call, server: Server, items: dict[str, str], replace: bool) -> dict[str, str]:
    return call.compute.update_metadata(call.actor, server, items, replace=replace)


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


def _set_all(call: Call, server_id: str, rule: str, *, replace: bool) -> Reply:
    validate(SET_ALL, call.body)
    server = _server(call, server_id, rule)
    return Reply({"metadata": _set(call, server, call.body["metadata"], replace=replace)})


@refusals("update metadata")
def create(call: Call, server_id: str) -> Reply:
    """``POST``: merge into the existing metadata."""
    return _set_all(call, server_id, "create", replace=False)


@refusals("update metadata")
def update_all(call: Call, server_id: str) -> Reply:
    """``PUT``: the body becomes the whole metadata."""
    return _set_all(call, server_id, "update_all", replace=True)


@refusals("update metadata")
def update(call: Call, server_id: str, key: str) -> Reply:
    """``PUT /metadata/{key}`` with ``{"meta": {key: value}}``."""
    body = call.body
    validate(SET_ONE, body)
    server = _server(call, server_id, "update")
    item = body["meta"]
    if key not in item:
        raise bad_request("Request body and URI mismatch")
    _set(call, server, item, replace=False)
    return Reply({"meta": item})


@refusals("delete metadata")
def delete(call: Call, server_id: str, key: str) -> Reply:
    server = _server(call, server_id, "delete")
    if key not in server.metadata:
        raise not_found("Metadata item was not found")
    call.compute.delete_metadata_key(call.actor, server, key)
    return Reply(None, 204)
