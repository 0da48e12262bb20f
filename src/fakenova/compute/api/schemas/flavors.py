"""``/flavors``, ``os-flavor-access`` and ``os-extra_specs`` bodies and queries per
microversion, shaped as Nova validates them.

A create takes ``description`` from 2.55 and no longer ``rxtx_factor`` from 2.102; an update
(2.55) takes only the description. A list's query is strict from 2.75 and takes ``name``
from 2.102 (where ``rxtx_factor`` is no longer a sort key). Extra-spec values may be numbers.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER
from fakenova.compute.api.schemas.types import BOOLEAN, DESCRIPTION, METADATA, METADATA_KEY, NAME

SORT_KEYS = [
    "created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id", "is_public",
    "memory_mb", "name", "root_gb", "rxtx_factor", "swap", "updated_at", "vcpu_weight", "vcpus",
]  # fmt: skip

_POSITIVE: Schema = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]+$",
    "minimum": 1,
    "maximum": 0x7FFFFFFF,
}
_NON_NEGATIVE: Schema = {**_POSITIVE, "minimum": 0}
_DESCRIPTION: Schema = {**DESCRIPTION, "maxLength": 65535}

CREATE_V21: Schema = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {
                "name": NAME,
                "id": {
                    "type": ["string", "number", "null"],
                    "minLength": 1,
                    "maxLength": 255,
                    "pattern": "^(?! )[a-zA-Z0-9. _-]+(?<! )$",
                },
                "ram": _POSITIVE,
                "vcpus": _POSITIVE,
                "disk": _NON_NEGATIVE,
                "OS-FLV-EXT-DATA:ephemeral": _NON_NEGATIVE,
                "swap": _NON_NEGATIVE,
                "rxtx_factor": {
                    "type": ["number", "string"],
                    "pattern": r"^[0-9]+(\.[0-9]+)?$",
                    "exclusiveMinimum": 0,
                    "maximum": 3.40282e38,
                },
                "os-flavor-access:is_public": BOOLEAN,
            },
            "required": ["name", "ram", "vcpus", "disk"],
            "additionalProperties": False,
        }
    },
    "required": ["flavor"],
    "additionalProperties": False,
}
CREATE_V255 = copy.deepcopy(CREATE_V21)
CREATE_V255["properties"]["flavor"]["properties"]["description"] = _DESCRIPTION
CREATE_V2102 = copy.deepcopy(CREATE_V255)
del CREATE_V2102["properties"]["flavor"]["properties"]["rxtx_factor"]

CREATE: list[tuple[str, Schema]] = [
    ("2.1", CREATE_V21),
    ("2.55", CREATE_V255),
    ("2.102", CREATE_V2102),
]

UPDATE: Schema = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {"description": _DESCRIPTION},
            "required": ["description"],
            "additionalProperties": False,
        }
    },
    "required": ["flavor"],
    "additionalProperties": False,
}


def _each(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


INDEX_QUERY: Schema = {
    "type": "object",
    "properties": {
        "limit": _each(NON_NEGATIVE_INTEGER),
        "marker": _each({"type": "string"}),
        "is_public": _each({"type": "string"}),
        "minRam": _each({"type": "string"}),
        "minDisk": _each({"type": "string"}),
        "sort_key": _each({"type": "string", "enum": SORT_KEYS}),
        "sort_dir": _each({"type": "string", "enum": ["asc", "desc"]}),
    },
    "additionalProperties": True,
}
INDEX_QUERY_V275: Schema = {**INDEX_QUERY, "additionalProperties": False}
INDEX_QUERY_V2102 = copy.deepcopy(INDEX_QUERY_V275)
INDEX_QUERY_V2102["properties"]["name"] = _each({"type": "string"})
INDEX_QUERY_V2102["properties"]["sort_key"]["items"]["enum"].remove("rxtx_factor")
INDEX_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", INDEX_QUERY),
    ("2.75", INDEX_QUERY_V275),
    ("2.102", INDEX_QUERY_V2102),
]

# A show's, and the access list's and extra specs' reads: anything until 2.102, then nothing.
READ_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", {"type": "object", "properties": {}, "additionalProperties": True}),
    ("2.102", {"type": "object", "properties": {}, "additionalProperties": False}),
]


def _tenant_action(name: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            name: {
                "type": "object",
                "properties": {"tenant": {"type": "string", "minLength": 1, "maxLength": 255}},
                "required": ["tenant"],
                "additionalProperties": False,
            }
        },
        "required": [name],
        "additionalProperties": False,
    }


ADD_TENANT_ACCESS = _tenant_action("addTenantAccess")
REMOVE_TENANT_ACCESS = _tenant_action("removeTenantAccess")

EXTRA_SPECS = copy.deepcopy(METADATA)
EXTRA_SPECS["patternProperties"][METADATA_KEY]["type"] = ["string", "number"]
CREATE_EXTRA_SPECS: Schema = {
    "type": "object",
    "properties": {"extra_specs": EXTRA_SPECS},
    "required": ["extra_specs"],
    "additionalProperties": False,
}
UPDATE_EXTRA_SPEC: Schema = {**copy.deepcopy(EXTRA_SPECS), "minProperties": 1, "maxProperties": 1}
