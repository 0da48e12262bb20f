"""The body of ``POST /servers/{id}/os-interface``: a network or a port, one fixed address,
and from 2.49 a device tag; nothing else."""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import IP_ADDRESS, TAG, UUID

CREATE: Schema = {
    "type": "object",
    "properties": {
        "interfaceAttachment": {
            "type": "object",
            "properties": {
                "net_id": UUID,
                "port_id": UUID,
                "fixed_ips": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {"ip_address": IP_ADDRESS},
                        "required": ["ip_address"],
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        }
    },
    "additionalProperties": False,
}

CREATE_V249: Schema = copy.deepcopy(CREATE)
CREATE_V249["properties"]["interfaceAttachment"]["properties"]["tag"] = TAG

BY_VERSION: list[tuple[str, Schema]] = [("2.1", CREATE), ("2.49", CREATE_V249)]
