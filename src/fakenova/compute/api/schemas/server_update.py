"""``PUT /servers/{id}`` bodies: what may be renamed or re-addressed, per microversion.

2.19 added ``description``, 2.90 ``hostname`` (a short name), 2.94 let it be a FQDN and 2.104
added ``pinned_availability_zone``. Every range forbids unknown keys, so a field sent before
its microversion is an "Additional properties" 400.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas import types as t

_UPDATE: Schema = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "name": t.NAME,
                "OS-DCF:diskConfig": t.DISK_CONFIG,
                "accessIPv4": t.ACCESS_IPV4,
                "accessIPv6": t.ACCESS_IPV6,
            },
            "additionalProperties": False,
        },
    },
    "required": ["server"],
    "additionalProperties": False,
}

NAME_OR_NONE: Schema = {
    "oneOf": [{"type": "string", "minLength": 1, "maxLength": 255}, {"type": "null"}]
}


def _adding(base: Schema, field: str, schema: Schema) -> Schema:
    derived = copy.deepcopy(base)
    derived["properties"]["server"]["properties"][field] = schema
    return derived


_V219 = _adding(_UPDATE, "description", t.DESCRIPTION)
_V290 = _adding(_V219, "hostname", t.HOSTNAME)
_V294 = _adding(_V290, "hostname", t.FQDN)
_V2104 = _adding(_V294, "pinned_availability_zone", NAME_OR_NONE)

UPDATE: list[tuple[str, Schema]] = [
    ("2.1", _UPDATE),
    ("2.19", _V219),
    ("2.90", _V290),
    ("2.94", _V294),
    ("2.104", _V2104),
]
