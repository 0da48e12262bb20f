"""``fakenova serve`` under load: 8 client threads, 10,000 mixed requests over loopback.

waitress answers with several worker threads; every request must still succeed, and the
servers the clients created (minus those they deleted) must be exactly what the API lists:
none lost, none doubled, and each with its create (and delete) instance action.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

CLIENTS = 8
REQUESTS = 10_000
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "stderr"
    errors = log.open("w")  # a file, not a pipe: a full pipe would stall the server
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
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=15)
        errors.close()
        err = log.read_text()
        assert "Traceback" not in err and "Exception" not in err, err[-3000:]


def _session(base: str, user: str) -> requests.Session:
    session = requests.Session()
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
    answer = session.post(f"{base}/identity/v3/auth/tokens", json=body)
    assert answer.status_code == 201, answer.text
    session.headers["X-Auth-Token"] = answer.headers["X-Subject-Token"]
    session.headers["OpenStack-API-Version"] = "compute 2.84"
    return session


class Worker(threading.Thread):
    """One client: a fixed cycle of creates, shows, lists, metadata writes and deletes."""

    def __init__(self, base: str, index: int, count: int) -> None:
        super().__init__(name=f"client-{index}")
        self.base, self.index, self.count = base, index, count
        self.created: list[str] = []
        self.deleted: list[str] = []
        self.errors: list[str] = []

    def run(self) -> None:
        api = f"{self.base}/compute/v2.1"
        session = _session(self.base, "demo" if self.index % 2 else "alt_demo")
        for n in range(self.count):
            step = n % 10
            mine = [s for s in self.created if s not in self.deleted]
            if step == 0 or not mine:
                body = {
                    "server": {
                        "name": f"c{self.index}-{n}",
                        "imageRef": IMAGE,
                        "flavorRef": "1",
                        "networks": "none",
                    }
                }
                r = session.post(f"{api}/servers", json=body)
                self._check(r, 202)
                if r.status_code == 202:
                    self.created.append(r.json()["server"]["id"])
            elif step in (1, 2, 3, 4):
                self._check(session.get(f"{api}/servers/{mine[-1]}"), 200)
            elif step in (5, 6):
                self._check(session.get(f"{api}/servers/detail?limit=5"), 200)
            elif step == 7:
                r = session.put(
                    f"{api}/servers/{mine[-1]}/metadata/k", json={"meta": {"k": str(n)}}
                )
                self._check(r, 200)
            elif step == 8:
                self._check(session.get(f"{api}/servers/{mine[-1]}/os-instance-actions"), 200)
            elif len(mine) > 1:
                self._check(session.delete(f"{api}/servers/{mine[0]}"), 204)
                self.deleted.append(mine[0])
            else:
                self._check(session.get(f"{api}/servers"), 200)

    def _check(self, response: requests.Response, status: int) -> None:
        if response.status_code != status:
            self.errors.append(f"{response.request.method} {response.url}: {response.text}")


def test_serve_under_load(base: str) -> None:
    workers = [Worker(base, i, REQUESTS // CLIENTS) for i in range(CLIENTS)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    elapsed = time.monotonic() - started
    assert not [e for w in workers for e in w.errors][:5]
    print(f"\n{REQUESTS} requests from {CLIENTS} clients in {elapsed:.1f} s")

    # No lost or doubled servers: each project lists exactly what its clients kept.
    for user, parity in (("demo", 1), ("alt_demo", 0)):
        session = _session(base, user)
        listed = session.get(f"{base}/compute/v2.1/servers?limit=1000").json()["servers"]
        ids = Counter(s["id"] for s in listed)
        assert all(n == 1 for n in ids.values())
        kept = {
            s for w in workers if w.index % 2 == parity for s in w.created if s not in w.deleted
        }
        assert set(ids) == kept
        for server_id in sorted(kept)[:20]:
            actions = session.get(
                f"{base}/compute/v2.1/servers/{server_id}/os-instance-actions"
            ).json()["instanceActions"]
            assert [a["action"] for a in actions] == ["create"]
    created = [s for w in workers for s in w.created]
    assert len(created) == len(set(created))
