"""Bodies of the ``addSecurityGroup`` and ``removeSecurityGroup`` actions (a non-empty
``name``, nothing else) and the query of a server's group list (strict from 2.102)."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER


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

# The proxy (below 2.36): a name and a description, each at most 255 characters (extra keys
# pass); a rule needs its parent group's uuid; the list checks its paging parameters.
_TEXT: Schema = {"type": "string", "minLength": 0, "maxLength": 255}
PROXY_GROUP: Schema = {
    "type": "object",
    "properties": {
        "security_group": {
            "type": "object",
            "properties": {"name": _TEXT, "description": _TEXT},
            "required": ["name", "description"],
            "additionalProperties": True,
        }
    },
    "required": ["security_group"],
    "additionalProperties": True,
}
PROXY_RULE: Schema = {
    "type": "object",
    "properties": {
        "security_group_rule": {
            "type": "object",
            "properties": {
                "group_id": {"type": ["string", "null"], "format": "uuid"},
                "parent_group_id": {"type": "string", "format": "uuid"},
            },
            "required": ["parent_group_id"],
            "additionalProperties": True,
        }
    },
    "required": ["security_group_rule"],
    "additionalProperties": True,
}
PROXY_QUERY: Schema = {
    "type": "object",
    "properties": {
        "limit": {"type": "array", "items": NON_NEGATIVE_INTEGER},
        "offset": {"type": "array", "items": NON_NEGATIVE_INTEGER},
        "all_tenants": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}
