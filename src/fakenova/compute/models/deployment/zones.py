"""Availability zones, as ``os-availability-zone`` reports them: the zones of the services
of every reachable cell.

A zone is available when one of its services is enabled; a zone whose services are all
disabled is listed as not available (Nova's ``nova/availability_zones.py``). The services
that are not computes sit in the internal zone, which the summary hides and the detailed
view shows. A compute service's zone is its host's: the zone of the host's aggregates that
have one, else the host's zone in ``conf/`` (see :mod:`.aggregates`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fakenova.compute.models.deployment.cells import Service

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

# nova.conf [DEFAULT] internal_service_availability_zone (Nova's default).
INTERNAL_ZONE = "internal"
# The API services are not listed with the hosts of a zone.
_API_BINARIES = ("nova-osapi_compute", "nova-metadata")


@dataclass(frozen=True)
class ServiceState:
    """One service of a host in the detailed view."""

    binary: str
    available: bool
    active: bool
    updated_at: dt.datetime


@dataclass(frozen=True)
class Zone:
    name: str
    available: bool
    # host -> its enabled services; None in the summary and for a zone not available
    hosts: dict[str, list[ServiceState]] | None = None


def _services(backend: ComputeBackend) -> list[Service]:
    return [s for s in backend.list_services(cell_down_support=False) if isinstance(s, Service)]


def _split(services: list[Service]) -> tuple[list[str], list[str]]:
    available = {s.zone for s in services if not s.disabled}
    unavailable = {s.zone for s in services if s.disabled} - available
    return sorted(available), sorted(unavailable)


def summary(backend: ComputeBackend) -> list[Zone]:
    """Available zones, then the others, each sorted by name; the internal zone hidden."""
    available, unavailable = _split(_services(backend))
    return [Zone(z, True) for z in available if z != INTERNAL_ZONE] + [
        Zone(z, False) for z in unavailable if z != INTERNAL_ZONE
    ]


def detail(backend: ComputeBackend) -> list[Zone]:
    """Every zone, the internal one included; an available zone names its hosts and, for
    each, its enabled services (API services left out) with whether each is up."""
    services = _services(backend)
    available, unavailable = _split(services)
    hosts: dict[str, dict[str, list[ServiceState]]] = {}
    for service in services:
        if service.disabled or service.binary in _API_BINARIES:
            continue
        state = ServiceState(
            service.binary,
            backend.service_is_up(service),
            True,
            backend.service_updated_at(service),
        )
        hosts.setdefault(service.zone, {}).setdefault(service.host, []).append(state)
    return [Zone(z, True, hosts.get(z, {})) for z in available] + [
        Zone(z, False) for z in unavailable
    ]
