"""What a guest's diagnostics are made of (read by :mod:`.diagnostics`, rendered per
microversion by the API's view)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Disk:
    """A disk's block statistics, as libvirt's ``blockStats`` counts them."""

    device: str  # the guest's target, e.g. ``vda``
    read_requests: int
    read_bytes: int
    write_requests: int
    write_bytes: int
    errors: int


@dataclass(frozen=True)
class Nic:
    """An interface's counters, as libvirt's ``interfaceStats`` counts them."""

    device: str  # the host's tap device, ``tap`` and the port's id's first 11 characters
    mac: str
    rx_octets: int
    rx_packets: int
    rx_errors: int
    rx_drop: int
    tx_octets: int
    tx_packets: int
    tx_errors: int
    tx_drop: int


@dataclass(frozen=True)
class Diagnostics:
    """A running guest seen by the libvirt driver of a KVM host."""

    state: str
    uptime: int
    config_drive: bool
    memory_kib: int  # the domain's maximum memory
    memory_stats: dict[str, int]  # the balloon's statistics, in KiB
    cpu_times: list[int]  # nanoseconds per vCPU
    disks: list[Disk] = field(default_factory=list)
    nics: list[Nic] = field(default_factory=list)
