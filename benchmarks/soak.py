"""A soak of ``fakenova serve``: one process, 8 clients on loopback, boots and deletes mixed
with actions, for as long as a long-lived test cloud runs.

Each client boots a server, shows it, sends it one action of a fixed rotation (stop and
start, reboot, lock and unlock, a metadata write; a listing now and then) and deletes the
server it booted before, so each of the 8 clients keeps at most two at a time and the cloud
stays far inside the demo projects' quotas while its deleted rows pile up. Afterwards every
record is counted back through the API: each booted server appears exactly once, listed
among the deleted (admin, ``deleted=true``) or among the live ones as its client left it, and
its instance actions (2.21 and later show those of a deleted server, as Nova does) are
exactly the ones its client caused, in order.

Resident memory of the ``serve`` process is read from ``/proc`` after each thousand boots.
Nova keeps a deleted instance's rows (the instance, its actions and their events) until an
operator archives them, and the API shows them (``deleted=true``, ``changes-since``, the
instance actions of a deleted server), so the fake keeps them too. Operators of a long-lived
cloud archive from cron; so does the soak: every thousand boots, before memory is read, the
sampler runs ``nova-manage db archive_deleted_rows --until-complete --all-cells`` through the
served app's operator endpoint (what ``fakenova manage`` posts). The accounting then takes an
archived server as gone: absent from every listing and 404 on its instance actions, and the
servers gone must be exactly the instance rows the archives reported.

This module is also the short soak in ``tests/hostile/test_load.py`` (a few hundred requests,
no timing); it imports nothing of the benchmarks' own, so both can import it.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

CLIENTS = 8
BOOTS = 10_000
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"  # cirros, in conf/cloud.yaml
MICROVERSION = "compute 2.84"  # 2.37 ``networks: none``; 2.21 a deleted server's actions
USERS = ("demo", "alt_demo")  # clients alternate: two projects, four clients each

# The rotation of actions, one per boot: (request body, instance actions it records).
ROTATION: tuple[tuple[tuple[dict[str, object] | None, ...], tuple[str, ...]], ...] = (
    (({"os-stop": None}, {"os-start": None}), ("stop", "start")),
    (({"reboot": {"type": "SOFT"}},), ("reboot",)),
    (({"lock": None}, {"unlock": None}), ("lock", "unlock")),
    ((None,), ()),  # a metadata write: no instance action
)


def rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (Linux's ``/proc``; 0 elsewhere)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    base: str
    pid: int
    log: Path


@contextmanager
def serve(scratch: Path) -> Iterator[Served]:
    """``fakenova serve`` on a free loopback port, its stderr in a file (a full pipe would
    stall it), stopped with SIGTERM afterwards."""
    port = _free_port()
    log = scratch / "serve-stderr"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 30
        while (line := server.stdout.readline()) != "Stop with Ctrl-C.\n":
            if not line or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"fakenova serve did not start: {server.communicate()}")
        try:
            yield Served(f"http://127.0.0.1:{port}", server.pid, log)
        finally:
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=30)


def session(base: str, user: str) -> requests.Session:
    """A session with a project-scoped token of ``user`` (password ``secret``, conf/)."""
    client = requests.Session()
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "domain": {"id": "default"}, "password": "secret"}
                },
            },
            "scope": {"project": {"name": user, "domain": {"id": "default"}}},
        }
    }
    answer = client.post(f"{base}/identity/v3/auth/tokens", json=body)
    answer.raise_for_status()
    client.headers["X-Auth-Token"] = answer.headers["X-Subject-Token"]
    client.headers["OpenStack-API-Version"] = MICROVERSION
    return client


ARCHIVE = "/fakenova-api/manage/db/archive_deleted_rows"  # fakenova.manage.ARCHIVE_PATH


class Archiver:
    """The operator's cron job: ``archive_deleted_rows --until-complete --all-cells``, and
    what every run reported (instance rows per cell, the servers archived)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.runs = 0
        self.instance_rows = 0  # the ``<cell>.instances`` rows the runs reported
        self.instances: list[str] = []  # the servers they archived
        self.failures: list[str] = []

    def __call__(self) -> None:
        options = {"until_complete": True, "all_cells": True, "verbose": True}
        answer = requests.post(self.base + ARCHIVE, json=options, timeout=600)
        self.runs += 1
        if answer.status_code != 200 or answer.json()["exit_code"] not in (0, 1):
            self.failures.append(f"archive: {answer.status_code} {answer.text[:300]}")
            return
        body = answer.json()
        tables = body["tables"]
        self.instance_rows += sum(n for t, n in tables.items() if t.endswith(".instances"))
        self.instances += body["instances"]


