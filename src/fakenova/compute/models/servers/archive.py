"""``nova-manage db archive_deleted_rows``: an operator's clean-up of deleted servers.

Nova soft-deletes an instance's row (and its metadata, faults, migrations ...) when the
server is deleted, and keeps its instance actions and their events so that operators can
still read what happened to it. The API keeps showing all of it: an admin's ``deleted=true``
listing, ``changes-since``, the instance actions of a deleted server (2.21), the usage of
``os-simple-tenant-usage``. Only the archive command ends that, and a long-lived cloud's
memory stays flat only if an operator runs it (usually from cron), in the fake as in Nova.

What Nova does (``nova.cmd.manage.DbCommands.archive_deleted_rows`` and
``nova.db.main.api.archive_deleted_rows``), and the fake with it:

- only rows marked deleted move: a server deleted for good (vm_state ``deleted``, or
  ``soft-delete`` when the API deleted it locally). A SOFT_DELETED server still restorable
  is not a deleted row and stays;
- Nova walks the tables of a cell database in the order of their foreign keys, and one
  table of deleted rows comes before ``instances``: ``instance_id_mappings`` (a row per
  instance, deleted with it, referring to nothing), whose rows go first, one row each;
- then the instances, in the order of their integer id, each with every row that refers to
  it (instance actions and their events, migrations, the ``instance_extra``,
  ``instance_info_caches`` and ``block_device_mapping`` rows of a server booted from an
  image, its system metadata), in one transaction;
- ``max_rows`` is a soft limit on the rows of one run: a run stops after the table whose rows
  reach it; among instances, one counts one plus one for each table of rows that refer to it
  (a statement, not a row), and the run stops after the instance whose count reaches the
  rows left. So ``--max_rows 1`` archives one id mapping and no instance. With
  ``--until-complete`` runs repeat until one moves nothing; with ``--all-cells`` the cells
  are run in turn and what one archived is taken from the next one's limit;
- the API database's rows of the archived instances go at once, outside the limit: instance
  mappings, request specs and server group membership;
- ``--before DATE`` archives only rows deleted before that date;
- without ``--all-cells`` only the ``[database]`` nova-manage is configured with is read:
  here, as in Nova's functional tests, the first cell that holds computes (``cell1``);
- the exit code is 1 when anything was archived, 0 when nothing was; 2 for a negative
  ``max_rows``, 4 for a ``--before`` that is no date.

The fake keeps no shadow tables: nothing in them is readable through any API, so archived
rows are dropped, which is what ``--purge`` does in Nova afterwards; ``purge`` is accepted
and changes nothing more. An unreachable cell's database cannot be read, so the fake skips
it (Nova raises and stops); the next run takes it up once it is back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fakenova.compute.models.deployment.cells import Cell
from fakenova.compute.models.servers.records import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

# Nova's db_const.MAX_INT: the largest max_rows nova-manage accepts.
MAX_INT = 0x7FFFFFFF
# Rows every server booted from an image has in these tables (one each), whatever it did.
ONE_ROW_TABLES = ("block_device_mapping", "instance_extra", "instance_info_caches")
# The system metadata rows of a server booted from an image without properties (the image's
# formats and sizes, its owner's names, the roles it was booted with), as Nova 34 archives
# them (the fidelity scenario ``archive``); the fake does not keep the keys themselves.
SYSTEM_METADATA_ROWS = 8


class ArchiveRefused(ValueError):
    """An option nova-manage refuses before reading anything: its exit code and sentence."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ArchiveOptions:
    """nova-manage's options, already parsed (see :func:`parse_before`)."""

    max_rows: int = 1000
    before: dt.datetime | None = None
    all_cells: bool = False
    until_complete: bool = False
    purge: bool = False


@dataclass
class Archived:
    """What a run moved: rows per table (``cell1.instances`` with ``--all-cells``, the API
    database's as ``API_DB.instance_mappings``), and the archived servers' ids."""

    tables: dict[str, int] = field(default_factory=dict)
    instances: list[str] = field(default_factory=list)
    batches: int = 0  # the runs that moved rows (``--until-complete --verbose`` prints a dot)

    @property
    def exit_code(self) -> int:
        """nova-manage's: 1 when something was archived, 0 when nothing was."""
        return int(bool(self.tables))


def check_max_rows(max_rows: int) -> None:
    if max_rows < 0:
        raise ArchiveRefused(2, "Must supply a positive value for max_rows")
    if max_rows > MAX_INT:
        raise ArchiveRefused(2, f"max rows must be <= {MAX_INT}")


