"""``GET /os-services``: admin only; from 2.69 an unreachable cell shows its compute hosts."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.views.services import ServiceView


def index(call: Call) -> Reply:
    call.authorize("os_compute_api:os-services:list")
    services = call.backend.list_services(cell_down_support=call.version.at_least("2.69"))
    if host := call.request.GET.get("host"):
        services = [s for s in services if s.host == host]
    if binary := call.request.GET.get("binary"):
        services = [s for s in services if s.binary == binary]
    return Reply(ServiceView(call.version, call.backend).listed(services))
