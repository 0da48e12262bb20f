"""Admin-only actions: ``os-resetState`` and ``injectNetworkInfo`` (202, no body).

``resetNetwork`` was removed from Nova; Nova 34 still knows the action and answers 410 Gone
before looking at anything else.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import bodiless, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import gone
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models.compute_api import ComputeAPI


def reset_state(call: Call, server_id: str) -> Reply:
    validate(schemas.RESET_STATE, call.body)
    server = server_for(call, server_id, rules.ADMIN_ACTIONS + "reset_state")
    call.compute.reset_state(call.actor, server, call.body["os-resetState"]["state"])
    return Reply(None, 202)


inject_network_info = bodiless(
    "injectNetworkInfo",
    rules.ADMIN_ACTIONS + "inject_network_info",
    ComputeAPI.inject_network_info,
)


def reset_network(call: Call, server_id: str) -> Reply:
    raise gone()
