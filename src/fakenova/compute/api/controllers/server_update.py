"""``PUT /servers/{id}`` and ``DELETE /servers/{id}``."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from fakenova.compute.api.controllers.action_support import actor
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import project_server, request_body
from fakenova.compute.api.faults import conflict
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.server_update import UPDATE
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.server_update import updated
from fakenova.compute.api.views.servers import ServerView
from fakenova.compute.models import deleted, server_changes
from fakenova.compute.models.servers import Server


def update(call: Call, server_id: str) -> Reply:
    body = request_body(call.request)
    validate(pick(UPDATE, call.version), body)
    server = project_server(call, server_id)
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
        _pin(call, server, fields["pinned_availability_zone"])
    if "OS-DCF:diskConfig" in fields:
        changes["auto_disk_config"] = fields["OS-DCF:diskConfig"] == "AUTO"
    for key, attr in (("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6")):
        if key in fields:
            changes[attr] = access_ip(fields[key])
    server_changes.update(call.backend, server, changes)
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


def _pin(call: Call, server: Server, requested: str | None) -> None:
    """2.104: pin the server to the zone it runs in, or unpin it with null."""
    record = server.record
    if requested is None:
        record.requested_az = None
        return
    host = call.backend.hosts.get(server.host or "")
    current = host.zone if host else record.requested_az
    if record.requested_az is not None:
        if requested != record.requested_az:
            raise conflict(
                "Cannot change pinned availability zone directly. Unpin first by setting "
                "pinned_availability_zone to null."
            )
    elif requested != current:
        raise conflict(
            f"Server can only be pinned to its current availability zone '{current}', "
            f"but '{requested}' was requested."
        )
    else:
        record.requested_az = requested


def delete(call: Call, server_id: str) -> Reply:
    server = project_server(call, server_id)
    call.authorize(SERVERS + "delete", server.project_id)
    try:
        deleted.delete(call.backend, server, actor(call))
    except server_changes.InstanceIsLocked as e:
        raise conflict(str(e)) from e
    return Reply(None, 204)
