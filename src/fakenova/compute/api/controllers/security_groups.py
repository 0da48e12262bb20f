"""A server's security groups: ``GET /servers/{id}/os-security-groups`` and the
``addSecurityGroup`` / ``removeSecurityGroup`` actions (202, no body).

Nova validates an action's body before it looks the server up, then checks policy against
the server's project; the list refuses unknown query parameters from 2.102.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import SECURITY_GROUPS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import security_groups as schemas
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import security_groups as view


def server_index(call: Call, server_id: str) -> Reply:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    server = server_for(call, server_id, SECURITY_GROUPS + "list")
    groups = call.compute.server_security_groups(call.actor, server)
    sources = {g.id: (g.name, g.project_id) for g in groups}
    wanted = {r.remote_group_id for g in groups for r in g.rules if r.remote_group_id}
    sources |= call.compute.security_group_names(wanted - set(sources))
    return Reply({"security_groups": [view.group(g, sources) for g in groups]})


def add(call: Call, server_id: str) -> Reply:
    validate(schemas.ADD, call.body)
    server = server_for(call, server_id, SECURITY_GROUPS + "add")
    call.compute.add_security_group(call.actor, server, call.body["addSecurityGroup"]["name"])
    return Reply(None, 202)


def remove(call: Call, server_id: str) -> Reply:
    validate(schemas.REMOVE, call.body)
    server = server_for(call, server_id, SECURITY_GROUPS + "remove")
    name = call.body["removeSecurityGroup"]["name"]
    call.compute.remove_security_group(call.actor, server, name)
    return Reply(None, 202)
