"""``lock`` (``locked_reason`` from 2.73) and ``unlock``: 202, no body.

Neither checks the server's state or lock. Unlocking a lock the other party holds (an
admin's lock, for the owner's project) needs ``unlock:unlock_override``, admin-only.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate


def lock(call: Call, server_id: str) -> Reply:
    reason = None
    if call.version.at_least("2.73"):
        validate(schemas.LOCK_V273, call.body)
        reason = (call.body["lock"] or {}).get("locked_reason")
    server = server_for(call, server_id, rules.LOCK_SERVER + "lock")
    call.compute.lock(call.actor, server, reason)
    return Reply(None, 202)


def unlock(call: Call, server_id: str) -> Reply:
    server = server_for(call, server_id, rules.LOCK_SERVER + "unlock")
    if not call.compute.holds_lock(call.actor, server):
        call.authorize(rules.LOCK_SERVER + "unlock:unlock_override", server.project_id)
    call.compute.unlock(call.actor, server)
    return Reply(None, 202)
