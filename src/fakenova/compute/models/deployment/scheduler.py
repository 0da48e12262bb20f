"""Choosing a host for a new server, the way Nova's scheduler would for this small cloud.

A host qualifies when its nova-compute service is enabled and up, it is in the requested
availability zone (and is the requested host or node, if any), and it has room for the flavor
once Nova's default allocation ratios (CPU 4.0, RAM 1.0, disk 1.0) and reserved host memory
(512 MB) are applied to its inventory, its server group allows it (Nova's
ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter, both enabled by default), and the
request's ``same_host`` and ``different_host`` hints allow it (Nova's SameHostFilter and
DifferentHostFilter, which devstack adds to ``[filter_scheduler] enabled_filters``). Among
those, a soft-(anti-)affinity group's preferred hosts come first (Nova's weighers, reduced
to a strict preference), then the one with the most free RAM, then the name, so a scenario
always lands servers on the same hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fakenova.compute.models.deployment.cells import Host
from fakenova.compute.models.moves.migrations import Migration
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.records import Server

CPU_ALLOCATION_RATIO = 4.0
RAM_ALLOCATION_RATIO = 1.0
DISK_ALLOCATION_RATIO = 1.0
RESERVED_HOST_MEMORY_MB = 512

# The reason Nova's scheduler gives when its filters leave fewer hosts than servers asked.
NOT_ENOUGH_HOSTS_REASON = "There are not enough hosts available."

# ``[filter_scheduler] enabled_filters`` when a deployment leaves it unset: Nova's default,
# which has neither SameHostFilter nor DifferentHostFilter (devstack sets both).
DEFAULT_ENABLED_FILTERS = (
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
)


@dataclass(frozen=True)
class Usage:
    vcpus: int = 0
    memory_mb: int = 0
    disk_gb: int = 0

    def plus(self, flavor: Flavor) -> Usage:
        return Usage(
            self.vcpus + flavor.vcpus,
            self.memory_mb + flavor.memory_mb + flavor.swap,
            self.disk_gb + flavor.root_gb + flavor.ephemeral_gb,
        )


@dataclass(frozen=True)
class GroupRule:
    """What a server group says about hosts: how many of its members each host holds."""

    policy: str
    members_on: dict[str, int] = field(default_factory=dict)
    max_per_host: int = 1

    def allows(self, host: str) -> bool:
        if self.policy == "affinity":  # with no member placed yet, any host starts the group
            return not self.members_on or host in self.members_on
        if self.policy == "anti-affinity":
            return self.members_on.get(host, 0) < self.max_per_host
        return True  # the soft policies only weigh hosts, they never rule one out

    def rank(self, host: str) -> int:
        """Lower is better: soft-affinity seeks members, soft-anti-affinity avoids them."""
        count = self.members_on.get(host, 0)
        return {"soft-affinity": -count, "soft-anti-affinity": count}.get(self.policy, 0)

    def placed(self, host: str) -> GroupRule:
        """The rule once one more member went to ``host`` (the next server of a request)."""
        members = dict(self.members_on)
        members[host] = members.get(host, 0) + 1
        return replace(self, members_on=members)


@dataclass(frozen=True)
class HostHints:
    """Where the ``same_host`` and ``different_host`` hints let a server go, worked out once
    per request as Nova's filters are (``run_filter_once_per_request``): SameHostFilter
    passes only the hosts holding one of the listed servers (so a list naming no existing
    server passes none), DifferentHostFilter only the hosts holding none of them (unknown
    uuids rule nothing out). ``near`` is None when no same_host hint applies."""

    near: frozenset[str] | None = None
    avoid: frozenset[str] = frozenset()

    def allows(self, host: str) -> bool:
        return (self.near is None or host in self.near) and host not in self.avoid


@dataclass(frozen=True)
class Placement:
    """What the scheduler was asked for besides the flavor."""

    zone: str | None = None
    host: str | None = None
    node: str | None = None
    group: GroupRule | None = None
    hints: HostHints = HostHints()
    # A requested port has a resource request (guaranteed bandwidth). No host of this
    # deployment offers such resources: its Neutron agents report no bandwidth inventory
    # to Placement (``resource_provider_bandwidths`` unset), so Placement offers no host.
    port_resources: bool = False


def enabled_filters(nova: Mapping[str, Any]) -> tuple[str, ...]:
    """``[filter_scheduler] enabled_filters`` from the ``nova`` settings: a list, or a
    comma-separated string as nova.conf writes it."""
    chosen = (nova.get("filter_scheduler") or {}).get("enabled_filters", DEFAULT_ENABLED_FILTERS)
    if isinstance(chosen, str):
        chosen = chosen.split(",")
    return tuple(str(name).strip() for name in chosen)


def host_hints(
    nova: Mapping[str, Any], servers: Iterable[Server], hints: Mapping[str, list[str]]
) -> HostHints:
    """The hosts ``hints`` (a request spec's, each value a list) allow, given where
    ``servers`` are now. A hint whose filter is not enabled is ignored, as is an empty one
    (Nova's filters pass every host then). A server counts on its host until it is deleted
    (a soft-deleted or shelved one still holds it; an offloaded one has no host)."""
    enabled = enabled_filters(nova)
    same = hints.get("same_host") if "SameHostFilter" in enabled else None
    different = hints.get("different_host") if "DifferentHostFilter" in enabled else None
    if not same and not different:
        return HostHints()
    host_of = {s.uuid: s.host for s in servers if s.host and not s.deleted}
    return HostHints(
        near=frozenset(host_of[u] for u in same if u in host_of) if same else None,
        avoid=frozenset(host_of[u] for u in different or () if u in host_of),
    )


def usage_by_host(
    servers: Iterable[Server], migrations: Iterable[Migration] = ()
) -> dict[str, Usage]:
    """Placement's view of each host: what the servers placed on it consume (deleted ones
    release everything), plus the old flavor that a resize awaiting confirmation still holds
    on its source host (Nova keeps that allocation, under the migration, until the resize is
    confirmed or reverted). Builds, moves and unshelves all see the same view."""
    used: dict[str, Usage] = {}
    for server in servers:
        if server.host and not server.deleted:
            used[server.host] = used.get(server.host, Usage()).plus(server.flavor)
    for migration in migrations:
        if migration.status == "finished" and migration.source_compute:
            host = migration.source_compute
            used[host] = used.get(host, Usage()).plus(migration.old_flavor)
    return used


def free_memory(host: Host, used: Usage) -> float:
    return host.memory_mb * RAM_ALLOCATION_RATIO - RESERVED_HOST_MEMORY_MB - used.memory_mb


def fits(host: Host, used: Usage, flavor: Flavor) -> bool:
    after = used.plus(flavor)
    return (
        after.vcpus <= host.vcpus * CPU_ALLOCATION_RATIO
        and after.memory_mb <= host.memory_mb * RAM_ALLOCATION_RATIO - RESERVED_HOST_MEMORY_MB
        and after.disk_gb <= host.disk_gb * DISK_ALLOCATION_RATIO
    )


def _offered(
    candidates: Iterable[Host], used: dict[str, Usage], flavor: Flavor, placement: Placement
) -> list[Host]:
    """The hosts Placement would offer: in the zone, the requested host or node if any,
    with room for ``flavor`` (Nova asks Placement for these before any filter runs)."""
    return [
        h
        for h in candidates
        if not placement.port_resources
        and (placement.zone is None or h.zone == placement.zone)
        and (placement.host is None or h.name == placement.host)
        and (placement.node is None or h.name == placement.node)
        and fits(h, used.get(h.name, Usage()), flavor)
    ]


def _filtered(hosts: list[Host], placement: Placement) -> list[Host]:
    """The offered hosts the enabled filters let through: the server group's, the hints'."""
    return [
        h
        for h in hosts
        if (placement.group is None or placement.group.allows(h.name))
        and placement.hints.allows(h.name)
    ]


def select_host(
    candidates: Iterable[Host], used: dict[str, Usage], flavor: Flavor, placement: Placement
) -> Host | None:
    """The best host for ``flavor``, or None (Nova's NoValidHost). ``candidates`` are the
    hosts whose compute service is enabled and up."""
    fitting = _filtered(_offered(candidates, used, flavor, placement), placement)
    if not fitting:
        return None
    group = placement.group
    return min(
        fitting,
        key=lambda h: (
            group.rank(h.name) if group else 0,
            -free_memory(h, used.get(h.name, Usage())),
            h.name,
        ),
    )


def no_host_reason(
    candidates: Iterable[Host], used: dict[str, Usage], flavor: Flavor, placement: Placement
) -> str:
    """Why :func:`select_host` found none, as Nova's NoValidHost words it: no reason when
    Placement offered no host (Nova's scheduler gives up at once), NOT_ENOUGH_HOSTS_REASON
    when the filters ruled out every host it offered."""
    return NOT_ENOUGH_HOSTS_REASON if _offered(candidates, used, flavor, placement) else ""
