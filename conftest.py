"""Collect every sample in the guide (``doc/source``) as a pytest item, through sybil."""

from pathlib import Path

from fakenova.verifier.collect import guide_sybils

# --update-samples, the drift summary and the coverage page.
pytest_plugins = ["fakenova.verifier.pytest_plugin"]

pytest_collect_file = guide_sybils(Path(__file__).parent / "doc" / "source").pytest()


def pytest_configure(config) -> None:
    """``-n N`` alone would deal one page's samples to several workers, but a page is one
    sequence (its scenario builds the cloud its later samples read): keep each file on one
    worker, whether pytest runs bare or as ``tox -- -n auto``. Without ``-n`` this is a no-op."""
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadfile"
