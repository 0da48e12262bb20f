"""``restore`` and ``forceDelete``: 202, no body.

Nova's handlers catch only some refusals: ``restore`` answers a locked server with the
generic invalid-state sentence, and ``forceDelete`` while a task runs escapes as a 500.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import actor, refusals, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import conflict, unexpected
from fakenova.compute.models import deleted
from fakenova.compute.models.server_changes import InstanceIsLocked, InvalidState


def restore(call: Call, server_id: str, body: Any) -> Reply:
    server = server_for(call, server_id, rules.DEFERRED_DELETE + "restore")
    with refusals("restore", server_id, lock_as_state=True):
        deleted.restore(call.backend, server, actor(call))
    return Reply(None, 202)


def force_delete(call: Call, server_id: str, body: Any) -> Reply:
    server = server_for(call, server_id, rules.DEFERRED_DELETE + "force")
    try:
        deleted.force_delete(call.backend, server, actor(call))
    except InstanceIsLocked as e:
        raise conflict(str(e)) from e
    except InvalidState as e:
        raise unexpected("nova.exception.InstanceInvalidState") from e
    return Reply(None, 202)