class Memory:
    """RSS of the server after each thousand boots, sampled by the client that made it; every
    ``archive_every`` boots (and before a sample) the archiver runs first, as cron would."""

    def __init__(
        self, pid: int, every: int = 1000, archiver: Archiver | None = None, archive_every: int = 0
    ) -> None:
        self.pid, self.every = pid, every
        self.archiver, self.archive_every = archiver, archive_every
        self.boots = 0
        self.samples: dict[int, int] = {}  # boots so far -> KiB
        self._lock = threading.Lock()

    def booted(self) -> None:
        with self._lock:
            self.boots += 1
            if self.archiver and self.archive_every and self.boots % self.archive_every == 0:
                self.archiver()
            if self.boots % self.every == 0:
                self.samples[self.boots] = rss_kib(self.pid)


class Client(threading.Thread):
    """One client: boot, show, an action of the rotation, delete the previous server."""

    def __init__(self, base: str, index: int, boots: int, memory: Memory) -> None:
        super().__init__(name=f"soak-client-{index}", daemon=True)
        self.base, self.index, self.boots, self.memory = base, index, boots, memory
        self.user = USERS[index % len(USERS)]
        self.created: list[str] = []
        self.deleted: list[str] = []
        self.actions: dict[str, list[str]] = {}  # server -> its instance actions, in order
        self.live: list[str] = []  # at most two: the one just booted and the one before
        self.statuses: Counter[int] = Counter()
        self.unexpected: list[str] = []  # the first few
        self.unexpected_count = 0

    def run(self) -> None:
        api = f"{self.base}/compute/v2.1"
        http = session(self.base, self.user)
        for n in range(self.boots):
            body = {
                "server": {
                    "name": f"soak-{self.index}-{n}",
                    "imageRef": IMAGE,
                    "flavorRef": "1",
                    "networks": "none",
                }
            }
            answer = self._call(http, "POST", f"{api}/servers", 202, json=body)
            if answer.status_code != 202:
                continue
            server = answer.json()["server"]["id"]
            self.memory.booted()
            self.created.append(server)
            self.live.append(server)
            self.actions[server] = ["create"]
            self._call(http, "GET", f"{api}/servers/{server}", 200)
            sent, recorded = ROTATION[(self.index + n) % len(ROTATION)]
            for action in sent:
                if action is None:
                    meta = {"meta": {"n": str(n)}}
                    self._call(http, "PUT", f"{api}/servers/{server}/metadata/n", 200, json=meta)
                else:
                    self._call(http, "POST", f"{api}/servers/{server}/action", 202, json=action)
            self.actions[server].extend(recorded)
            if n % 5 == 0:
                self._call(http, "GET", f"{api}/servers/detail?limit=5", 200)
            if len(self.live) > 1 and self._delete_server(http, f"{api}/servers/{self.live[0]}"):
                gone = self.live.pop(0)
                self.deleted.append(gone)
                self.actions[gone].append("delete")

    def _delete_server(self, http: requests.Session, url: str) -> bool:
        return self._call(http, "DELETE", url, 204).status_code == 204

    def _call(
        self, http: requests.Session, method: str, url: str, expected: int, **kwargs: object
    ) -> requests.Response:
        answer = http.request(method, url, **kwargs)
        self.statuses[answer.status_code] += 1
        if answer.status_code != expected:
            self.unexpected_count += 1
        if answer.status_code != expected and len(self.unexpected) < 20:
            self.unexpected.append(f"{method} {url}: {answer.status_code} {answer.text[:300]}")
        return answer


