"""``os-aggregates`` bodies, in the shape Nova validates them.

A create's name may not start or end with whitespace; an update's may (it is stripped, as
Nova strips both). A zone name is printable without ``:``, or null.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import FQDN, METADATA_KEY, NAME, UUID

AZ_NAME: Schema = {"type": "string", "format": "az_name", "minLength": 1, "maxLength": 255}
NAME_WITH_SPACES: Schema = {
    "type": "string",
    "format": "name_with_leading_trailing_spaces",
    "minLength": 1,
    "maxLength": 255,
}
_ZONE: Schema = {"oneOf": [AZ_NAME, {"type": "null"}]}

CREATE: Schema = {
    "type": "object",
    "properties": {
        "aggregate": {
            "type": "object",
            "properties": {"name": NAME, "availability_zone": _ZONE},
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["aggregate"],
    "additionalProperties": False,
}

UPDATE: Schema = {
    "type": "object",
    "properties": {
        "aggregate": {
            "type": "object",
            "properties": {"name": NAME_WITH_SPACES, "availability_zone": _ZONE},
            "additionalProperties": False,
            "anyOf": [{"required": ["name"]}, {"required": ["availability_zone"]}],
        },
    },
    "required": ["aggregate"],
    "additionalProperties": False,
}


def _host_action(action: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            action: {
                "type": "object",
                "properties": {"host": FQDN},
                "required": ["host"],
                "additionalProperties": False,
            },
        },
        "required": [action],
        "additionalProperties": False,
    }


ADD_HOST = _host_action("add_host")
REMOVE_HOST = _host_action("remove_host")

SET_METADATA: Schema = {
    "type": "object",
    "properties": {
        "set_metadata": {
            "type": "object",
            "properties": {
                "metadata": {
                    "type": "object",
                    "patternProperties": {
                        METADATA_KEY: {"type": ["string", "null"], "maxLength": 255}
                    },
                    "additionalProperties": False,
                },
            },
            "required": ["metadata"],
            "additionalProperties": False,
        },
    },
    "required": ["set_metadata"],
    "additionalProperties": False,
}

# 2.81: the images to pre-cache on the aggregate's hosts.
IMAGES: Schema = {
    "type": "object",
    "properties": {
        "cache": {
            "type": ["array"],
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"id": copy.deepcopy(UUID)},
                "additionalProperties": False,
                "required": ["id"],
            },
        },
    },
    "required": ["cache"],
    "additionalProperties": False,
}
