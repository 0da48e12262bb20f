"""``GET /os-simple-tenant-usage`` (every project, admins) and
``GET /os-simple-tenant-usage/{tenant_id}`` (a project's own, or any for an admin).

``start`` and ``end`` bound the window (either missing means now), ``detailed=1`` adds each
project's servers to the list; a project's report always has them. 2.40 pages the servers
with ``limit`` and ``marker`` and adds ``next`` links; 2.75 refuses unknown parameters, where
before they were dropped. Nova reads the window from the raw query string: the first
non-blank value of each name.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from webob.multidict import MultiDict

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import TENANT_USAGE
from fakenova.compute.api.validation import check_query
from fakenova.compute.api.views import usages as view
from fakenova.compute.models.resources.usage_records import ServerUsage

INDEX_PARAMS = ("start", "end", "detailed")
SHOW_PARAMS = ("start", "end")
PAGING = ("limit", "marker")


def _check(call: Call, known: tuple[str, ...]) -> None:
    if not call.version.at_least("2.40"):
        return
    known += PAGING
    params = call.request.GET
    if call.version.at_least("2.75"):
        check_query(params, known)
    else:
        check_query(MultiDict([(k, v) for k, v in params.items() if k in known]), known)


def _page(call: Call) -> tuple[int, str | None]:
    max_limit = call.compute.max_limit
    if not call.version.at_least("2.40"):
        return max_limit, None
    params = call.request.GET
    limit = min(int(params["limit"]), max_limit) if "limit" in params else max_limit
    return limit, params.get("marker")


def _first(raw: dict[str, list[str]], name: str) -> str | None:
    return raw.get(name, [None])[0]


def _links(call: Call, page: list[ServerUsage], collection: str) -> list[dict[str, str]]:
    return view.next_links(call.links, page, collection, call.compute.max_limit)


def index(call: Call) -> Reply:
    _check(call, INDEX_PARAMS)
    call.authorize(TENANT_USAGE + "list")
    raw = parse_qs(call.request.query_string)
    limit, marker = _page(call)
    tenants, servers = call.compute.tenant_usages(
        _first(raw, "start"), _first(raw, "end"), None, limit, marker
    )
    detailed = _first(raw, "detailed") == "1"
    body: dict[str, object] = {"tenant_usages": [view.tenant(t, detailed) for t in tenants]}
    links = _links(call, servers, "os-simple-tenant-usage")
    if links and call.version.at_least("2.40"):
        body["tenant_usages_links"] = links
    return Reply(body)


def show(call: Call, tenant_id: str) -> Reply:
    _check(call, SHOW_PARAMS)
    call.authorize(TENANT_USAGE + "show", tenant_id)
    raw = parse_qs(call.request.query_string)
    limit, marker = _page(call)
    tenants, servers = call.compute.tenant_usages(
        _first(raw, "start"), _first(raw, "end"), tenant_id, limit, marker
    )
    body: dict[str, object] = {"tenant_usage": view.tenant(tenants[0], True) if tenants else {}}
    links = _links(call, servers, f"os-simple-tenant-usage/{tenant_id}")
    if links and call.version.at_least("2.40"):
        body["tenant_usage_links"] = links
    return Reply(body)
