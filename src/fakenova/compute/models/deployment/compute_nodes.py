"""A compute node's record as ``os-hypervisors`` reads it (the rules are in
:mod:`~fakenova.compute.models.deployment.hypervisors`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fakenova.compute.models.deployment.cells import Host, Service
from fakenova.compute.models.servers.records import Server

HYPERVISOR_TYPE = "QEMU"
# libvirt reports QEMU's version as major * 1,000,000 + minor * 1,000 + micro (8.2.2 here,
# the QEMU of the Ubuntu 24.04 a devstack runs on).
HYPERVISOR_VERSION = 8002002


@dataclass(frozen=True)
class Hypervisor:
    id: int
    uuid: str
    host: Host
    service: Service
    host_ip: str | None
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    current_workload: int
    servers: tuple[Server, ...]

    @property
    def hostname(self) -> str:
        return self.host.name

    @property
    def free_ram_mb(self) -> int:
        return self.host.memory_mb - self.memory_mb_used

    @property
    def free_disk_gb(self) -> int:
        return self.host.disk_gb - self.local_gb_used

    @property
    def cpu_info(self) -> str:
        """libvirt's description of the host CPU, as the driver stores it (a JSON string)."""
        return json.dumps(
            {
                "arch": "x86_64",
                "model": "EPYC-Rome",
                "vendor": "AMD",
                "topology": {"cells": 1, "sockets": 1, "cores": self.host.vcpus, "threads": 1},
                "features": ["sse2", "ssse3", "sse4.1", "sse4.2", "avx", "avx2", "svm"],
            }
        )
