"""The networks servers attach to, from ``conf/`` (Neutron's view, as Nova proxies it)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from fakenova.determinism import IdSource
from fakenova.settings import Settings


@dataclass(frozen=True)
class Network:
    id: str
    name: str
    cidr: str

    @property
    def version(self) -> int:
        return ipaddress.ip_network(self.cidr).version


def load_networks(settings: Settings, ids: IdSource) -> dict[str, Network]:
    """Networks by id; a network without an ``id`` in ``conf/`` gets one from the seed."""
    found: dict[str, Network] = {}
    for raw in settings.networks:
        network_id = str(raw.get("id") or ids.uuid("network", raw["name"]))
        found[network_id] = Network(network_id, raw["name"], raw["cidr"])
    return found
