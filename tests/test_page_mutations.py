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


def _failures(root: Path, page: str = PAGE, through_line: int | None = None) -> list[str]:
    """The failures of ``page``'s samples, in order; with ``through_line``, only of the
    samples that start on or before that line of the page (the later ones cannot make an
    earlier sample fail, and each sample of a long page costs a run of the real client)."""
    source = root / "doc" / "source"
    sybil = guide_sybils(source)[0]
    document = sybil.parse(root / page)
    failures = []
    for example in document.examples():
        if through_line is not None and example.line > through_line:
            break
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
    failures = _failures(guide, through_line=line if path == PAGE else None)
    assert failures, f"changing {what} in {path} went unnoticed"
    assert any(f"{Path(path).name}:{line}" in failure for failure in failures), failures


FAULTS = "doc/source/api-guide/faults.rst"
FAULTS_MUTATIONS = [
    # (text to change, replacement, what the change is) on the faults page
    (
        '"itemNotFound": {\n           "code": 404',
        '"itemNotFound": {\n           "code": 400',
        "a code",
    ),
    ("HTTP/1.1 409 Conflict", "HTTP/1.1 400 Bad Request", "a status line"),
    ("os-migrate-server:migrate to", "os-migrate-server:migrate_live to", "a policy name"),
    ("   m1.tiny (1)\n", "   m1.xlarge (5)\n", "the flavor after the failed resize"),
    ("| resize | 2026", "| create | 2026", "an action in the event list"),
    ("| message    | Error ", "| message    | -     ", "the action's message"),
    ('"host": "controller"', '"host": "compute1"', "an event's host"),
    ('"message": "No valid host was found. "\n', '"message": "No valid host."\n', "a fault"),
    # too large, or over quota
    ("   # 413 application/json\n", "   # 400 application/json\n", "the size limit's status"),
    ("'code': '413 Request Entity Too Large'", "'code': 413", "the size limit's code"),
    ("already used 1 of 1 instances", "already used 2 of 1 instances", "a quota refusal"),
    # the instance actions' names (a verified table: a row fails on its own line)
    ('   ``delete`` | ``{"forceDelete"', '   ``forceDelete`` | ``{"forceDelete"', "a name"),
    (
        '``shelveOffload`` | ``{"shelveOffload": null}`` (admin)',
        '``shelveOffload`` | ``{"shelveOffload": null}``',
        "who may send it",
    ),
]


def test_the_faults_page_as_written_passes(guide: Path) -> None:
    assert _failures(guide, FAULTS) == []


@pytest.mark.parametrize(
    ("original", "mutated", "what"), FAULTS_MUTATIONS, ids=[m[2] for m in FAULTS_MUTATIONS]
)
def test_a_changed_faults_sample_fails_where_it_changed(
    guide: Path, original: str, mutated: str, what: str
) -> None:
    target = guide / FAULTS
    text = target.read_text()
    assert original in text, f"the mutation of {what} no longer applies to the faults page"
    target.write_text(text.replace(original, mutated, 1))
    line = text[: text.index(original)].count("\n") + 1 + original[:-1].count("\n")
    failures = _failures(guide, FAULTS, through_line=line)
    assert failures, f"changing {what} on the faults page went unnoticed"
    assert any(f"faults.rst:{line}" in failure for failure in failures), failures


