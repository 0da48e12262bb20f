"""The floating-IP proxy: ``/os-floating-ips`` (list, show, create, delete) and
``/os-floating-ip-pools`` up to 2.35 (from 2.36, Nova's plain 404), and the
``addFloatingIp`` / ``removeFloatingIp`` actions up to 2.43.

Policy is checked against the caller's own project for the collection (Nova's target), then
the body or the lookups as Nova orders them; ``removeFloatingIp`` checks its rule against the
project of the server the floating IP points at, or against no project at all when it points
at none (so that only an admin gets past it, as in Nova).
"""

from __future__ import annotations

from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.images import GONE
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.policy import FLOATING_IP_POOLS, FLOATING_IPS
from fakenova.compute.api.schemas import floating_ips as schemas
from fakenova.compute.api.validation import empty_query_schema, validate
from fakenova.compute.api.views import floating_ips as view

LAST_VERSION = "2.36"  # 2.36 removed the proxy APIs


def _available(call: Call, *, query_checked: bool = False) -> None:
    if call.version.at_least(LAST_VERSION):
        raise not_found(GONE)
    if query_checked:
        empty_query_schema(call.request.GET)


def index(call: Call) -> Reply:
    _available(call, query_checked=True)
    call.authorize(FLOATING_IPS + "list", call.actor.project_id)
    found = call.compute.floating_ips(call.actor)
    return Reply({"floating_ips": [view.floating_ip(f) for f in found]})


def show(call: Call, floating_ip_id: str) -> Reply:
    _available(call, query_checked=True)
    call.authorize(FLOATING_IPS + "show", call.actor.project_id)
    found = call.compute.floating_ip(call.actor, floating_ip_id)
    return Reply({"floating_ip": view.floating_ip(found)})


def create(call: Call) -> Reply:
    _available(call)
    validate(schemas.CREATE, call.body)
    call.authorize(FLOATING_IPS + "create", call.actor.project_id)
    pool = call.body.get("pool") if call.body else None
    made = call.compute.allocate_floating_ip(call.actor, pool)
    return Reply({"floating_ip": view.floating_ip(made)})


def delete(call: Call, floating_ip_id: str) -> Reply:
    _available(call)
    call.authorize(FLOATING_IPS + "delete", call.actor.project_id)
    call.compute.release_floating_ip(call.actor, floating_ip_id)
    return Reply(None, 202)


def pools(call: Call) -> Reply:
    _available(call)
    call.policy.authorize(call.context, FLOATING_IP_POOLS, {})
    return Reply(view.pools(call.compute.floating_ip_pools(call.actor)))


def add(call: Call, server_id: str) -> Reply:
    validate(schemas.ADD, call.body)
    server = server_for(call, server_id, FLOATING_IPS + "add")
    asked = call.body["addFloatingIp"]
    call.compute.add_floating_ip(call.actor, server, asked["address"], asked.get("fixed_address"))
    return Reply(None, 202)


def remove(call: Call, server_id: str) -> Reply:
    validate(schemas.REMOVE, call.body)
    address = call.body["removeFloatingIp"]["address"]
    owner = call.compute.floating_ip_server(call.actor, address)
    target = {"project_id": owner.project_id} if owner is not None else {}
    call.policy.authorize(call.context, FLOATING_IPS + "remove", target)
    call.compute.remove_floating_ip(call.actor, server_id, address, owner)
    return Reply(None, 202)
