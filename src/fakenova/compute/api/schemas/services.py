"""``os-services`` bodies and query, per microversion, in the shape Nova validates them.

Before 2.53 the body names the service (``host`` and ``binary``) and the path the action;
from 2.53 the path names the service by uuid and the body says what changes.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import BOOLEAN, FQDN

_REASON: Schema = {"type": "string", "minLength": 1, "maxLength": 255}

UPDATE_V21: Schema = {
    "type": "object",
    "properties": {
        "host": FQDN,
        "binary": {"type": "string", "minLength": 1, "maxLength": 255},
        "disabled_reason": _REASON,
    },
    "required": ["host", "binary"],
    "additionalProperties": False,
}
UPDATE_V211: Schema = copy.deepcopy(UPDATE_V21)
UPDATE_V211["properties"]["forced_down"] = BOOLEAN

UPDATE_V253: Schema = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["enabled", "disabled"]},
        "disabled_reason": _REASON,
        "forced_down": BOOLEAN,
    },
    "additionalProperties": False,
}

UPDATE: list[tuple[str, Schema]] = [
    ("2.1", UPDATE_V21),
    ("2.11", UPDATE_V211),
    ("2.53", UPDATE_V253),
]

# From 2.75 only ``host`` and ``binary`` may be asked for (each any number of times).
INDEX_QUERY_V275: Schema = {
    "type": "object",
    "properties": {
        "host": {"type": "array", "items": {"type": "string"}},
        "binary": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
