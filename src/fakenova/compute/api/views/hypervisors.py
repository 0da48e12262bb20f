"""``os-hypervisors`` bodies per microversion.

2.28 gives ``cpu_info`` as an object instead of a JSON string; 2.53 answers uuids for the
node and its service, and lists a node's servers when asked (from 2.75 an empty list rather
than nothing); 2.88 drops the resource counts and ``cpu_info`` and adds ``uptime``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.deployment.compute_nodes import (
    HYPERVISOR_TYPE,
    HYPERVISOR_VERSION,
    Hypervisor,
)

# The fields 2.88 removed, in the order the older bodies list them.
RESOURCE_FIELDS = (
    "vcpus",
    "memory_mb",
    "local_gb",
    "vcpus_used",
    "memory_mb_used",
    "local_gb_used",
    "free_ram_mb",
    "free_disk_gb",
    "current_workload",
    "running_vms",
    "disk_available_least",
)


def _resources(node: Hypervisor) -> dict[str, int]:
    return {
        "vcpus": node.host.vcpus,
        "memory_mb": node.host.memory_mb,
        "local_gb": node.host.disk_gb,
        "vcpus_used": node.vcpus_used,
        "memory_mb_used": node.memory_mb_used,
        "local_gb_used": node.local_gb_used,
        "free_ram_mb": node.free_ram_mb,
        "free_disk_gb": node.free_disk_gb,
        "current_workload": node.current_workload,
        "running_vms": len(node.servers),
        "disk_available_least": node.free_disk_gb,
    }


@dataclass
class HypervisorView:
    version: Version
    backend: ComputeBackend

    @property
    def uuids(self) -> bool:
        return self.version.at_least("2.53")

    def one(
        self,
        node: Hypervisor,
        *,
        detail: bool,
        with_servers: bool = False,
        uptime: str | None = None,
    ) -> dict[str, Any]:
        """A node; ``with_servers``: its servers were asked for; ``uptime``: 2.88's field."""
        v = self.version
        body: dict[str, Any] = {
            "id": node.uuid if self.uuids else node.id,
            "hypervisor_hostname": node.hostname,
            "state": "up" if self.backend.service_is_up(node.service) else "down",
            "status": "disabled" if node.service.disabled else "enabled",
        }
        if detail:
            body["hypervisor_type"] = HYPERVISOR_TYPE
            body["hypervisor_version"] = HYPERVISOR_VERSION
            body["host_ip"] = node.host_ip
            body["service"] = {
                "id": node.service.uuid if self.uuids else node.service.id,
                "host": node.host.name,
                "disabled_reason": node.service.disabled_reason,
            }
            if not v.at_least("2.88"):
                body.update(_resources(node))
                info = node.cpu_info
                body["cpu_info"] = json.loads(info) if v.at_least("2.28") else info
            else:
                body["uptime"] = uptime
        if with_servers and node.servers:
            body["servers"] = [{"name": s.instance_name, "uuid": s.uuid} for s in node.servers]
        elif with_servers and v.at_least("2.75"):
            body["servers"] = []
        return body
