"""Benchmarks: ``tox -e bench`` (or ``python benchmarks/run.py [--only AREA ...]``).

Prints figures and ratios with PASS/MISS against the issue's targets; it never fails on a
figure, because timings belong to the machine they were taken on (``benchmarks/README.md``
records a run and the machine). It exits non-zero only when something it measures broke.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable

from report import machine

AREAS = ("guide", "cli", "throughput", "flavors", "scale", "soak", "sphinx", "xdist")


def _areas() -> dict[str, Callable[[], dict[str, float]]]:
    # Imported late: each area imports what it needs (the real clients, Sphinx) only when run.
    import cli_compare
    import guide
    import parallel
    import soak
    import sphinx_build
    import wsgi

    return {
        "guide": guide.run,
        "cli": cli_compare.run,
        "throughput": wsgi.throughput,
        "flavors": wsgi.flavors,
        "scale": wsgi.scale,
        "soak": soak.area,
        "sphinx": sphinx_build.run,
        "xdist": parallel.run,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=AREAS, default=list(AREAS))
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # the clients' deprecation warnings are not figures
    print("fakenova benchmarks; targets are informational")
    for key, value in machine().items():
        print(f"  {key:<8} {value}")
    if hasattr(os, "getloadavg"):
        print(f"  load     {os.getloadavg()[0]:.2f} (1-minute average before the run)")
    start = time.perf_counter()
    areas = _areas()
    for area in args.only:
        areas[area]()
    print(f"\nall benchmarks: {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
