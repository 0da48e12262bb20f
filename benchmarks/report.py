"""Printing figures the same way in every section, and saying where they were measured.

Targets are informational: the benchmark prints PASS or MISS beside a figure and never fails,
because a timing depends on the machine and on what else runs on it. That is also why there
are no timed tests in ``tox``: this script is the only place timings are judged.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 74 - len(title)), flush=True)


def figure(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<46} {value:>14}  {note}".rstrip(), flush=True)


def verdict(value: float, target: float, *, at_least: bool = False) -> str:
    """``PASS (target <= 25)`` or ``MISS (...)``: the figure against its issue-7 target."""
    ok = value >= target if at_least else value <= target
    return f"{'PASS' if ok else 'MISS'} (target {'>=' if at_least else '<='} {target:g})"


def repeat(call: Callable[[], object], times: int) -> list[float]:
    """Wall seconds of ``times`` calls, each timed on its own (medians hide the odd GC pause)."""
    found = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        found.append(time.perf_counter() - start)
    return found


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def machine() -> dict[str, str]:
    """CPU model, cores and Python: what the README's figures need beside them."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model,
        "cores": f"{usable} usable of {os.cpu_count()}",
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "os": f"{platform.system()} {platform.release()}",
    }
