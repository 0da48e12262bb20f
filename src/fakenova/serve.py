"""Run the fake cloud over HTTP for a reader, and tell them how to point a client at it.

A reader who starts ``fakenova serve`` wants to type the guide's commands next, so the first
thing it prints is exactly that: the ``--os-cloud`` names and the ``openrc`` line, with the
URL they must reach. Stopping it (Ctrl-C, or SIGTERM from a supervisor or a test) is the
normal end of a session, not a crash: both close the sockets and exit 0 with a message.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import yaml

DEFAULT_PORT = 8774


def reachable_url(host: str, port: int) -> str:
    """The URL a client on this machine uses: a wildcard address is not one it can dial."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _shown(path: Path) -> str:
    """``conf/clouds.yaml`` when run from the repository, an absolute path otherwise."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def cloud_logins(clouds_file: Path) -> dict[str, tuple[str, str]]:
    """The ``--os-cloud`` names of ``clouds.yaml``, each with the user and project it uses."""
    if not clouds_file.exists():
        return {}
    clouds = (yaml.safe_load(clouds_file.read_text()) or {}).get("clouds", {})
    logins = {}
    for name, cloud in clouds.items():
        auth = cloud.get("auth", {})
        logins[name] = (auth.get("username", "?"), auth.get("project_name", "?"))
    return logins


def banner(
    scenario: str,
    url: str,
    conf: Path,
    unreachable: list[str] | None = None,
    pace: float = 0.0,
) -> str:
    """What a reader needs to start typing the guide's commands against this server."""
    clouds_file, openrc = conf / "clouds.yaml", conf / "openrc"
    # clouds.yaml and openrc name the default address; on another one, say how to override it.
    default = url == f"http://127.0.0.1:{DEFAULT_PORT}"
    lines = [
        f"fakenova: serving scenario {scenario!r} on {url}",
        "  (identity at /identity/v3, compute at /compute/v2.1, image at /image,"
        " network at /networking)",
    ]
    if unreachable:
        lines.append(f"  unreachable cells: {', '.join(unreachable)}")
    if pace > 0:
        lines.append(f"  paced: each step of a build, snapshot, resize ... takes {pace:g}s")
    logins = cloud_logins(clouds_file)
    if logins:
        auth_url = "" if default else f" --os-auth-url {url}/identity"
        names = ", ".join(f"{name} ({user})" for name, (user, _) in logins.items())
        lines += [
            "",
            "Use it with the openstack client and clouds.yaml:",
            f"  export OS_CLIENT_CONFIG_FILE={_shown(clouds_file)}",
            f"  openstack --os-cloud {next(iter(logins))}{auth_url} server list",
            f"  clouds: {names}",
        ]
    if openrc.exists():
        pairs = ", ".join(f"{user} {project}" for user, project in dict.fromkeys(logins.values()))
        lines += [
            "",
            "or as on a devstack host, with source openrc USER PROJECT:",
            *([] if default else [f"  export FAKENOVA_URL={url}"]),
            f"  source {_shown(openrc)} demo demo",
            "  openstack server list",
            *([f"  users and projects: {pairs}"] if pairs else []),
        ]
    lines += ["", "Stop with Ctrl-C."]
    return "\n".join(lines)


def run(app: Any, host: str, port: int, announce: str = "", out: TextIO = sys.stdout) -> int:
    """Serve ``app`` with waitress until SIGTERM or SIGINT, then close and return 0.

    ``announce`` is printed once the socket listens, so whoever waits for it (a reader, a
    test) can connect as soon as they see it.
    """
    import waitress

    try:
        server = waitress.create_server(app, host=host, port=port, ident="fakenova")
    except OSError as error:  # the port is taken, or the address is not this machine's
        print(f"fakenova: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    received: list[str] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        # waitress's loop treats KeyboardInterrupt as "shut down": stop its workers, return.
        received.append(signal.Signals(signum).name)
        raise KeyboardInterrupt

    # Before the banner: whoever read it may signal at once.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if announce:
            print(announce, file=out, flush=True)
        server.run()
    except KeyboardInterrupt:  # a signal before the loop started
        server.task_dispatcher.shutdown()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()
    print(f"fakenova: stopped on {received[0] if received else 'loop exit'}", file=out, flush=True)
    return 0
