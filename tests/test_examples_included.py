"""Every file in ``examples/`` is included by a page, so every one of them is verified."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "doc" / "source"
INCLUDE = re.compile(r"literalinclude::\s*(\S+)")


def _included() -> set[Path]:
    found = set()
    for page in [*SOURCE.rglob("*.rst"), *SOURCE.rglob("*.md")]:
        for target in INCLUDE.findall(page.read_text()):
            base = SOURCE if target.startswith("/") else page.parent
            found.add((base / target.lstrip("/")).resolve())
    return found


def test_every_example_is_included_by_a_page() -> None:
    examples = {
        p.resolve()
        for p in (ROOT / "examples").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts  # examples/testing/ is run by pytest
    }
    assert examples, "examples/ is empty"
    orphans = sorted(str(p.relative_to(ROOT)) for p in examples - _included())
    assert orphans == [], f"not included by any page, so never verified: {orphans}"


def test_an_included_response_follows_its_status_line() -> None:
    """A response body kept in ``examples/`` is shown under the request that produced it, and
    that block ends with the response's status line (checked by the verifier like any other)."""
    from sybil import Document

    from fakenova.verifier.parsers import parser_for

    missing = []
    for page in sorted([*SOURCE.rglob("*.rst"), *SOURCE.rglob("*.md")]):
        previous = None
        document = Document(page.read_text(), str(page))
        for _, block in parser_for(page, SOURCE).blocks(document):
            if block.kind == "json" and block.included_from is not None:
                shown = previous is not None and previous.kind == "http"
                status = shown and re.search(r"^HTTP/1\.1 \d{3} ", previous.text, re.M)
                if not status:
                    missing.append(block.where())
            if block.kind not in ("scenario", "use"):
                previous = block
    assert missing == [], f"included responses without a status line above them: {missing}"
