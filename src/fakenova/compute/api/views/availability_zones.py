"""``os-availability-zone`` bodies: the summary (no hosts) and the detailed view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakenova.compute.api.views.services import service_time

if TYPE_CHECKING:
    from fakenova.compute.models.deployment.zones import Zone


def _hosts(zone: Zone) -> dict[str, Any] | None:
    if zone.hosts is None:
        return None
    return {
        host: {
            s.binary: {
                "available": s.available,
                "active": s.active,
                "updated_at": service_time(s.updated_at),
            }
            for s in states
        }
        for host, states in zone.hosts.items()
    }


def listed(zones: list[Zone]) -> dict[str, Any]:
    return {
        "availabilityZoneInfo": [
            {"zoneName": z.name, "zoneState": {"available": z.available}, "hosts": _hosts(z)}
            for z in zones
        ]
    }
