"""Sphinx: a full build of the site, then an incremental build after touching one page.

Built on a temporary copy of ``doc/``, ``examples/`` and the fidelity report (the pages include
examples by ``/../../examples`` paths, and the captions read ``../../fidelity/report.json``: a
build whose dependency is missing rereads every page) so the benchmark never disturbs
``doc/build`` or a build another process is running. The flags are the docs env's
(``-W --keep-going -n``): a benchmark of a build that skipped CI's checks would measure less
than CI does. With ``--keep-going`` a build with warnings still does all the work, so its
timing is reported with a note.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import ROOT, figure, section, verdict

TOUCHED = Path("source") / "api-guide" / "down_cells.rst"
RUNS = 3


def _build(doc: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    argv = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html"]
    start = time.perf_counter()
    done = subprocess.run(
        [*argv, str(doc / "source"), str(doc / "build" / "html")],
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, done


def _copy(scratch: Path, name: str) -> Path:
    doc = scratch / name / "doc"
    shutil.copytree(ROOT / "doc", doc, ignore=shutil.ignore_patterns("build", "_build"))
    shutil.copytree(ROOT / "examples", scratch / name / "examples")
    (scratch / name / "fidelity").mkdir()
    shutil.copy2(ROOT / "fidelity" / "report.json", scratch / name / "fidelity")
    return doc


def run() -> dict[str, float]:
    section("Sphinx: full build and incremental build after touching one page")
    fulls, incrementals, unchanged = [], [], []
    with tempfile.TemporaryDirectory(prefix="fakenova-bench-sphinx-") as tmp:
        scratch = Path(tmp)
        for attempt in range(RUNS):
            doc = _copy(scratch, f"copy{attempt}")
            seconds, done = _build(doc)
            fulls.append(seconds)
        if done.returncode != 0:
            # --keep-going builds everything before failing, so the timing still stands.
            warned = done.stderr.count("WARNING")
            print(f"  note: the build exits {done.returncode} with {warned} warning(s) (pages in")
            print("  progress in this tree?); timings are of the whole build all the same:")
            print("    " + "\n    ".join(done.stderr.strip().splitlines()[:5]))
        page = doc / TOUCHED
        for _ in range(RUNS):
            os.utime(page, (time.time() + 1, time.time() + 1))  # newer than the last build
            incrementals.append(_build(doc)[0])
            unchanged.append(_build(doc)[0])
    pages = sum(1 for _ in (ROOT / "doc" / "source").rglob("*.rst")) + sum(
        1 for _ in (ROOT / "doc" / "source").rglob("*.md")
    )
    full, incremental, idle = (statistics.median(x) for x in (fulls, incrementals, unchanged))
    figure(f"full build ({pages} pages), median of {RUNS}", f"{full:.2f} s", verdict(full, 10))
    figure(f"incremental, {TOUCHED.name} touched", f"{incremental:.2f} s", verdict(incremental, 2))
    figure("  rebuild with nothing changed (start-up)", f"{idle:.2f} s")
    figure("  so the touched page itself costs", f"{max(incremental - idle, 0):.2f} s")
    return {"sphinx full s": full, "sphinx incremental s": incremental}
