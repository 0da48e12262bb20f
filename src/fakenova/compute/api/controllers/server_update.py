"""``PUT /servers/{id}`` and ``DELETE /servers/{id}``."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.server_update import UPDATE
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.server_update import updated
from fakenova.compute.api.views.servers import ServerView


def update(call: Call, server_id: str) -> Reply:
    body = call.body
    validate(pick(UPDATE, call.version), body)
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVERS + "update", server.project_id)
    fields: dict[str, Any] = body["server"]
    changes: dict[str, Any] = {}
    if "name" in fields:
        changes["name"] = fields["name"].strip()
    if "description" in fields:
        changes["description"] = fields["description"]  # null removes it
    if "hostname" in fields:
        changes["hostname"] = fields["hostname"]
    if "pinned_availability_zone" in fields:
        zone = fields["pinned_availability_zone"]
        call.compute.pin_availability_zone(call.actor, server, zone)
    if "OS-DCF:diskConfig" in fields:
        changes["auto_disk_config"] = fields["OS-DCF:diskConfig"] == "AUTO"
    for key, attr in (("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6")):
        if key in fields:
            changes[attr] = access_ip(fields[key])
    call.compute.update(call.actor, server, changes)
    view = ServerView(call.version, call.context, call.policy, call.backend, call.links)
    return Reply(updated(view, server))


def access_ip(value: str) -> str:
    """An access address as Nova stores and shows it: netaddr's text, which for IPv6 is the
    C library's ``inet_ntop`` (``::babe:67.23.10.132`` becomes ``::babe:4317:a84``, while
    ``::ffff:1.2.3.4`` keeps its dotted tail)."""
    address = ipaddress.ip_address(value)
    if address.version == 6:
        return socket.inet_ntop(socket.AF_INET6, address.packed)
    return str(address)


def delete(call: Call, server_id: str) -> Reply:
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVERS + "delete", server.project_id)
    call.compute.delete(call.actor, server)
    return Reply(None, 204)
