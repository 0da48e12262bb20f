"""Neutron's resource bodies: the attributes neutron-lib defines for each resource
(``neutron_lib/api/definitions/``) plus the standard attributes (timestamps, revision, tags),
less what Neutron's policy hides from members (``binding:*``, ``provider:*``)."""

from __future__ import annotations

from typing import Any

from fakenova.network.l3 import FloatingIp, Router
from fakenova.network.models import Caller, Network, Port, Rule, SecurityGroup, Subnet
from fakenova.network.qos import MinimumBandwidthRule, QosPolicy


def _standard(created: str, updated: str = "", revision: int = 1) -> dict[str, Any]:
    return {
        "tags": [],
        "created_at": created,
        "updated_at": updated or created,
        "revision_number": revision,
    }


def network(net: Network, caller: Caller) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": net.id,
        "name": net.name,
        "tenant_id": net.project_id,
        "admin_state_up": True,
        "mtu": 1442,
        "status": "ACTIVE",
        "subnets": [net.subnet.id],
        "shared": net.shared,
        "availability_zone_hints": [],
        "availability_zones": ["nova"],
        "ipv4_address_scope": None,
        "ipv6_address_scope": None,
        "router:external": net.external,
        "description": "",
        "port_security_enabled": True,
        "dns_domain": "",
        "l2_adjacency": True,
        "qos_policy_id": None,
        **_standard(net.created_at),
        "project_id": net.project_id,
    }
    if caller.is_admin:
        body.update(
            {
                "provider:network_type": "geneve",
                "provider:physical_network": None,
                "provider:segmentation_id": int(net.id[:4], 16) % 4000 + 1,
            }
        )
    return body


def subnet(sub: Subnet) -> dict[str, Any]:
    return {
        "id": sub.id,
        "name": sub.name,
        "tenant_id": sub.project_id,
        "network_id": sub.network_id,
        "ip_version": sub.ip_version,
        "subnetpool_id": None,
        "enable_dhcp": not sub.external,
        "ipv6_ra_mode": None,
        "ipv6_address_mode": None,
        "gateway_ip": sub.gateway_ip,
        "cidr": sub.cidr,
        "allocation_pools": [sub.allocation_pool],
        "host_routes": [],
        "dns_nameservers": [],
        "description": "",
        "service_types": [],
        "dns_publish_fixed_ip": False,
        "router:external": sub.external,
        **_standard(sub.created_at),
        "project_id": sub.project_id,
    }


def port(item: Port, caller: Caller, resource_request: Any = None) -> dict[str, Any]:
    """A port; ``resource_request`` (the backend's, for its QoS policy) only for an admin,
    as Neutron's ``get_port:resource_request`` rule has it."""
    body: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "network_id": item.network_id,
        "tenant_id": item.project_id,
        "mac_address": item.mac_address,
        "admin_state_up": item.admin_state_up,
        "status": item.status,
        "device_id": item.device_id,
        "device_owner": item.device_owner,
        "fixed_ips": [dict(f) for f in item.fixed_ips],
        "allowed_address_pairs": [],
        "extra_dhcp_opts": [],
        "security_groups": list(item.security_groups),
        "description": "",
        "port_security_enabled": True,
        "dns_name": "",
        "dns_assignment": [],
        "qos_policy_id": item.qos_policy_id,
        "qos_network_policy_id": None,
        "propagate_uplink_status": False,
        **_standard(item.created_at, item.updated_at, item.revision_number),
        "project_id": item.project_id,
    }
    if caller.is_admin:
        body.update(
            {
                "binding:host_id": item.host,
                "binding:vif_type": "ovs" if item.host else "unbound",
                "binding:vnic_type": "normal",
                "binding:profile": {},
                "binding:vif_details": {"port_filter": True} if item.host else {},
                "resource_request": resource_request,
            }
        )
    return body


