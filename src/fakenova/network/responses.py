"""Networking v2.0 HTTP handlers: Neutron's bodies, list filters and fault shape."""

from __future__ import annotations

import ipaddress
from typing import Any

import webob
import webob.dec

from fakenova.http import RoutedApp, json_response, keystone_unauthorized
from fakenova.identity.models import IdentityBackend
from fakenova.network import extensions, views
from fakenova.network.errors import Forbidden, InvalidInput, NeutronError
from fakenova.network.l3_responses import FloatingIpHandlers, refuse_l3_port
from fakenova.network.listing import listing, project
from fakenova.network.models import (
    DEFAULT_QUOTAS,
    Caller,
    NetworkBackend,
    Port,
    is_compute_port,
)
from fakenova.network.urls import ROUTES
from fakenova.network.validation import (
    bandwidth_rule_attributes,
    boolean,
    check_keys,
    check_string,
    policy_attributes,
    qos_policy_id,
    resource_body,
    rule_attributes,
)

# webob's sentence for a 404 without detail, which Neutron's fault body carries.
NOT_FOUND = "The resource could not be found."


def fault(status: int, kind: str, message: str) -> webob.Response:
    """Neutron's fault body (``neutron/api/api_common.py``): the exception's class name, its
    sentence and an always empty detail."""
    return json_response({"NeutronError": {"type": kind, "message": message, "detail": ""}}, status)


