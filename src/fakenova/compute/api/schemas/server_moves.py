"""Bodies of the move actions (resize, confirm/revert, migrate, live migrate, evacuate),
per microversion, in the shape Nova validates them."""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import BOOLEAN, FQDN


def _action(name: str, inner: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {name: inner},
        "required": [name],
        "additionalProperties": False,
    }


RESIZE: Schema = _action(
    "resize",
    {
        "type": "object",
        "properties": {
            "flavorRef": {"type": ["string", "integer"], "minLength": 1},
            "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
        },
        "required": ["flavorRef"],
        "additionalProperties": False,
    },
)
CONFIRM_RESIZE: Schema = _action("confirmResize", {})
REVERT_RESIZE: Schema = _action("revertResize", {})

_HOST: Schema = {**FQDN, "type": ["string", "null"]}

# The body is only checked from 2.56 (host); below it any body is accepted and ignored.
MIGRATE: list[tuple[str, Schema]] = [
    ("2.1", {}),
    (
        "2.56",
        _action(
            "migrate",
            {
                "type": ["object", "null"],
                "properties": {"host": _HOST},
                "additionalProperties": False,
            },
        ),
    ),
]

_LIVE_21: Schema = _action(
    "os-migrateLive",
    {
        "type": "object",
        "properties": {
            "block_migration": BOOLEAN,
            "disk_over_commit": BOOLEAN,
            "host": _HOST,
        },
        "required": ["block_migration", "disk_over_commit", "host"],
        "additionalProperties": False,
    },
)
_LIVE_225 = copy.deepcopy(_LIVE_21)
_live = _LIVE_225["properties"]["os-migrateLive"]
del _live["properties"]["disk_over_commit"]
_live["properties"]["block_migration"] = {**BOOLEAN, "enum": [*BOOLEAN["enum"], "auto"]}
_live["required"] = ["block_migration", "host"]
_LIVE_230 = copy.deepcopy(_LIVE_225)
_LIVE_230["properties"]["os-migrateLive"]["properties"]["force"] = BOOLEAN
MIGRATE_LIVE: list[tuple[str, Schema]] = [
    ("2.1", _LIVE_21),
    ("2.25", _LIVE_225),
    ("2.30", _LIVE_230),
    ("2.68", _LIVE_225),
]

_EVACUATE_21: Schema = _action(
    "evacuate",
    {
        "type": "object",
        "properties": {
            "host": FQDN,
            "onSharedStorage": BOOLEAN,
            "adminPass": {"type": "string"},
        },
        "required": ["onSharedStorage"],
        "additionalProperties": False,
    },
)
_EVACUATE_214 = copy.deepcopy(_EVACUATE_21)
del _EVACUATE_214["properties"]["evacuate"]["properties"]["onSharedStorage"]
del _EVACUATE_214["properties"]["evacuate"]["required"]
_EVACUATE_229 = copy.deepcopy(_EVACUATE_214)
_EVACUATE_229["properties"]["evacuate"]["properties"]["force"] = BOOLEAN
EVACUATE: list[tuple[str, Schema]] = [
    ("2.1", _EVACUATE_21),
    ("2.14", _EVACUATE_214),
    ("2.29", _EVACUATE_229),
    ("2.68", _EVACUATE_214),
]
