"""Whole-guide verification: every sample of ``doc/source`` run once, as ``tox`` runs them.

The samples run in a child process (``pytest_recorder.py``) so its wall time includes what a
contributor waits for (interpreter start, imports of the real clients, collection) and its
peak RSS is that of the verification alone. Each sample's cost is grouped by the kind of block
sybil parsed, because the kinds cost very differently: a console sample runs the real
``openstack`` CLI, a JSON sample only compares text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from report import ROOT, figure, section, verdict

RECORDER = Path(__file__).with_name("pytest_recorder.py")


def run_recorded(args: list[str], root: Path = ROOT) -> tuple[dict, float]:
    """pytest with ``args`` in a child process in ``root`` (the repository, or a snapshot of
    it whose ``src`` and ``conf`` are then used): (the recorder's JSON, outer wall seconds)."""
    env = dict(os.environ)
    if root != ROOT:
        env["PYTHONPATH"] = os.pathsep.join([str(root / "src"), env.get("PYTHONPATH", "")])
        env["FAKENOVA_CONF"] = str(root / "conf")
    with tempfile.TemporaryDirectory(prefix="fakenova-bench-") as scratch:
        out = Path(scratch) / "run.json"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(RECORDER), str(out), "-q", "-p", "no:cacheprovider", *args],
            cwd=root,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        return json.loads(out.read_text()), wall


def run() -> dict[str, float]:
    section("Whole-guide verification (every sample in doc/source)")
    data, wall = run_recorded(["doc/source"])
    tests = {k: v for k, v in data["tests"].items() if "outcome" in v}  # ran, not deselected
    outcomes: dict[str, int] = defaultdict(int)
    for test in tests.values():
        outcomes[test.get("outcome", "?")] += 1
    figure("samples", str(len(tests)), ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))
    figure("wall time, process start to exit", f"{wall:.2f} s", verdict(wall, 5))
    figure("  of which the pytest session", f"{data['session_seconds']:.2f} s")
    figure("  of which running the samples", f"{sum(t['seconds'] for t in tests.values()):.2f} s")
    figure("peak memory (ru_maxrss)", f"{data['maxrss_kib'] / 1024:.0f} MiB")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for test in tests.values():
        by_kind[test.get("kind") or "?"].append(test["seconds"])
    print("  per sample, by kind:")
    print(f"    {'kind':<14}{'count':>6}{'total ms':>11}{'mean ms':>10}{'max ms':>9}")
    for kind, seconds in sorted(by_kind.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"    {kind:<14}{len(seconds):>6}{sum(seconds) * 1000:>11.1f}"
            f"{sum(seconds) / len(seconds) * 1000:>10.1f}{max(seconds) * 1000:>9.1f}"
        )
    return {"guide_wall_s": wall, "guide_maxrss_mib": data["maxrss_kib"] / 1024}
