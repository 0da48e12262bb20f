"""The Tempest results: the committed record, the exclusions, and the page's include.

``tox -e tempest`` runs Tempest and rewrites ``results.json`` and the include; ``tox`` (a
unit test) only renders the include again from the committed ``results.json`` and
``exclusions.yaml`` and fails when the page differs, or when the exclusions changed since the
recorded run: no Tempest needed to catch a stale table.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
HERE = Path(__file__).parent
RESULTS = HERE / "results.json"
EXCLUSIONS = HERE / "exclusions.yaml"
INTEROP = HERE / "interop-2020.06.json"
INCLUDE = ROOT / "doc" / "source" / "reference" / "tempest-results.inc"
PREFIX = "tempest.api."
STATUSES = ("pass", "fail", "skip")
_RST_SPECIAL = re.compile(r"([\\`*_|<>\[\]])")
_WIDTH = 96


def exclusions(path: Path = EXCLUSIONS) -> dict[str, str]:
    """Test (or class) name → why it is not run."""
    return {
        str(name): " ".join(str(why).split())
        for name, why in yaml.safe_load(path.read_text()).items()
    }


def interop_tests(path: Path = INTEROP) -> list[str]:
    """The tests the interop guideline requires of compute, identity and images."""
    data = json.loads(path.read_text())
    return sorted({t for tests in data["capabilities"].values() for t in tests})


def excluded_by(name: str, excluded: dict[str, str]) -> str | None:
    """The reason ``name`` is excluded: listed itself, or its class or module is."""
    for listed, reason in excluded.items():
        if name == listed or name.startswith(listed + "."):
            return reason
    return None


def module_of(name: str) -> str:
    """``tempest.api.compute.servers.test_x.Class.test_y`` → ``compute.servers.test_x``."""
    return name.rsplit(".", 2)[0].removeprefix(PREFIX)


def short(name: str) -> str:
    return name.removeprefix(PREFIX)


def _text(value: str) -> str:
    """Plain text for reStructuredText: markup characters escaped."""
    return _RST_SPECIAL.sub(r"\\\1", value)


def _clip(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def counts(results: dict[str, Any]) -> dict[str, Counter[str]]:
    """Module → how many tests passed, failed, were skipped and were excluded."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for name, outcome in results["tests"].items():
        table[module_of(name)][outcome["status"]] += 1
    for name in results["excluded"]:
        table[module_of(name)]["excluded"] += 1
    return dict(sorted(table.items()))


def summary(results: dict[str, Any]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for row in counts(results).values():
        total.update(row)
    return {key: total[key] for key in (*STATUSES, "excluded")}


def interop(results: dict[str, Any]) -> tuple[int, int, list[str]]:
    """How many of the guideline's tests passed, of how many; those that did not."""
    required = results["interop"]
    missing = [t for t in required if results["tests"].get(t, {}).get("status") != "pass"]
    return len(required) - len(missing), len(required), missing


def _wrapped(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent=first, subsequent_indent=rest)


def _grouped(items: dict[str, str], heading: str, none: str) -> list[str]:
    """A two-column table: each reason, then the tests it applies to."""
    if not items:
        return [none, ""]
    by_reason: dict[str, list[str]] = defaultdict(list)
    for name, reason in sorted(items.items()):
        by_reason[reason].append(name)
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 1 1",
        "",
        f"   * - {heading}",
        "     - Tests",
    ]
    for reason, names in sorted(by_reason.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"   * - {_text(_clip(reason))}")
        lines += [f"     {'-' if i == 0 else ' '} * ``{short(n)}``" for i, n in enumerate(names)]
    return [*lines, ""]


def rst(results: dict[str, Any]) -> str:
    """The include the "How faithful is the fake?" page shows."""
    total = summary(results)
    run = sum(total[s] for s in STATUSES)
    passed, required, missing = interop(results)
    errors = results["server_errors"]
    lines = [
        ".. This file is written by `tox -e tempest` (tempest_run/report.py); do not edit it.",
        "",
        *_wrapped(
            f"Tempest {results['tempest']} against ``fakenova serve``: **{total['pass']} of "
            f"{run} tests pass**, {total['fail']} fail and {total['skip']} are skipped by "
            f"Tempest itself; {total['excluded']} more are excluded from the run. Of the "
            f"{required} tests the interop guideline {results['guideline']} requires for "
            f"compute, identity and images, {passed} pass. "
            + (
                "The fake answered no request with a server error (5xx)."
                if not errors
                else f"The fake answered {len(errors)} requests with a server error (5xx)."
            )
        ),
        "",
        ".. list-table:: Tests per module of ``tempest.api``",
        "   :header-rows: 1",
        "",
        "   * - Module",
        "     - Passed",
        "     - Failed",
        "     - Skipped",
        "     - Excluded",
    ]
    for module, row in counts(results).items():
        lines.append(f"   * - ``{module}``")
        lines += [f"     - {row[key]}" for key in (*STATUSES, "excluded")]
    lines += ["   * - All", *(f"     - {total[key]}" for key in (*STATUSES, "excluded")), ""]
    failed = {n: o["reason"] for n, o in results["tests"].items() if o["status"] == "fail"}
    skipped = {n: o["reason"] for n, o in results["tests"].items() if o["status"] == "skip"}
    lines += ["The tests that fail, and the error each one ends with:", ""]
    lines += _grouped(failed, "Error", "* none.")
    lines += ["The tests Tempest skips, and why it says it does:", ""]
    lines += _grouped(skipped, "Tempest's reason", "* none.")
    lines += ["The tests excluded from the run (``tempest_run/exclusions.yaml``), and why:", ""]
    lines += _grouped(results["excluded"], "Why", "* none.")
    if missing:
        lines += ["The interop guideline's tests that do not pass:", ""]
        lines += [f"* ``{short(t)}``" for t in missing] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def text(results: dict[str, Any]) -> str:
    """What the terminal shows after a run."""
    total = summary(results)
    passed, required, missing = interop(results)
    lines = [f"{'module':<52} pass fail skip excl"]
    for module, row in counts(results).items():
        lines.append(
            f"{module:<52} {row['pass']:>4} {row['fail']:>4} {row['skip']:>4} {row['excluded']:>4}"
        )
    lines.append(
        f"{'all':<52} {total['pass']:>4} {total['fail']:>4} {total['skip']:>4} "
        f"{total['excluded']:>4}"
    )
    lines.append(f"interop {results['guideline']}: {passed} of {required} pass")
    lines += [f"  not passing: {t}" for t in missing]
    failed = [(n, o["reason"]) for n, o in results["tests"].items() if o["status"] == "fail"]
    if failed:
        lines += ["", "Failed:"]
        lines += [f"  {n}\n    {reason}" for n, reason in failed]
    if results["server_errors"]:
        lines += ["", "Server errors (5xx) in the fake's log:"]
        lines += [f"  {e}" for e in results["server_errors"]]
    return "\n".join(lines)


def write(results: dict[str, Any]) -> bool:
    """Write the record and the include; True when either changed."""
    changed = False
    for path, content in (
        (RESULTS, json.dumps(results, indent=1, sort_keys=True) + "\n"),
        (INCLUDE, rst(results)),
    ):
        if not path.exists() or path.read_text() != content:
            path.write_text(content)
            changed = True
    return changed
