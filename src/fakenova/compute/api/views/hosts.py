"""``os-hosts`` bodies (the API is gone from 2.43, so they never change with the microversion)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.deployment.host_records import HostService, Resources


def listed(hosts: list[HostService]) -> dict[str, Any]:
    return {
        "hosts": [{"host_name": h.host_name, "service": h.service, "zone": h.zone} for h in hosts]
    }


def resources(rows: list[Resources]) -> dict[str, Any]:
    return {
        "host": [
            {
                "resource": {
                    "host": r.host,
                    "project": r.project,
                    "cpu": r.cpu,
                    "memory_mb": r.memory_mb,
                    "disk_gb": r.disk_gb,
                }
            }
            for r in rows
        ]
    }


def updated(host_name: str, answered: dict[str, str]) -> dict[str, Any]:
    return {"host": host_name} | answered


def power_action(host_name: str, result: str) -> dict[str, Any]:
    return {"host": host_name, "power_action": result}
