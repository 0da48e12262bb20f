"""``/v2.0/floatingips`` handlers: Neutron's bodies, list filters and refusals (the base
controller's checks in :mod:`~fakenova.network.validation`, the plugin's in
:mod:`~fakenova.network.l3`)."""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response
from fakenova.network import views
from fakenova.network.errors import Forbidden, InUse, InvalidInput, NotFound
from fakenova.network.l3 import L3_OWNERS, UNSET, FloatingIp
from fakenova.network.listing import listing, project
from fakenova.network.models import Caller, NetworkBackend
from fakenova.network.validation import floatingip_attributes, resource_body

OTHER_PROJECT = (
    "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request "
    "requires admin privileges"
)


class FloatingIpHandlers:
    """Mixed into the Network service's app, which routes to these by name."""

    backend: NetworkBackend

    def list_routers(self, request: webob.Request, caller: Caller) -> webob.Response:
        """The routers of ``conf/`` (read-only: creating or changing one is not modelled)."""
        l3 = self.backend.l3
        bodies = [views.router(r, l3.gateway_port(r), caller) for r in l3.visible_routers(caller)]
        return listing(request, "routers", bodies)

    def show_router(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        l3 = self.backend.l3
        found = l3.router(caller, item_id)
        body = views.router(found, l3.gateway_port(found), caller)
        return json_response({"router": project(request, body)})

    def _fip(self, item: FloatingIp) -> dict[str, Any]:
        return views.floatingip(item, self.backend.ports.get(item.port_id or ""))

    def list_floatingips(self, request: webob.Request, caller: Caller) -> webob.Response:
        fips = self.backend.l3.visible(caller)
        return listing(request, "floatingips", [self._fip(f) for f in fips])

    def show_floatingip(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        body = self._fip(self.backend.l3.get(caller, item_id))
        return json_response({"floatingip": project(request, body)})

    def create_floatingip(self, request: webob.Request, caller: Caller) -> webob.Response:
        """Neutron's order: the body, the owner it names, the attributes; the policy on a
        chosen address (``create_floatingip:floating_ip_address``: admins and project
        managers, a role this cloud's users do not hold); then the plugin."""
        inner = resource_body(request, "floatingip")
        owner = inner.get("project_id") or inner.get("tenant_id")
        if owner and owner != caller.project_id and not caller.is_admin:
            raise InvalidInput(OTHER_PROJECT)
        asked = floatingip_attributes(inner, create=True)
        address = asked.get("floating_ip_address")
        if address is not None and not caller.is_admin:
            raise Forbidden(
                "(rule:create_floatingip and rule:create_floatingip:floating_ip_address) is "
                "disallowed by policy",
                "PolicyNotAuthorized",
            )
        network_id = asked["floating_network_id"]
        self._check_subnet(caller, network_id, asked.get("subnet_id"))
        fip = self.backend.l3.create(
            caller,
            network_id,
            str(owner or caller.project_id),
            address=address,
            port_id=asked.get("port_id"),
            fixed_ip_address=asked.get("fixed_ip_address"),
            description=asked.get("description", ""),
        )
        return json_response({"floatingip": self._fip(fip)}, 201)

    def _check_subnet(self, caller: Caller, network_id: str, subnet_id: str | None) -> None:
        """A subnet to take the address from must be one of the network's."""
        if subnet_id is None:
            return
        found = self.backend.subnets.get(subnet_id)
        if found is None:
            raise NotFound(f"Subnet {subnet_id} could not be found.", "SubnetNotFound")
        if found.network_id != network_id and network_id in self.backend.networks:
            raise InvalidInput(
                f"Invalid input for operation: Failed to create port on network {network_id}, "
                f"because fixed_ips included invalid subnet {subnet_id}.",
                "InvalidInput",
            )

    def update_floatingip(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        asked = floatingip_attributes(resource_body(request, "floatingip"), create=False)
        fip = self.backend.l3.update(
            caller,
            item_id,
            port_id=asked.get("port_id", UNSET),
            fixed_ip_address=asked.get("fixed_ip_address", UNSET),
            description=asked.get("description", UNSET),
        )
        return json_response({"floatingip": self._fip(fip)})

    def delete_floatingip(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        self.backend.l3.delete(caller, item_id)
        return webob.Response(status=204)


def refuse_l3_port(device_owner: str, port_id: str) -> None:
    """A router's or floating IP's port is deleted with its owner, never through the port API
    (Neutron's ``prevent_l3_port_deletion``)."""
    if device_owner in L3_OWNERS:
        raise InUse(
            f"Port {port_id} cannot be deleted directly via the port API: has device owner "
            f"{device_owner}.",
            "ServicePortInUse",
        )
