"""``os-simple-tenant-usage``: what each project's servers cost over a window of time.

Nova bills a server for the part of the window between its launch and its termination
(``launched_at``, ``terminated_at``), in hours, and multiplies those hours by its flavor's
vCPUs, memory and disk (root plus ephemeral). Deleted servers count for the time they ran:
Nova reads the instances table with its deleted rows. A server never launched costs nothing
and is not listed. The window ends at the cloud's clock at the latest.

Servers are read cell by cell, each cell's sorted by project and uuid; a page (2.40) goes on
after its marker, a server of any state in its cell, as Nova's database query does.
"""

from __future__ import annotations

import datetime as dt

from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.errors import UsageInvalid
from fakenova.compute.models.resources.usage_records import ServerUsage, TenantUsage, Window
from fakenova.compute.models.servers.records import Server

# The formats Nova accepts for ``start`` and ``end``, tried in this order.
FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_time(text: str | None, now: dt.datetime) -> dt.datetime:
    """A ``start`` or ``end`` value; missing (or blank) means now."""
    if not text:
        return now
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise UsageInvalid("Invalid datetime string: Datetime is in invalid format")


def window(backend: ComputeBackend, start: str | None, end: str | None) -> Window:
    """The window asked for, refused when it does not start before it ends.

    Nova reads its clock once for each missing bound, so two missing bounds make a window a
    few microseconds long: the fake, whose clock stands still, accepts that empty window."""
    now = _aware(backend.clock.now)
    begin, stop = parse_time(start, now), parse_time(end, now)
    if not begin < stop and (start or end):
        raise UsageInvalid("Invalid start time. The start time cannot occur after the end time.")
    return Window(begin, min(stop, now), now)


def _hours(server: Server, period: Window) -> float:
    launched = _aware(server.launched_at) if server.launched_at else None
    ended = _aware(server.terminated_at) if server.terminated_at else None
    if launched is None or (ended and ended < period.start) or launched > period.stop:
        return 0
    stop = min(period.stop, ended) if ended else period.stop
    return (stop - max(launched, period.start)).total_seconds() / 3600.0


def _in_window(server: Server, period: Window, project_id: str | None) -> bool:
    if server.launched_at is None or not _aware(server.launched_at) < period.stop:
        return False
    if server.terminated_at is not None and not _aware(server.terminated_at) > period.start:
        return False
    return project_id is None or server.project_id == project_id


def _servers(
    backend: ComputeBackend, period: Window, project_id: str | None, limit: int, marker: str | None
) -> list[Server]:
    """The servers in the window, cell by cell, past the marker, at most ``limit``."""
    found: list[Server] = []
    for cell in backend.cells.values():
        in_cell = [s for s in backend.servers.values() if s.cell is cell]
        if marker is not None:
            mark = next((s for s in in_cell if s.uuid == marker), None)
            if mark is None:
                continue
        rows = sorted(
            (s for s in in_cell if _in_window(s, period, project_id)),
            key=lambda s: (s.project_id, s.uuid),
        )
        if marker is not None:
            rows = [s for s in rows if (s.project_id, s.uuid) > (mark.project_id, mark.uuid)]
            marker = None
        found.extend(rows[: limit - len(found)])
        if len(found) >= limit:
            break
    if marker is not None:
        raise UsageInvalid(f"Marker {marker} could not be found.")
    return found


def _usage(server: Server, period: Window) -> ServerUsage:
    started = _aware(server.launched_at) if server.launched_at else period.now
    ended = _aware(server.terminated_at) if server.terminated_at else None
    uptime = (ended or period.now) - started
    return ServerUsage(
        server=server,
        hours=_hours(server, period),
        started_at=started,
        ended_at=ended,
        state="terminated" if ended else server.vm_state,
        uptime=int(uptime.total_seconds()),
    )


def usages(
    backend: ComputeBackend,
    period: Window,
    project_id: str | None,
    limit: int,
    marker: str | None,
) -> tuple[list[TenantUsage], list[ServerUsage]]:
    """Each project's totals (in the order its first server came), and every server's usage
    (the page the ``next`` link is built from)."""
    tenants: dict[str, TenantUsage] = {}
    every: list[ServerUsage] = []
    for server in _servers(backend, period, project_id, limit, marker):
        used = _usage(server, period)
        tenant = tenants.setdefault(server.project_id, TenantUsage(server.project_id, period))
        flavor = server.flavor
        tenant.total_local_gb_usage += used.local_gb * used.hours
        tenant.total_vcpus_usage += flavor.vcpus * used.hours
        tenant.total_memory_mb_usage += flavor.memory_mb * used.hours
        tenant.total_hours += used.hours
        tenant.servers.append(used)
        every.append(used)
    return list(tenants.values()), every
