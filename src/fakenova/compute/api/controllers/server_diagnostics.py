"""``GET /servers/{id}/diagnostics``: what the server's host reads from its guest, for admins.

Below 2.48 the body is the virt driver's own dictionary (a KVM devstack's libvirt driver:
``cpu0_time``, ``vda_read`` ..., ``tapXXXXXXXX-XX_rx`` ..., ``memory`` and the balloon's
``memory-*``); from 2.48 the standard shape. 2.102 refuses query parameters, which were
ignored before. A server without a host is "not ready" and one whose guest does not run is
refused with its power state, both 409s.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.api.policy import SERVER_DIAGNOSTICS
from fakenova.compute.api.validation import check_query
from fakenova.compute.api.views import diagnostics as view


@refusals("get_diagnostics")
def index(call: Call, server_id: str) -> Reply:
    if call.version.at_least("2.102"):
        check_query(call.request.GET, ())
    server = call.compute.get(call.actor, server_id)
    call.authorize(SERVER_DIAGNOSTICS, server.project_id)
    found = call.compute.diagnostics(call.actor, server)
    if call.version.at_least("2.48"):
        return Reply(view.standard(found))
    return Reply(view.libvirt(found))
