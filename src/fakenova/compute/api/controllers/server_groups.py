"""``os-server-groups``: list, show, create and delete, as Nova 34 answers them.

Nova reads groups through a project-scoped query: a member never finds another project's
group (404, not 403), and only an admin's ``all_projects`` lists every project's. A create
answers 200, not 201.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import server_groups as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.server_groups import ServerGroupView

RULE = rules.SERVER_GROUPS


def index(call: Call) -> Reply:
    query = call.request.GET
    validate(pick(schemas.INDEX_QUERIES, call.version), query.dict_of_lists(), query=True)
    project = call.context.project_id
    call.authorize(RULE + "index", project)
    if "all_projects" in query and call.context.is_admin:
        call.authorize(RULE + "index:all_projects", project)
        groups = call.compute.server_groups(None)
    else:
        groups = call.compute.server_groups(project)
    max_limit = call.compute.max_limit
    offset = int(query.getall("offset")[0]) if "offset" in query else 0
    limit = int(query.getall("limit")[0]) if "limit" in query else 0
    limit = min(max_limit, limit or max_limit)
    return Reply(
        ServerGroupView(call.version, call.backend).listed(groups[offset : offset + limit])
    )


def show(call: Call, group_id: str) -> Reply:
    validate(pick(schemas.SHOW_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    group = call.compute.server_group(call.actor, group_id)
    call.authorize(RULE + "show", group.project_id)
    return Reply({"server_group": ServerGroupView(call.version, call.backend).one(group)})


def create(call: Call) -> Reply:
    body = call.body
    validate(pick(schemas.CREATE, call.version), body)
    ctx = call.context
    call.authorize(RULE + "create", ctx.project_id)
    fields: dict[str, Any] = body["server_group"]
    group_rules: dict[str, int] = {}
    if call.version.at_least("2.64"):
        policy = fields["policy"]
        asked = fields.get("rules", {})
        if policy != "anti-affinity" and asked:
            raise bad_request("Only anti-affinity policy supports rules.")
        group_rules = {k: int(v) for k, v in asked.items()}
    else:
        policy = fields["policies"][0]
    group = call.compute.create_server_group(call.actor, fields["name"], policy, group_rules)
    return Reply({"server_group": ServerGroupView(call.version, call.backend).one(group)})


def delete(call: Call, group_id: str) -> Reply:
    group = call.compute.server_group(call.actor, group_id)
    call.authorize(RULE + "delete", group.project_id)
    call.compute.delete_server_group(group)
    return Reply(None, 204)