def parse_before(text: str) -> dt.datetime:
    """``--before``, read as nova-manage reads it (dateutil, fuzzy); a date without a zone is
    UTC, the zone of Nova's ``deleted_at`` columns."""
    from dateutil import parser

    try:
        moment = parser.parse(text, fuzzy=True)
    except (ValueError, OverflowError) as error:
        raise ArchiveRefused(4, f"Invalid value for --before: {error}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def archive_deleted_rows(backend: ComputeBackend, options: ArchiveOptions) -> Archived:
    """Archive deleted servers as nova-manage does (see the module's description)."""
    check_max_rows(options.max_rows)
    backend.tasks.settle()  # a delete the API answered is finished before the rows are read
    done = Archived()
    cells = list(backend.cells.values()) if options.all_cells else [_default_cell(backend)]
    cells = [c for c in cells if c.reachable]
    total = 0
    for cell in cells:
        if options.until_complete:
            limit = options.max_rows
        elif options.max_rows > total:
            limit = options.max_rows - total
        else:
            break
        prefix = f"{cell.name}." if options.all_cells else ""
        while True:
            moved = _archive_batch(backend, cell, limit, options.before, prefix, done)
            total += moved
            done.batches += bool(moved)
            if not options.until_complete or not moved:
                break
    return done


def _default_cell(backend: ComputeBackend) -> Cell:
    """The cell database nova-manage reads without ``--all-cells`` (see above)."""
    hosts = [h.cell for h in backend.hosts.values()]
    return hosts[0] if hosts else next(iter(backend.cells.values()))


def _archive_batch(
    backend: ComputeBackend,
    cell: Cell,
    max_rows: int,
    before: dt.datetime | None,
    prefix: str,
    done: Archived,
) -> int:
    """One call of Nova's ``db.archive_deleted_rows`` on one cell: the rows it moved."""
    deleted = sorted(
        (s for s in backend.servers.values() if s.cell is cell and _archivable(s, before)),
        key=lambda s: s.instance_id,
    )
    tables: dict[str, int] = {}
    mappings = [s for s in deleted if s.uuid not in backend.archived_id_mappings][:max_rows]
    backend.archived_id_mappings.update(s.uuid for s in mappings)
    if mappings:
        tables["instance_id_mappings"] = len(mappings)
    total = len(mappings)
    batch: list[Server] = []
    counted = 0
    for server in deleted[: max_rows - total] if total < max_rows else ():
        batch.append(server)
        counted += 1 + sum(1 for n in _child_rows(backend, server).values() if n)
        if counted >= max_rows - total:
            break
    if batch:
        tables["instances"] = len(batch)
    for server in batch:
        for table, rows in _child_rows(backend, server).items():
            if rows:
                tables[table] = tables.get(table, 0) + rows
    total = sum(tables.values())
    for table, rows in tables.items():
        key = prefix + table
        done.tables[key] = done.tables.get(key, 0) + rows
    if batch:
        api_rows = {"instance_mappings": 0, "request_specs": 0, "instance_group_member": 0}
        for server in batch:
            api_rows["instance_group_member"] += _forget(backend, server)
            api_rows["instance_mappings"] += 1
            api_rows["request_specs"] += 1
            done.instances.append(server.uuid)
        for table, rows in api_rows.items():
            key = f"API_DB.{table}"
            done.tables[key] = done.tables.get(key, 0) + rows
    return total


def _archivable(server: Server, before: dt.datetime | None) -> bool:
    if not server.deleted:
        return False
    if before is None:
        return True
    return server.deleted_at is not None and server.deleted_at < before


def _child_rows(backend: ComputeBackend, server: Server) -> dict[str, int]:
    """The rows of other cell tables that refer to ``server``'s instance row."""
    actions = backend.actions.for_server(server.uuid)
    rows = dict.fromkeys(ONE_ROW_TABLES, 1)
    rows["instance_system_metadata"] = SYSTEM_METADATA_ROWS
    rows["instance_actions"] = len(actions)
    rows["instance_actions_events"] = sum(len(a.events) for a in actions)
    rows["migrations"] = sum(1 for m in backend.migrations if m.instance_uuid == server.uuid)
    return rows


def _forget(backend: ComputeBackend, server: Server) -> int:
    """Drop every trace of ``server`` the fake keeps; the server group memberships it had."""
    uuid = server.uuid
    backend.actions.forget(uuid)
    if any(m.instance_uuid == uuid for m in backend.migrations):
        backend.migrations[:] = [m for m in backend.migrations if m.instance_uuid != uuid]
    members = 0
    for group in backend.server_groups.values():
        if uuid in group.members:
            group.members.remove(uuid)
            members += 1
    backend.archived_id_mappings.discard(uuid)
    backend.ids.forget(uuid)  # the counts behind the ids of its requests
    del backend.servers[uuid]
    del backend.records[uuid]
    return members
