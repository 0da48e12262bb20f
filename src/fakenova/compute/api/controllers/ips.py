"""``GET /servers/{id}/ips`` and ``/servers/{id}/ips/{network}``: a server's addresses by
network name. Another project's server is not found; an unknown network is a 404 too."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import IPS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import ips as view
from fakenova.compute.models.servers.records import Server


def _server(call: Call, server_id: str, rule: str) -> Server:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    server = call.compute.get(call.actor, server_id)
    call.authorize(IPS + rule, server.project_id)
    return server


def index(call: Call, server_id: str) -> Reply:
    server = _server(call, server_id, "index")
    return Reply(view.listed(call.compute.addresses(server)))


def show(call: Call, server_id: str, network: str) -> Reply:
    server = _server(call, server_id, "show")
    return Reply(view.shown(network, call.compute.network_addresses(server, network)))
