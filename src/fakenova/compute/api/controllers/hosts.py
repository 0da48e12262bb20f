"""``os-hosts``: the deployment's hosts and what an admin may ask of one (every rule is
admin-only by default). Gone from 2.43: the routes then answer 404 before anything else.

Nova checks the body (or query) first, then policy. The show and power-action routes declare
an empty query schema that Nova's validation cannot read: any query parameter there is a 500
(Nova's ``KeyError``), before policy.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.schemas import hosts as schemas
from fakenova.compute.api.validation import empty_query_schema, validate
from fakenova.compute.api.views import hosts as view

RULE = "os_compute_api:os-hosts:"
REMOVED_IN = "2.43"


def _available(call: Call) -> None:
    if call.version.at_least(REMOVED_IN):
        raise not_found("The resource could not be found.")


def index(call: Call) -> Reply:
    _available(call)
    call.authorize(RULE + "list")
    return Reply(view.listed(call.compute.hosts(call.request.GET.get("zone"))))


def show(call: Call, host_name: str) -> Reply:
    _available(call)
    empty_query_schema(call.request.GET)
    call.authorize(RULE + "show")
    return Reply(view.resources(call.compute.host_resources(host_name)))


def _switch(value: str | None) -> bool | None:
    return None if value is None else value.strip().lower() == "enable"


def update(call: Call, host_name: str) -> Reply:
    _available(call)
    validate(schemas.UPDATE, call.body)
    call.authorize(RULE + "update")
    answered = call.compute.update_host(
        host_name,
        enabled=_switch(call.body.get("status")),
        maintenance=_switch(call.body.get("maintenance_mode")),
    )
    return Reply(view.updated(host_name, answered))


def _power(call: Call, host_name: str, action: str, rule: str) -> Reply:
    _available(call)
    empty_query_schema(call.request.GET)
    call.authorize(RULE + rule)
    return Reply(view.power_action(host_name, call.compute.host_power_action(host_name, action)))


def startup(call: Call, host_name: str) -> Reply:
    return _power(call, host_name, "startup", "start")


def shutdown(call: Call, host_name: str) -> Reply:
    return _power(call, host_name, "shutdown", "shutdown")


def reboot(call: Call, host_name: str) -> Reply:
    return _power(call, host_name, "reboot", "reboot")
