"""Collect every sample in the guide (``doc/source``) as a pytest item, through sybil."""

from pathlib import Path

from fakenova.verifier.collect import guide_sybils

pytest_collect_file = guide_sybils(Path(__file__).parent / "doc" / "source").pytest()
