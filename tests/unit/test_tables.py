"""Verified tables: a ``fakenova-table`` comment turns the csv-table after it into samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil import Document

from fakenova.verifier.blocks import Block
from fakenova.verifier.page import SampleFailure
from fakenova.verifier.parsers import RestParser
from fakenova.verifier.tables import check

HEADER = "Request body | Answer | From | Leads to | By default | Microversions"


def _kinds(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    page = tmp_path / "page.rst"
    page.write_text(text)
    parsed = RestParser(tmp_path).blocks(Document(text, str(page)))
    return [(block.kind, block.arguments) for _, block in parsed]


def test_only_a_table_after_the_comment_is_verified(tmp_path: Path) -> None:
    table = f".. csv-table:: T\n   :header: {HEADER}\n   :delim: |\n\n   a | b | c | d | e | f\n"
    text = f".. fakenova-scenario: empty\n\n{table}\n.. fakenova-table: actions\n\n{table}"
    assert _kinds(tmp_path, text) == [("scenario", "empty"), ("table", "actions")]


def test_the_comment_must_be_followed_by_a_csv_table(tmp_path: Path) -> None:
    text = ".. fakenova-table: actions\n\n.. code-block:: console\n\n   $ ls\n"
    assert [kind for kind, _ in _kinds(tmp_path, text)] == ["unsupported"]


def _block(rows: str, kind: str = "actions", header: str = HEADER) -> Block:
    options = {"header": header, "delim": "|"}
    return Block("table", rows, Path("page.rst"), 10, arguments=kind, options=options)


def test_a_true_row_passes_and_a_wrong_one_fails_on_its_line() -> None:
    good = '``{"pause": null}`` | 202 | ``ACTIVE`` | ``PAUSED`` | owner or admin | all'
    check(_block(good))
    wrong = good.replace("``PAUSED``", "``SHUTOFF``")
    with pytest.raises(SampleFailure, match=r"page.rst:11: leads to: the server is PAUSED"):
        check(_block(f"{good}\n{wrong}"))


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("since 2.17", "is not 'all'"),
        ("2.1 to 2.16", "at 2.17, outside the microversions, the answer is 202"),
    ],
)
def test_microversions_are_checked_at_their_edges(cell: str, message: str) -> None:
    row = f'``{{"pause": null}}`` | 202 | ``ACTIVE`` | ``PAUSED`` | owner or admin | {cell}'
    with pytest.raises(SampleFailure, match=message):
        check(_block(row))


def test_a_status_row_is_reached_and_left() -> None:
    header = "Status | vm_state | Reached with | Left with | Back to"
    row = '``PAUSED`` | ``paused`` | ``{"pause": null}`` | ``{"unpause": null}`` | ``ACTIVE``'
    check(_block(row, "statuses", header))
    with pytest.raises(SampleFailure, match="vm_state: the server shows paused"):
        check(_block(row.replace("``paused``", "``stopped``"), "statuses", header))


NAMES = "Action | Request | From"


@pytest.mark.parametrize(
    "row",
    [
        "``create`` | ``POST /servers`` | (none)",
        '``delete`` | ``{"forceDelete": null}`` | ``SOFT_DELETED``',
        '``shelveOffload`` | ``{"shelveOffload": null}`` (admin) | ``SHELVED``',
        "``delete`` | ``DELETE /servers/{server_id}`` | ``ACTIVE``",
        "``attach_interface`` | ``POST /servers/{server_id}/os-interface"
        ' {"interfaceAttachment": {}}`` | ``ACTIVE``',
    ],
)
def test_an_action_name_row_is_recorded_by_its_request(row: str) -> None:
    check(_block(row, "instance-actions", NAMES))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('``os-stop`` | ``{"os-stop": null}`` | ``ACTIVE``', "the newest action is 'stop'"),
        ('``migrate`` | ``{"migrate": null}`` | ``ACTIVE``', "request: the fake answers 403"),
        ("``lock`` | ``GET /servers/{server_id}`` | ``ACTIVE``", "is not a body or METHOD"),
    ],
)
def test_a_wrong_action_name_row_fails(row: str, message: str) -> None:
    with pytest.raises(SampleFailure, match=message):
        check(_block(row, "instance-actions", NAMES))