def bandwidth_rule(item: MinimumBandwidthRule) -> dict[str, Any]:
    """A minimum-bandwidth rule as its own collection shows it."""
    return {"id": item.id, "min_kbps": item.min_kbps, "direction": item.direction}


def qos_policy(item: QosPolicy) -> dict[str, Any]:
    """A policy with its rules, each as the policy object renders it (with its type and
    policy id)."""
    rules = [
        bandwidth_rule(r) | {"qos_policy_id": item.id, "type": "minimum_bandwidth"}
        for r in item.rules
    ]
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "shared": item.shared,
        "tenant_id": item.project_id,
        "rules": rules,
        "is_default": False,
        **_standard(item.created_at, item.updated_at, item.revision_number),
        "project_id": item.project_id,
    }


def rule(item: Rule, default_group: bool) -> dict[str, Any]:
    return {
        "id": item.id,
        "tenant_id": item.project_id,
        "security_group_id": item.group_id,
        "ethertype": item.ethertype,
        "direction": item.direction,
        "protocol": item.protocol,
        "port_range_min": item.port_range_min,
        "port_range_max": item.port_range_max,
        "remote_ip_prefix": item.remote_ip_prefix,
        "remote_address_group_id": None,
        "normalized_cidr": item.remote_ip_prefix,
        "remote_group_id": item.remote_group_id,
        "belongs_to_default_sg": default_group,
        "description": item.description,
        **_standard(item.created_at),
        "project_id": item.project_id,
    }


def group(item: SecurityGroup) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "stateful": True,
        "tenant_id": item.project_id,
        "description": item.description,
        "shared": False,
        "security_group_rules": [rule(r, item.is_default) for r in item.rules],
        **_standard(item.created_at, item.updated_at, item.revision_number),
        "project_id": item.project_id,
    }


def floatingip(item: FloatingIp, port: Port | None) -> dict[str, Any]:
    """A floating IP with the extensions devstack's Neutron loads (``fip-port-details``: a
    summary of the port it points at; ``qos-fip``, ``dns-integration``,
    ``floating-ip-port-forwarding``)."""
    details = None
    if port is not None:
        details = {
            "name": port.name,
            "network_id": port.network_id,
            "mac_address": port.mac_address,
            "admin_state_up": True,
            "status": port.status,
            "device_id": port.device_id,
            "device_owner": port.device_owner,
        }
    return {
        "id": item.id,
        "tenant_id": item.project_id,
        "floating_ip_address": item.floating_ip_address,
        "floating_network_id": item.floating_network_id,
        "router_id": item.router_id,
        "port_id": item.port_id,
        "fixed_ip_address": item.fixed_ip_address,
        "status": item.status,
        "description": item.description,
        "qos_policy_id": None,
        "port_details": details,
        "dns_domain": "",
        "dns_name": "",
        "port_forwardings": [],
        **_standard(item.created_at, item.updated_at, item.revision_number),
        "project_id": item.project_id,
    }


def router(item: Router, gateway: Port, caller: Caller) -> dict[str, Any]:
    """A router as devstack's Neutron (OVN) shows it; ``distributed`` and ``ha`` to admins
    only (Neutron's ``get_router:distributed`` and ``get_router:ha`` rules)."""
    body: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "tenant_id": item.project_id,
        "admin_state_up": True,
        "status": "ACTIVE",
        "external_gateway_info": {
            "network_id": item.gateway_network_id,
            "external_fixed_ips": [dict(f) for f in gateway.fixed_ips],
            "enable_snat": True,
        },
        "description": "",
        "availability_zones": [],
        "availability_zone_hints": [],
        "routes": [],
        "flavor_id": None,
        "enable_ndp_proxy": None,
        "external_gateways": [
            {
                "network_id": item.gateway_network_id,
                "external_fixed_ips": [dict(f) for f in gateway.fixed_ips],
            }
        ],
        **_standard(item.created_at),
        "project_id": item.project_id,
    }
    if caller.is_admin:
        body.update({"distributed": False, "ha": False})
    return body
