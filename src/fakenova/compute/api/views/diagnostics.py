"""Diagnostics per microversion: the libvirt driver's own dictionary before 2.48, Nova's
standard shape from it (what the libvirt driver fills in; the rest is null)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.servers.diagnostics_records import Diagnostics

MIB_IN_KIB = 1024


def libvirt(found: Diagnostics) -> dict[str, Any]:
    body: dict[str, Any] = {f"cpu{i}_time": t for i, t in enumerate(found.cpu_times)}
    for disk in found.disks:
        body |= {
            f"{disk.device}_read_req": disk.read_requests,
            f"{disk.device}_read": disk.read_bytes,
            f"{disk.device}_write_req": disk.write_requests,
            f"{disk.device}_write": disk.write_bytes,
            f"{disk.device}_errors": disk.errors,
        }
    for nic in found.nics:
        body |= {
            f"{nic.device}_rx": nic.rx_octets,
            f"{nic.device}_rx_packets": nic.rx_packets,
            f"{nic.device}_rx_errors": nic.rx_errors,
            f"{nic.device}_rx_drop": nic.rx_drop,
            f"{nic.device}_tx": nic.tx_octets,
            f"{nic.device}_tx_packets": nic.tx_packets,
            f"{nic.device}_tx_errors": nic.tx_errors,
            f"{nic.device}_tx_drop": nic.tx_drop,
        }
    body["memory"] = found.memory_kib
    body |= {f"memory-{key}": value for key, value in found.memory_stats.items()}
    return body


def standard(found: Diagnostics) -> dict[str, Any]:
    """The 2.48 shape. The libvirt driver gives memory in whole MiB of the domain's KiB
    (rounded down, as Nova's integer fields keep them) and sets no utilisation or rates."""
    used = found.memory_stats.get("actual", found.memory_kib)  # the domain's current memory
    return {
        "state": found.state,
        "driver": "libvirt",
        "hypervisor": "kvm",
        "hypervisor_os": "linux",
        "uptime": found.uptime,
        "config_drive": found.config_drive,
        "num_cpus": len(found.cpu_times),
        "num_nics": len(found.nics),
        "num_disks": len(found.disks),
        "disk_details": [
            {
                "read_bytes": d.read_bytes,
                "read_requests": d.read_requests,
                "write_bytes": d.write_bytes,
                "write_requests": d.write_requests,
                "errors_count": d.errors,
            }
            for d in found.disks
        ],
        "cpu_details": [
            {"id": i, "time": t, "utilisation": None} for i, t in enumerate(found.cpu_times)
        ],
        "nic_details": [
            {
                "mac_address": n.mac,
                "rx_octets": n.rx_octets,
                "rx_errors": n.rx_errors,
                "rx_drop": n.rx_drop,
                "rx_packets": n.rx_packets,
                "rx_rate": None,
                "tx_octets": n.tx_octets,
                "tx_errors": n.tx_errors,
                "tx_drop": n.tx_drop,
                "tx_packets": n.tx_packets,
                "tx_rate": None,
            }
            for n in found.nics
        ],
        "memory_details": {
            "maximum": found.memory_kib // (MIB_IN_KIB * MIB_IN_KIB),
            "used": used // (MIB_IN_KIB * MIB_IN_KIB),
        },
    }
