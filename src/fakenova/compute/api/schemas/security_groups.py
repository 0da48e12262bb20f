"""Bodies of the ``addSecurityGroup`` and ``removeSecurityGroup`` actions (a non-empty
``name``, nothing else) and the query of a server's group list (strict from 2.102)."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema


def _named(action: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            action: {
                "type": "object",
                "properties": {"name": {"type": "string", "minLength": 1}},
                "required": ["name"],
                "additionalProperties": False,
            }
        },
        "required": [action],
        "additionalProperties": True,
    }


ADD = _named("addSecurityGroup")
REMOVE = _named("removeSecurityGroup")
