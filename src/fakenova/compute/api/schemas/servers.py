"""``POST /servers`` bodies, microversion by microversion.

Each ``_vX_Y`` function derives one microversion's schema from the previous one, so the file
reads as the history of the request: 2.19 adds ``description``, 2.37 makes ``networks``
required (a list of uuid/port/fixed_ip, or ``auto``/``none``), 2.52 adds ``tags``, 2.57 drops
``personality``, 2.63 adds trusted certificates, 2.74 ``host``/``hypervisor_hostname``,
2.90 ``hostname`` (an FQDN from 2.94). Property order matters: the first failing property in
this order is the one Nova reports.
"""

from __future__ import annotations

import copy

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.schemas import Schema, pick
from fakenova.compute.api.schemas import types as t

_LEGACY_BDM: Schema = {
    "type": "object",
    "properties": {
        "virtual_name": {"type": "string", "maxLength": 255},
        "volume_id": t.UUID,
        "snapshot_id": t.UUID,
        "volume_size": t.VOLUME_SIZE,
        "device_name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[a-zA-Z0-9._/-]*$",
        },
        "delete_on_termination": t.BOOLEAN,
        "no_device": {},
        "connection_info": {"type": "string", "maxLength": 16777215},
    },
    "additionalProperties": False,
}

_BDM_V2: Schema = copy.deepcopy(_LEGACY_BDM)
_BDM_V2["properties"].update(
    {
        "source_type": {"type": "string", "enum": ["volume", "image", "snapshot", "blank"]},
        "uuid": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[a-zA-Z0-9._-]*$",
        },
        "image_id": t.UUID,
        "destination_type": {"type": "string", "enum": ["local", "volume"]},
        "guest_format": {"type": "string", "maxLength": 255},
        "device_type": {"type": "string", "maxLength": 255},
        "disk_bus": {"type": "string", "maxLength": 255},
        "boot_index": {"type": ["integer", "string", "null"], "pattern": "^-?[0-9]+$"},
    }
)

_UUID_OR_UUIDS: Schema = {"oneOf": [{"type": "array", "items": t.UUID}, t.UUID]}

HINTS: Schema = {
    "type": "object",
    "properties": {
        "group": _UUID_OR_UUIDS,
        "different_host": {"oneOf": [t.UUID, {"type": "array", "items": t.UUID}]},
        "same_host": {"type": ["string", "array"], "items": t.UUID},
        "query": {"type": ["string", "object"]},
        "target_cell": t.NAME,
        "different_cell": {"type": ["string", "array"], "items": {"type": "string"}},
        "build_near_host_ip": t.IP_ADDRESS,
        "cidr": {"type": "string", "pattern": "^/[0-9a-f.:]+$"},
    },
    # Unknown hints are passed on to the scheduler's filters untouched.
    "additionalProperties": True,
}


def _v2_1() -> Schema:
    server = {
        "type": "object",
        "properties": {
            "name": t.NAME,
            # Empty only makes sense when booting from a volume; the controller checks that.
            "imageRef": t.IMAGE_ID_OR_EMPTY,
            "flavorRef": t.FLAVOR_REF,
            "adminPass": t.ADMIN_PASSWORD,
            "metadata": t.METADATA,
            "networks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "fixed_ip": t.IP_ADDRESS,
                        "port": {"type": ["string", "null"], "format": "uuid"},
                        "uuid": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "OS-DCF:diskConfig": t.DISK_CONFIG,
            "accessIPv4": t.ACCESS_IPV4,
            "accessIPv6": t.ACCESS_IPV6,
            "personality": t.PERSONALITY,
            "availability_zone": t.NAME,
            "block_device_mapping": {"type": "array", "items": _LEGACY_BDM},
            "block_device_mapping_v2": {"type": "array", "items": _BDM_V2},
            "config_drive": t.BOOLEAN,
            "key_name": t.NAME,
            "min_count": t.POSITIVE_INTEGER,
            "max_count": t.POSITIVE_INTEGER,
            "return_reservation_id": t.BOOLEAN,
            "security_groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": t.NAME},
                    "additionalProperties": False,
                },
            },
            "user_data": {"type": "string", "format": "base64", "maxLength": 65535},
        },
        "required": ["name", "flavorRef"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "server": server,
            "os:scheduler_hints": HINTS,
            "OS-SCH-HNT:scheduler_hints": HINTS,
        },
        "required": ["server"],
        "additionalProperties": False,
    }


