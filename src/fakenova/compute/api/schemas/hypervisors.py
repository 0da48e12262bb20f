"""``os-hypervisors`` queries per microversion, shaped as Nova validates them.

Until 2.52 anything is accepted (2.33 checks ``limit`` and ``marker`` when given); from 2.53
only ``limit``, ``marker``, ``hypervisor_hostname_pattern`` and ``with_servers`` are, once each.
"""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER
from fakenova.compute.api.schemas.types import BOOLEAN, FQDN


def _many(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


def _once(schema: Schema) -> Schema:
    return {"type": "array", "items": schema, "maxItems": 1}


ANY: Schema = {"type": "object", "additionalProperties": True}

INDEX_V233: Schema = {
    "type": "object",
    "properties": {"limit": _many(NON_NEGATIVE_INTEGER), "marker": _many({"type": "string"})},
    "additionalProperties": True,
}

INDEX_V253: Schema = {
    "type": "object",
    "properties": {
        "limit": _once(NON_NEGATIVE_INTEGER),
        "marker": _once({"type": "string"}),
        "hypervisor_hostname_pattern": _once(FQDN),
        "with_servers": _once(BOOLEAN),
    },
    "additionalProperties": False,
}

SHOW_V253: Schema = {
    "type": "object",
    "properties": {"with_servers": _once(BOOLEAN)},
    "additionalProperties": False,
}

INDEX: list[tuple[str, Schema]] = [("2.1", ANY), ("2.33", INDEX_V233), ("2.53", INDEX_V253)]
SHOW: list[tuple[str, Schema]] = [("2.1", ANY), ("2.53", SHOW_V253)]
