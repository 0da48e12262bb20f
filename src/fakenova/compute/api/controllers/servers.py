"""``/servers`` reads: list, detail and show."""

from __future__ import annotations

from dataclasses import replace

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_query import build_query
from fakenova.compute.api.faults import ApiFault, bad_request, not_found, unexpected
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.views.servers import ServerView
from fakenova.compute.models.backend import (
    CellUnreachable,
    MarkerNotFound,
    ServerNotFound,
)
from fakenova.compute.models.servers import ApiRecord


def _cell_failure(e: CellUnreachable) -> ApiFault:
    """Nova's 500 for an unreachable cell; the body names the exception that escaped."""
    return unexpected(e.raised)


def _view(call: Call) -> ServerView:
    return ServerView(call.version, call.context, call.policy, call.backend, call.links)


def _list(call: Call, detail: bool) -> Reply:
    call.authorize(SERVERS + ("detail" if detail else "index"))
    query = build_query(call, detail)
    if query is None:  # a status no server can have (before 2.38), a flavor that does not exist
        return Reply({"servers": []})
    # Next links repeat the query as validated: without the parameters the schema stripped.
    call.links = replace(call.links, query=tuple(call.request.GET.items()))
    try:
        items = call.backend.list_servers(query)
    except MarkerNotFound as e:
        raise bad_request(f"marker [{e.marker}] not found") from e
    except CellUnreachable as e:
        raise _cell_failure(e) from e
    view = _view(call)
    return Reply(view.detail(items) if detail else view.index(items, query.cell_down_support))


def index(call: Call) -> Reply:
    return _list(call, detail=False)


def detail(call: Call) -> Reply:
    return _list(call, detail=True)


def show(call: Call, server_id: str) -> Reply:
    try:
        item = call.backend.get_server(server_id, cell_down_support=call.version.at_least("2.69"))
    except ServerNotFound as e:
        raise not_found(f"Instance {server_id} could not be found.") from e
    except CellUnreachable as e:
        raise _cell_failure(e) from e
    if isinstance(item, ApiRecord):
        # From a down cell Nova builds the server from the API database without scoping it to
        # the caller's project, so the policy check is what refuses another project's: a 403.
        call.authorize(SERVERS + "show", item.project_id)
    # From a reachable cell another project's server is "not found": its existence is not leaked.
    elif not call.policy.allows(call.context, SERVERS + "show", {"project_id": item.project_id}):
        raise not_found(f"Instance {server_id} could not be found.")
    return Reply(_view(call).one(item))
