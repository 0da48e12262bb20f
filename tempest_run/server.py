"""``fakenova serve`` for one Tempest run: a free loopback port, an access log, a clean stop.

The server is the one a reader starts (``fakenova serve``), in its ``empty`` scenario, with
``--access-log`` so every answer's status is on record: a run that made the fake answer a 5xx
fails even when Tempest itself did not notice (a test that expected an error, a cleanup).
``--clock wall``: Tempest asks for usage over the last day of its own clock.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

READY = "Stop with Ctrl-C."
# Apache's combined format, as paste's TransLogger writes it: "METHOD PATH PROTO" STATUS SIZE
_ACCESS = re.compile(r'"(?P<request>[A-Z]+ \S+) [^"]*" (?P<status>\d{3}) ')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A running ``fakenova serve``; its output goes to ``log`` (banner, access log, errors)."""

    def __init__(self, log: Path, conf: Path, timeout: float = 60) -> None:
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "fakenova.cli", "serve", "--access-log", "--clock", "wall"]
        command += ["--port", str(self.port), "--conf", str(conf)]
        self._stream = log.open("w")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self._stream, text=True
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while (line := self.process.stdout.readline()).rstrip("\n") != READY:
            self._stream.write(line)
            if not line or time.monotonic() > deadline:
                self.process.kill()
                self._stream.close()
                raise RuntimeError(f"fakenova serve did not start; see {log}")
        self._drain = threading.Thread(target=self._copy, args=(self.process.stdout,))
        self._drain.start()

    def _copy(self, stdout: IO[str]) -> None:
        for line in stdout:
            self._stream.write(line)

    def stop(self) -> int:
        """SIGTERM, as a supervisor stops it; its exit status (0 on a clean stop)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self._drain.join()
        self._stream.close()
        return status

    def request(
        self, method: str, path: str, body: Any = None, token: str = "", data: bytes = b""
    ) -> Any:
        """One request to the server (the runner's own, before Tempest runs): a JSON body, or
        ``data`` as an octet stream; the answer's headers and decoded JSON (or ``None``)."""
        headers = {"Content-Type": "application/octet-stream" if data else "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        payload = data or (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.url + path, payload, headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.headers, json.loads(answer.read() or b"null")


def server_errors(log: Path) -> list[str]:
    """The requests the server answered with a 5xx, as ``STATUS METHOD PATH`` lines, plus any
    traceback waitress logged for a failing application."""
    errors = []
    for line in log.read_text(errors="replace").splitlines():
        access = _ACCESS.search(line)
        if access and access["status"].startswith("5"):
            errors.append(f"{access['status']} {access['request']}")
        elif line.startswith("Traceback"):
            errors.append(f"traceback in {log.name}")
    return errors
