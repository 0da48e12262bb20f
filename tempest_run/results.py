"""A Tempest run's outcome per test, from stestr's subunit stream and the list of tests run.

Tempest skips or fails a whole class in ``setUpClass`` (a feature switched off, a fixture the
cloud refused); unittest reports that once, as ``setUpClass (module.Class)``. Every test of
the class that has no result of its own gets that outcome, so the counts are per test.
Runs only in ``tox -e tempest``: it needs subunit and testtools, which come with Tempest.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import subunit
import testtools

_ATTRIBUTES = re.compile(r"\[[^\]]*\]$")
_CLASS_FIXTURE = re.compile(r"^(setUpClass|tearDownClass) \((?P<cls>[\w.]+)\)$")
STATUS = {"success": "pass", "fail": "fail", "skip": "skip", "xfail": "pass", "uxsuccess": "fail"}


def test_name(test_id: str) -> str:
    """``tempest...Class.test_x[id-...,smoke]`` → ``tempest...Class.test_x``."""
    return _ATTRIBUTES.sub("", test_id)


def listed(workspace: Path, tempest: Path, selection: list[str]) -> list[str]:
    """The tests a run with ``selection`` (``tempest run`` options) runs, by name."""
    out = subprocess.run(
        [str(tempest), "run", "--list-tests", *selection],
        cwd=workspace,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(
        test_name(line.strip()) for line in out.splitlines() if line.startswith("tempest.")
    )


def _reason(details: dict[str, Any]) -> str:
    content = details.get("reason")
    text = (
        "".join(bytes(chunk).decode(errors="replace") for chunk in content.iter_bytes())
        if content
        else ""
    )
    return " ".join(text.split())


def _traceback(details: dict[str, Any]) -> str:
    content = details.get("traceback")
    return (
        "".join(bytes(chunk).decode(errors="replace") for chunk in content.iter_bytes())
        if content
        else ""
    )


def parse(stream: bytes, names: list[str]) -> dict[str, dict[str, str]]:
    """Each of ``names``: ``{"status": pass|fail|skip, "reason": ...}``; a failure's
    ``reason`` is the last line of its traceback."""
    outcomes: dict[str, dict[str, str]] = {}
    by_class: dict[str, dict[str, str]] = {}

    def record(test: dict[str, Any]) -> None:
        status = STATUS.get(test["status"])
        if status is None:  # "exists" and "inprogress" are not results
            return
        if status == "skip":
            reason = _reason(test["details"])
        elif status == "fail":
            lines = _traceback(test["details"]).strip().splitlines()
            # The last line, without the HTML breaks and escaped newlines of webob's 404 text.
            last = lines[-1].replace("<br />", " ").replace("\\n", " ") if lines else "failed"
            reason = " ".join(last.split())
        else:
            reason = ""
        outcome = {"status": status, "reason": reason}
        fixture = _CLASS_FIXTURE.match(test["id"])
        if fixture:
            if status == "fail":
                outcome["reason"] = f"{test['id'].split()[0]}: {reason}"
            by_class.setdefault(fixture["cls"], outcome)
        else:
            name = test_name(test["id"])
            # A test that passed and then failed in cleanup counts as failed.
            if outcomes.get(name, {}).get("status") != "fail":
                outcomes[name] = outcome

    result = testtools.StreamToDict(record)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(stream)).run(result)
    result.stopTestRun()
    for name in names:
        if name not in outcomes:
            cls = name.rsplit(".", 1)[0]
            outcomes[name] = by_class.get(cls, {"status": "fail", "reason": "no result"})
    for cls, outcome in by_class.items():
        # A tearDownClass failure after the tests passed fails the class's tests.
        if outcome["status"] == "fail":
            for name in names:
                if name.rsplit(".", 1)[0] == cls:
                    outcomes[name] = outcome
    return {name: outcomes[name] for name in names}


def last_stream(workspace: Path, stestr: Path) -> bytes:
    """The subunit stream of the workspace's last run."""
    return subprocess.run(
        [str(stestr), "last", "--subunit"], cwd=workspace, check=True, capture_output=True
    ).stdout
