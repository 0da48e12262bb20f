"""A server's diagnostics, as the libvirt driver of a KVM devstack reads them from its guest.

Nova asks the server's compute host, so a server without a host is "not ready" (the API's
``check_instance_host``), and the host answers only for a guest that runs (any other power
state is refused, named in the 409). The counters are the fake's own, derived from the
server's id and the time since its launch so that they are stable for a scenario and grow
as its clock moves: a real guest's numbers are not reproducible anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.errors import InstanceInvalidState, InstanceNotReady
from fakenova.compute.models.servers.diagnostics_records import Diagnostics, Disk, Nic
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import PowerState

# Nova's names of the power states, as its refusals print them.
POWER_STATE_NAMES = {
    PowerState.NOSTATE: "pending",
    PowerState.RUNNING: "running",
    PowerState.PAUSED: "paused",
    PowerState.SHUTDOWN: "shutdown",
    PowerState.CRASHED: "crashed",
    PowerState.SUSPENDED: "suspended",
}
# What a virtio balloon reports on a KVM host (libvirt's memoryStats keys).
BALLOON = (
    "actual", "swap_in", "swap_out", "major_fault", "minor_fault", "unused", "available",
    "usable", "last_update", "disk_caches", "hugetlb_pgalloc", "hugetlb_pgfail", "rss",
)  # fmt: skip


def _number(server: Server, what: str, modulo: int) -> int:
    digest = hashlib.sha256(f"{server.uuid}/{what}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulo


def _uptime(backend: ComputeBackend, server: Server) -> int:
    launched = server.launched_at or backend.clock.now
    now = backend.clock.now
    if launched.tzinfo is None:
        launched = launched.replace(tzinfo=dt.UTC)
    return max(0, int((now - launched).total_seconds()))


def _disks(server: Server, uptime: int) -> list[Disk]:
    flavor = server.flavor
    devices = ["vda"] + (["vdb"] if flavor.ephemeral_gb else [])
    if flavor.swap:
        devices.append(f"vd{chr(ord('a') + len(devices))}")
    return [
        Disk(
            device=dev,
            read_requests=120 + _number(server, dev + "r", 400) + uptime // 60,
            read_bytes=(4096 + _number(server, dev + "rb", 8192)) * 1024 + uptime * 512,
            write_requests=300 + _number(server, dev + "w", 600) + uptime // 30,
            write_bytes=(2048 + _number(server, dev + "wb", 8192)) * 1024 + uptime * 2048,
            errors=-1,
        )
        for dev in devices
    ]


def _nics(server: Server, uptime: int) -> list[Nic]:
    nics = []
    for address in server.addresses:
        port = address.port_id or address.mac
        if any(n.mac == address.mac for n in nics):
            continue  # one interface may hold several addresses
        packets = 20 + _number(server, port, 200) + uptime // 10
        nics.append(
            Nic(
                device=f"tap{port[:11]}",
                mac=address.mac,
                rx_octets=packets * 90,
                rx_packets=packets,
                rx_errors=0,
                rx_drop=0,
                tx_octets=packets * 70,
                tx_packets=packets - 5,
                tx_errors=0,
                tx_drop=0,
            )
        )
    return nics


def read(backend: ComputeBackend, server: Server) -> Diagnostics:
    """The guest's diagnostics, or Nova's refusal (409) for a server it cannot ask."""
    if not server.host:
        raise InstanceNotReady(server.uuid)
    if server.power_state != PowerState.RUNNING:
        raise InstanceInvalidState(
            server.uuid, "power state", POWER_STATE_NAMES[PowerState(server.power_state)]
        )
    uptime = _uptime(backend, server)
    memory_kib = server.flavor.memory_mb * 1024
    stats = dict.fromkeys(BALLOON, 0) | {
        "actual": memory_kib,
        "available": memory_kib - 120 * 1024,
        "unused": memory_kib - 220 * 1024 - _number(server, "used", 64 * 1024),
        "usable": memory_kib - 200 * 1024 - _number(server, "used", 64 * 1024),
        "major_fault": 300 + _number(server, "major", 200),
        "minor_fault": 60000 + _number(server, "minor", 20000) + uptime * 10,
        "last_update": int(backend.clock.now.timestamp()) // 10 * 10,
        "disk_caches": 80 * 1024 + _number(server, "cache", 16 * 1024),
        "rss": 180 * 1024 + _number(server, "rss", 64 * 1024),
    }
    vcpus = server.flavor.vcpus
    return Diagnostics(
        state="running",
        uptime=uptime,
        config_drive=bool(server.config_drive),
        memory_kib=memory_kib,
        memory_stats=stats,
        cpu_times=[
            (15 + _number(server, f"cpu{i}", 20)) * 1_000_000_000 + uptime * 10_000_000
            for i in range(vcpus)
        ],
        disks=_disks(server, uptime),
        nics=_nics(server, uptime),
    )
