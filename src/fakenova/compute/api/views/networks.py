"""``os-networks``: Nova's proxy view of Neutron networks (only the id and label are known)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.deployment.networks import Network

_UNKNOWN = (
    "broadcast",
    "cidr",
    "cidr_v6",
    "dns1",
    "dns2",
    "gateway",
    "gateway_v6",
    "netmask",
    "netmask_v6",
)


def network(net: Network) -> dict[str, Any]:
    body: dict[str, Any] = dict.fromkeys(_UNKNOWN)
    body["id"] = net.id
    body["label"] = net.name
    return dict(sorted(body.items()))


def tenant_network(net: Network) -> dict[str, Any]:
    """``os-tenant-networks``: Nova's ``network_dict``, whose ``cidr`` is the string
    ``"None"``, as it has been since the API first answered from Neutron."""
    return {"id": net.id, "cidr": "None", "label": net.name}
