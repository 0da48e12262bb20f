"""Host aggregates (``os-aggregates``) and the availability zones they make.

An aggregate groups compute hosts and carries metadata; its ``availability_zone`` key puts its
hosts in that zone. A host's zone is the zone of its aggregates that have one (Nova joins
several with a comma, which its own checks never let happen), else the zone it has outside any
aggregate (``default_availability_zone``, ``conf/`` here). The zone is written onto the host
and its nova-compute service whenever membership or metadata changes, so that the scheduler,
``os-availability-zone``, ``os-services`` and the servers' ``OS-EXT-AZ`` see it at once, as
Nova's availability-zone cache is reset on the same changes.

The rules are Nova's ``AggregateAPI`` (``nova/compute/api.py``) and ``Aggregate`` object: a
host may not end up in two zones, a zone may not be renamed while its hosts hold servers, a
host holding servers may not change zone by joining or leaving, and a zone may not be unset
(Nova refuses an empty zone name, ``null`` included). Each refusal is checked before anything
changes, except where Nova itself commits first: an update renames before checking the zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from fakenova.compute.models.errors import (
    AggregateHostExists,
    AggregateHostNotFound,
    AggregateHostUnknown,
    AggregateNameExists,
    AggregateNotFound,
    aggregate_refused,
)

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

ZONE = "availability_zone"
# The zone of a host outside any zoned aggregate when conf/ names none (Nova's default).
DEFAULT_ZONE = "nova"


@dataclass
class Aggregate:
    id: int
    uuid: str
    name: str
    created_at: dt.datetime
    # Moved by a rename only: Nova shows a metadata change's time in that answer alone.
    updated_at: dt.datetime | None = None
    hosts: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def availability_zone(self) -> str | None:
        return self.metadata.get(ZONE)


@dataclass
class Aggregates:
    """The API database's aggregates, by id (ids are never reused)."""

    by_id: dict[int, Aggregate] = field(default_factory=dict)
    serial: int = 0

    def listed(self) -> list[Aggregate]:
        return [self.by_id[i] for i in sorted(self.by_id)]

    def get(self, aggregate_id: str) -> Aggregate:
        """By the id as the path gives it (already checked to be an integer)."""
        found = self.by_id.get(int(aggregate_id))
        if found is None:
            raise AggregateNotFound(aggregate_id)
        return found

    def of_host(self, host: str) -> list[Aggregate]:
        return [a for a in self.listed() if host in a.hosts]


def host_zone(backend: ComputeBackend, host: str) -> str:
    zones = sorted({a.availability_zone for a in backend.aggregates.of_host(host)} - {None})
    if zones:
        return ",".join(str(z) for z in zones)
    configured = backend.settings.hosts.get(host)
    return configured.zone if configured else DEFAULT_ZONE


def _rezone(backend: ComputeBackend, hosts: list[str]) -> None:
    for name in hosts:
        zone = host_zone(backend, name)
        if name in backend.hosts:
            backend.hosts[name].zone = zone
        for service in backend.services:
            if service.host == name and service.is_compute:
                service.zone = zone


def _servers_on(backend: ComputeBackend, host: str) -> int:
    return sum(1 for s in backend.servers.values() if s.host == host and not s.deleted)


def create(backend: ComputeBackend, name: str, zone: str | None) -> Aggregate:
    if any(a.name == name for a in backend.aggregates.by_id.values()):
        raise AggregateNameExists(name)
    table = backend.aggregates
    table.serial += 1
    aggregate = Aggregate(
        table.serial, backend.ids.uuid("aggregate", name), name, backend.clock.now
    )
    if zone:
        aggregate.metadata[ZONE] = zone
    table.by_id[aggregate.id] = aggregate
    return aggregate


def _check_zone(
    backend: ComputeBackend,
    aggregate: Aggregate,
    metadata: dict[str, str | None],
    action: str,
    hosts: list[str] | None = None,
    servers_stay: bool = False,
) -> None:
    """Nova's ``is_safe_to_update_az``: only when ``metadata`` names a zone."""
    if ZONE not in metadata:
        return
    zone = metadata[ZONE]
    if not zone:
        reason = f"Aggregate {aggregate.name} does not support empty named availability zone"
        raise aggregate_refused(action, aggregate.id, reason)
    members = hosts or aggregate.hosts
    clashing = [
        a.availability_zone
        for a in backend.aggregates.listed()
        if a.availability_zone is not None
        and set(a.hosts) & set(members)
        and a.availability_zone != zone
        and a.id != aggregate.id
    ]
    if clashing:
        reason = f"One or more hosts already in availability zone(s) {clashing}"
        raise aggregate_refused(action, aggregate.id, reason)
    renamed = aggregate.availability_zone != zone
    if servers_stay and renamed and any(_servers_on(backend, h) for h in members):
        reason = "One or more hosts contain instances in this zone"
        raise aggregate_refused(action, aggregate.id, reason)


