"""The Network service's input checks, in Neutron's order and words: a request's resource
body (``neutron/api/v2/base.py``, ``prepare_request_body``), attribute values, and a security
group rule's attributes (neutron-lib's converters, then ``securitygroups_db.py``)."""

from __future__ import annotations

import ipaddress
import json
import uuid
from typing import Any

import webob

from fakenova.network.errors import InvalidInput
from fakenova.network.qos import BANDWIDTH_CLASSES, MAX_KBPS

PROTOCOLS = (
    "ah", "dccp", "egp", "esp", "gre", "hopopt", "icmp", "igmp", "ip", "ipip", "ipv6-encap",
    "ipv6-frag", "ipv6-icmp", "icmpv6", "ipv6-nonxt", "ipv6-opts", "ipv6-route", "ospf", "pgm",
    "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp",
)  # fmt: skip
ANY_PROTOCOL = (None, "any")
# Protocols whose rules take a port range (Neutron's ``SG_PORT_PROTO_NAMES`` and numbers).
PORT_PROTOCOLS = {"tcp", "udp", "dccp", "sctp", "udplite", "6", "17", "33", "132", "136"}


def resource_body(request: webob.Request, name: str) -> dict[str, Any]:
    """The ``{name: {...}}`` body of a POST or PUT, refused as Neutron's base controller
    refuses it (``prepare_request_body``)."""
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        raise InvalidInput(f"Invalid format: {request.text}") from None
    if not body:
        raise InvalidInput("Resource body required")
    if not isinstance(body, dict):
        raise InvalidInput("Body contains invalid data")
    if name not in body:
        raise InvalidInput(f"Unable to find '{name}' in request body")
    inner = body[name]
    if not isinstance(inner, dict):
        raise InvalidInput(f"Object '{name}' contains invalid data")
    return inner


def check_keys(inner: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(inner) - allowed)
    if extra:
        raise InvalidInput(f"Unrecognized attribute(s) '{', '.join(extra)}'")


def check_string(inner: dict[str, Any], key: str, limit: int = 255) -> None:
    if key not in inner:
        return
    value = inner[key]
    if not isinstance(value, str):
        raise InvalidInput(f"Invalid input for {key}. Reason: '{value}' is not a valid string.")
    if len(value) > limit:
        raise InvalidInput(
            f"Invalid input for {key}. Reason: '{value}' exceeds maximum length of {limit}."
        )


RULE_KEYS = {
    "security_group_id", "direction", "ethertype", "protocol", "port_range_min",
    "port_range_max", "remote_ip_prefix", "remote_group_id", "description", "project_id",
    "tenant_id", "remote_address_group_id",
}  # fmt: skip


