"""Run pytest in this process and write what each test did to a JSON file.

Usage: ``python benchmarks/pytest_recorder.py OUT.json [pytest args...]``. It is a separate
script (run in a child process by the benchmarks) so that the peak memory it reports
(``ru_maxrss``) is that of one verification run, not of the benchmark driver, and so that
pytest-xdist's controller can record the reports its workers send back.

For each test id: outcome, seconds spent in setup + call + teardown, and for a guide sample the
kind of block sybil parsed (``http``, ``json``, ``console``, ``scenario``...).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

import pytest


class Recorder:
    """A pytest plugin; under xdist it runs on the controller and sees every worker's reports."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, Any]] = {}
        self.started = self.finished = 0.0

    def pytest_sessionstart(self) -> None:
        self.started = time.perf_counter()

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            example = getattr(item, "example", None)  # sybil's SybilItem
            block = getattr(getattr(example, "region", None), "parsed", None)
            kind = getattr(block, "kind", None) if block is not None else "pytest"
            self.tests.setdefault(item.nodeid, {"seconds": 0.0})["kind"] = kind

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        test = self.tests.setdefault(report.nodeid, {"seconds": 0.0})
        test["seconds"] += report.duration
        # The call decides the outcome, unless setup or teardown failed (pytest's "error")
        # or setup skipped the test.
        if report.when == "call":
            outcome: str | None = report.outcome
        else:
            outcome = {"failed": "error", "skipped": "skipped"}.get(report.outcome)
        if outcome is not None and test.get("outcome") != "error":
            test["outcome"] = outcome

    def pytest_sessionfinish(self) -> None:
        self.finished = time.perf_counter()


def main(argv: list[str]) -> int:
    out, args = argv[0], argv[1:]
    recorder = Recorder()
    wall = time.perf_counter()
    code = pytest.main(args, plugins=[recorder])
    wall = time.perf_counter() - wall
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as stream:
        json.dump(
            {
                "exit_code": int(code),
                "pytest_main_seconds": wall,
                "session_seconds": recorder.finished - recorder.started,
                "maxrss_kib": usage.ru_maxrss,
                "children_maxrss_kib": children.ru_maxrss,
                "tests": recorder.tests,
            },
            stream,
            indent=1,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
