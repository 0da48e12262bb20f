"""Shared fixtures for unit tests, and :func:`run_page` for the verifier's tests.

Tests build their clouds and clients with :class:`fakenova.testing.World`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil.example import SybilFailure

from fakenova.cloud import Cloud, build_cloud
from fakenova.verifier.collect import guide_sybils
from fakenova.verifier.run import RUN_KEY, SampleRun


@pytest.fixture
def cloud() -> Cloud:
    return build_cloud()


def run_page(
    path: Path, run: SampleRun | None = None, source_root: Path | None = None
) -> list[str]:
    """Evaluate every block of a page in order; ``ok``, ``skip: ...`` or the failure text.

    ``source_root`` is where the guide's sources start (the page's folder by default); ``run``
    goes in the page's namespace, as the pytest plugin would put it (update modes).
    """
    source_root = source_root or path.parent
    sybil = next(s for s in guide_sybils(source_root) if any(path.match(p) for p in s.patterns))
    document = sybil.parse(path)
    if run is not None:
        document.namespace[RUN_KEY] = run
    outcomes = []
    for example in document.examples():
        try:
            example.evaluate()
        except SybilFailure as failure:
            outcomes.append(str(failure))
        except pytest.skip.Exception as skipped:
            outcomes.append(f"skip: {skipped.msg}")
        else:
            outcomes.append("ok")
    return outcomes
