"""Bodies of the floating-IP proxy (``nova/api/openstack/compute/schemas/floating_ips.py``):
a create names a pool or none (the body may be null, extra keys pass); the actions take an
address, and ``addFloatingIp`` the fixed address to point it at."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.types import IP_ADDRESS

CREATE: Schema = {
    "type": ["object", "null"],
    "properties": {"pool": {"type": ["string", "null"]}},
}


def _action(name: str, *fields: str) -> Schema:
    return {
        "type": "object",
        "properties": {
            name: {
                "type": "object",
                "properties": {f: IP_ADDRESS for f in fields},
                "required": ["address"],
                "additionalProperties": False,
            }
        },
        "required": [name],
        "additionalProperties": False,
    }


ADD = _action("addFloatingIp", "address", "fixed_address")
REMOVE = _action("removeFloatingIp", "address")
