"""The security-group proxy up to 2.35: ``/os-security-groups`` (list, show, create, update,
delete) and ``/os-security-group-rules`` (create, delete). From 2.36 the routes are gone:
Nova's plain 404. Policy is checked against the caller's own project, before anything else
(the bodies' schemas come first, as Nova's decorators order them)."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.images import GONE
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.policy import SECURITY_GROUPS
from fakenova.compute.api.schemas import security_groups as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import security_groups as view
from fakenova.network.models import SecurityGroup


def _available(call: Call, rule: str) -> None:
    if call.version.at_least("2.36"):
        raise not_found(GONE)
    call.authorize(SECURITY_GROUPS + rule, call.actor.project_id)


def _one(call: Call, group: SecurityGroup) -> Reply:
    return Reply({"security_group": _view(call, [group])[0]})


def _view(call: Call, groups: list[SecurityGroup]) -> list[dict[str, object]]:
    sources = {g.id: (g.name, g.project_id) for g in groups}
    wanted = {r.remote_group_id for g in groups for r in g.rules if r.remote_group_id}
    sources |= call.compute.security_group_names(wanted - set(sources))
    return [view.group(g, sources) for g in groups]


def index(call: Call) -> Reply:
    if call.version.at_least("2.36"):
        raise not_found(GONE)
    validate(schemas.PROXY_QUERY, call.request.GET.dict_of_lists(), query=True)
    call.authorize(SECURITY_GROUPS + "get", call.actor.project_id)
    query = call.request.GET
    groups = call.compute.proxy_security_groups(call.actor, "all_tenants" in query)
    offset = int(query.getall("offset")[0]) if "offset" in query else 0
    limit = int(query.getall("limit")[0]) if "limit" in query else call.compute.max_limit
    limit = min(limit, call.compute.max_limit)
    shown = _view(call, groups[offset : offset + limit])
    shown.sort(key=lambda g: (str(g["tenant_id"]), str(g["name"])))
    return Reply({"security_groups": shown})


def show(call: Call, group_id: str) -> Reply:
    _available(call, "show")
    return _one(call, call.compute.proxy_security_group(call.actor, group_id))


def create(call: Call) -> Reply:
    if call.version.at_least("2.36"):
        raise not_found(GONE)
    validate(schemas.PROXY_GROUP, call.body)
    call.authorize(SECURITY_GROUPS + "create", call.actor.project_id)
    asked = call.body["security_group"]
    group = call.compute.proxy_create_security_group(
        call.actor, asked["name"], asked["description"]
    )
    return _one(call, group)


def update(call: Call, group_id: str) -> Reply:
    if call.version.at_least("2.36"):
        raise not_found(GONE)
    validate(schemas.PROXY_GROUP, call.body)
    call.authorize(SECURITY_GROUPS + "update", call.actor.project_id)
    asked = call.body["security_group"]
    group = call.compute.proxy_update_security_group(
        call.actor, group_id, asked["name"], asked["description"]
    )
    return _one(call, group)


def delete(call: Call, group_id: str) -> Reply:
    _available(call, "delete")
    call.compute.proxy_delete_security_group(call.actor, group_id)
    return Reply(None, 202)


def create_rule(call: Call) -> Reply:
    if call.version.at_least("2.36"):
        raise not_found(GONE)
    validate(schemas.PROXY_RULE, call.body)
    call.authorize(SECURITY_GROUPS + "rule:create", call.actor.project_id)
    rule = call.compute.proxy_create_security_group_rule(
        call.actor, call.body["security_group_rule"]
    )
    sources = call.compute.security_group_names({rule.remote_group_id} - {None})  # type: ignore[arg-type]
    return Reply({"security_group_rule": view.rule(rule, sources)})


def delete_rule(call: Call, rule_id: str) -> Reply:
    _available(call, "rule:delete")
    call.compute.proxy_delete_security_group_rule(call.actor, rule_id)
    return Reply(None, 202)
