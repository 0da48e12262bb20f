"""Security groups as Nova's compute API shows them (``nova/api/openstack/compute/
security_groups.py``): Neutron's group in Nova's old shape, with its ingress rules only."""

from __future__ import annotations

from typing import Any

from fakenova.network.models import Rule, SecurityGroup

# Where a rule points at another group: that group's name and project, by id.
Sources = dict[str, tuple[str, str]]


def rule(item: Rule, sources: Sources) -> dict[str, Any] | None:
    """One rule; None when it points at a group the caller cannot see (Nova skips it)."""
    low, high = item.port_range_min, item.port_range_max
    if item.protocol and low is None and high is None:
        low, high = (1, 65535) if item.protocol.upper() in ("TCP", "UDP") else (-1, -1)
    body: dict[str, Any] = {
        "id": item.id,
        "parent_group_id": item.group_id,
        "ip_protocol": item.protocol,
        "from_port": low,
        "to_port": high,
        "group": {},
        "ip_range": {},
    }
    if item.remote_group_id:
        if item.remote_group_id not in sources:
            return None
        name, project = sources[item.remote_group_id]
        body["group"] = {"name": name, "tenant_id": project}
    else:
        body["ip_range"] = {"cidr": item.remote_ip_prefix or "0.0.0.0/0"}
    return body


def group(item: SecurityGroup, sources: Sources) -> dict[str, Any]:
    rules = [rule(r, sources) for r in item.rules if r.direction == "ingress"]
    return {
        "id": item.id,
        "description": item.description,
        "name": item.name,
        "tenant_id": item.project_id,
        "rules": [r for r in rules if r is not None],
    }
