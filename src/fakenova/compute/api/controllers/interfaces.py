"""``/servers/{id}/os-interface``: list, show, attach (200, the new attachment), detach (202).

As Nova's handlers: the server is found first (404), then policy is checked against its
project; the list and show refuse unknown query parameters from 2.102; the attach's body is
validated before anything (with ``tag`` from 2.49), a network and a port together or an
address without a network are refused before the compute API is asked; answers carry the
device tag from 2.70.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.controllers.action_support import server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, refusals
from fakenova.compute.api.policy import ATTACH_INTERFACES
from fakenova.compute.api.schemas import interfaces as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import interfaces as view


def index(call: Call, server_id: str) -> Reply:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    server = server_for(call, server_id, ATTACH_INTERFACES + "list")
    tagged = call.version.at_least("2.70")
    found = call.compute.interfaces(server)
    return Reply({"interfaceAttachments": [view.attachment(p, t, tagged) for p, t in found]})


def show(call: Call, server_id: str, port_id: str) -> Reply:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    server = server_for(call, server_id, ATTACH_INTERFACES + "show")
    return _shown(call, server, server_id, port_id)


def _shown(call: Call, server: Any, server_id: str, port_id: str) -> Reply:
    port, tag = call.compute.interface(call.actor, server, server_id, port_id)
    body = view.attachment(port, tag, call.version.at_least("2.70"))
    return Reply({"interfaceAttachment": body})


@refusals("attach_interface")
def create(call: Call, server_id: str) -> Reply:
    validate(pick(schemas.BY_VERSION, call.version), call.body)
    server = server_for(call, server_id, ATTACH_INTERFACES + "create")
    attachment = (call.body or {}).get("interfaceAttachment") or {}
    network_id, port_id = attachment.get("net_id"), attachment.get("port_id")
    address = (attachment.get("fixed_ips") or [{}])[0].get("ip_address")
    if network_id and port_id:
        raise bad_request("Must not input both network_id and port_id")
    if address and not network_id:
        raise bad_request("Must input network_id when request IP address")
    attached = call.compute.attach_interface(
        call.actor, server, network_id, port_id, address, attachment.get("tag")
    )
    return _shown(call, server, server_id, attached)


@refusals("detach_interface")
def delete(call: Call, server_id: str, port_id: str) -> Reply:
    server = server_for(call, server_id, ATTACH_INTERFACES + "delete")
    call.compute.detach_interface(call.actor, server, port_id)
    return Reply(None, 202)
