"""Reusable property schemas (Nova's "parameter types"): names, ids, addresses, metadata.

Formats named here (``name``, ``uuid``, ``base64`` ...) are checked by
:mod:`fakenova.compute.api.validation`, which also renders the errors.
"""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.charsets import description_pattern

MAX_TAG_LENGTH = 60
MAX_TAG_COUNT = 50

BOOLEAN: Schema = {
    "type": ["boolean", "string"],
    "enum": [
        True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
        False, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no",
    ],
}  # fmt: skip

POSITIVE_INTEGER: Schema = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]*$",
    "minimum": 1,
    "minLength": 1,
}

HOSTNAME: Schema = {
    "type": "string",
    "pattern": "^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$",
    "minLength": 2,
    "maxLength": 63,
}

FQDN: Schema = {"type": "string", "pattern": "^[a-zA-Z0-9-._]*$", "minLength": 1, "maxLength": 255}

# Printable, no leading or trailing whitespace: the ``name`` format says why when it fails.
NAME: Schema = {"type": "string", "format": "name", "minLength": 1, "maxLength": 255}

DESCRIPTION: Schema = {
    "type": ["string", "null"],
    "pattern": description_pattern(),
    "minLength": 0,
    "maxLength": 255,
}

UUID: Schema = {"type": "string", "format": "uuid"}

IMAGE_ID_OR_EMPTY: Schema = {
    "oneOf": [
        {"type": "string", "format": "uuid"},
        {"type": "string", "maxLength": 0},
    ]
}

VOLUME_TYPE: Schema = {"type": ["string", "null"], "minLength": 0, "maxLength": 255}

ADMIN_PASSWORD: Schema = {"type": "string"}

FLAVOR_REF: Schema = {"type": ["string", "integer"], "minLength": 1}

METADATA_KEY = "^[a-zA-Z0-9-_:. ]{1,255}$"
METADATA: Schema = {
    "type": "object",
    "patternProperties": {METADATA_KEY: {"type": "string", "maxLength": 255}},
    "additionalProperties": False,
}

IP_ADDRESS: Schema = {"type": "string", "oneOf": [{"format": "ipv4"}, {"format": "ipv6"}]}
ACCESS_IPV4: Schema = {"type": "string", "format": "ipv4"}
ACCESS_IPV6: Schema = {"type": "string", "format": "ipv6"}

VOLUME_SIZE: Schema = {
    "type": ["integer", "string"],
    "pattern": "^[0-9]+$",
    "minimum": 1,
    "maximum": 0x7FFFFFFF,
}

DISK_CONFIG: Schema = {"type": "string", "enum": ["AUTO", "MANUAL"]}

PERSONALITY: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "contents": {"type": "string", "format": "base64"},
        },
        "additionalProperties": False,
    },
}

TAG: Schema = {
    "type": "string",
    "pattern": "^[^,/]*$",
    "minLength": 1,
    "maxLength": MAX_TAG_LENGTH,
}

TRUSTED_CERTS: Schema = {
    "type": ["array", "null"],
    "minItems": 1,
    "maxItems": 50,
    "uniqueItems": True,
    "items": {"type": "string", "minLength": 1},
}
