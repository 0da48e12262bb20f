"""``os-server-external-events`` request bodies per microversion: each adds an event name
(2.51 volume-extended, 2.76 power-update, 2.82 accelerator-request-bound, 2.93
volume-reimaged)."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema

STATUSES = ["failed", "completed", "in-progress"]
_FIRST_NAMES = [
    "network-changed",
    "network-vif-plugged",
    "network-vif-unplugged",
    "network-vif-deleted",
]
_ADDED = [
    ("2.51", "volume-extended"),
    ("2.76", "power-update"),
    ("2.82", "accelerator-request-bound"),
    ("2.93", "volume-reimaged"),
]


def _create(names: list[str]) -> Schema:
    return {
        "type": "object",
        "properties": {
            "events": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "enum": names},
                        "server_uuid": {"type": "string", "format": "uuid"},
                        "status": {"type": "string", "enum": STATUSES},
                        "tag": {"type": "string", "maxLength": 255},
                    },
                    "required": ["name", "server_uuid"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["events"],
        "additionalProperties": False,
    }


CREATE: list[tuple[str, Schema]] = [("2.1", _create(_FIRST_NAMES))] + [
    (first, _create(_FIRST_NAMES + [name for _, name in _ADDED[: index + 1]]))
    for index, (first, _) in enumerate(_ADDED)
]
