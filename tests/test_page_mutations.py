"""A page that drifts from the API fails: mutate one value, key or status at a time.

Each case copies the guide and ``examples/`` to a scratch directory, changes one thing the
way a careless edit (or an API change) would, and checks that the page then fails on the
line of the change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sybil.example import SybilFailure

from fakenova.verifier.collect import guide_sybils

ROOT = Path(__file__).resolve().parents[1]
PAGE = "doc/source/api-guide/down_cells.rst"
V269 = "examples/servers/v2.69"

MUTATIONS = [
    # (file, text to change, replacement, what the change is)
    (PAGE, "HTTP/1.1 403 Forbidden", "HTTP/1.1 404 Not Found", "a status code"),
    (PAGE, '"code": 403', '"code": 404', "a fault body value"),
    (PAGE, "| None | UNKNOWN |", "| vm2  | UNKNOWN |", "a CLI table cell"),
    (PAGE, "compute3        | None ", "compute4        | None ", "a host in a CLI table"),
    (PAGE, '"servers": []', '"servers": [{"id": "x"}]', "an empty list"),
    (f"{V269}/servers-list-resp.json", '"status": "UNKNOWN"', '"status": "ACTIVE"', "a status"),
    (f"{V269}/servers-details-resp.json", '"tenant_id"', '"project_id"', "a key"),
    (f"{V269}/server-get-down-cell-resp.json", '_state": 0', '_state": 1', "power state"),
    (f"{V269}/server-get-down-cell-resp.json", "09:00:20Z", "09:00:20", "a timestamp's shape"),
    (
        "examples/servers/v2.71/server-get-down-cell-resp.json",
        '"server_groups"',
        '"server_group"',
        "a key added by 2.71",
    ),
    (
        "examples/os-services/v2.69/services-list-down-cell-resp.json",
        '"host": "compute3"',
        '"host": "compute2"',
        "a minimal service",
    ),
]


def _failures(root: Path) -> list[str]:
    source = root / "doc" / "source"
    sybil = guide_sybils(source)[0]
    document = sybil.parse(root / PAGE)
    failures = []
    for example in document.examples():
        try:
            example.evaluate()
        except SybilFailure as failure:
            failures.append(str(failure))
        except pytest.skip.Exception:
            pass
    return failures


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "doc" / "source", tmp_path / "doc" / "source")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_the_page_as_written_passes(guide: Path) -> None:
    assert _failures(guide) == []


@pytest.mark.parametrize(
    ("path", "original", "mutated", "what"), MUTATIONS, ids=[m[3] for m in MUTATIONS]
)
def test_a_changed_sample_fails_where_it_changed(
    guide: Path, path: str, original: str, mutated: str, what: str
) -> None:
    target = guide / path
    text = target.read_text()
    assert original in text, f"the mutation of {what} no longer applies to {path}"
    target.write_text(text.replace(original, mutated, 1))
    line = text[: text.index(original)].count("\n") + 1
    failures = _failures(guide)
    assert failures, f"changing {what} in {path} went unnoticed"
    assert any(f"{Path(path).name}:{line}" in failure for failure in failures), failures
