"""The whole suite, serially and with pytest-xdist: the same tests, the same outcomes.

``--dist loadfile`` is what keeps a page's samples on one worker: a sybil page is a sequence
(its scenario directive builds the cloud the later samples use), so splitting it across workers
would fail its samples for the wrong reason (34 of 46 did, with plain ``-n 2``). conftest.py
turns ``-n``'s default ``load`` into ``loadfile``, so ``tox -- -n auto`` distributes that way
too; it is passed here as well to be explicit.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from guide import run_recorded
from report import ROOT, figure, section

SKIP = shutil.ignore_patterns(".git", "build", ".tox", "__pycache__", "*.egg-info")


def run() -> dict[str, float]:
    section("pytest-xdist: the whole suite serially and with -n auto --dist loadfile")
    # Both runs use one snapshot of the tree: in a tree others are editing, two runs a minute
    # apart would otherwise differ by the tests added in between.
    with tempfile.TemporaryDirectory(prefix="fakenova-bench-xdist-") as scratch:
        tree = Path(scratch) / "tree"
        shutil.copytree(ROOT, tree, ignore=SKIP)
        serial, serial_wall = run_recorded([], tree)
        parallel, parallel_wall = run_recorded(["-n", "auto", "--dist", "loadfile"], tree)
    # Only tests that ran: the serial recorder also saw items that -m then deselected.
    a = {k: v["outcome"] for k, v in serial["tests"].items() if "outcome" in v}
    b = {k: v["outcome"] for k, v in parallel["tests"].items() if "outcome" in v}
    samples = [k for k in a if k.startswith("doc/")]
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    figure("tests, serial / parallel", f"{len(a)} / {len(b)}", f"({len(samples)} guide samples)")
    figure("wall, serial", f"{serial_wall:.1f} s")
    figure("wall, -n auto --dist loadfile", f"{parallel_wall:.1f} s")
    figure("speed-up", f"{serial_wall / parallel_wall:.2f}x")
    figure("same outcome for every test id", "yes" if not differ else f"NO ({len(differ)})")
    for nodeid in differ[:20]:
        print(f"    {nodeid}: serial {a.get(nodeid)}, parallel {b.get(nodeid)}")
    return {"xdist speed-up": serial_wall / parallel_wall, "xdist differences": len(differ)}
