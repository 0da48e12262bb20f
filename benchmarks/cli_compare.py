"""The real ``openstack`` CLI in-process (how the verifier runs it) against a subprocess.

A console sample would cost a second or more if the verifier spawned ``openstack`` against
``fakenova serve``; the in-process runner (``fakenova.verifier.openstack_cli``) exists to avoid
that. Both ways run here on the same scenario and the same command, and their output must be
identical, so the ratio compares like with like. The first in-process command pays for
importing the client and is reported apart: every later command on a page costs the warm
figure.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from report import figure, median_ms, repeat, section, verdict

from fakenova.cli import build_app
from fakenova.verifier.openstack_cli import InProcessCLI, credentials_env

SCENARIO, UNREACHABLE = "down-cells", "cell2"
COMMANDS = [
    ("demo", "server list"),
    ("demo", "flavor list"),
    ("demo", "server show vm1"),
    ("admin", "compute service list"),
    ("admin", "server list --all"),
]
IN_PROCESS_RUNS, SUBPROCESS_RUNS = 20, 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served() -> Iterator[str]:
    """``fakenova serve`` on a free loopback port, as tests/test_serve.py starts it."""
    port = _free_port()
    argv = [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port)]
    argv += ["--scenario", SCENARIO, "--unreachable", UNREACHABLE]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"fakenova serve did not start: {server.stderr}") from error
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=10)


def _openstack() -> list[str]:
    """The ``openstack`` console script beside this interpreter (tox's env, the dev venv)."""
    script = Path(sys.executable).with_name("openstack")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from openstackclient.shell import main; "
            "sys.exit(main())"]  # fmt: skip


def _subprocess_env(user: str, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "CLIFF_"))}
    env.update(credentials_env(user, "secret", user, base_url))
    env.update({"OS_CLIENT_CONFIG_FILE": "/dev/null", "COLUMNS": "80", "PYTHONWARNINGS": "ignore"})
    return env


class TimedApp:
    """The fake, timed: how much of a command is the fake and how much the client."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.spent: list[float] = []

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        start = time.perf_counter()
        try:
            return list(self.app(environ, start_response))
        finally:
            self.spent.append(time.perf_counter() - start)


def compare(cli: InProcessCLI, fake: TimedApp, user: str, command: str, base_url: str) -> float:
    """One command both ways; prints its figures and returns the ratio."""
    env, argv = credentials_env(user, "secret", user), shlex.split(command)
    cold_start = time.perf_counter()
    first = cli.run(argv, env)
    cold = time.perf_counter() - cold_start
    fake.spent.clear()
    warm = median_ms(repeat(lambda: cli.run(argv, env), IN_PROCESS_RUNS))
    fake_ms = sum(fake.spent) / IN_PROCESS_RUNS * 1000
    requests = len(fake.spent) // IN_PROCESS_RUNS
    spawn_argv, spawn_env = [*_openstack(), *argv], _subprocess_env(user, base_url)

    def spawn() -> subprocess.CompletedProcess[str]:
        return subprocess.run(spawn_argv, env=spawn_env, capture_output=True, text=True)

    spawned = spawn()
    spawned_ms = median_ms(repeat(spawn, SUBPROCESS_RUNS))
    same = (first.exit_code, first.stdout) == (spawned.returncode, spawned.stdout)
    ratio = spawned_ms / warm
    print(f"  openstack {command}  (as {user}; identical output: {'yes' if same else 'NO'})")
    figure("  in-process, first command (imports)", f"{cold * 1000:.0f} ms")
    figure("  in-process, median of later commands", f"{warm:.1f} ms", verdict(warm, 15))
    figure(f"    of which in the fake ({requests} requests)", f"{fake_ms:.1f} ms")
    figure("  subprocess, median", f"{spawned_ms:.0f} ms")
    figure("  ratio subprocess / in-process", f"{ratio:.0f}x", verdict(ratio, 50, at_least=True))
    if not same:
        print(f"    in-process: {first.stdout!r}\n    subprocess: {spawned.stdout!r}")
        print(f"    subprocess stderr: {spawned.stderr[-400:]!r}")
    return ratio


def run() -> dict[str, float]:
    section("Real openstack CLI: in-process vs subprocess against fakenova serve")
    fake = TimedApp(build_app(SCENARIO, UNREACHABLE))  # one cloud: tokens outlive a request
    cli = InProcessCLI(lambda: fake)
    with served() as base_url:
        return {
            f"cli {command}: ratio": compare(cli, fake, user, command, base_url)
            for user, command in COMMANDS
        }
