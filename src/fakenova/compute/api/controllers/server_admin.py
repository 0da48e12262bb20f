"""Admin-only actions: ``os-resetState`` and ``injectNetworkInfo`` (202, no body).

``resetNetwork`` was removed from Nova; Nova 34 still knows the action and answers 410 Gone
before looking at anything else.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import actor, refusals, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import ApiFault
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import action_flow as flow
from fakenova.compute.models.states import ACTIVE, ERROR


def reset_state(call: Call, server_id: str, body: Any) -> Reply:
    """The state is set at once; the action is recorded without events."""
    validate(schemas.RESET_STATE, body)
    server = server_for(call, server_id, rules.ADMIN_ACTIONS + "reset_state")
    state = {"active": ACTIVE, "error": ERROR}[body["os-resetState"]["state"]]
    flow.begin(call.backend, server, actor(call), "resetState", None)
    server.vm_state = state
    server.task_state = None
    server.updated_at = call.backend.clock.now
    return Reply(None, 202)


def inject_network_info(call: Call, server_id: str, body: Any) -> Reply:
    """Nova records no instance action for it (only the lock is checked)."""
    server = server_for(call, server_id, rules.ADMIN_ACTIONS + "inject_network_info")
    with refusals("injectNetworkInfo", server_id):
        flow.check_lock(server, actor(call))
    return Reply(None, 202)


def reset_network(call: Call, server_id: str, body: Any) -> Reply:
    raise ApiFault(410, "This resource is no longer available. No forwarding address is given.")
