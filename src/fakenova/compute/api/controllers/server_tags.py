"""``/servers/{id}/tags`` (microversion 2.26 and later).

Nova answers below 2.26 as for an unknown resource. Tags ignore the server's lock; only its
vm_state guards the writes. Adding one tag answers 201 with a ``Location`` (204 when the
server already had it), with no body and the ``text/html`` type of a bare WSGI response.
"""

from __future__ import annotations

import jsonschema

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import mapped_server, request_body
from fakenova.compute.api.faults import bad_request, conflict, not_found
from fakenova.compute.api.policy import TAGS
from fakenova.compute.api.schemas.server_tags import ADD_ONE, REPLACE_ALL, TAG
from fakenova.compute.api.validation import validate
from fakenova.compute.models import server_changes
from fakenova.compute.models.servers import Server

BARE = {"Content-Type": "text/html; charset=UTF-8"}


def _server(call: Call, server_id: str, action: str) -> Server:
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    return mapped_server(call, server_id, TAGS + action)


def _editable(server: Server, action: str) -> None:
    try:
        server_changes.check_editable(server)
    except server_changes.InvalidState as e:
        raise conflict(
            f"Cannot '{action}' instance {server.uuid} while it is in {e.attr} {e.state}"
        ) from e


def index(call: Call, server_id: str) -> Reply:
    server = _server(call, server_id, "index")
    return Reply({"tags": sorted(server.tags)})


def show(call: Call, server_id: str, tag: str) -> Reply:
    server = _server(call, server_id, "show")
    if tag not in server.tags:
        raise not_found(f"Server {server_id} has no tag '{tag}'")
    return Reply(None, 204)


def update(call: Call, server_id: str, tag: str) -> Reply:
    """``PUT /tags/{tag}``: add one tag."""
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    validate(ADD_ONE, request_body(call.request))
    server = _server(call, server_id, "update")
    _editable(server, "update tag")
    try:
        jsonschema.validate(tag, TAG)
    except jsonschema.ValidationError as e:
        raise bad_request(
            f"Tag '{tag}' is invalid. It must be a non empty string without characters '/' "
            f"and ','. Validation error message: {e.message}"
        ) from e
    try:
        added = server_changes.add_tag(server, tag)
    except server_changes.TooManyTags as e:
        raise bad_request(str(e)) from e
    if not added:
        return Reply(None, 204, dict(BARE))
    location = f"{call.links.versioned}/servers/{server_id}/tags/{tag}"
    return Reply(None, 201, {**BARE, "Location": location})


def update_all(call: Call, server_id: str) -> Reply:
    """``PUT /tags``: replace every tag."""
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    body = request_body(call.request)
    validate(REPLACE_ALL, body)
    server = _server(call, server_id, "update_all")
    _editable(server, "update tags")
    return Reply({"tags": server_changes.replace_tags(server, body["tags"])})


def delete(call: Call, server_id: str, tag: str) -> Reply:
    server = _server(call, server_id, "delete")
    _editable(server, "delete tag")
    if not server_changes.remove_tag(server, tag):
        raise not_found(f"Instance {server_id} has no tag '{tag}'")
    return Reply(None, 204)


def delete_all(call: Call, server_id: str) -> Reply:
    server = _server(call, server_id, "delete_all")
    _editable(server, "delete tags")
    server_changes.clear_tags(server)
    return Reply(None, 204)
