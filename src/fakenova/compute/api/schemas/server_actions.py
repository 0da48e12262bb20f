"""Bodies of the simple server actions (``rebuild`` has its own module).

The dispatcher already made sure the body has exactly one key, the action's, so only what the
action's value may be is left to check. Most actions accept any value (Nova's schemas say
``{}``); a few take an object of their own, some only from a microversion on.
"""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas import types as t


def _action(name: str, value: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {name: value},
        "required": [name],
        "additionalProperties": False,
    }


CRASH_DUMP = _action("trigger_crash_dump", {"type": "null"})

REBOOT = _action(
    "reboot",
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"]}
        },
        "required": ["type"],
        "additionalProperties": False,
    },
)

LOCK_V273 = _action(
    "lock",
    {
        "type": ["object", "null"],
        "properties": {"locked_reason": {"type": "string", "minLength": 1, "maxLength": 255}},
        "additionalProperties": False,
    },
)

RESCUE = _action(
    "rescue",
    {
        "type": ["object", "null"],
        "properties": {"adminPass": t.ADMIN_PASSWORD, "rescue_image_ref": t.UUID},
        "additionalProperties": False,
    },
)

CHANGE_PASSWORD = _action(
    "changePassword",
    {
        "type": "object",
        "properties": {"adminPass": t.ADMIN_PASSWORD},
        "required": ["adminPass"],
        "additionalProperties": False,
    },
)

NON_NEGATIVE_INTEGER: Schema = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]*$",
    "minimum": 0,
    "minLength": 1,
}

CREATE_IMAGE = _action(
    "createImage",
    {
        "type": "object",
        "properties": {"name": t.NAME, "metadata": t.METADATA},
        "required": ["name"],
        "additionalProperties": False,
    },
)

CREATE_BACKUP = _action(
    "createBackup",
    {
        "type": "object",
        "properties": {
            "name": t.NAME,
            "backup_type": {"type": "string"},
            "rotation": NON_NEGATIVE_INTEGER,
            "metadata": t.METADATA,
        },
        "required": ["name", "backup_type", "rotation"],
        "additionalProperties": False,
    },
)

# 2.77 allows null or an object that names the zone ({} is refused); 2.91 adds ``host`` and
# lets the zone be null (unpin).
UNSHELVE_V277 = _action(
    "unshelve",
    {
        "type": ["object", "null"],
        "properties": {"availability_zone": t.NAME},
        "required": ["availability_zone"],
        "additionalProperties": False,
    },
)
UNSHELVE_V291 = _action(
    "unshelve",
    {
        "type": ["object", "null"],
        "properties": {
            "availability_zone": {"type": ["string", "null"]},
            "host": {"type": "string"},
        },
        "additionalProperties": False,
    },
)

RESET_STATE = _action(
    "os-resetState",
    {
        "type": "object",
        "properties": {"state": {"type": "string", "enum": ["active", "error"]}},
        "required": ["state"],
        "additionalProperties": False,
    },
)
