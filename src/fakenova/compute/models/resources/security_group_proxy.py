"""The compute API's security-group proxy (``os-security-groups``, ``os-security-group-rules``,
up to 2.35): Nova asks Neutron with the caller's token and turns Neutron's refusals into its
own (``nova/network/security_group_api.py``): a 404 keeps Neutron's sentence; a 409 on delete
becomes a 400, on create a 403; a bad rule is refused by Nova before Neutron sees it.
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import TYPE_CHECKING, Any

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.errors import Forbidden, Invalid, SecurityGroupNotFound, Uncaught
from fakenova.network.errors import NeutronError
from fakenova.network.models import Caller, Rule, SecurityGroup

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend


def _caller(actor: Actor) -> Caller:
    return Caller(str(actor.project_id), actor.is_admin)


def _uuid(value: str) -> str:
    """Nova's ``validate_id``: any string ``uuid.UUID`` reads."""
    try:
        uuid.UUID(value)
    except ValueError:
        raise Invalid("Security group id should be uuid") from None
    return value


def listing(backend: ComputeBackend, actor: Actor, all_tenants: bool) -> list[SecurityGroup]:
    """The caller's project's groups (every project's for an admin asking ``all_tenants``)."""
    found = backend.network.visible_groups(_caller(actor))
    if not (actor.is_admin and all_tenants):
        found = [g for g in found if g.project_id == actor.project_id]
    return found


def get(backend: ComputeBackend, actor: Actor, group_id: str) -> SecurityGroup:
    try:
        return backend.network.group(_caller(actor), _uuid(group_id))
    except NeutronError as error:
        raise SecurityGroupNotFound(error.message) from None


def create(backend: ComputeBackend, actor: Actor, name: str, description: str) -> SecurityGroup:
    try:
        return backend.network.create_group(_caller(actor), name, description)
    except NeutronError as error:
        raise Forbidden(error.message) from None


def update(
    backend: ComputeBackend, actor: Actor, group_id: str, name: str, description: str
) -> SecurityGroup:
    group = get(backend, actor, group_id)
    try:
        changes = {"name": name, "description": description}
        return backend.network.update_group(_caller(actor), group.id, changes)
    except NeutronError:
        raise Uncaught("neutronclient.common.exceptions.Conflict") from None


def delete(backend: ComputeBackend, actor: Actor, group_id: str) -> None:
    group = get(backend, actor, group_id)
    try:
        backend.network.delete_group(_caller(actor), group.id)
    except NeutronError as error:
        raise Invalid(error.message) from None


def create_rule(backend: ComputeBackend, actor: Actor, asked: dict[str, Any]) -> Rule:
    """An ingress rule from the old API's fields, checked as Nova's ``_new_ingress_rule``."""
    parent = get(backend, actor, asked["parent_group_id"])
    source = asked.get("group_id")
    if source is not None:
        get(backend, actor, source)
    values = _rule_values(asked, source)
    if values is None:
        raise Invalid("Not enough parameters to build a valid rule.")
    cidr = values.get("cidr")
    if cidr:
        network = ipaddress.ip_network(cidr, strict=False)
        if str(network.network_address) not in ("0.0.0.0", "::") and network.prefixlen == 0:
            raise Invalid(f"Bad prefix for network in cidr {cidr}")
    for rule in parent.rules:
        if rule.direction == "ingress" and _same(rule, values):
            raise Invalid(f"This rule already exists in group {parent.id}")
    attributes = {
        "direction": "ingress",
        "ethertype": "IPv6"
        if cidr and ipaddress.ip_network(cidr, strict=False).version == 6
        else "IPv4",
        "protocol": (values.get("protocol") or "").lower() or None,
        "port_range_min": _neutron_port(values.get("from_port")),
        "port_range_max": _neutron_port(values.get("to_port")),
        "remote_ip_prefix": cidr,
        "remote_group_id": source,
    }
    try:
        return backend.network.create_rule(_caller(actor), parent.id, attributes)
    except NeutronError as error:
        raise Invalid(error.message) from None


def _neutron_port(value: int | None) -> int | None:
    return None if value in (None, -1) else value


def _same(rule: Rule, values: dict[str, Any]) -> bool:
    ports = (rule.port_range_min, rule.port_range_max)
    if rule.protocol and ports == (None, None):
        ports = (1, 65535) if rule.protocol.upper() in ("TCP", "UDP") else (-1, -1)
    return (
        rule.remote_group_id == values.get("group_id")
        and (rule.remote_ip_prefix or ("0.0.0.0/0" if not rule.remote_group_id else None))
        == values.get("cidr")
        and ports == (values.get("from_port"), values.get("to_port"))
        and rule.protocol == values.get("protocol")
    )


def _rule_values(asked: dict[str, Any], source: str | None) -> dict[str, Any] | None:
    protocol, low, high = asked.get("ip_protocol"), asked.get("from_port"), asked.get("to_port")
    values: dict[str, Any] = {}
    if source is not None:
        values["group_id"] = source
        upper = str(protocol).upper() if protocol else ""
        if upper == "ICMP" and low is None and high is None:
            low = high = -1
        elif upper in ("TCP", "UDP") and low is None and high is None:
            low, high = 1, 65535
    else:
        cidr = asked.get("cidr") or "0.0.0.0/0"
        try:
            ipaddress.ip_network(str(cidr), strict=False)
            if "/" not in str(cidr):
                raise ValueError(cidr)
        except ValueError:
            raise Invalid(f"{cidr} is not a valid IP network.") from None
        values["cidr"] = str(cidr)
    if not (protocol and low is not None and high is not None):
        return None if source is None else values
    protocol = str(protocol)
    upper = protocol.upper()
    try:
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        reason = (
            "Type and Code must be integers for ICMP protocol type"
            if upper == "ICMP"
            else "To and From ports must be integers"
        )
        raise Invalid(f"Invalid input received: {reason}") from None
    if upper not in ("TCP", "UDP", "ICMP"):
        raise Invalid(f"Invalid IP protocol {protocol}.")
    if upper in ("TCP", "UDP") and low > high:
        raise Invalid(
            f"Invalid port range {low}:{high}. Former value cannot be greater than the later"
        )
    if upper in ("TCP", "UDP") and (low < 1 or high > 65535):
        raise Invalid(
            f"Invalid port range {low}:{high}. Valid {upper} ports should be between 1-65535"
        )
    if upper == "ICMP" and not (-1 <= low <= 255 and -1 <= high <= 255):
        raise Invalid(f"Invalid port range {low}:{high}. For ICMP, the type:code must be valid")
    values.update({"protocol": protocol, "from_port": low, "to_port": high})
    return values


def delete_rule(backend: ComputeBackend, actor: Actor, rule_id: str) -> None:
    _uuid(rule_id)
    try:
        rule = backend.network.rule(_caller(actor), rule_id)
    except NeutronError as error:
        raise SecurityGroupNotFound(error.message) from None
    backend.network.delete_rule(_caller(actor), rule.id)
