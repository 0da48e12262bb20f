"""``restore`` and ``forceDelete``: 202, no body.

Nova's handlers catch only some refusals: ``restore`` answers a locked server with the
generic invalid-state sentence, and ``forceDelete`` while a task runs escapes as a 500.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import GENERIC, UNCAUGHT, refusals


@refusals("restore", locked=GENERIC)
def restore(call: Call, server_id: str) -> Reply:
    server = server_for(call, server_id, rules.DEFERRED_DELETE + "restore")
    call.compute.restore(call.actor, server)
    return Reply(None, 202)


@refusals("forceDelete", state=UNCAUGHT)
def force_delete(call: Call, server_id: str) -> Reply:
    server = server_for(call, server_id, rules.DEFERRED_DELETE + "force")
    call.compute.force_delete(call.actor, server)
    return Reply(None, 202)