def _all_ids(http: requests.Session, url: str) -> list[str]:
    """Every id of a listing, following its ``next`` links (pages of at most 1000)."""
    found: list[str] = []
    while url:
        page = http.get(url)
        page.raise_for_status()
        body = page.json()
        found.extend(s["id"] for s in body["servers"])
        url = next(
            (link["href"] for link in body.get("servers_links", []) if link["rel"] == "next"), ""
        )
    return found


@dataclass
class Outcome:
    seconds: float
    boots: int
    requests: int
    server_errors: int  # 5xx
    unexpected: int  # any other answer than the one the step expects
    examples: list[str]  # the first few of them
    lost: list[str]  # booted, acknowledged, and not listed where its client left it
    duplicated: list[str]  # listed more than once
    wrong_actions: list[str]  # a server whose instance actions differ from what was done
    rss_kib: dict[int, int]
    archive_runs: int = 0
    archived: int = 0  # deleted servers gone from the API after an archive
    archived_rows: int = 0  # the instance rows the archives reported
    # An archive that failed, a server archived that was not deleted, or counts that differ.
    archive_errors: list[str] = dataclasses.field(default_factory=list)


def run(
    base: str,
    pid: int,
    *,
    clients: int = CLIENTS,
    boots: int = BOOTS,
    every: int = 1000,
    archive_every: int | None = None,
) -> Outcome:
    """Drive ``clients`` clients to ``boots`` boots in all, archiving every ``archive_every``
    boots (``every`` unless told; 0 never), then count every record back."""
    archiver = Archiver(base)
    memory = Memory(pid, every, archiver, every if archive_every is None else archive_every)
    workers = [
        Client(base, i, boots // clients + (i < boots % clients), memory) for i in range(clients)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started

    admin = session(base, "admin")
    api = f"{base}/compute/v2.1"
    deleted = Counter(_all_ids(admin, f"{api}/servers?all_tenants=1&deleted=true&limit=1000"))
    live = Counter(_all_ids(admin, f"{api}/servers?all_tenants=1&limit=1000"))
    archived = set(archiver.instances)
    lost: list[str] = []
    for worker in workers:
        lost += [s for s in worker.deleted if s in archived and (s in deleted or s in live)]
        lost += [s for s in worker.deleted if s not in archived and (deleted[s] != 1 or s in live)]
        lost += [s for s in worker.live if live[s] != 1 or s in deleted or s in archived]
    duplicated = [s for s, n in (deleted + live).items() if n > 1]
    duplicated += [s for s, n in Counter(archiver.instances).items() if n > 1]
    created = [s for w in workers for s in w.created]
    duplicated += [s for s, n in Counter(created).items() if n > 1]
    wrong = _check_actions(base, workers, archived)
    errors = list(archiver.failures)
    all_deleted = {s for w in workers for s in w.deleted}
    errors += [f"{s}: archived, never deleted" for s in archived - all_deleted]
    if archiver.instance_rows != len(archived):
        errors.append(f"{len(archived)} servers archived, {archiver.instance_rows} rows reported")
    statuses = sum((w.statuses for w in workers), Counter())
    return Outcome(
        seconds=seconds,
        boots=memory.boots,
        requests=sum(statuses.values()),
        server_errors=sum(n for status, n in statuses.items() if status >= 500),
        unexpected=sum(w.unexpected_count for w in workers),
        examples=[u for w in workers for u in w.unexpected],
        lost=lost,
        duplicated=duplicated,
        wrong_actions=wrong,
        rss_kib=dict(sorted(memory.samples.items())),
        archive_runs=archiver.runs,
        archived=len(archived),
        archived_rows=archiver.instance_rows,
        archive_errors=errors,
    )


def _check_actions(base: str, workers: list[Client], archived: set[str]) -> list[str]:
    """Each client's servers' instance actions, newest first as the API lists them, against
    what it did (an archived server's: a 404, as Nova's once its rows are archived); the
    clients' own sessions, in parallel as they ran."""
    wrong: list[str] = []

    def check(worker: Client) -> None:
        http = session(base, worker.user)
        for server, done in worker.actions.items():
            answer = http.get(f"{base}/compute/v2.1/servers/{server}/os-instance-actions")
            if server in archived:
                if answer.status_code != 404:
                    wrong.append(f"{server}: archived, yet {answer.status_code}")
                continue
            if answer.status_code != 200:
                wrong.append(f"{server}: {answer.status_code} {answer.text[:200]}")
                continue
            listed = [a["action"] for a in answer.json()["instanceActions"]]
            if listed != done[::-1]:
                wrong.append(f"{server}: {listed} != {done[::-1]}")

    threads = [threading.Thread(target=check, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return wrong


def area() -> dict[str, float]:
    """The benchmark area (``run.py --only soak``): figures and PASS/MISS."""
    import tempfile

    from report import figure, section, verdict

    section(f"Soak: fakenova serve, {CLIENTS} clients on loopback, {BOOTS:,} boots and deletes")
    with tempfile.TemporaryDirectory() as scratch, serve(Path(scratch)) as served:
        outcome = run(served.base, served.pid)
        errors = served.log.read_text()
    first, last = (
        outcome.rss_kib.get(1000, 0),
        outcome.rss_kib.get(max(outcome.rss_kib, default=0), 0),
    )
    growth = last / first - 1 if first else float("nan")
    figure(
        "boots / requests", f"{outcome.boots:,} / {outcome.requests:,}", f"{outcome.seconds:.0f} s"
    )
    figure("boots per second (with their actions)", f"{outcome.boots / outcome.seconds:.1f}")
    figure("requests per second", f"{outcome.requests / outcome.seconds:.0f}")
    figure("5xx answers", f"{outcome.server_errors}", verdict(outcome.server_errors, 0))
    figure(
        "other unexpected answers",
        f"{outcome.unexpected}",
        verdict(outcome.unexpected, 0),
    )
    figure("lost / duplicated records", f"{len(outcome.lost)} / {len(outcome.duplicated)}",
           verdict(len(outcome.lost) + len(outcome.duplicated), 0))  # fmt: skip
    figure("servers with wrong instance actions", f"{len(outcome.wrong_actions)}",
           verdict(len(outcome.wrong_actions), 0))  # fmt: skip
    figure("archives; servers archived / rows reported",
           f"{outcome.archive_runs}; {outcome.archived:,} / {outcome.archived_rows:,}",
           verdict(len(outcome.archive_errors), 0))  # fmt: skip
    figure("tracebacks in the server's log", f"{errors.count('Traceback')}")
    figure("RSS after the first 1,000 boots", f"{first / 1024:.1f} MiB")
    figure(f"RSS after {max(outcome.rss_kib, default=0):,} boots", f"{last / 1024:.1f} MiB")
    figure("growth, first to last thousand", f"{growth:+.1%}", verdict(growth * 100, 10))
    if outcome.boots > 1000:
        per = (last - first) * 1024 / (outcome.boots - 1000)
        figure("RSS growth per boot after the first thousand", f"{per:,.0f} B")
    print(
        "  RSS (MiB) by thousand boots: "
        + " ".join(f"{v / 1024:.0f}" for v in outcome.rss_kib.values())
    )
    problems = outcome.examples + outcome.lost + outcome.duplicated + outcome.wrong_actions
    for line in (problems + outcome.archive_errors)[:10]:
        print(f"  ! {line}")
    return {
        "boots/s": outcome.boots / outcome.seconds,
        "5xx": outcome.server_errors,
        "lost": len(outcome.lost),
        "duplicated": len(outcome.duplicated),
        "rss growth": growth,
        "archived": outcome.archived,
    }
