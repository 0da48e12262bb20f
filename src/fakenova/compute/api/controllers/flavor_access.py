"""``/flavors/{id}/os-flavor-access`` and the ``addTenantAccess`` / ``removeTenantAccess``
actions: which projects a private flavor is shared with (admins).

A public flavor has no access list (404); from 2.7 it cannot be shared (409). The flavor is
named by its database row id in the 409 of a second share and the 404 of a missing one.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_actions import action_name
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.schemas import flavors as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.flavors import access_list

RULE = "os_compute_api:os-flavor-access"


def index(call: Call, flavor_id: str) -> Reply:
    validate(pick(schemas.READ_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    call.authorize(RULE, call.context.project_id)
    return Reply(access_list(call.compute.flavor_access(call.actor, flavor_id)))


def action(call: Call, flavor_id: str) -> Reply:
    """``POST /flavors/{id}/action``: dispatched on the body's only key."""
    name = action_name(call)
    if name == "addTenantAccess":
        validate(schemas.ADD_TENANT_ACCESS, call.body)
        call.authorize(RULE + ":add_tenant_access", call.context.project_id)
        tenant = call.body[name]["tenant"]
        public_refused = call.version.at_least("2.7")
        flavor = call.compute.add_flavor_access(call.actor, flavor_id, tenant, public_refused)
    elif name == "removeTenantAccess":
        validate(schemas.REMOVE_TENANT_ACCESS, call.body)
        call.authorize(RULE + ":remove_tenant_access", call.context.project_id)
        tenant = call.body[name]["tenant"]
        flavor = call.compute.remove_flavor_access(call.actor, flavor_id, tenant)
    else:
        raise bad_request(f"There is no such action: {name}")
    return Reply(access_list(flavor))
