"""``rebuild``: 202 with the server as it is now (REBUILD) and its new ``adminPass``.

Below 2.75 the server comes in the reduced form ``PUT /servers/{id}`` answers with (plus
``key_name`` from 2.54); from 2.75 as ``GET`` shows it, except that ``user_data`` is never an
extended attribute here: from 2.57 it is a plain ``user_data`` key instead.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import password, server_for
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.server_rebuild import REBUILD
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.server_update import updated
from fakenova.compute.api.views.servers import ServerView
from fakenova.compute.models.servers.records import Server


@refusals("rebuild")
def rebuild(call: Call, server_id: str) -> Reply:
    validate(pick(REBUILD, call.version), call.body)
    asked: dict[str, Any] = call.body["rebuild"]
    admin_pass = password(call, asked.get("adminPass"), "rebuild-password", server_id)
    server = server_for(call, server_id, rules.SERVERS + "rebuild")
    v = call.version
    changes = _changes(asked, v.at_least("2.54"), v.at_least("2.57"), v.at_least("2.90"))
    if v.at_least("2.63") and "trusted_image_certificates" in asked:
        changes["trusted_certs"] = asked["trusted_image_certificates"]
        call.authorize(rules.SERVERS + "rebuild:trusted_certs", server.project_id)
    files = asked.get("personality") if not v.at_least("2.57") else None
    call.compute.rebuild(call.actor, server, asked["imageRef"], changes, files)
    shown = _view(call, server, admin_pass)
    # Nova's rebuild answer carries the server's self link as Location, as a create's does.
    self_link = [link["href"] for link in shown["server"]["links"] if link["rel"] == "self"]
    return Reply(shown, 202, {"Location": self_link[0]} if self_link else {})


def _changes(asked: dict[str, Any], key_name: bool, user_data: bool, hostname: bool) -> dict:
    changes: dict[str, Any] = {}
    if "name" in asked:
        changes["name"] = asked["name"].strip()
    if "description" in asked:
        changes["description"] = asked["description"]
    if "metadata" in asked:
        changes["metadata"] = dict(asked["metadata"])
    if "OS-DCF:diskConfig" in asked:
        changes["auto_disk_config"] = asked["OS-DCF:diskConfig"] == "AUTO"
    for key, attr in (("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6")):
        if key in asked:
            changes[attr] = str(ipaddress.ip_address(asked[key]))
    if key_name and "key_name" in asked:
        changes["key_name"] = asked["key_name"]
    if user_data and "user_data" in asked:
        changes["user_data"] = asked["user_data"]
    if hostname and "hostname" in asked:
        changes["hostname"] = asked["hostname"]
    return changes


def _view(call: Call, server: Server, admin_pass: str) -> dict[str, Any]:
    view = ServerView(call.version, call.context, call.policy, call.backend, call.links)
    body = updated(view, server)
    shown = body["server"]
    if call.version.at_least("2.75"):
        shown.pop("OS-EXT-SRV-ATTR:user_data", None)
    elif call.version.at_least("2.54"):
        shown["key_name"] = server.key_name
    shown["adminPass"] = admin_pass
    if call.version.at_least("2.57"):
        shown["user_data"] = server.user_data
    return body
