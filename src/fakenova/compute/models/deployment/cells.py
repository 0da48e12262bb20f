"""Cells, hosts and the services that run on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Cell:
    """A cell database and message queue; unreachable cells answer nothing at all."""

    name: str
    uuid: str
    reachable: bool = True


@dataclass
class Host:
    name: str
    cell: Cell
    zone: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    # The uuid of the host's compute node (os-hypervisors' id from 2.53).
    node_uuid: str = ""


@dataclass
class Service:
    """A row of a cell's ``services`` table. ``id`` is per cell database, as in Nova:
    two cells can both have a service 1, which is why microversion 2.53 switched to uuids."""

    id: int
    uuid: str
    binary: str
    host: str
    cell: Cell
    zone: str
    created_at: dt.datetime
    last_seen_up: dt.datetime
    disabled: bool = False
    disabled_reason: str | None = None
    forced_down: bool = False
    report_count: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    # Reporting: since when (None: since created_at), and when it stopped (None: it runs).
    reporting_since: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    # The last change made through the API (disable, force down ...): the row's updated_at.
    changed_at: dt.datetime | None = None

    @property
    def is_compute(self) -> bool:
        return self.binary == "nova-compute"
