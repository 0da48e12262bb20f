"""``os-hosts`` request bodies, shaped as Nova validates them (an update names the status, the
maintenance mode or both, each ``enable`` or ``disable`` in one of three cases)."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema

_SWITCH: Schema = {
    "type": "string",
    "enum": ["enable", "disable", "Enable", "Disable", "ENABLE", "DISABLE"],
}

UPDATE: Schema = {
    "type": "object",
    "properties": {"status": _SWITCH, "maintenance_mode": _SWITCH},
    "anyOf": [{"required": ["status"]}, {"required": ["maintenance_mode"]}],
    "additionalProperties": False,
}
