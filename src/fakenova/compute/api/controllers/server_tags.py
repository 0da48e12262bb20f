"""``/servers/{id}/tags`` (microversion 2.26 and later).

Nova answers below 2.26 as for an unknown resource. Tags ignore the server's lock; only its
vm_state guards the writes. Adding one tag answers 201 with a ``Location`` (204 when the
server already had it), with no body and the ``text/html`` type of a bare WSGI response.
"""

from __future__ import annotations

import jsonschema

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found, refusals
from fakenova.compute.api.policy import TAGS
from fakenova.compute.api.schemas.server_tags import ADD_ONE, REPLACE_ALL, TAG
from fakenova.compute.api.validation import validate
from fakenova.compute.models.servers.records import Server

BARE = {"Content-Type": "text/html; charset=UTF-8"}


def _server(call: Call, server_id: str, action: str) -> Server:
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    # The tags API reads the instance mapping, which is not scoped to a project, and lets
    # policy refuse another project's server: a 403, where other server APIs answer 404.
    record = call.compute.mapping(server_id)
    call.authorize(TAGS + action, record.project_id)
    return call.compute.get_mapped(record)


def index(call: Call, server_id: str) -> Reply:
    server = _server(call, server_id, "index")
    return Reply({"tags": sorted(server.tags)})


def show(call: Call, server_id: str, tag: str) -> Reply:
    server = _server(call, server_id, "show")
    if tag not in server.tags:
        raise not_found(f"Server {server_id} has no tag '{tag}'")
    return Reply(None, 204)


@refusals("update tag")
def update(call: Call, server_id: str, tag: str) -> Reply:
    """``PUT /tags/{tag}``: add one tag."""
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    validate(ADD_ONE, call.body)
    server = _server(call, server_id, "update")
    call.compute.check_tags_editable(server)
    try:
        jsonschema.validate(tag, TAG)
    except jsonschema.ValidationError as e:
        raise bad_request(
            f"Tag '{tag}' is invalid. It must be a non empty string without characters '/' "
            f"and ','. Validation error message: {e.message}"
        ) from e
    if not call.compute.add_tag(server, tag):
        return Reply(None, 204, dict(BARE))
    location = f"{call.links.versioned}/servers/{server_id}/tags/{tag}"
    return Reply(None, 201, {**BARE, "Location": location})


@refusals("update tags")
def update_all(call: Call, server_id: str) -> Reply:
    """``PUT /tags``: replace every tag."""
    if not call.version.at_least("2.26"):
        raise not_found("The resource could not be found.")
    validate(REPLACE_ALL, call.body)
    server = _server(call, server_id, "update_all")
    return Reply({"tags": call.compute.replace_tags(server, call.body["tags"])})


@refusals("delete tag")
def delete(call: Call, server_id: str, tag: str) -> Reply:
    server = _server(call, server_id, "delete")
    if not call.compute.remove_tag(server, tag):
        raise not_found(f"Instance {server_id} has no tag '{tag}'")
    return Reply(None, 204)


@refusals("delete tags")
def delete_all(call: Call, server_id: str) -> Reply:
    server = _server(call, server_id, "delete_all")
    call.compute.clear_tags(server)
    return Reply(None, 204)
