"""How the server APIs below ``/servers/{id}`` find their server, each as Nova does.

Most of them read the instance from its cell the way Nova's database API does for a
non-admin: scoped to the caller's project, so another project's server is simply "not found"
(a 404 that leaks nothing). The tags API instead looks up the instance mapping, which is not
scoped, and lets policy refuse another project's server: a 403.
"""

from __future__ import annotations

from typing import Any

import webob

from fakenova.compute.api.controllers.base import Call
from fakenova.compute.api.faults import ApiFault, not_found, unexpected
from fakenova.compute.api.validation import json_body
from fakenova.compute.models.backend import CellUnreachable, ServerNotFound
from fakenova.compute.models.servers import Server


def request_body(request: webob.Request) -> Any:
    """The JSON body; an empty PUT or POST body is ``None`` to Nova's schemas (not ``{}``)."""
    return json_body(request) if request.body else None


def _instance_not_found(server_id: str) -> ApiFault:
    return not_found(f"Instance {server_id} could not be found.")


def project_server(call: Call, server_id: str) -> Server:
    """The server as Nova's ``common.get_instance`` finds it for this caller."""
    try:
        item = call.backend.get_server(server_id, cell_down_support=False)
    except ServerNotFound as e:
        raise _instance_not_found(server_id) from e
    except CellUnreachable as e:
        raise unexpected(e.raised) from e
    assert isinstance(item, Server)  # without down-cell support only whole servers return
    if not call.context.is_admin and item.project_id != call.context.project_id:
        raise _instance_not_found(server_id)
    return item


def mapped_server(call: Call, server_id: str, rule: str) -> Server:
    """The tags API's lookup: the mapping (404 without one), policy on its project, then the
    instance in its cell (404 once deleted)."""
    record = call.backend.records.get(server_id)
    if record is None:
        raise not_found(f"Instance {server_id} has no mapping to a cell.")
    call.authorize(rule, record.project_id)
    if not record.cell.reachable:
        raise unexpected()
    server = call.backend.servers[server_id]
    if server.deleted:
        raise _instance_not_found(server_id)
    return server
