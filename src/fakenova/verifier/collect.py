"""How pytest finds the guide's samples: one Sybil for reST pages, one for MyST pages."""

from __future__ import annotations

from pathlib import Path

from sybil import Example, Sybil
from sybil.sybil import SybilCollection

from fakenova.verifier.parsers import MystParser, RestParser
from fakenova.verifier.run import RUN_KEY


class GuideSybil(Sybil):
    """A Sybil whose test ids name the block: ``page.rst::console,line:26``."""

    def identify(self, example: Example) -> str:
        kind = getattr(example.parsed, "kind", None) or self.name
        return f"{kind},line:{example.line}"


def guide_sybils(source_root: Path) -> SybilCollection:
    """Sybils for every page under ``source_root`` (Sphinx's source directory).

    ``source_root`` also anchors ``literalinclude`` paths that start with ``/``, as Sphinx does.
    Each page is one sybil document, so each page gets its own cloud and bindings. Under
    pytest every sample also gets the session's ``fakenova_run`` fixture (from
    :mod:`fakenova.verifier.pytest_plugin`): update mode, proposals and coverage.
    """
    common = {"path": str(source_root), "fixtures": [RUN_KEY]}
    rest = GuideSybil(parsers=[RestParser(source_root)], patterns=["*.rst"], name="rest", **common)
    myst = GuideSybil(parsers=[MystParser(source_root)], patterns=["*.md"], name="myst", **common)
    return rest + myst
