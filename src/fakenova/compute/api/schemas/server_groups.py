"""``os-server-groups`` bodies and queries per microversion, shaped as Nova validates them.

Before 2.64 a group names its policy in a one-item ``policies`` list (2.15 adds the soft
policies); from 2.64 in ``policy``, with ``rules`` for anti-affinity. The query of a list
is strict from 2.75, that of a show from 2.102.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER
from fakenova.compute.api.schemas.types import NAME, POSITIVE_INTEGER

HARD = ["anti-affinity", "affinity"]
ALL = ["anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity"]


def _create(policies: list[str]) -> Schema:
    return {
        "type": "object",
        "properties": {
            "server_group": {
                "type": "object",
                "properties": {
                    "name": NAME,
                    "policies": {
                        "type": "array",
                        "prefixItems": [{"type": "string", "enum": policies}],
                        "uniqueItems": True,
                        "minItems": 1,
                        "maxItems": 1,
                        "additionalItems": False,
                    },
                },
                "required": ["name", "policies"],
                "additionalProperties": False,
            }
        },
        "required": ["server_group"],
        "additionalProperties": False,
    }


CREATE_V21 = _create(HARD)
CREATE_V215 = _create([*HARD, "soft-anti-affinity", "soft-affinity"])
CREATE_V264 = copy.deepcopy(CREATE_V215)
_group = CREATE_V264["properties"]["server_group"]
del _group["properties"]["policies"]
_group["required"] = ["name", "policy"]
_group["properties"]["policy"] = {"type": "string", "enum": ALL}
_group["properties"]["rules"] = {
    "type": "object",
    "properties": {"max_server_per_host": POSITIVE_INTEGER},
    "additionalProperties": False,
}

CREATE: list[tuple[str, Schema]] = [
    ("2.1", CREATE_V21),
    ("2.15", CREATE_V215),
    ("2.64", CREATE_V264),
]


def _each(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


INDEX_QUERY: Schema = {
    "type": "object",
    "properties": {
        "all_projects": _each({"type": "string"}),
        "limit": _each(NON_NEGATIVE_INTEGER),
        "offset": _each(NON_NEGATIVE_INTEGER),
    },
    "additionalProperties": True,
}
INDEX_QUERY_V275: Schema = {**INDEX_QUERY, "additionalProperties": False}
INDEX_QUERIES: list[tuple[str, Schema]] = [("2.1", INDEX_QUERY), ("2.75", INDEX_QUERY_V275)]

SHOW_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", {"type": "object", "properties": {}, "additionalProperties": True}),
    ("2.102", {"type": "object", "properties": {}, "additionalProperties": False}),
]
