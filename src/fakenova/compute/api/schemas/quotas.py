"""``/limits``, ``os-quota-sets`` and ``os-quota-class-sets`` bodies and queries, shaped as
Nova validates them.

A limit is an integer or a string of digits from -1 to 2**31 - 1. The quota sets stop
accepting the network quotas (``fixed_ips``, ``floating_ips``, ``security_groups``,
``security_group_rules``) at 2.36 and the file quotas at 2.57; the quota classes stop
accepting the network quotas at 2.50 (and gain the server group ones in their answers). The
queries are strict from 2.75 (2.102 for a quota class).
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import BOOLEAN

NETWORK = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
FILES = ("injected_files", "injected_file_content_bytes", "injected_file_path_bytes")

LIMIT: Schema = {
    "type": ["integer", "string"],
    "pattern": "^-?[0-9]+$",
    "minimum": -1,
    "maximum": 0x7FFFFFFF,
}
_RESOURCES = (
    "instances",
    "cores",
    "ram",
    "floating_ips",
    "fixed_ips",
    "metadata_items",
    "key_pairs",
    "security_groups",
    "security_group_rules",
    "injected_files",
    "injected_file_content_bytes",
    "injected_file_path_bytes",
    "server_groups",
    "server_group_members",
)


def _body(key: str, dropped: tuple[str, ...], *, force: bool) -> Schema:
    properties: Schema = {name: copy.deepcopy(LIMIT) for name in _RESOURCES if name not in dropped}
    if force:
        properties["force"] = BOOLEAN
    return {
        "type": "object",
        "properties": {
            key: {"type": "object", "properties": properties, "additionalProperties": False}
        },
        "required": [key],
        "additionalProperties": False,
    }


UPDATE: list[tuple[str, Schema]] = [
    ("2.1", _body("quota_set", (), force=True)),
    ("2.36", _body("quota_set", NETWORK, force=True)),
    ("2.57", _body("quota_set", NETWORK + FILES, force=True)),
]
CLASS_UPDATE: list[tuple[str, Schema]] = [
    ("2.1", _body("quota_class_set", (), force=False)),
    ("2.50", _body("quota_class_set", NETWORK, force=False)),
    ("2.57", _body("quota_class_set", NETWORK + FILES, force=False)),
]


def _query(*names: str, strict: bool) -> Schema:
    return {
        "type": "object",
        "properties": {name: {"type": "array", "items": {"type": "string"}} for name in names},
        "additionalProperties": not strict,
    }


LIMITS_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", _query("tenant_id", strict=False)),
    ("2.75", _query("tenant_id", strict=True)),
]
# show, detail, update and delete of a quota set; the defaults take any query.
QUOTA_SET_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", _query("user_id", strict=False)),
    ("2.75", _query("user_id", strict=True)),
]
CLASS_SHOW_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", _query(strict=False)),
    ("2.102", _query(strict=True)),
]
