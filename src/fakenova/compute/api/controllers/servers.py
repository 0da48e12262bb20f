"""``/servers`` reads: list, detail and show."""

from __future__ import annotations

from dataclasses import replace

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_query import build_query
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.views.servers import ServerView
from fakenova.compute.models.servers.records import ApiRecord


def _view(call: Call) -> ServerView:
    return ServerView(call.version, call.context, call.policy, call.backend, call.links)


def _list(call: Call, detail: bool) -> Reply:
    call.authorize(SERVERS + ("detail" if detail else "index"))
    query = build_query(call, detail)
    if query is None:  # a status no server can have (before 2.38), a flavor that does not exist
        return Reply({"servers": []})
    # Next links repeat the query as validated: without the parameters the schema stripped.
    call.links = replace(call.links, query=tuple(call.request.GET.items()))
    items = call.compute.list(query)
    view = _view(call)
    return Reply(view.detail(items) if detail else view.index(items, query.cell_down_support))


def index(call: Call) -> Reply:
    return _list(call, detail=False)


def detail(call: Call) -> Reply:
    return _list(call, detail=True)


def show(call: Call, server_id: str) -> Reply:
    item = call.compute.get_any(
        call.actor, server_id, cell_down_support=call.version.at_least("2.69")
    )
    if isinstance(item, ApiRecord):
        # From a down cell Nova builds the server from the API database without scoping it to
        # the caller's project, so the policy check is what refuses another project's: a 403.
        call.authorize(SERVERS + "show", item.project_id)
    # From a reachable cell another project's server is "not found" to a non-admin, whatever
    # the policy says (Nova's database reads only the caller's project's): its existence is not
    # leaked. A server the caller could read then meets the policy check.
    elif not call.context.is_admin and item.project_id != call.context.project_id:
        raise not_found(f"Instance {server_id} could not be found.")
    else:
        call.authorize(SERVERS + "show", item.project_id)
    return Reply(_view(call).one(item))
