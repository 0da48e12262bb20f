"""``GET /os-networks`` and ``/os-networks/{id}``: the network proxy, up to microversion 2.35;
and ``/os-tenant-networks``, its nova-network era twin, in the shape Nova still gives it.

The guide's ``openstack server create --network NAME`` needs the first: without a network
endpoint in the catalog the client resolves the name through this API (at 2.1).
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.validation import empty_query_schema
from fakenova.compute.api.views import networks as view

LAST_VERSION = "2.36"  # 2.36 removed the proxy APIs


def _available(call: Call) -> None:
    if call.version.at_least(LAST_VERSION):
        raise not_found("The resource could not be found.")


def index(call: Call) -> Reply:
    _available(call)
    call.authorize("os_compute_api:os-networks:list")
    return Reply({"networks": [view.network(n) for n in call.compute.networks()]})


def show(call: Call, network_id: str) -> Reply:
    _available(call)
    call.authorize("os_compute_api:os-networks:show")
    found = call.compute.network(network_id)
    if found is None:
        raise not_found("Network not found")
    return Reply({"network": view.network(found)})


def _tenant_networks(call: Call, action: str) -> None:
    _available(call)
    empty_query_schema(call.request.GET)
    call.authorize(f"os_compute_api:os-tenant-networks:{action}")


def tenant_index(call: Call) -> Reply:
    """The networks the caller's project sees, as Nova lists them from Neutron (no default
    networks: ``use_neutron_default_nets`` is off by default)."""
    _tenant_networks(call, "list")
    return Reply({"networks": [view.tenant_network(n) for n in call.compute.networks()]})


def tenant_show(call: Call, network_id: str) -> Reply:
    _tenant_networks(call, "show")
    found = call.compute.network(network_id)
    if found is None:
        raise not_found("Network not found")
    return Reply({"network": view.tenant_network(found)})
