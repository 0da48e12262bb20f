"""``shelve``, ``shelveOffload`` (admin) and ``unshelve`` (``availability_zone`` from 2.77,
``host`` and unpinning with a null zone from 2.91): 202, no body."""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import bodiless, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.schemas import server_actions as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.models.actions.shelves import UNCHANGED, Target
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.servers.records import Server

shelve = bodiless("shelve", rules.SHELVE + "shelve", ComputeAPI.shelve)
shelve_offload = bodiless(
    "shelveOffload", rules.SHELVE + "shelve_offload", ComputeAPI.shelve_offload
)


@refusals("unshelve")
def unshelve(call: Call, server_id: str) -> Reply:
    v, body = call.version, call.body
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
    if target.host:
        _check_host_allowed(call, server, target)
    call.compute.unshelve(call.actor, server, target)
    return Reply(None, 202)


def _check_host_allowed(call: Call, server: Server, target: Target) -> None:
    """Nova asks for the host policy only once the server is known to be offloaded."""
    call.compute.check_unshelve(call.actor, server, Target(target.zone))
    call.authorize(rules.SHELVE + "unshelve_to_host", server.project_id)
