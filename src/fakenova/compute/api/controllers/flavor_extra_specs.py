"""``/flavors/{id}/os-extra_specs``: read (members, for the flavors they see) and write
(admins). From 2.86 every written spec is validated against the extra specs Nova knows.

A create or update answers 200 with the request's body as sent (numbers stay numbers there,
though the flavor keeps them as strings); a delete answers 200 without a body.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.schemas import flavors as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate

POLICY = "os_compute_api:os-flavor-extra-specs:"


def _read(call: Call, rule: str) -> None:
    validate(pick(schemas.READ_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    call.authorize(POLICY + rule, call.context.project_id)


def index(call: Call, flavor_id: str) -> Reply:
    _read(call, "index")
    flavor = call.compute.visible_flavor(call.actor, flavor_id)
    return Reply({"extra_specs": dict(flavor.extra_specs)})


def show(call: Call, flavor_id: str, key: str) -> Reply:
    _read(call, "show")
    specs = call.compute.visible_flavor(call.actor, flavor_id).extra_specs
    if key not in specs:
        raise not_found(f"Flavor {flavor_id} has no extra specs with key {key}.")
    return Reply({key: specs[key]})


def create(call: Call, flavor_id: str) -> Reply:
    validate(schemas.CREATE_EXTRA_SPECS, call.body)
    call.authorize(POLICY + "create", call.context.project_id)
    validated = call.version.at_least("2.86")
    call.compute.set_flavor_extra_specs(call.actor, flavor_id, call.body["extra_specs"], validated)
    return Reply(call.body)


def update(call: Call, flavor_id: str, key: str) -> Reply:
    validate(schemas.UPDATE_EXTRA_SPEC, call.body)
    call.authorize(POLICY + "update", call.context.project_id)
    validated = call.version.at_least("2.86")
    call.compute.set_flavor_extra_specs(call.actor, flavor_id, call.body, validated, key=key)
    return Reply(call.body)


def delete(call: Call, flavor_id: str, key: str) -> Reply:
    call.authorize(POLICY + "delete", call.context.project_id)
    call.compute.delete_flavor_extra_spec(call.actor, flavor_id, key)
    return Reply(None, 200)