class NetworkApp(FloatingIpHandlers):
    """The WSGI app mounted at ``/networking``."""

    def __init__(self, backend: NetworkBackend, identity: IdentityBackend) -> None:
        self.backend = backend
        self.identity = identity
        self.router = RoutedApp(ROUTES)

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        # The version list is answered before authentication, as Neutron's paste pipeline does.
        if request.path_info in ("", "/"):
            return self.versions(request)
        token = self.identity.validate(request.headers.get("X-Auth-Token"))
        if token is None:
            return keystone_unauthorized(request)
        if self.backend.settle is not None:
            self.backend.settle()
        if request.path_info.endswith(".json"):
            request.path_info = request.path_info[: -len(".json")]
        matched = self.router.match(request)
        if matched is None:
            # Neutron's pecan router aborts with webob's 404, and its exception hook renders
            # that as a fault like any other (unlike Nova's and Glance's HTML page).
            return fault(404, "HTTPNotFound", NOT_FOUND)
        handler, params = matched
        caller = Caller(token.project.id, token.is_admin)
        try:
            answer: webob.Response = getattr(self, handler)(request, caller, **params)
        except NeutronError as error:
            return fault(error.status, error.kind, error.message)
        except UnicodeDecodeError:
            # Neutron's query hook cannot read such a query and its exception hook answers 500;
            # the fake never answers bad input with a 500, so it gives Nova's sentence for it.
            return fault(400, "HTTPBadRequest", "Query string is not UTF-8 encoded")
        return answer

    def versions(self, request: webob.Request) -> webob.Response:
        href = request.application_url.rstrip("/") + "/v2.0/"
        return json_response(
            {
                "versions": [
                    {"id": "v2.0", "status": "CURRENT", "links": [{"rel": "self", "href": href}]}
                ]
            }
        )

    def resources(self, request: webob.Request, caller: Caller) -> webob.Response:
        base = request.application_url + "/v2.0/"
        names = (("network", "networks"), ("subnet", "subnets"), ("subnetpool", "subnetpools"))
        layout = [
            {"name": n, "collection": c, "links": [{"rel": "self", "href": base + c}]}
            for n, c in (
                *names,
                ("port", "ports"),
                ("router", "routers"),
                ("floatingip", "floatingips"),
            )
        ]
        return json_response({"resources": layout})

    def list_extensions(self, request: webob.Request, caller: Caller) -> webob.Response:
        return json_response({"extensions": [extensions.body(e) for e in extensions.EXTENSIONS]})

    def show_extension(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        return json_response({"extension": extensions.body(extensions.find(item_id))})

    # -- networks and subnets -----------------------------------------------------------------

    def list_networks(self, request: webob.Request, caller: Caller) -> webob.Response:
        nets = self.backend.visible_networks(caller)
        return listing(request, "networks", [views.network(n, caller) for n in nets])

    def show_network(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        body = views.network(self.backend.network(caller, item_id), caller)
        return json_response({"network": project(request, body)})

    def list_subnets(self, request: webob.Request, caller: Caller) -> webob.Response:
        subs = self.backend.visible_subnets(caller)
        return listing(request, "subnets", [views.subnet(s) for s in subs])

    def show_subnet(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        body = views.subnet(self.backend.subnet(caller, item_id))
        return json_response({"subnet": project(request, body)})

    # -- ports --------------------------------------------------------------------------------

    def list_ports(self, request: webob.Request, caller: Caller) -> webob.Response:
        ports = self.backend.visible_ports(caller)
        return listing(request, "ports", [self._port(p, caller) for p in ports])

    def _port(self, port: Port, caller: Caller) -> dict[str, Any]:
        return views.port(port, caller, self.backend.resource_request(port))

    def show_port(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        body = self._port(self.backend.port(caller, item_id), caller)
        return json_response({"port": project(request, body)})

    def create_port(self, request: webob.Request, caller: Caller) -> webob.Response:
        inner = resource_body(request, "port")
        allowed = {"network_id", "name", "fixed_ips", "security_groups", "description"}
        check_keys(inner, allowed | {"qos_policy_id", "admin_state_up"})
        if "network_id" not in inner:
            raise InvalidInput(
                "Failed to parse request. Required attribute 'network_id' not specified"
            )
        check_string(inner, "name")  # neutron-lib's port attributes, in their order
        enabled = boolean(inner.get("admin_state_up", True))
        policy = qos_policy_id(inner)
        network = self.backend.network(caller, str(inner["network_id"]))
        fixed = self._fixed_ip(inner.get("fixed_ips"), network.subnet.id, network.subnet.cidr)
        groups = self._groups(caller, inner.get("security_groups"))
        port = self.backend.create_port(
            caller,
            network.id,
            name=inner.get("name", ""),
            fixed_ip=fixed,
            security_groups=groups,
            qos_policy_id=policy,
            admin_state_up=enabled,
        )
        return json_response({"port": self._port(port, caller)}, 201)

    def _fixed_ip(self, fixed_ips: Any, subnet_id: str, cidr: str) -> str | None:
        if fixed_ips is None:
            return None
        if not isinstance(fixed_ips, list) or len(fixed_ips) > 1:
            raise InvalidInput(
                "Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: "
                f"'{fixed_ips}'."
            )
        if not fixed_ips:
            return None
        entry = fixed_ips[0]
        if not isinstance(entry, dict) or "ip_address" not in entry:
            return None
        address = str(entry["ip_address"])
        try:
            inside = ipaddress.ip_address(address) in ipaddress.ip_network(cidr)
        except ValueError:
            raise InvalidInput(
                f"Invalid input for fixed_ips. Reason: '{address}' is not a valid IP address."
            ) from None
        if not inside:
            raise InvalidInput(
                f"Invalid input for operation: IP address {address} is not a valid IP for the "
                "specified subnet.",
                "InvalidInput",
            )
        return address

    def _groups(self, caller: Caller, requested: Any) -> list[str] | None:
        if requested is None:
            return None
        if not isinstance(requested, list):
            raise InvalidInput(
                f"Invalid input for security_groups. Reason: '{requested}' is not a list."
            )
        return [self.backend.group(caller, str(g)).id for g in requested]

    def update_port(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        inner = resource_body(request, "port")
        check_keys(
            inner, {"name", "security_groups", "description", "qos_policy_id", "admin_state_up"}
        )
        check_string(inner, "name")
        enabled = boolean(inner["admin_state_up"]) if "admin_state_up" in inner else None
        policy = qos_policy_id(inner)
        port = self.backend.port(caller, item_id)
        changes: dict[str, Any] = {}
        if enabled is not None:
            changes["admin_state_up"] = enabled
        if "name" in inner:
            changes["name"] = inner["name"]
        if "security_groups" in inner:
            changes["security_groups"] = self._groups(caller, inner["security_groups"] or [])
        if "qos_policy_id" in inner:
            if policy is not None:
                self.backend.qos_policy(caller, policy)
            changes["qos_policy_id"] = policy
        self.backend.update_port(port, **changes)
        return json_response({"port": self._port(port, caller)})

    def delete_port(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        port = self.backend.port(caller, item_id)
        refuse_l3_port(port.device_owner, port.id)
        self.backend.delete_port(item_id)
        if self.backend.notify_nova is not None and is_compute_port(port):
            self.backend.notify_nova("network-vif-deleted", port)
        return webob.Response(status=204)

    # -- security groups ----------------------------------------------------------------------

    def list_groups(self, request: webob.Request, caller: Caller) -> webob.Response:
        groups = self.backend.visible_groups(caller)
        return listing(request, "security_groups", [views.group(g) for g in groups])

    def show_group(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        body = views.group(self.backend.group(caller, item_id))
        return json_response({"security_group": project(request, body)})

    def create_group(self, request: webob.Request, caller: Caller) -> webob.Response:
        inner = resource_body(request, "security_group")
        check_keys(inner, {"name", "description", "stateful", "project_id", "tenant_id"})
        check_string(inner, "name")
        check_string(inner, "description")
        owner = inner.get("project_id") or inner.get("tenant_id")
        if owner and owner != caller.project_id and not caller.is_admin:
            raise InvalidInput(
                "Specifying 'project_id' or 'tenant_id' other than the authenticated project "
                "in request requires admin privileges"
            )
        group = self.backend.create_group(
            caller, inner.get("name", ""), inner.get("description", ""), owner
        )
        return json_response({"security_group": views.group(group)}, 201)

    def update_group(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        inner = resource_body(request, "security_group")
        check_keys(inner, {"name", "description"})
        check_string(inner, "name")
        check_string(inner, "description")
        group = self.backend.update_group(caller, item_id, dict(inner))
        return json_response({"security_group": views.group(group)})

    def delete_group(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        self.backend.delete_group(caller, item_id)
        return webob.Response(status=204)

    # -- security group rules -----------------------------------------------------------------

    def _rule_bodies(self, caller: Caller) -> list[dict[str, Any]]:
        groups = self.backend.visible_groups(caller)
        return [views.rule(r, g.is_default) for g in groups for r in g.rules]

    def list_rules(self, request: webob.Request, caller: Caller) -> webob.Response:
        return listing(request, "security_group_rules", self._rule_bodies(caller))

    def show_rule(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        rule = self.backend.rule(caller, item_id)
        body = views.rule(rule, self.backend.groups[rule.group_id].is_default)
        return json_response({"security_group_rule": project(request, body)})

    def create_rule(self, request: webob.Request, caller: Caller) -> webob.Response:
        inner = resource_body(request, "security_group_rule")
        attributes = rule_attributes(inner)
        rule = self.backend.create_rule(caller, str(inner["security_group_id"]), attributes)
        body = views.rule(rule, self.backend.groups[rule.group_id].is_default)
        return json_response({"security_group_rule": body}, 201)

    def delete_rule(self, request: webob.Request, caller: Caller, item_id: str) -> webob.Response:
        self.backend.delete_rule(caller, item_id)
        return webob.Response(status=204)

    # -- quality of service -------------------------------------------------------------------

    def list_qos_policies(self, request: webob.Request, caller: Caller) -> webob.Response:
        policies = self.backend.visible_qos_policies(caller)
        return listing(request, "policies", [views.qos_policy(p) for p in policies])

    def show_qos_policy(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        body = views.qos_policy(self.backend.qos_policy(caller, item_id))
        return json_response({"policy": project(request, body)})

    def create_qos_policy(self, request: webob.Request, caller: Caller) -> webob.Response:
        """Neutron's default ``create_policy`` rule lets an admin (or a project manager,
        a role this cloud's users do not hold) create policies."""
        inner = resource_body(request, "policy")
        name, description, shared = policy_attributes(inner)
        if not caller.is_admin:
            raise Forbidden("rule:create_policy is disallowed by policy", "PolicyNotAuthorized")
        policy = self.backend.create_qos_policy(caller, name, description, shared)
        return json_response({"policy": views.qos_policy(policy)}, 201)

    def list_bandwidth_rules(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        rules = self.backend.qos_policy(caller, item_id).rules
        return listing(request, "minimum_bandwidth_rules", [views.bandwidth_rule(r) for r in rules])

    def create_bandwidth_rule(
        self, request: webob.Request, caller: Caller, item_id: str
    ) -> webob.Response:
        inner = resource_body(request, "minimum_bandwidth_rule")
        min_kbps, direction = bandwidth_rule_attributes(inner)
        policy = self.backend.qos_policy(caller, item_id)
        if not caller.is_admin:
            raise Forbidden(
                "rule:create_policy_minimum_bandwidth_rule is disallowed by policy",
                "PolicyNotAuthorized",
            )
        rule = self.backend.create_bandwidth_rule(caller, policy.id, min_kbps, direction)
        return json_response({"minimum_bandwidth_rule": views.bandwidth_rule(rule)}, 201)

    # -- quotas -------------------------------------------------------------------------------

    def _quota_owner(self, caller: Caller, project_id: str) -> None:
        if project_id != caller.project_id and not caller.is_admin:
            raise Forbidden("get_quota is disallowed by policy", "PolicyNotAuthorized")

    def show_quota(self, request: webob.Request, caller: Caller, project_id: str) -> webob.Response:
        self._quota_owner(caller, project_id)
        return json_response({"quota": dict(DEFAULT_QUOTAS)})

    def default_quota(
        self, request: webob.Request, caller: Caller, project_id: str
    ) -> webob.Response:
        self._quota_owner(caller, project_id)
        return json_response({"quota": dict(DEFAULT_QUOTAS)})

    def quota_details(
        self, request: webob.Request, caller: Caller, project_id: str
    ) -> webob.Response:
        if project_id != caller.project_id and not caller.is_admin:
            raise Forbidden(
                "User does not have admin privileges: Only admin is authorized to access "
                "quotas for another project.",
                "AdminRequired",
            )
        used = self.backend.usage(project_id)
        return json_response(
            {
                "quota": {
                    key: {"limit": limit, "used": used.get(key, 0), "reserved": 0}
                    for key, limit in DEFAULT_QUOTAS.items()
                }
            }
        )