def rename(backend: ComputeBackend, aggregate: Aggregate, name: str) -> None:
    if any(a.name == name and a is not aggregate for a in backend.aggregates.by_id.values()):
        raise AggregateNameExists(name)
    aggregate.name = name
    aggregate.updated_at = backend.clock.now


def update_zone(backend: ComputeBackend, aggregate: Aggregate, zone: str | None) -> Aggregate:
    """PUT's ``availability_zone`` (after any rename, which stays even when this refuses)."""
    return set_metadata(backend, aggregate, {ZONE: zone}, action="update")


def set_metadata(
    backend: ComputeBackend,
    aggregate: Aggregate,
    metadata: dict[str, str | None],
    action: str = "update_meta",
) -> Aggregate:
    """Merge ``metadata`` (a null value removes its key); the answer shows the time of the
    change, which Nova does not store."""
    _check_zone(backend, aggregate, metadata, action, servers_stay=True)
    for key, value in metadata.items():
        if value is None:
            aggregate.metadata.pop(key, None)
        else:
            aggregate.metadata[key] = value
    _rezone(backend, aggregate.hosts)
    return replace(aggregate, updated_at=backend.clock.now)


def check_compute_host(backend: ComputeBackend, host: str) -> None:
    """Nova looks the host's nova-compute service up before the aggregate."""
    if not any(s.host == host and s.is_compute for s in backend.services):
        raise AggregateHostUnknown(host)


def _check_zone_move(
    backend: ComputeBackend, aggregate: Aggregate, host: str, *, joining: bool
) -> None:
    """A host holding servers keeps its zone: joining or leaving a zoned aggregate must not
    change it (Nova's ``ensure_no_instances_need_to_move_az_when_host_*``)."""
    count = _servers_on(backend, host)
    zone = aggregate.availability_zone
    if not count or not zone:
        return
    others = {
        a.availability_zone
        for a in backend.aggregates.of_host(host)
        if a.availability_zone is not None and (joining or a.id != aggregate.id)
    }
    other = sorted(others)[0] if others else None
    if other != zone:
        verb, action = ("added to", "add") if joining else ("removed from", "remove")
        before, after = (other, zone) if joining else (zone, other)
        reason = (
            f"The host cannot be {verb} the aggregate as the availability zone of the host "
            f"would change from '{before}' to '{after}' but the host already has {count} "
            "instance(s). Changing the AZ of an existing instance is not supported by this "
            "action. Move the instances away from this host then try again. If you need to "
            "move the instances between AZs then you can use shelve_offload and unshelve to "
            "achieve this."
        )
        raise aggregate_refused(action, aggregate.id, reason)


def add_host(backend: ComputeBackend, aggregate: Aggregate, host: str) -> Aggregate:
    _check_zone(backend, aggregate, dict(aggregate.metadata), "add", hosts=[host])
    _check_zone_move(backend, aggregate, host, joining=True)
    if host in aggregate.hosts:
        raise AggregateHostExists(aggregate.id, host)
    aggregate.hosts.append(host)
    _rezone(backend, [host])
    return aggregate


def remove_host(backend: ComputeBackend, aggregate: Aggregate, host: str) -> Aggregate:
    _check_zone_move(backend, aggregate, host, joining=False)
    if host not in aggregate.hosts:
        raise AggregateHostNotFound(aggregate.id, host)
    aggregate.hosts.remove(host)
    _rezone(backend, [host])
    return aggregate


def forget_host(backend: ComputeBackend, host: str) -> None:
    """Its compute service is deleted (it holds no servers): it leaves every aggregate."""
    for aggregate in backend.aggregates.of_host(host):
        aggregate.hosts.remove(host)


def delete(backend: ComputeBackend, aggregate: Aggregate) -> None:
    if aggregate.hosts:
        raise aggregate_refused("delete", aggregate.id, "Host aggregate is not empty")
    del backend.aggregates.by_id[aggregate.id]
