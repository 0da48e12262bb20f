"""What a usage report is made of (the rules that compute it are in :mod:`.usage`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fakenova.compute.models.servers.records import Server


@dataclass(frozen=True)
class Window:
    """The period asked for; ``stop`` is already capped at the cloud's clock."""

    start: dt.datetime
    stop: dt.datetime
    now: dt.datetime


@dataclass
class ServerUsage:
    """One server's share of a window."""

    server: Server
    hours: float
    started_at: dt.datetime
    ended_at: dt.datetime | None
    state: str
    uptime: int

    @property
    def local_gb(self) -> int:
        return self.server.flavor.root_gb + self.server.flavor.ephemeral_gb


@dataclass
class TenantUsage:
    """A project's totals over a window, and (when detailed) its servers' usages."""

    tenant_id: str
    window: Window
    servers: list[ServerUsage] = field(default_factory=list)
    total_hours: float = 0
    total_local_gb_usage: float = 0
    total_vcpus_usage: float = 0
    total_memory_mb_usage: float = 0
