"""``os-keypairs`` bodies and queries per microversion, shaped as Nova validates them.

2.2 adds ``type``, 2.10 ``user_id`` (an admin's choice of owner), 2.35 paging; from 2.92
``public_key`` is required (Nova stopped generating keys) and names may hold ``@`` and ``.``.
Queries are strict from 2.75.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER
from fakenova.compute.api.schemas.types import NAME


def _name(pattern: str) -> Schema:
    return {
        "allOf": [
            NAME,
            {"type": "string", "pattern": pattern, "minLength": 1, "maxLength": 255},
        ]
    }


NAME_V21 = _name(r"^[_\- a-zA-Z0-9]+$")
NAME_V292 = _name(r"^[_\-\@\. a-zA-Z0-9]+$")
_TYPE: Schema = {"type": "string", "enum": ["ssh", "x509"]}


def _create(properties: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {
            "keypair": {
                "type": "object",
                "properties": properties,
                "required": ["name"],
                "additionalProperties": False,
            }
        },
        "required": ["keypair"],
        "additionalProperties": False,
    }


CREATE_V21 = _create({"name": NAME_V21, "public_key": {"type": "string"}})
CREATE_V22 = _create({"name": NAME_V21, "type": _TYPE, "public_key": {"type": "string"}})
CREATE_V210 = _create(
    {
        "name": NAME_V21,
        "type": _TYPE,
        "public_key": {"type": "string"},
        "user_id": {"type": "string"},
    }
)
CREATE_V292 = copy.deepcopy(CREATE_V210)
CREATE_V292["properties"]["keypair"]["properties"]["name"] = NAME_V292
CREATE_V292["properties"]["keypair"]["required"] = ["name", "public_key"]

CREATE: list[tuple[str, Schema]] = [
    ("2.1", CREATE_V21),
    ("2.2", CREATE_V22),
    ("2.10", CREATE_V210),
    ("2.92", CREATE_V292),
]


def _each(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


_V21: Schema = {"type": "object", "properties": {}, "additionalProperties": True}
_V210: Schema = {
    "type": "object",
    "properties": {"user_id": _each({"type": "string"})},
    "additionalProperties": True,
}
_V235 = copy.deepcopy(_V210)
_V235["properties"].update(
    {"limit": _each(NON_NEGATIVE_INTEGER), "marker": _each({"type": "string"})}
)

INDEX_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", _V21),
    ("2.10", _V210),
    ("2.35", _V235),
    ("2.75", {**_V235, "additionalProperties": False}),
]
# show and delete take only ``user_id`` (2.10), strictly from 2.75
ONE_QUERIES: list[tuple[str, Schema]] = [
    ("2.1", _V21),
    ("2.10", _V210),
    ("2.75", {**_V210, "additionalProperties": False}),
]
