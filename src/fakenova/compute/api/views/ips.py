"""``/servers/{id}/ips`` bodies: version and address only (the server view's addresses add
the type and MAC)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.servers.records import Address


def _one(address: Address) -> dict[str, Any]:
    return {"version": address.version, "addr": address.addr}


def listed(networks: dict[str, list[Address]]) -> dict[str, Any]:
    return {"addresses": {name: [_one(a) for a in found] for name, found in networks.items()}}


def shown(network: str, addresses: list[Address]) -> dict[str, Any]:
    return {network: [_one(a) for a in addresses]}