def rule_attributes(inner: dict[str, Any]) -> dict[str, Any]:
    """A rule's attributes, converted and checked in Neutron's order (the attribute map's
    converters and validators, then ``_validate_security_group_rule``)."""
    check_keys(inner, RULE_KEYS)
    for required in ("security_group_id", "direction"):
        if required not in inner:
            raise InvalidInput(
                f"Failed to parse request. Required attribute '{required}' not specified"
            )
    protocol = _protocol(inner.get("protocol"))
    ethertype = inner.get("ethertype", "IPv4")
    matched = [
        e for e in ("IPv4", "IPv6") if isinstance(ethertype, str) and e.lower() == ethertype.lower()
    ]
    if not matched:
        raise InvalidInput(
            f"Security group rule for ethertype '{ethertype}' not "
            "supported. Allowed values are ['IPv4', 'IPv6'].",
            "SecurityGroupRuleInvalidEtherType",
        )
    low, high = (_port(inner.get(k)) for k in ("port_range_min", "port_range_max"))
    prefix = inner.get("remote_ip_prefix")
    if prefix:
        try:
            prefix = str(ipaddress.ip_network(str(prefix), strict=False))
        except ValueError:
            raise InvalidInput(
                f"Invalid CIDR {prefix} given as IP prefix.", "InvalidCIDR"
            ) from None
    direction = inner["direction"]
    if direction not in ("ingress", "egress"):
        raise InvalidInput(
            f"Invalid input for direction. Reason: {direction} is not in ['ingress', 'egress']."
        )
    if prefix and inner.get("remote_group_id"):
        raise InvalidInput(
            "Only one of remote_ip_prefix or remote_group_id or "
            "remote_address_group_id may be provided.",
            "SecurityGroupMultipleRemoteEntites",
        )
    if (low is not None or high is not None) and protocol is None:
        raise InvalidInput(
            "Must also specify protocol if port range is given.",
            "SecurityGroupProtocolRequiredWithPorts",
        )
    ported = protocol in PORT_PROTOCOLS
    if (
        ported
        and (low is not None or high is not None)
        and not (low is not None and high is not None and low <= high)
    ):
        raise InvalidInput(
            "For TCP/UDP protocols, port_range_min must be <= port_range_max",
            "SecurityGroupInvalidPortRange",
        )
    return {
        "direction": direction,
        "ethertype": matched[0],
        "protocol": protocol,
        "port_range_min": low,
        "port_range_max": high,
        "remote_ip_prefix": prefix or None,
        "remote_group_id": inner.get("remote_group_id"),
        "description": inner.get("description") or "",
    }


def _protocol(value: Any) -> str | None:
    if value in ANY_PROTOCOL:
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        if 0 <= int(value) <= 255:
            return str(value)
    elif isinstance(value, str) and value.lower() in PROTOCOLS:
        return value.lower()
    supported = (*ANY_PROTOCOL, *PROTOCOLS)
    raise InvalidInput(
        f"Security group rule protocol {value} not supported. "
        f"Only protocol values {supported} and integer representations [0 to 255] are "
        "supported.",
        "SecurityGroupRuleInvalidProtocol",
    )


def _port(value: Any) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 65535:
        raise InvalidInput(
            f"Invalid value for port {value}",
            "SecurityGroupInvalidPortValue",
        )
    return number


# -- quality of service ---------------------------------------------------------------------

POLICY_KEYS = {"name", "description", "shared", "is_default", "project_id", "tenant_id"}
BANDWIDTH_RULE_KEYS = {"min_kbps", "direction"}
# oslo.utils's ``bool_from_string(strict=True)``, which neutron-lib converts with.
TRUE_TEXTS = ("1", "t", "true", "on", "y", "yes")
FALSE_TEXTS = ("0", "f", "false", "off", "n", "no")


def boolean(value: Any) -> bool:
    """neutron-lib's ``convert_to_boolean``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_TEXTS or text in FALSE_TEXTS:
        return text in TRUE_TEXTS
    raise InvalidInput(
        f"Invalid input for operation: '{value}' cannot be converted to boolean.", "InvalidInput"
    )


def policy_attributes(inner: dict[str, Any]) -> tuple[str, str, bool]:
    """A QoS policy's name, description and ``shared`` (converted first, as Neutron's
    attribute map runs converters before validators)."""
    check_keys(inner, POLICY_KEYS)
    shared = boolean(inner.get("shared", False))
    check_string(inner, "name")
    check_string(inner, "description")
    return inner.get("name", ""), inner.get("description", ""), shared


def bandwidth_rule_attributes(inner: dict[str, Any]) -> tuple[int, str]:
    """A minimum-bandwidth rule's ``min_kbps`` (required, 0 to 2**31-1) and ``direction``
    (``egress`` unless given)."""
    check_keys(inner, BANDWIDTH_RULE_KEYS)
    if "min_kbps" not in inner:
        raise InvalidInput("Failed to parse request. Required attribute 'min_kbps' not specified")
    raw = inner["min_kbps"]
    try:
        min_kbps = int(raw)  # neutron-lib's convert_to_int
    except (TypeError, ValueError):
        raise InvalidInput(
            f"Invalid input for operation: '{raw}' is not an integer.", "InvalidInput"
        ) from None
    if min_kbps < 0:
        raise InvalidInput(
            f"Invalid input for min_kbps. Reason: '{min_kbps}' is too small - must be at least '0'."
        )
    if min_kbps > MAX_KBPS:
        raise InvalidInput(
            f"Invalid input for min_kbps. Reason: '{min_kbps}' is too large - must be no "
            f"larger than '{MAX_KBPS}'."
        )
    direction = inner.get("direction", "egress")
    if direction not in BANDWIDTH_CLASSES:
        raise InvalidInput(
            f"Invalid input for direction. Reason: {direction} is not in valid_values."
        )
    return min_kbps, str(direction)


def qos_policy_id(inner: dict[str, Any]) -> str | None:
    """A port's ``qos_policy_id``: a uuid, or None to take the policy off."""
    value = inner.get("qos_policy_id")
    if value is None:
        return None
    try:
        uuid.UUID(str(value))
    except ValueError:
        raise InvalidInput(
            f"Invalid input for qos_policy_id. Reason: '{value}' is not a valid UUID."
        ) from None
    return str(value)


