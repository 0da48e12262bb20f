"""What ``os-hosts`` and the usage audit log show of the hosts (the rules are in
:mod:`~fakenova.compute.models.deployment.hosts` and
:mod:`~fakenova.compute.models.deployment.usage_audit`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HostService:
    """One row of the listing: a host, the topic of one of its services, and its zone."""

    host_name: str
    service: str
    zone: str


@dataclass(frozen=True)
class Resources:
    """One resource row of a host: ``project`` is a project id or ``(total)``,
    ``(used_now)``, ``(used_max)``."""

    host: str
    project: str
    cpu: int = 0
    memory_mb: int = 0
    disk_gb: int = 0


@dataclass(frozen=True)
class AuditLog:
    period_beginning: dt.datetime
    period_ending: dt.datetime
    hosts: list[str]
    # host -> (state, instances, errors, message) of its task log; none while the audit is off
    logs: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)

    @property
    def done(self) -> list[str]:
        return [h for h, log in self.logs.items() if log[0] == "DONE"]

    @property
    def running(self) -> list[str]:
        return [h for h, log in self.logs.items() if log[0] == "RUNNING"]

    @property
    def not_run(self) -> list[str]:
        return [h for h in self.hosts if h not in self.logs]

    @property
    def total_errors(self) -> int:
        return sum(log[2] for log in self.logs.values())

    @property
    def total_instances(self) -> int:
        return sum(log[1] for log in self.logs.values())

    @property
    def overall_status(self) -> str:
        done = len(self.done)
        hosts = "ALL" if done == len(self.hosts) else f"{done} of {len(self.hosts)}"
        return f"{hosts} hosts done. {self.total_errors} errors."
