"""``python -m tempest_run``: Tempest against ``fakenova serve``, and the page's table.

Starts ``fakenova serve`` on a free loopback port, writes ``tempest.conf`` and the accounts
from ``conf/``, runs ``tempest.api.compute`` and the interop guideline's identity and image
tests (less ``exclusions.yaml``) with ``tempest run``, stops the server, and rewrites
``results.json`` and the fidelity page's include.

Exit status 1 when a test failed, when the fake answered any request with a 5xx, or when the
committed results were stale (they are rewritten: commit them). ``--regex REGEX`` runs only
the matching tests, for working on a failure: it reports, and leaves the record alone.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from fakenova.settings import conf_dir, load_settings
from tempest_run import config, report, results
from tempest_run.server import Served, server_errors

COMPUTE = "tempest.api.compute."


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tempest_run", description=__doc__)
    parser.add_argument("--regex", help="run only the tests matching this regex")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="Tempest workers (default: the machine's cores, at most 2)",
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        default=Path(sys.prefix) / "workspace",
        help="where tempest.conf, the accounts, stestr's records and the logs go",
    )
    return parser.parse_args(argv)


def _selection(workspace: Path, interop: list[str]) -> list[str]:
    """``tempest run`` options that select the compute tests and the guideline's."""
    include = [f"^{re.escape(COMPUTE)}", *(f"^{re.escape(t)}(\\[|$)" for t in interop)]
    (workspace / "include.txt").write_text("\n".join(include) + "\n")
    return ["--include-list", "include.txt"]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workspace: Path = args.workspace.resolve()
    shutil.rmtree(workspace, ignore_errors=True)
    (workspace / "logs").mkdir(parents=True)
    bin_dir = Path(sys.executable).parent
    settings = load_settings(conf_dir())
    interop = report.interop_tests()
    reasons = report.exclusions()
    served = Served(workspace / "logs" / "fakenova.log", conf_dir())
    started = time.monotonic()
    try:
        conf = config.write(workspace, served, settings)
        env = {**os.environ, "TEMPEST_CONFIG_DIR": str(conf.parent)}
        subprocess.run([str(bin_dir / "stestr"), "init"], cwd=workspace, check=True)
        selection = ["--config-file", str(conf), *_selection(workspace, interop)]
        wanted = results.listed(workspace, bin_dir / "tempest", selection)
        if args.regex:
            wanted = [n for n in wanted if re.search(args.regex, n)]
            interop = [n for n in interop if n in wanted]
        excluded = {n: r for n in wanted if (r := report.excluded_by(n, reasons)) is not None}
        to_run = [n for n in wanted if n not in excluded]
        (workspace / "run.txt").write_text("".join(f"^{re.escape(n)}(\\[|$)\n" for n in to_run))
        command = [str(bin_dir / "tempest"), "run", "--config-file", str(conf)]
        command += ["--include-list", "run.txt", "--concurrency", str(args.concurrency)]
        print(f"tempest_run: {len(to_run)} tests, {len(excluded)} excluded; in {workspace}")
        subprocess.run(command, cwd=workspace, env=env, check=False)
        stream = results.last_stream(workspace, bin_dir / "stestr")
    finally:
        stopped = served.stop()
    elapsed = time.monotonic() - started
    record = {
        "tempest": metadata.version("tempest"),
        "guideline": "2020.06",
        "interop": interop,
        "exclusions": reasons,
        "excluded": excluded,
        "tests": results.parse(stream, to_run),
        "server_errors": server_errors(served.log),
    }
    print(report.text(record))
    print(f"tempest_run: {elapsed:.0f} s with {args.concurrency} workers; server exit {stopped}")
    total = report.summary(record)
    failed = total["fail"] > 0 or bool(record["server_errors"]) or stopped != 0
    if args.regex:
        return int(failed)
    if report.write(record):
        print(
            f"tempest_run: {report.RESULTS.relative_to(report.ROOT)} and "
            f"{report.INCLUDE.relative_to(report.ROOT)} were stale and have been rewritten: "
            "commit them"
        )
        failed = True
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