CONCEPTS = "doc/source/api-guide/server_concepts.rst"
V237 = "examples/servers/v2.37"
CONCEPTS_MUTATIONS = [
    # (file, text to change, replacement, what the change is) for the server concepts page
    (CONCEPTS, "| t2     | SHUTOFF |", "| t2     | ACTIVE  |", "a status in a CLI table"),
    (CONCEPTS, '"OS-EXT-STS:power_state": 4,', '"OS-EXT-STS:power_state": 1,', "a power state"),
    (CONCEPTS, '"Invalid status value"', '"Invalid status"', "a fault message"),
    (CONCEPTS, "HTTP/1.1 202 Accepted", "HTTP/1.1 201 Created", "the create status"),
    (CONCEPTS, "compute/v2.1/servers/3399f27e", "compute/v2/servers/3399f27e", "a Location header"),
    (CONCEPTS, "| status    | ACTIVE ", "| status    | BUILD  ", "the CLI's server status"),
    (CONCEPTS, "less than or equal to changes-before", "less than changes-before", "a 400 text"),
    (CONCEPTS, "marker [no-such-server] not found", "marker no-such-server not found", "a marker"),
    (
        CONCEPTS,
        '{"servers": [{"name": "test21", "OS-EXT-SRV-ATTR:host": "compute2", ...}]}',
        '{"servers": [{"name": "test21", "OS-EXT-SRV-ATTR:host": "compute1", ...}]}',
        "an exact host match",
    ),
    (
        CONCEPTS,
        '[{"id": "d3200cf0-2547-5b15-a2d1-649442123c00", "name": "t1", "links": [...]}]}',
        "[]}",
        "a regex match emptied",
    ),
    (CONCEPTS, '"name": "new-server", "status": "DELETED"', '"name": "new-server", ', "a status"),
    (CONCEPTS, "servers?limit=2&marker=942d0b68", "servers?limit=3&marker=942d0b68", "a next link"),
    (CONCEPTS, '"owner": "web-team", "role": "backend"', '"role": "backend"', "a metadata key"),
    (
        CONCEPTS,
        '"scheduler_hints": {"group": ["ea07df33-e47e-5b32-8f86-94dabbf51410"]},',
        '"scheduler_hints": {},',
        "scheduler hints",
    ),
    (CONCEPTS, '"accessIPv6": "::babe:4317:a84"', '"accessIPv6": "::babe:67.23.10.132"', "an IP"),
    (CONCEPTS, "Volume bb02b1a3-bc77-", "Image bb02b1a3-bc77-", "the unknown volume's 400"),
    (f"{V237}/server-get-resp.json", '"status": "ACTIVE"', '"status": "BUILD"', "a status"),
    (f"{V237}/server-get-resp.json", '"OS-EXT-STS:task_state"', '"OS-EXT-STS:task"', "a key"),
    (f"{V237}/server-get-resp.json", '"addr": "10.0.0.16"', '"addr": "10.0.0.17"', "an address"),
    # server actions
    (CONCEPTS, "is in vm_state active", "is in vm_state stopped", "an action's 409"),
    (CONCEPTS, '"locked": true,', '"locked": false,', "a lock"),
    (CONCEPTS, "os-shelve:shelve_offload to", "os-shelve:shelve to", "an admin-only policy"),
    (CONCEPTS, '"status": "SOFT_DELETED"', '"status": "DELETED"', "a soft-deleted status"),
    # consoles
    (CONCEPTS, "ANOTHER\\nLAST LINE", "LAST LINE", "console output"),
    (CONCEPTS, "Invalid console type spice", "Unsupported console type spice", "a console 400"),
    # host status
    (CONCEPTS, '"host_status": "UP", ...}}', '"host_status": "UNKNOWN", ...}}', "host_status UP"),
    (CONCEPTS, "| compute3 | MAINTENANCE |", "| compute3 | UP          |", "MAINTENANCE"),
    (CONCEPTS, "| host_status | DOWN  |", "| host_status | UP    |", "DOWN over MAINTENANCE"),
    (CONCEPTS, '"host_status": "", ...', '"host_status": "UP", ...', "an empty host_status"),
    # moving servers
    (CONCEPTS, "| compute2 | enabled | down  |", "| compute2 | enabled | up    |", "a silent host"),
    (CONCEPTS, '"status": "running"', '"status": "completed"', "a running live migration"),
    (CONCEPTS, '"dest_compute": "compute1"', '"dest_compute": "compute2"', "an evacuation"),
    # the at-a-glance tables (verified tables: a row fails on its own line)
    (CONCEPTS, "``RESCUE`` | ``rescued``", "``RESCUE`` | ``rescue``", "a status's vm_state"),
    (
        CONCEPTS,
        '``{"suspend": null}`` | ``{"resume": null}`` | ``ACTIVE``',
        '``{"suspend": null}`` | ``{"resume": null}`` | ``SHUTOFF``',
        "the status a status is left for",
    ),
    (
        CONCEPTS,
        '``{"confirmResize": null}`` | 204',
        '``{"confirmResize": null}`` | 202',
        "an answer",
    ),
    (
        CONCEPTS,
        "``ACTIVE`` | ``SUSPENDED`` | owner or admin",
        "``ACTIVE`` | ``PAUSED`` | owner or admin",
        "the status an action leads to",
    ),
    (
        CONCEPTS,
        '``{"unshelve": null}`` | 202 | ``SHELVED_OFFLOADED``',
        '``{"unshelve": null}`` | 202 | ``ACTIVE``',
        "the status an action starts from",
    ),
    (
        CONCEPTS,
        "``VERIFY_RESIZE`` | admin | all",
        "``VERIFY_RESIZE`` | owner or admin | all",
        "who may send an action by default",
    ),
    (
        CONCEPTS,
        "owner or admin | 2.17 and later",
        "owner or admin | all",
        "an action's microversions",
    ),
    # guest configuration
    (CONCEPTS, '"config_drive": "True"', '"config_drive": ""', "a config drive"),
    (CONCEPTS, "is not a 'base64'", "is not a 'string'", "a user_data 400"),
    (
        CONCEPTS,
        '"message": "Personality file content exceeds maximum 8"',
        '"message": "Personality file content exceeds maximum 12"',
        "the personality size limit",
    ),
]


def test_the_server_concepts_page_as_written_passes(guide: Path) -> None:
    assert _failures(guide, CONCEPTS) == []


@pytest.mark.parametrize(
    ("path", "original", "mutated", "what"),
    CONCEPTS_MUTATIONS,
    ids=[m[3] for m in CONCEPTS_MUTATIONS],
)
def test_a_changed_server_concepts_sample_fails_where_it_changed(
    guide: Path, path: str, original: str, mutated: str, what: str
) -> None:
    target = guide / path
    text = target.read_text()
    assert original in text, f"the mutation of {what} no longer applies to {path}"
    target.write_text(text.replace(original, mutated, 1))
    line = text[: text.index(original)].count("\n") + 1
    on_page = path == CONCEPTS  # a change in an included file: its line is not the page's
    failures = _failures(guide, CONCEPTS, through_line=line if on_page else None)
    assert failures, f"changing {what} in {path} went unnoticed"
    assert any(f"{Path(path).name}:{line}" in failure for failure in failures), failures
