"""An operator's ``nova-manage`` for the fake: ``fakenova manage db archive_deleted_rows``.

Nova's deleted servers stay visible through the API until an operator archives them, which
operators of a long-lived cloud do from cron; so does whoever runs ``fakenova serve`` for
long. The command is reached two ways:

- in-process, :func:`archive_in` (``World.archive_deleted_rows`` and
  ``mock_cloud().archive_deleted_rows`` call it);
- against a running ``fakenova serve``: ``fakenova manage db archive_deleted_rows [options]
  --url URL`` posts the options to the served app's operator endpoint, ``POST
  /fakenova-api/manage/db/archive_deleted_rows``, and prints what nova-manage prints, with
  its exit code.

The endpoint's path is no OpenStack path (moto's ``/moto-api/`` is the precedent), and it
answers only callers on the same machine: nova-manage reads the databases directly, with no
token, from a host of the deployment, and the fake has no operator credentials to check.
Served on loopback (the default), that is every caller; served on another address, a remote
caller gets a 403.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.request
from typing import Any

import webob

from fakenova.cloud import Cloud
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.servers.archive import (
    Archived,
    ArchiveOptions,
    ArchiveRefused,
    check_max_rows,
    parse_before,
)

PREFIX = "fakenova-api"  # the operator endpoint's first path segment
ARCHIVE_PATH = f"/{PREFIX}/manage/db/archive_deleted_rows"
LOOPBACK = ("127.0.0.1", "::1")
OPTIONS = ("max_rows", "before", "all_cells", "until_complete", "purge")


def archive_in(cloud: Cloud, **options: Any) -> Archived:
    """Archive ``cloud``'s deleted servers; ``options`` as :class:`ArchiveOptions` names them,
    ``before`` as a datetime (a naive one is UTC) or a date string as nova-manage reads it.
    Raises :class:`ArchiveRefused` for what nova-manage refuses (its exit code in ``code``)."""
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise TypeError(f"unknown archive option(s): {', '.join(sorted(unknown))}")
    before = options.get("before")
    if isinstance(before, str):
        options["before"] = parse_before(before)
    elif isinstance(before, dt.datetime) and before.tzinfo is None:
        options["before"] = before.replace(tzinfo=dt.UTC)
    max_rows = int(options.get("max_rows", 1000))
    check_max_rows(max_rows)
    options["max_rows"] = max_rows
    return ComputeAPI(cloud.compute).archive_deleted_rows(ArchiveOptions(**options))


def report(archived: Archived, *, verbose: bool, until_complete: bool, purge: bool) -> str:
    """What nova-manage prints for ``archived``: nothing unless ``verbose``; then the table of
    rows per table (by cell first with ``--all-cells``), or that nothing was archived."""
    if not verbose:
        return ""
    lines = []
    if until_complete:
        lines.append("Archiving.." + "." * archived.batches + ".complete")
    if archived.tables:
        lines.append(_table(archived.tables))
    else:
        lines.append("Nothing was archived.")
    if archived.tables and purge:
        lines.append("Rows were archived, running purge...")
    return "\n".join(lines) + "\n"


def _table(rows: dict[str, int]) -> str:
    """Two left-aligned columns in PrettyTable's frame, as nova-manage's ``format_dict``."""
    head = ("Table", "Number of Rows Archived")
    body = [(name, str(count)) for name, count in sorted(rows.items(), key=_by_cell)]
    widths = [max(len(r[i]) for r in [head, *body]) for i in (0, 1)]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line(row: tuple[str, str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return "\n".join([rule, line(head), rule, *map(line, body), rule])


def _by_cell(item: tuple[str, int]) -> tuple[str, ...]:
    return tuple(item[0].split(".", 1))


# -- the operator endpoint of the served app --------------------------------------------------


def endpoint(cloud: Cloud, request: webob.Request) -> webob.Response:
    """``POST /fakenova-api/manage/db/archive_deleted_rows`` with nova-manage's options as a
    JSON object (``max_rows``, ``before``, ``all_cells``, ``until_complete``, ``purge``,
    ``verbose``): ``{"exit_code", "output", "tables", "instances"}``."""
    if request.remote_addr not in (None, *LOOPBACK):
        return _json(403, {"error": "the operator endpoint answers only on this machine"})
    if request.path_info != ARCHIVE_PATH:
        return _json(404, {"error": f"no operator command at {request.path_info}"})
    if request.method != "POST":
        return _json(405, {"error": "POST the command's options"})
    try:
        asked = json.loads(request.body or b"{}")
    except ValueError:
        return _json(400, {"error": "the body is not JSON"})
    if not isinstance(asked, dict):
        return _json(400, {"error": "the body is not a JSON object"})
    verbose = bool(asked.pop("verbose", False))
    options = {k: asked[k] for k in OPTIONS if asked.get(k) is not None}
    unknown = set(asked) - set(OPTIONS)
    if unknown:
        return _json(400, {"error": f"unknown option(s): {', '.join(sorted(unknown))}"})
    try:
        archived = archive_in(cloud, **options)
    except ArchiveRefused as refused:
        return _json(200, {"exit_code": refused.code, "output": f"{refused}\n"})
    except (TypeError, ValueError) as error:
        return _json(400, {"error": str(error)})
    output = report(
        archived,
        verbose=verbose,
        until_complete=bool(options.get("until_complete")),
        purge=bool(options.get("purge")),
    )
    answer = {"exit_code": archived.exit_code, "output": output, "tables": archived.tables}
    return _json(200, answer | {"instances": archived.instances})


def _json(status: int, body: dict[str, Any]) -> webob.Response:
    return webob.Response(
        status=status, body=json.dumps(body).encode(), content_type="application/json"
    )


# -- the command line -------------------------------------------------------------------------


FLAGS = {
    "verbose": "print how many rows were archived per table",
    "until-complete": "run until every deleted row is archived, in max_rows batches",
    "purge": "purge the shadow tables afterwards (the fake keeps none: nothing more to do)",
    "all-cells": "run across all cells",
    "task-log": "accepted; the fake keeps no task_log rows",
    "sleep": "accepted; the fake's batches need no pause",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fakenova manage",
        description="nova-manage's commands, run against a running 'fakenova serve'.",
    )
    categories = parser.add_subparsers(dest="category", required=True, metavar="CATEGORY")
    db = categories.add_parser("db", help="database commands")
    commands = db.add_subparsers(dest="command", required=True, metavar="COMMAND")
    archive = commands.add_parser(
        "archive_deleted_rows",
        help="archive deleted servers, as nova-manage db archive_deleted_rows",
        description="Archive the rows of deleted servers: they leave the API's view (the "
        "admin's deleted=true listing, changes-since, their instance actions). Exit code 1 "
        "when something was archived, 0 when nothing was.",
    )
    archive.add_argument(
        "--max_rows",
        type=int,
        default=1000,
        metavar="<number>",
        help="maximum rows to archive in a run (a soft limit; default 1000)",
    )
    archive.add_argument(
        "--before", metavar="<date>", help="archive only rows deleted before this date"
    )
    archive.add_argument("--sleep", type=int, default=0, metavar="<seconds>", help=FLAGS["sleep"])
    for flag, text in FLAGS.items():
        if flag != "sleep":
            archive.add_argument(f"--{flag}", action="store_true", help=text)
    archive.add_argument(
        "--url",
        default="http://127.0.0.1:8774",
        help="the running 'fakenova serve' (default http://127.0.0.1:8774)",
    )
    return parser


def main(argv: list[str]) -> int:
    """``fakenova manage db archive_deleted_rows ...``: print nova-manage's output, return its
    exit code (3, as nova-manage's for an API database it cannot reach, when the fake cannot
    be reached)."""
    args = _parser().parse_args(argv)
    body = {
        "max_rows": args.max_rows,
        "before": args.before,
        "verbose": args.verbose,
        "until_complete": args.until_complete,
        "purge": args.purge,
        "all_cells": args.all_cells,
    }
    request = urllib.request.Request(
        args.url.rstrip("/") + ARCHIVE_PATH,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        print(f"fakenova manage: {error.code} {error.read().decode()}", file=sys.stderr)
        return 3
    except urllib.error.URLError as error:
        print(f"fakenova manage: cannot reach {args.url}: {error.reason}", file=sys.stderr)
        return 3
    sys.stdout.write(answer.get("output", ""))
    return int(answer["exit_code"])
