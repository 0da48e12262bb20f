"""The fidelity report: counts per scenario, the accepted differences, and the page include.

Both files are committed, so ``tox -e docs`` shows the last measured figures without
installing Nova; ``tox -e fidelity`` rewrites them and fails when they were stale.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from fidelity.known import Known

ROOT = Path(__file__).parent.parent
REPORT = ROOT / "fidelity" / "report.json"
INCLUDE = ROOT / "doc" / "source" / "reference" / "fidelity-report.inc"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def build(nova_version: str, scenarios: list[dict[str, Any]], known: list[Known]) -> dict:
    total = {
        key: sum(s[key] for s in scenarios) for key in ("answers", "exact", "explained", "new")
    }
    return {
        "nova": nova_version,
        "summary": total,
        "scenarios": scenarios,
        "known_differences": [k.as_dict() for k in known],
    }


def text(report: dict[str, Any]) -> str:
    """What the terminal shows."""
    lines = [f"Fidelity of fakenova against Nova {report['nova']}", ""]
    for s in [*report["scenarios"], {"name": "overall", **report["summary"]}]:
        lines.append(
            f"  {s['name']:<12} {s['exact']:>3}/{s['answers']:<3} answers match exactly "
            f"({percent(s['exact'], s['answers'])}), {s['explained']} explained by known "
            f"differences, {s['new']} new"
        )
    skipped = [(s["name"], r) for s in report["scenarios"] for r in s.get("not_replayable", [])]
    if skipped:
        lines += ["", "Not replayed:"]
    for name, r in skipped:
        lines.append(f"  - {name} / {r['request']}")
        lines.append(f"    {r['reason']}")
    if report["known_differences"]:
        lines += ["", "Known differences:"]
        for k in report["known_differences"]:
            lines.append(f"  - {k['scenario']} / {k['label']} / {k['where']} (seen {k['seen']})")
            lines.append(f"    {k['reason']}")
    return "\n".join(lines)


def rst(report: dict[str, Any]) -> str:
    """The include the "How faithful is the fake?" page shows."""
    summary = report["summary"]
    differing = summary["answers"] - summary["exact"]
    lines = [
        ".. This file is written by `tox -e fidelity` (fidelity/report.py); do not edit it.",
        "",
        *textwrap.wrap(
            f"Measured against Nova {report['nova']}: **{summary['exact']} of "
            f"{summary['answers']} answers match exactly** "
            f"({percent(summary['exact'], summary['answers'])}). Of the {differing} that "
            f"differ, {summary['explained']} differ only in the known ways listed below and "
            f"{summary['new']} in any other way.",
            width=96,
        ),
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - Scenario",
        "     - Requests of",
        "     - Answers",
        "     - Exact match",
        "     - Known differences only",
    ]
    for s in report["scenarios"]:
        lines += [
            f"   * - ``{s['name']}``",
            f"     - :doc:`/{s['page']}`" if s.get("page") else "     - (no page)",
            f"     - {s['answers']}",
            f"     - {s['exact']} ({percent(s['exact'], s['answers'])})",
            f"     - {s['explained']}",
        ]
    lines += ["", "What each scenario replays:", ""]
    for s in report["scenarios"]:
        lines += [
            f"``{s['name']}``",
            *textwrap.wrap(s["about"], width=93, initial_indent="   ", subsequent_indent="   "),
        ]
    skipped = [(s["name"], r) for s in report["scenarios"] for r in s.get("not_replayable", [])]
    if skipped:
        lines += ["", "Requests of the pages that are not replayed, and why:", ""]
    for name, r in skipped:
        item = f"``{name}``, ``{r['request']}``: {r['reason']}"
        lines += textwrap.wrap(item, width=96, initial_indent="* ", subsequent_indent="  ")
    lines += ["", "The known differences:", ""]
    if not report["known_differences"]:
        lines.append("* none.")
    for k in report["known_differences"]:
        item = (
            f"``{k['scenario']}``, answers ``{k['label']}``, at ``{k['where']}`` "
            f"(in {k['seen']} answers): {k['reason']}"
        )
        lines += textwrap.wrap(item, width=96, initial_indent="* ", subsequent_indent="  ")
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any]) -> bool:
    """Write both files; True when either changed (the committed copy was stale)."""
    changed = False
    for path, content in (
        (REPORT, json.dumps(report, indent=2, sort_keys=True) + "\n"),
        (INCLUDE, rst(report)),
    ):
        if not path.exists() or path.read_text() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            changed = True
    return changed
