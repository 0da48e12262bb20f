"""Bodies of the floating-IP proxy: a floating IP as Nova translates Neutron's (its pool is
the network's name, its instance the device of the port it points at), and the pools."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.resources.floating_ips import ProxyFloatingIp


def floating_ip(item: ProxyFloatingIp) -> dict[str, Any]:
    return {
        "fixed_ip": item.fixed_ip,
        "id": item.id,
        "instance_id": item.instance_id,
        "ip": item.ip,
        "pool": item.pool,
    }


def pools(names: list[str]) -> dict[str, Any]:
    return {"floating_ip_pools": [{"name": n} for n in names]}
