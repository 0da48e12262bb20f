"""``/limits``, ``os-quota-sets`` and ``os-quota-class-sets`` bodies per microversion.

The limits come from the compute API by resource, in the order Nova lists them (sorted).

Quota sets list every resource, sorted, until 2.36 drops the network ones and 2.57 the file
ones; quota classes drop the network ones and gain the server group ones at 2.50. The
absolute limits drop the network ones (and their usage) at 2.36, ``maxImageMeta`` at 2.39
and the file ones at 2.57; ``rate`` is always empty.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.schemas.quotas import FILES, NETWORK
from fakenova.compute.models.compute_api import QuotaSet

SERVER_GROUPS = ("server_groups", "server_group_members")
# Each absolute limit's names, in the order Nova's view names them.
LIMIT_NAMES = {
    "cores": ("maxTotalCores",),
    "injected_files": ("maxPersonality",),
    "injected_file_content_bytes": ("maxPersonalitySize",),
    "instances": ("maxTotalInstances",),
    "key_pairs": ("maxTotalKeypairs",),
    "metadata_items": ("maxServerMeta", "maxImageMeta"),
    "ram": ("maxTotalRAMSize",),
    "server_groups": ("maxServerGroups",),
    "server_group_members": ("maxServerGroupMembers",),
    "floating_ips": ("maxTotalFloatingIps",),
    "security_groups": ("maxSecurityGroups",),
    "security_group_rules": ("maxSecurityGroupRules",),
}
USED_NAMES = {
    "totalRAMUsed": "ram",
    "totalCoresUsed": "cores",
    "totalInstancesUsed": "instances",
    "totalFloatingIpsUsed": "floating_ips",
    "totalSecurityGroupsUsed": "security_groups",
    "totalServerGroupsUsed": "server_groups",
}


def _dropped(version: Version, *, network_at: str = "2.36") -> tuple[str, ...]:
    if version.at_least("2.57"):
        return NETWORK + FILES
    if version.at_least(network_at):
        return NETWORK
    return ()


def limits(quotas: QuotaSet, version: Version) -> dict[str, Any]:
    dropped = _dropped(version)
    absolute: dict[str, int] = {}
    for resource, names in LIMIT_NAMES.items():
        if resource in dropped:
            continue
        for name in names:
            if name == "maxImageMeta" and version.at_least("2.39"):
                continue
            absolute[name] = quotas.limits[resource]
    for name, resource in USED_NAMES.items():
        if resource not in dropped:
            absolute[name] = quotas.in_use[resource]
    return {"limits": {"rate": [], "absolute": absolute}}


def quota_set(project_id: str | None, values: dict[str, int], version: Version) -> dict[str, Any]:
    """A quota set (``project_id`` None: the answer of an update, which has no ``id``)."""
    body: dict[str, Any] = {} if project_id is None else {"id": project_id}
    dropped = _dropped(version)
    body.update((name, value) for name, value in values.items() if name not in dropped)
    return {"quota_set": body}


def detail(project_id: str, quotas: QuotaSet, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {"id": project_id}
    dropped = _dropped(version)
    for name in quotas.limits:
        if name not in dropped:
            body[name] = {
                "limit": quotas.limits[name],
                "in_use": quotas.in_use[name],
                "reserved": 0,
            }
    return {"quota_set": body}


def quota_class_set(name: str | None, values: dict[str, int], version: Version) -> dict[str, Any]:
    """A quota class (``name`` None: the answer of an update, which has no ``id``)."""
    body: dict[str, Any] = {} if name is None else {"id": name}
    dropped = _dropped(version, network_at="2.50")
    if not version.at_least("2.50"):
        dropped += SERVER_GROUPS
    body.update((n, value) for n, value in values.items() if n not in dropped)
    return {"quota_class_set": body}
