"""``fakenova serve`` under load: the short soak, 8 client threads on loopback.

waitress answers with several worker threads; every request must get the answer its step
expects (never a 5xx), and every server the clients booted must be counted back exactly once
through the API, live or among the deleted as its client left it, with exactly the instance
actions its client caused. The driver is ``benchmarks/soak.py``, whose long run (10,000 boots,
``tox -e bench -- --only soak``) also follows the server's memory; here it runs a few hundred
requests, enough for every client to overlap every other's boots, actions and deletes. Every
24 boots an operator's archive (``nova-manage db archive_deleted_rows``, through the served
app's operator endpoint) takes the deleted servers out of the API's view while the clients
run: each must then be gone everywhere at once, never half archived.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks import soak

BOOTS = 96  # 12 a client: each boot is a show, one action of the rotation and a delete
ARCHIVE_EVERY = 24


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[soak.Served]:
    with soak.serve(tmp_path_factory.mktemp("serve")) as served:
        yield served
    errors = served.log.read_text()
    assert "Traceback" not in errors and "Exception" not in errors, errors[-3000:]


@pytest.fixture(scope="module")
def outcome(served: soak.Served) -> soak.Outcome:
    return soak.run(served.base, served.pid, boots=BOOTS, every=BOOTS, archive_every=ARCHIVE_EVERY)


def test_every_request_gets_its_answer(outcome: soak.Outcome) -> None:
    assert (outcome.server_errors, outcome.unexpected) == (0, 0), outcome.examples[:5]
    assert outcome.boots == BOOTS
    assert outcome.requests > 4 * BOOTS


def test_no_server_is_lost_or_counted_twice(outcome: soak.Outcome) -> None:
    assert (outcome.lost, outcome.duplicated) == ([], [])


def test_every_server_has_the_actions_its_client_caused(outcome: soak.Outcome) -> None:
    assert outcome.wrong_actions == []


def test_the_driver_reads_the_server_s_memory(outcome: soak.Outcome) -> None:
    """The long run's memory figure comes from ``/proc``; a zero would hide a regression."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc on this system")
    assert list(outcome.rss_kib) == [BOOTS] and outcome.rss_kib[BOOTS] > 10_000


def test_archives_take_deleted_servers_out_whole(outcome: soak.Outcome) -> None:
    """Four archives ran; each archived server is gone from every listing and 404 on its
    instance actions (checked above), and the servers gone are the instance rows reported."""
    assert outcome.archive_runs == BOOTS // ARCHIVE_EVERY
    assert outcome.archive_errors == []
    assert 0 < outcome.archived == outcome.archived_rows < BOOTS
