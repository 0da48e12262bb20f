"""``os-instance_usage_audit_log``: how far the computes got with the instance usage audit.

Each nova-compute runs the audit as a periodic task once per audit period
(``[DEFAULT] instance_usage_audit_period``, a month by default) and logs its progress in the
``task_log`` table; the API reports on the last period completed before a moment (now by
default). Nova reads the services and task logs through the API's own ``[database]``
connection, not cell by cell, so it counts the computes of that one cell database (cell1's
here, as in a single-conductor devstack and Nova's own multi-cell tests),
disabled ones included. The audit is off by default (``[DEFAULT] instance_usage_audit``),
as in this cloud: no host has run it, and every compute is listed as not run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fakenova.compute.models.deployment.host_records import AuditLog
from fakenova.compute.models.errors import DB_ERROR, CellUnreachable, InvalidAuditTimestamp
from fakenova.compute.models.servers.builds import CELL0

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend
    from fakenova.compute.models.deployment.cells import Cell

# Nova's default [DEFAULT] instance_usage_audit_period.
DEFAULT_PERIOD = "month"


def parse_before(value: str) -> dt.datetime:
    """The path's timestamp: ``YYYY-MM-DD HH:MM:SS``, with a fraction when it has a dot."""
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in value else "%Y-%m-%d %H:%M:%S"
    try:
        return dt.datetime.strptime(value, fmt)
    except ValueError:
        raise InvalidAuditTimestamp(value) from None


def _months_back(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    return moment.replace(year=index // 12, month=index % 12 + 1)


def last_completed_period(unit: str, before: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last whole period ending at or before ``before`` (an end equal to ``before`` has
    not completed yet). ``unit`` is ``hour``, ``day``, ``month`` or ``year``, with an optional
    ``@offset``: the minute, hour, day of the month or month its periods start at."""
    name, _, offset_text = unit.partition("@")
    offset = int(offset_text or 0)
    if name == "month":
        end = before.replace(day=offset or 1, hour=0, minute=0, second=0, microsecond=0)
        if end >= before:
            end = _months_back(end, 1)
        return _months_back(end, 1), end
    if name == "year":
        end = dt.datetime(before.year, offset or 1, 1)
        if end >= before:
            end = end.replace(year=end.year - 1)
        return end.replace(year=end.year - 1), end
    step = dt.timedelta(days=1) if name == "day" else dt.timedelta(hours=1)
    if name == "day":
        end = before.replace(hour=offset, minute=0, second=0, microsecond=0)
    else:
        end = before.replace(minute=offset, second=0, microsecond=0)
    if end >= before:
        end -= step
    return end - step, end


def _api_database_cell(backend: ComputeBackend) -> Cell:
    """The cell database the API's own ``[database]`` connection points at: the first cell
    after cell0 (a setting of the deployment, whatever runs there now)."""
    return next(c for c in backend.cells.values() if c.name != CELL0)


def audit_log(backend: ComputeBackend, before: dt.datetime | None) -> AuditLog:
    """The audit of the last period completed before ``before`` (now by default)."""
    moment = before or backend.clock.now.replace(tzinfo=None)
    unit = str(backend.settings.nova.get("instance_usage_audit_period", DEFAULT_PERIOD))
    begin, end = last_completed_period(unit, moment)
    cell = _api_database_cell(backend)
    if not cell.reachable:
        raise CellUnreachable(cell.uuid, f"Cell {cell.uuid} is not responding.", DB_ERROR)
    hosts = [s.host for s in backend.services if s.is_compute and s.cell is cell]
    return AuditLog(begin, end, hosts)
