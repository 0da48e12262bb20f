"""``os-hypervisors``: the compute nodes, for admins (every rule is admin-only by default).

Nova checks the query first, then policy. Below 2.53 a node is named by its id within its
cell's database (an id that is not a number is simply not found); from 2.53 by its uuid (a
malformed one is a 400), and the ``search`` and ``servers`` routes give way to the
``hypervisor_hostname_pattern`` and ``with_servers`` parameters of the listings. 2.33 pages
the listings; 2.88 removes ``statistics`` and ``uptime`` (the detail then carries uptime).
"""

from __future__ import annotations

from oslo_utils import strutils

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import ApiFault, bad_request, not_found
from fakenova.compute.api.schemas import hypervisors as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import is_uuid, validate
from fakenova.compute.api.views.hypervisors import HypervisorView
from fakenova.compute.models.deployment.compute_nodes import Hypervisor

RULE = "os_compute_api:os-hypervisors:"
NO_ROUTE = "The resource could not be found."
# Nova raises this 400 without an explanation, so clients see webob's default sentence.
NO_PAGING = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)


def _with_servers(call: Call) -> bool:
    if not call.version.at_least("2.53"):
        return False
    return strutils.bool_from_string(call.request.GET.get("with_servers", False), strict=True)


def _listing(call: Call, *, detail: bool) -> Reply:
    v, query = call.version, call.request.GET
    validate(pick(schemas.INDEX, v), query.dict_of_lists(), query=True)
    limit = marker = None
    if v.at_least("2.33"):
        max_limit = call.compute.max_limit
        limit = min(max_limit, int(query["limit"])) if "limit" in query else max_limit
        marker = query.get("marker")
    call.authorize(RULE + ("list-detail" if detail else "list"))
    with_servers = _with_servers(call)
    pattern = query.get("hypervisor_hostname_pattern") if v.at_least("2.53") else None
    links = v.at_least("2.33")
    if pattern is not None:
        if "limit" in query or marker:
            raise bad_request(NO_PAGING)
        links = False
        nodes = call.compute.hypervisors_matching(pattern)
    else:
        nodes = call.compute.hypervisors(limit=limit, marker=marker)
    view = HypervisorView(v, call.backend)
    uptimes = {n.uuid: _detail_uptime(call, n, detail) for n in nodes}
    body: dict[str, object] = {
        "hypervisors": [
            view.one(n, detail=detail, with_servers=with_servers, uptime=uptimes[n.uuid])
            for n in nodes
        ]
    }
    if links and nodes:
        last = nodes[-1].uuid if v.at_least("2.53") else str(nodes[-1].id)
        collection = "os-hypervisors/detail" if detail else "os-hypervisors"
        if found := call.links.collection(nodes, collection, last, call.compute.max_limit):
            body["hypervisors_links"] = found
    return Reply(body)


def _detail_uptime(call: Call, node: Hypervisor, detail: bool) -> str | None:
    if not detail or not call.version.at_least("2.88"):
        return None
    return call.compute.hypervisor_uptime(node, strict=False)


def index(call: Call) -> Reply:
    return _listing(call, detail=False)


def detail(call: Call) -> Reply:
    return _listing(call, detail=True)


def _node(call: Call, node_id: str) -> Hypervisor:
    """The node the path names, checked the way the microversion asks."""
    uuid = call.version.at_least("2.53")
    if uuid and not is_uuid(node_id):
        raise bad_request(f"Invalid uuid {node_id}")
    if not uuid:
        try:
            int(node_id)
        except ValueError:
            raise not_found(f"Hypervisor with ID '{node_id}' could not be found.") from None
    return call.compute.hypervisor(node_id, uuid=uuid)


def show(call: Call, hypervisor_id: str) -> Reply:
    validate(pick(schemas.SHOW, call.version), call.request.GET.dict_of_lists(), query=True)
    with_servers = _with_servers(call)
    call.authorize(RULE + "show")
    node = _node(call, hypervisor_id)
    uptime = _detail_uptime(call, node, True)
    view = HypervisorView(call.version, call.backend)
    return Reply(
        {"hypervisor": view.one(node, detail=True, with_servers=with_servers, uptime=uptime)}
    )


def _until(call: Call, last: str) -> None:
    """Routes a microversion removed answer as if they did not exist."""
    if call.version.at_least(last):
        raise ApiFault(404, NO_ROUTE)


def uptime(call: Call, hypervisor_id: str) -> Reply:
    _until(call, "2.88")
    call.authorize(RULE + "uptime")
    node = _node(call, hypervisor_id)
    body = HypervisorView(call.version, call.backend).one(node, detail=False)
    body["uptime"] = call.compute.hypervisor_uptime(node, strict=True)
    return Reply({"hypervisor": body})


def statistics(call: Call) -> Reply:
    _until(call, "2.88")
    call.authorize(RULE + "statistics")
    return Reply({"hypervisor_statistics": call.compute.hypervisor_statistics()})


def search(call: Call, pattern: str) -> Reply:
    _until(call, "2.53")
    call.authorize(RULE + "search")
    view = HypervisorView(call.version, call.backend)
    nodes = call.compute.hypervisors_matching(pattern)
    return Reply({"hypervisors": [view.one(n, detail=False) for n in nodes]})


def servers(call: Call, pattern: str) -> Reply:
    _until(call, "2.53")
    call.authorize(RULE + "servers")
    view = HypervisorView(call.version, call.backend)
    nodes = call.compute.hypervisors_matching(pattern)
    return Reply({"hypervisors": [view.one(n, detail=False, with_servers=True) for n in nodes]})
