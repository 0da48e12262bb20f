"""``shelve``, ``shelveOffload`` (admin) and ``unshelve`` (``availability_zone`` from 2.77,
``host`` and unpinning with a null zone from 2.91): 202, no body."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import actor, refusals, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, conflict
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models import shelving
from fakenova.compute.models.shelving import UNCHANGED, Target


def shelve(call: Call, server_id: str, body: Any) -> Reply:
    server = server_for(call, server_id, rules.SHELVE + "shelve")
    with refusals("shelve", server_id):
        shelving.shelve(call.backend, server, actor(call))
    return Reply(None, 202)


def shelve_offload(call: Call, server_id: str, body: Any) -> Reply:
    server = server_for(call, server_id, rules.SHELVE + "shelve_offload")
    with refusals("shelveOffload", server_id):
        shelving.shelve_offload(call.backend, server, actor(call))
    return Reply(None, 202)


def unshelve(call: Call, server_id: str, body: Any) -> Reply:
    v = call.version
    if v.at_least("2.91"):
        validate(schemas.UNSHELVE_V291, body)
    elif v.at_least("2.77"):
        validate(schemas.UNSHELVE_V277, body)
    server = server_for(call, server_id, rules.SHELVE + "unshelve")
    asked = body["unshelve"] or {}
    target = Target(
        zone=asked["availability_zone"]
        if v.at_least("2.77") and "availability_zone" in asked
        else UNCHANGED,
        host=asked.get("host") if v.at_least("2.91") else None,
    )
    who = actor(call)
    try:
        with refusals("unshelve", server_id):
            _check(call, server, who, target)
            shelving.unshelve(call.backend, server, who, target)
    except (shelving.UnshelveNotOffloaded, shelving.HostNotInZone) as e:
        raise conflict(str(e)) from e
    except (shelving.ZoneNotAvailable, shelving.HostNotFound) as e:
        raise bad_request(str(e)) from e
    return Reply(None, 202)


def _check(call: Call, server: Any, who: Any, target: Target) -> None:
    """Nova asks for the host policy only once the server is known to be offloaded."""
    if target.host:
        shelving.check_unshelve(call.backend, server, who, Target(target.zone))
        call.authorize(rules.SHELVE + "unshelve_to_host", server.project_id)
