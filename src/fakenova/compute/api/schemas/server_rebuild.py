"""``rebuild`` bodies per microversion: 2.19 adds ``description``, 2.54 ``key_name`` (null
removes it), 2.57 drops ``personality`` for ``user_data``, 2.63 adds trusted certificates,
2.90 ``hostname`` (an FQDN from 2.94). ``imageRef`` is always required."""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas import types as t

_V21: Schema = {
    "type": "object",
    "properties": {
        "rebuild": {
            "type": "object",
            "properties": {
                "name": t.NAME,
                "imageRef": t.UUID,
                "adminPass": t.ADMIN_PASSWORD,
                "metadata": t.METADATA,
                "preserve_ephemeral": t.BOOLEAN,
                "OS-DCF:diskConfig": t.DISK_CONFIG,
                "accessIPv4": t.ACCESS_IPV4,
                "accessIPv6": t.ACCESS_IPV6,
                "personality": t.PERSONALITY,
            },
            "required": ["imageRef"],
            "additionalProperties": False,
        }
    },
    "required": ["rebuild"],
    "additionalProperties": False,
}

NAME_OR_NONE: Schema = {
    "oneOf": [{"type": "string", "minLength": 1, "maxLength": 255}, {"type": "null"}]
}
USER_DATA: Schema = {"type": ["string", "null"], "format": "base64", "maxLength": 65535}


def _changed(base: Schema, add: dict[str, Schema], drop: tuple[str, ...] = ()) -> Schema:
    derived = copy.deepcopy(base)
    fields = derived["properties"]["rebuild"]["properties"]
    for name in drop:
        fields.pop(name)
    fields.update(add)
    return derived


_V219 = _changed(_V21, {"description": t.DESCRIPTION})
_V254 = _changed(_V219, {"key_name": NAME_OR_NONE})
_V257 = _changed(_V254, {"user_data": USER_DATA}, drop=("personality",))
_V263 = _changed(_V257, {"trusted_image_certificates": t.TRUSTED_CERTS})
_V290 = _changed(_V263, {"hostname": t.HOSTNAME})
_V294 = _changed(_V290, {"hostname": t.FQDN})

REBUILD: list[tuple[str, Schema]] = [
    ("2.1", _V21),
    ("2.19", _V219),
    ("2.54", _V254),
    ("2.57", _V257),
    ("2.63", _V263),
    ("2.90", _V290),
    ("2.94", _V294),
]