def _server(schema: Schema) -> Schema:
    return schema["properties"]["server"]


def _props(schema: Schema) -> Schema:
    return _server(schema)["properties"]


def _derive(previous: Schema, change) -> Schema:  # type: ignore[no-untyped-def]
    schema = copy.deepcopy(previous)
    change(schema)
    return schema


def _networks_v2_37(tagged: bool) -> Schema:
    item = {
        "fixed_ip": t.IP_ADDRESS,
        "port": {"type": ["string", "null"], "format": "uuid"},
        "uuid": {"type": "string", "format": "uuid"},
    }
    if tagged:
        item["tag"] = t.TAG
    return {
        "oneOf": [
            {
                "type": "array",
                "items": {"type": "object", "properties": item, "additionalProperties": False},
            },
            {"type": "string", "enum": ["none", "auto"]},
        ]
    }


V2_1 = _v2_1()
V2_19 = _derive(V2_1, lambda s: _props(s).update(description=t.DESCRIPTION))
# 2.32 tagged network and block devices; 2.33 to 2.36 lost the block device tag again.
V2_32 = _derive(
    V2_19,
    lambda s: (
        _props(s)["networks"]["items"]["properties"].update(tag=t.TAG),
        _props(s)["block_device_mapping_v2"]["items"]["properties"].update(tag=t.TAG),
    ),
)
V2_33 = _derive(V2_19, lambda s: _props(s)["networks"]["items"]["properties"].update(tag=t.TAG))


def _v2_37(s: Schema) -> None:
    _server(s)["required"].append("networks")
    _props(s)["networks"] = _networks_v2_37(tagged=False)


V2_37 = _derive(V2_33, _v2_37)


def _v2_42(s: Schema) -> None:
    _props(s)["networks"] = _networks_v2_37(tagged=True)
    _props(s)["block_device_mapping_v2"]["items"]["properties"]["tag"] = t.TAG


V2_42 = _derive(V2_37, _v2_42)
V2_52 = _derive(
    V2_42,
    lambda s: _props(s).update(tags={"type": "array", "items": t.TAG, "maxItems": t.MAX_TAG_COUNT}),
)
V2_57 = _derive(V2_52, lambda s: _props(s).pop("personality"))
V2_63 = _derive(V2_57, lambda s: _props(s).update(trusted_image_certificates=t.TRUSTED_CERTS))
V2_67 = _derive(
    V2_63,
    lambda s: _props(s)["block_device_mapping_v2"]["items"]["properties"].update(
        volume_type=t.VOLUME_TYPE
    ),
)
V2_74 = _derive(V2_67, lambda s: _props(s).update(host=t.FQDN, hypervisor_hostname=t.FQDN))
V2_90 = _derive(V2_74, lambda s: _props(s).update(hostname=t.HOSTNAME))
V2_94 = _derive(V2_90, lambda s: _props(s).update(hostname=t.FQDN))

CREATE = [
    ("2.1", V2_1),
    ("2.19", V2_19),
    ("2.32", V2_32),
    ("2.33", V2_33),
    ("2.37", V2_37),
    ("2.42", V2_42),
    ("2.52", V2_52),
    ("2.57", V2_57),
    ("2.63", V2_63),
    ("2.67", V2_67),
    ("2.74", V2_74),
    ("2.90", V2_90),
    ("2.94", V2_94),
]


def create(version: Version) -> Schema:
    return pick(CREATE, version)
