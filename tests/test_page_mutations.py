"""A page that drifts from the API fails: mutate one value, key or status at a time.

Each case copies the guide and ``examples/`` to a scratch directory, changes one thing the
way a careless edit (or an API change) would, and checks that the page then fails on the
line of the change.

The samples before a case's first changed sample are the page as written, so they are run
once per page (:class:`PageRuns`): the page runs top to bottom in this process, and each
case's copy continues from a fork of it taken just before that sample, with exactly the
state the samples above left (the fake is deterministic; the fork is the snapshot).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from sybil.example import Example, SybilFailure

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
    document = guide_sybils(root / "doc" / "source")[0].parse(root / page)
    return _outcomes(document.examples(), through_line)


Case = tuple[str, str, str, int | None]  # (file, original, mutated, through_line)


def _outcomes(examples: Iterable[Example], through_line: int | None = None) -> list[str]:
    """Evaluate ``examples`` in order and return their failures; with ``through_line``, only
    of the samples that start on or before that line of the page."""
    failures = []
    for example in examples:
        if through_line is not None and example.line > through_line:
            break
        try:
            example.evaluate()
        except SybilFailure as failure:
            failures.append(str(failure))
        except pytest.skip.Exception:
            pass
    return failures


def _same(a: Example, root_a: Path, b: Example, root_b: Path) -> bool:
    """Whether two samples of two copies of the guide are the same sample (their blocks
    equal but for where each copy lives)."""
    pa, pb = a.parsed, b.parsed

    def where(block: Any, root: Path) -> tuple[Any, ...]:
        included = block.included_from
        return (
            block.source_path.relative_to(root),
            None if included is None else (included[0].relative_to(root), included[1]),
        )

    fields = ("kind", "text", "first_line", "arguments", "options", "reason")
    return (
        a.line == b.line
        and all(getattr(pa, f) == getattr(pb, f) for f in fields)
        and where(pa, root_a) == where(pb, root_b)
    )


def _in_a_fork(
    examples: list[Example], namespace: dict[str, Any], through: int | None
) -> list[str]:
    """``_outcomes`` of ``examples`` in a child process that shares ``namespace`` (the page's
    cloud, user, bindings) as it is now; this process's page goes on untouched."""
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        # Python 3.12 warns when a process with threads forks (pytest-xdist's worker has its
        # channel's); the child only evaluates samples, in this thread, and exits.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: report, then leave without running anything of the parent's
        os.close(read)
        try:
            for example in examples:
                example.namespace = namespace
            payload: Any = _outcomes(examples, through)
        except BaseException as error:  # reported by the parent
            payload = {"error": repr(error)}
        with os.fdopen(write, "w") as out:
            json.dump(payload, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        text = answer.read()
    os.waitpid(pid, 0)
    found = json.loads(text) if text else {"error": "the child process died"}
    if isinstance(found, dict):
        raise RuntimeError(found["error"])
    return found


class PageRuns:
    """Each page's failures, as written and with each case applied, worked out once."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self._done: dict[tuple[str, tuple[Case, ...]], tuple[list[str], list[list[str]]]] = {}

    def _copy(self, name: str) -> Path:
        root = self.scratch / name
        shutil.copytree(ROOT / "doc" / "source", root / "doc" / "source")
        shutil.copytree(ROOT / "examples", root / "examples")
        return root

    def _examples(self, root: Path, page: str) -> tuple[Any, list[Example]]:
        document = guide_sybils(root / "doc" / "source")[0].parse(root / page)
        return document, list(document.examples())

    def run(self, page: str, cases: tuple[Case, ...]) -> tuple[list[str], list[list[str]]]:
        """The page's failures as written, and each case's (``[]`` for a case whose text is
        not in its file: its own test says so)."""
        key = (page, cases)
        if key not in self._done:
            self._done[key] = self._run(page, cases)
        return self._done[key]

    def _run(self, page: str, cases: tuple[Case, ...]) -> tuple[list[str], list[list[str]]]:
        base_root = self._copy(f"{Path(page).stem}-as-written")
        base, written = self._examples(base_root, page)
        forks: dict[int, list[tuple[int, list[Example], int | None]]] = {}
        results_here: dict[int, list[str]] = {}
        for number, (path, original, mutated, through) in enumerate(cases):
            root = self._copy(f"{Path(page).stem}-{number}")
            target = root / path
            target.write_text(target.read_text().replace(original, mutated, 1))
            _, changed = self._examples(root, page)
            start = next(
                (
                    i
                    for i, (a, b) in enumerate(zip(written, changed, strict=False))
                    if not _same(a, base_root, b, root)
                ),
                min(len(written), len(changed)),
            )
            if hasattr(os, "fork"):
                forks.setdefault(start, []).append((number, changed[start:], through))
            else:  # no fork (Windows): the copy runs from its top
                results_here[number] = _failures(root, page, through)
        results = [results_here.get(number, []) for number in range(len(cases))]
        failures: list[str] = []
        for index in range(len(written) + 1):
            for number, rest, through in forks.get(index, []):
                results[number] = _in_a_fork(rest, base.namespace, through)
            if index < len(written):
                failures += _outcomes(written[index : index + 1])
        return failures, results


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> PageRuns:
    return PageRuns(tmp_path_factory.mktemp("mutations"))


def _line(text: str, original: str) -> int:
    """The line of ``text`` where ``original`` starts."""
    return text[: text.index(original)].count("\n") + 1


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "doc" / "source", tmp_path / "doc" / "source")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def _cases(
    page: str, mutations: Iterable[tuple[str, str, str]], faults: bool = False
) -> tuple[Case, ...]:
    """``mutations`` (file, original, mutated) as cases of ``page``: a change on the page
    runs it up to the changed line (the later samples cannot make it fail), a change in an
    included file runs the whole page; a change of the faults page ends on its last line."""
    cases = []
    for path, original, mutated in mutations:
        text = (ROOT / path).read_text()
        through = None
        if path == page and original in text:
            through = _line(text, original) + (original[:-1].count("\n") if faults else 0)
        cases.append((path, original, mutated, through))
    return tuple(cases)


def _mutated(runs: PageRuns, page: str, cases: tuple[Case, ...], number: int) -> list[str]:
    return runs.run(page, cases)[1][number]


PAGE_CASES = _cases(PAGE, [m[:3] for m in MUTATIONS])


def test_the_page_as_written_passes(runs: PageRuns) -> None:
    assert runs.run(PAGE, PAGE_CASES)[0] == []


@pytest.mark.parametrize(
    ("path", "original", "mutated", "what"), MUTATIONS, ids=[m[3] for m in MUTATIONS]
)
def test_a_changed_sample_fails_where_it_changed(
    runs: PageRuns, path: str, original: str, mutated: str, what: str
) -> None:
    text = (ROOT / path).read_text()
    assert original in text, f"the mutation of {what} no longer applies to {path}"
    line = _line(text, original)
    number = MUTATIONS.index((path, original, mutated, what))
    failures = _mutated(runs, PAGE, PAGE_CASES, number)
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


FAULTS_CASES = _cases(FAULTS, [(FAULTS, *m[:2]) for m in FAULTS_MUTATIONS], faults=True)


def test_the_faults_page_as_written_passes(runs: PageRuns) -> None:
    assert runs.run(FAULTS, FAULTS_CASES)[0] == []


@pytest.mark.parametrize(
    ("original", "mutated", "what"), FAULTS_MUTATIONS, ids=[m[2] for m in FAULTS_MUTATIONS]
)
def test_a_changed_faults_sample_fails_where_it_changed(
    runs: PageRuns, original: str, mutated: str, what: str
) -> None:
    text = (ROOT / FAULTS).read_text()
    assert original in text, f"the mutation of {what} no longer applies to the faults page"
    line = _line(text, original) + original[:-1].count("\n")
    number = FAULTS_MUTATIONS.index((original, mutated, what))
    failures = _mutated(runs, FAULTS, FAULTS_CASES, number)
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
    # scheduler hints
    (CONCEPTS, "| cache-b | compute1 |", "| cache-b | compute2 |", "a same_host placement"),
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


CONCEPTS_CASES = _cases(CONCEPTS, [m[:3] for m in CONCEPTS_MUTATIONS])


def test_the_server_concepts_page_as_written_passes(runs: PageRuns) -> None:
    assert runs.run(CONCEPTS, CONCEPTS_CASES)[0] == []


@pytest.mark.parametrize(
    ("path", "original", "mutated", "what"),
    CONCEPTS_MUTATIONS,
    ids=[m[3] for m in CONCEPTS_MUTATIONS],
)
def test_a_changed_server_concepts_sample_fails_where_it_changed(
    runs: PageRuns, path: str, original: str, mutated: str, what: str
) -> None:
    text = (ROOT / path).read_text()
    assert original in text, f"the mutation of {what} no longer applies to {path}"
    line = _line(text, original)  # in an included file, its line is not the page's
    number = CONCEPTS_MUTATIONS.index((path, original, mutated, what))
    failures = _mutated(runs, CONCEPTS, CONCEPTS_CASES, number)
    assert failures, f"changing {what} in {path} went unnoticed"
    assert any(f"{Path(path).name}:{line}" in failure for failure in failures), failures


QOS = "doc/source/api-guide/port_with_resource_request.rst"
QOS_MUTATIONS = [
    # (text to change, replacement, what the change is) on the ports with resource requests page
    ('"direction": "egress"', '"direction": "ingress"', "a rule's direction"),
    ('"device_id": ""', '"device_id": "", "resource_request": null', "a member's hidden key"),
    ('"NET_BW_EGR_KILOBIT_PER_SEC": 1000}', '"NET_BW_EGR_KILOBIT_PER_SEC": 100}', "a resource"),
    ("HTTP/1.1 201 Created", "HTTP/1.1 200 OK", "a Network status line"),
    ("disallowed by policy", "not allowed by policy", "a Neutron fault message"),
    ("until microversion 2.72.", "until microversion 2.73.", "the microversion it names"),
    ('"status": "ERROR"', '"status": "ACTIVE"', "the server's status"),
    ('"No valid host was found. "', '"No valid host was found."', "the fault's message"),
    ('"attach_interface", "message": "Error"', '"attach_interface", "message": null', "an action"),
]


FORMATS = "doc/source/api-guide/request_and_response_formats.rst"
LINKS = "doc/source/api-guide/links_and_references.rst"
XML_GET = "   Content-Type: application/xml\n\n   HTTP/1.1 "
XML_POST = '": 415, "message": "Unsupported Content-Type"}}\n\nThis includes'
FLAVOR_BOOKMARK = '"bookmark", "href": "http://openstack.example.com/compute/flavors/1"}\n  '
FORMATS_LINKS_MUTATIONS = [
    # (page, text to change, replacement, what the change is) on the formats and links pages;
    # the text is unique on its page, and the sample must fail on the line of the change
    (FORMATS, XML_GET + "415 Unsupported Media Type", XML_GET + "400 Bad Request", "a 415"),
    (FORMATS, '{"badMediaType": {"code' + XML_POST, '{"badRequest": {"code' + XML_POST, "a key"),
    (FORMATS, "HTTP/1.1 201 Created", "HTTP/1.1 415 Unsupported Media Type", "text/plain taken"),
    (FORMATS, "'message': 'Malformed request body'", "'message': 'Bad body'", "a 400 text"),
    (
        FORMATS,
        '   Content-Type: application/json\n\n   {"flavor"',
        '   Content-Type: application/xml\n\n   {"flavor"',
        "JSON for XML",
    ),
    (
        FORMATS,
        "Content-Type: application/json; charset=UTF-8",
        "Content-Type: application/json",
        "a fault's type",
    ),
    (
        FORMATS,
        '"created": "2026-11-02T09:00:00Z"',
        '"created": "2026-11-02T09:00:00.000000"',
        "a date's form",
    ),
    (
        FORMATS,
        '"created_at": "2026-11-02T09:00:06.671799"',
        '"created_at": "2026-11-02T09:00:06Z"',
        "a key pair's date",
    ),
    (
        FORMATS,
        "   x-compute-request-id: req-4b1bd4a5",
        "   x-compute-request-id: req-0d7c5c46",
        "the client's id echoed",
    ),
    (
        LINKS,
        FLAVOR_BOOKMARK,
        FLAVOR_BOOKMARK.replace("compute/flavors", "compute/v2.1/flavors"),
        "a bookmark with a version",
    ),
    (LINKS, '"type": "application/vnd.openstack.image"', '"type": "application/json"', "a type"),
    (LINKS, '"original_name": "m1.tiny"', '"original_name": "m1.small"', "a 2.47 flavor"),
    (LINKS, "   # 200 vm1", "   # 300 vm1", "a followed self link"),
    (LINKS, "   # 300 application/json", "   # 200 application/json", "a followed bookmark"),
    (LINKS, "v2.1/compute/servers/a4037192", "v2.1/servers/a4037192", "a version link"),
    (LINKS, "   # False", "   # True", "a request id at the root"),
    (
        LINKS,
        '   HTTP/1.1 202 Accepted\n\n   {"server": {"id": "142243f6',
        '   HTTP/1.1 400 Bad Request\n\n   {"server": {"id": "142243f6',
        "a flavor URL",
    ),
    (LINKS, "Flavor http://openstack.example.com/compute/", "Flavor ", "a resize's flavor URL"),
    (LINKS, 'flavors?limit=1&marker=1"}\n', 'flavors?limit=1&marker=2"}\n', "a next link"),
    (LINKS, "   # ['m1.small']", "   # ['m1.tiny']", "the next page"),
]


PAGING = "doc/source/api-guide/paginated_collections.rst"
PAGING_MUTATIONS = [
    # (text to change, replacement, what the change is) on the paginated collections page
    (
        '"href": "http://openstack.example.com/compute/v2.1/servers?limit=2&marker=b3a',
        '"href": "http://openstack.example.com/compute/v2.1/servers?marker=b3a',
        "a next link",
    ),
    ('   {"servers": []}\n\nA client', '   {"servers": [{"id": "x"}]}\n\nA client', "empty"),
    (
        'href": "http://openstack.example.com/compute/v2.1/servers?limit=100&marker',
        'href": "http://openstack.example.com/compute/v2.1/servers?limit=3&marker',
        "the limit kept under max_limit",
    ),
    ('"message": "marker [t1] not found"', '"message": "Marker t1 could not be found."', "a 400"),
    ('"Marker None could not be found."', '"Marker req-x could not be found."', "None"),
    ("   # t2\n", "   # t14\n", "an SDK page"),
    ("| test11 | ACTIVE  |", "| test11 | SHUTOFF |", "a CLI table cell"),
]


POLLING = "doc/source/api-guide/polling_changes.rst"
POLLING_MUTATIONS = [
    # (text to change, replacement, what the change is) on the polling changes page
    ('"name": "web2", "status": "DELETED"', '"name": "web2", "status": "SHUTOFF"', "DELETED"),
    (
        '"status": "ACTIVE", "updated": "2026-11-02T09:01:12Z", ...},\n'
        '           {"name": "web1", "status": "SHUTOFF"',
        '"status": "ACTIVE", "updated": "2026-11-02T09:01:13Z", ...},\n'
        '           {"name": "web1", "status": "SHUTOFF"',
        "an updated time",
    ),
    (
        '"message": "The value of changes-since must be less than or equal to changes-before."',
        '"message": "changes-since is after changes-before."',
        "the backwards window's 400",
    ),
    ('"action": "stop"', '"action": "os-stop"', "an action's name"),
    ('"migration_type": "resize"', '"migration_type": "migration"', "a migration type"),
    ("   # web1 SHUTOFF m1.small\n", "   # web1 SHUTOFF m1.tiny\n", "the SDK's wait"),
]


GENERAL = "doc/source/api-guide/general_info.rst"
GENERAL_MUTATIONS = [
    # (text to change, replacement, what the change is) on the general information page
    ("HTTP/1.1 403 Forbidden", "HTTP/1.1 404 Not Found", "a member's flavor create"),
    ("os-flavor-manage:create to", "os-flavor-manage:update to", "a policy name"),
    ('"fingerprint": "d4:f3:91:', '"fingerprint": "d4:f3:92:', "a key pair's fingerprint"),
    ("'public_key' is a required property", "'public_key' is required", "a 2.92 refusal"),
    (
        '{"keypairs": []}',
        '{"keypairs": [{"keypair": {"name": "demo-key", ...}}]}',
        "another user's key pairs",
    ),
    ("HTTP/1.1 202 Accepted", "HTTP/1.1 201 Created", "the create status"),
    ("'networks' is a required property", "'networks' is missing", "networks left out"),
    ("More than one Server exists", "No Server found", "two servers of one name"),
    ('"instance-00000001"', '"instance-00000002"', "an instance name"),
    ('"tenant_id": "57ccc0f1', '"project_id": "57ccc0f1', "the owner's key"),
    (
        "| OS-EXT-STS:vm_state    | stopped  |",
        "| OS-EXT-STS:vm_state    | active   |",
        "a vm_state",
    ),
    ("| stop   | 2026", "| reboot | 2026", "an instance action"),
    ('{"volumeAttachments": []}', '{"attachments": []}', "a volume attachments key"),
    ("| nova      | available   |", "| nova      | unavailable |", "a zone's status"),
    ("| policy     | anti-affinity  ", "| policy     | affinity       ", "a group's policy"),
    ('"totalInstancesUsed": 1,', '"totalInstancesUsed": 2,', "a project's usage"),
    ("| nova | disabled | up    |", "| nova | enabled  | up    |", "a disabled service"),
    (
        'HTTP/1.1 404 Not Found\n\n   {"itemNotFound": {"code": 404, "message": "The resource '
        'could not be found."}}\n\n.. note::',
        'HTTP/1.1 200 OK\n\n   {"itemNotFound": {"code": 404, "message": "The resource '
        'could not be found."}}\n\n.. note::',
        "os-hosts at 2.43",
    ),
    ("would change from 'None' to 'az1'", "would change from 'nova' to 'az1'", "a zone change"),
    ("   | az1       | available   |", "   | az2       | available   |", "a new zone"),
    ('"minDisk": 0,', '"minDisk": 1,', "the image proxy"),
    (
        'HTTP/1.1 404 Not Found\n\n   {"itemNotFound": {"code": 404, "message": "The resource '
        'could not be found."}}\n\nThe same',
        'HTTP/1.1 200 OK\n\n   {"itemNotFound": {"code": 404, "message": "The resource '
        'could not be found."}}\n\nThe same',
        "the image proxy at 2.36",
    ),
]


ACCELERATORS = "doc/source/api-guide/accelerator-support.rst"
ACCELERATORS_MUTATIONS = [
    # (text to change, replacement, what the change is) on the accelerator support page
    ("   acc2\n", "   acc3\n", "the flavor id the CLI prints"),
    ('"status": "ACTIVE",', '"status": "BUILD",', "the status of a server with accelerators"),
    ('"original_name": "a1.tiny"', '"original_name": "m1.tiny"', "the embedded flavor"),
    ("but got nothing.", "but got 0.", "the unknown device profile's 400"),
    ('"status": "REBUILD"', '"status": "ACTIVE"', "the rebuild's answer"),
    ("'power-update']\"", "'power-update', 'accelerator-request-bound']\"", "the 2.81 refusal"),
    ('"status": "completed", "code": 200}', '"status": "completed", "code": 400}', "an event"),
]


VERSIONS = "doc/source/api-guide/versions.rst"
MICROVERSIONS = "doc/source/api-guide/microversions.rst"
VERSION_PAGES_MUTATIONS = [
    # (page, text to change, replacement, what the change is) for versions and microversions
    (VERSIONS, '"min_version": "2.1",', '"min_version": "2.0",', "a minimum microversion"),
    (
        VERSIONS,
        "X-OpenStack-Nova-API-Version: 2.1\n",
        "X-OpenStack-Nova-API-Version: 2.104\n",
        "a header",
    ),
    (VERSIONS, "HTTP/1.1 300 Multiple Choices", "HTTP/1.1 200 OK", "the 300 status"),
    (
        VERSIONS,
        "example.com/compute/v2.1/compute/servers",
        "example.com/compute/v2.1/servers",
        "a link",
    ),
    (VERSIONS, "      HTTP/1.1 200 OK", "      HTTP/1.1 300 Multiple Choices", "a media type"),
    (VERSIONS, "| 2.1              | 2.104  ", "| 2.1              | 2.103  ", "the CLI's range"),
    (VERSIONS, "# (2, 1) (2, 104)", "# (2, 1) (2, 103)", "the SDK's range"),
    (
        VERSIONS,
        "Content-Type: application/vnd.openstack.compute+json",
        "Content-Type: application/json",
        "the answer's media type",
    ),
    (
        MICROVERSIONS,
        "X-OpenStack-Nova-API-Version: 2.54\n",
        "X-OpenStack-Nova-API-Version: 2.55\n",
        "an echo",
    ),
    (MICROVERSIONS, "Vary: OpenStack-API-Version, X-", "Vary: X-", "Vary"),
    (MICROVERSIONS, '"description": null,', '"desc": null,', "a field added by 2.55"),
    (
        MICROVERSIONS,
        "X-OpenStack-Nova-API-Version: 2.4\n",
        "X-OpenStack-Nova-API-Version: 2.1\n",
        "2.4",
    ),
    (
        MICROVERSIONS,
        "compute 2.55\n\n.. note::",
        "compute 2.54\n\n.. note::",
        "the header that wins",
    ),
    (
        MICROVERSIONS,
        "OpenStack-API-Version: compute 2.1\n",
        "OpenStack-API-Version: compute 2.55\n",
        "the default",
    ),
    (
        MICROVERSIONS,
        "OpenStack-API-Version: compute 2.104",
        "OpenStack-API-Version: compute 2.103",
        "latest",
    ),
    (MICROVERSIONS, '"message": "Version 2.999 is', '"message": "Version 2.99 is', "a 406 message"),
    (
        MICROVERSIONS,
        "HTTP/1.1 400 Bad Request",
        "HTTP/1.1 406 Not Acceptable",
        "a malformed version",
    ),
    (MICROVERSIONS, "   None\n", "   For smoke tests\n", "the CLI pinned to 2.54"),
    (MICROVERSIONS, "# m1.smoke None", "# m1.smoke For smoke tests", "the SDK pinned to 2.54"),
    (MICROVERSIONS, "# 2.55 For smoke tests", "# 2.54 For smoke tests", "novaclient's version"),
]


AUTHENTICATION = "doc/source/api-guide/authentication.rst"
USERS = "doc/source/api-guide/users.rst"
FIRST_TOKEN = "gAAAA006fea7a763a5df1b58e2af2bbe8c9c66862399e7bc95ea7b44af62fc8a4d24d"
SECOND_TOKEN = "gAAAA8147e768a88153eba1157b7cc0098b867245a31d22ca5b6cba8dfb8b95f378ae"
AUTH_USERS_MUTATIONS = [
    # (file, text to change, replacement, what the change is) for the authentication page
    (AUTHENTICATION, "HTTP/1.1 201 Created", "HTTP/1.1 200 OK", "the token's status"),
    (
        AUTHENTICATION,
        '"name": "reader"},',
        '"name": "admin"},',
        "a role in the token",
    ),
    (
        AUTHENTICATION,
        '"url": "http://openstack.example.com/compute/v2.1"',
        '"url": "http://openstack.example.com/compute/v2"',
        "the catalog's compute endpoint",
    ),
    (
        AUTHENTICATION,
        "X-Auth-Token: gAAAAABpNhMzQ8v2kR7nYcG1tZ0fQe9bW3mUuLk8oJdHs4aXv6iNfPq5rTyE2cD0gM1l",
        "X-Auth-Token: gAAAAABpNhMzQ8v2kR7nYcG1tZ0fQe9bW3mUuLk8oJdHs4aXv6iNfPq5rTyE2cD0gM1m",
        "a token never issued",
    ),
    (AUTHENTICATION, "| name      | nova ", "| name      | novax", "the catalog's service name"),
    (
        AUTHENTICATION,
        'WWW-Authenticate: Keystone uri="http://openstack.example.com/identity"',
        'WWW-Authenticate: Keystone uri="http://openstack.example.com/identity/v3"',
        "where to authenticate",
    ),
    (
        AUTHENTICATION,
        f"   {SECOND_TOKEN}\n   $ openstack token revoke",
        f"   {FIRST_TOKEN}\n   $ openstack token revoke",
        "the second token taken for the first",
    ),
    # the users page
    (
        USERS,
        "| member  | demo_manager@Default",
        "| admin   | demo_manager@Default",
        "a role the manager's role implies",
    ),
    (USERS, "HTTP/1.1 403 Forbidden", "HTTP/1.1 202 Accepted", "the reader's stop"),
    (USERS, "servers:stop to be performed", "servers:start to be performed", "a rule's name"),
    (USERS, "migrate_live:host to be", "migrate_live to be", "the host rule"),
    (USERS, '"source_compute": null,', '"source_compute": "compute1",', "a host a manager sees"),
    (USERS, '"dest_compute": "compute2",', '"dest_compute": "compute3",', "the admin's host"),
    (
        USERS,
        '"user_id": "a2351e34c09e59ac88d5ca58ea71aa2e"',
        '"user_id": "6aee8c8108b85256b3f3f947c2514e58"',
        "who migrated (the reader's id)",
    ),
    (USERS, "HTTP/1.1 204 No Content", "HTTP/1.1 403 Forbidden", "the override's manager"),
]


LIMITS = "doc/source/api-guide/limits.rst"
LIMITS_MUTATIONS = [
    # (text to change, replacement, what the change is) on the limits page
    (
        "| instances_used             |     0 |",
        "| instances_used             |     1 |",
        "CLI usage",
    ),
    ('"rate": [],', '"rate": [{}],', "the empty rate limits"),
    ('"totalRAMUsed": 2048,', '"totalRAMUsed": 512,', "the memory a server uses"),
    ('"maxPersonality": 5,', '"maxPersonality": 10,', "a field left at 2.1"),
    ('"maxTotalInstances": 2,', '"maxTotalInstances": 10,', "a project's own quota"),
    ("HTTP/1.1 403 Forbidden", "HTTP/1.1 200 OK", "a member naming a project"),
    ("limits:other_project to", "limits:index to", "the policy that refuses it"),
]


EXTRA_SPECS = "doc/source/api-guide/extra_specs_and_properties.rst"
EXTRA_SPECS_MUTATIONS = [
    # (text to change, replacement, what the change is) on the extra specs page
    ("   {'hw_rng:allowed': 'True'}\n", "   {'hw_rng:allowed': 'False'}\n", "a CLI property"),
    (
        '{"extra_specs": {"hw_rng:allowed": "True"}}',
        '{"extra_specs": {}}',
        "a flavor's extra specs",
    ),
    ('"rxtx_factor": 1.0\n', '"rxtx_factor": 1.0, "extra_specs": {}\n', "hidden extra specs"),
    ("os-flavor-extra-specs:index to", "os-flavor-extra-specs:show to", "the policy named"),
    ("'pinned' is not one of", "'pinned' is not one of the", "a 2.86 validation text"),
    ("extra spec 'hw:cpu_polcy' does", "extra spec 'hw:cpu_policy' does", "an unknown key"),
    (
        'HTTP/1.1 200 OK\n\n   {"extra_specs": {"acme',
        'HTTP/1.1 400 Bad Request\n\n   {"extra_specs": {"acme',
        "an unknown namespace",
    ),
    ("given: 'pinned'", "given: 'bogus'", "a bad flavor policy"),
    ('"hw_cpu_policy": "dedicated"', '"hw_cpu_policy": "shared"', "an image property"),
    ("Image property 'hw_cpu_policy' is not", "Image property 'hw:cpu_policy' is not", "conflict"),
    (
        '                   "os_distro": "cirros"\n',
        '                   "os_distro": "ubuntu"\n',
        "kept",
    ),
    ("HTTP/1.1 202 Accepted\n", "HTTP/1.1 400 Bad Request\n", "a create's status"),
]


# The guide's other pages, each change on the page itself: (page, original, mutated, what).
PAGE_MUTATIONS = [
    *((QOS, *m) for m in QOS_MUTATIONS),
    *FORMATS_LINKS_MUTATIONS,
    *((PAGING, *m) for m in PAGING_MUTATIONS),
    *((POLLING, *m) for m in POLLING_MUTATIONS),
    *((GENERAL, *m) for m in GENERAL_MUTATIONS),
    *((ACCELERATORS, *m) for m in ACCELERATORS_MUTATIONS),
    *VERSION_PAGES_MUTATIONS,
    *AUTH_USERS_MUTATIONS,
    *((LIMITS, *m) for m in LIMITS_MUTATIONS),
    *((EXTRA_SPECS, *m) for m in EXTRA_SPECS_MUTATIONS),
]
PAGES = list(dict.fromkeys(m[0] for m in PAGE_MUTATIONS))
# Each page's cases, in the order of its mutations; a case runs the page through the last
# line its original spans.
PAGES_CASES = {
    page: _cases(page, [m[:3] for m in PAGE_MUTATIONS if m[0] == page], faults=True)
    for page in PAGES
}


@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_each_other_page_as_written_passes(runs: PageRuns, page: str) -> None:
    assert runs.run(page, PAGES_CASES[page])[0] == []


@pytest.mark.parametrize(
    ("page", "original", "mutated", "what"),
    PAGE_MUTATIONS,
    ids=[f"{Path(m[0]).stem}: {m[3]}" for m in PAGE_MUTATIONS],
)
def test_a_changed_sample_of_another_page_fails_where_it_changed(
    runs: PageRuns, page: str, original: str, mutated: str, what: str
) -> None:
    text = (ROOT / page).read_text()
    assert original in text, f"the mutation of {what} no longer applies to {page}"
    # the line of the first character the mutation changes (in its first occurrence, the
    # one it replaces)
    pairs = enumerate(zip(original, mutated, strict=False))
    differs = next((i for i, (a, b) in pairs if a != b), min(len(original), len(mutated)))
    line = _line(text, original) + original[:differs].count("\n")
    cases = PAGES_CASES[page]
    number = [case[1:3] for case in cases].index((original, mutated))
    failures = _mutated(runs, page, cases, number)
    assert failures, f"changing {what} on {page} went unnoticed"
    assert any(f"{Path(page).name}:{line}" in failure for failure in failures), failures