# A floating IP's attributes in neutron-lib's order (``l3.py``, then the extensions'):
# whether a POST or a PUT may give each, and its validator.
FLOATINGIP_ATTRIBUTES: dict[str, tuple[bool, bool, str | None]] = {
    "id": (False, False, None),
    "floating_ip_address": (True, False, "ip"),
    "subnet_id": (True, False, "uuid_or_none"),
    "floating_network_id": (True, False, "uuid"),
    "router_id": (False, False, None),
    "port_id": (True, True, "uuid_or_none"),
    "fixed_ip_address": (True, True, "ip"),
    "tenant_id": (True, False, "string"),
    "status": (False, False, None),
    "description": (True, True, "string"),
    "project_id": (True, False, "string"),
    "port_details": (False, False, None),
    "created_at": (False, False, None),
    "updated_at": (False, False, None),
    "revision_number": (False, False, None),
}


def floatingip_attributes(inner: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """A floating IP's body, refused as Neutron's base controller refuses it: unknown
    attributes, then (POST) the required network and attributes a POST may not set, or (PUT)
    read-only attributes, then each value's validator."""
    check_keys(inner, set(FLOATINGIP_ATTRIBUTES))
    for key, (post, put, _) in FLOATINGIP_ATTRIBUTES.items():
        if create and key == "floating_network_id" and key not in inner:
            raise InvalidInput(f"Failed to parse request. Required attribute '{key}' not specified")
        if key in inner and create and not post:
            raise InvalidInput(f"Attribute '{key}' not allowed in POST")
        if key in inner and not create and not put:
            raise InvalidInput(f"Cannot update read-only attribute {key}")
    for key, (_, _, kind) in FLOATINGIP_ATTRIBUTES.items():
        if key in inner:
            _check_value(key, inner[key], kind)
    return dict(inner)


def _check_value(key: str, value: Any, kind: str | None) -> None:
    if kind == "string":
        check_string({key: value}, key)
        return
    checked = {"ip": (ipaddress.ip_address, "IP address"), "uuid": (uuid.UUID, "UUID")}
    parse, what = checked.get((kind or "").removesuffix("_or_none"), (None, ""))
    nullable = kind in ("ip", "uuid_or_none")
    if parse is not None and not (value is None and nullable) and not _parses(parse, value):
        raise InvalidInput(f"Invalid input for {key}. Reason: '{value}' is not a valid {what}.")


def _parses(parse: Any, value: Any) -> bool:
    """A string that ``parse`` reads (neutron-lib's validators take strings only)."""
    try:
        parse(str(value))
    except ValueError:
        return False
    return isinstance(value, str)
