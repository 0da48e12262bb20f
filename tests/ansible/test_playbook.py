"""Ansible's ``openstack.cloud`` collection against ``fakenova serve``, as an operator runs it.

``playbook.yml`` (next to this file) makes a key pair and a server with its metadata, asks for
the same server again, reads flavors, images and (as admin) compute services, and takes a
second server through metadata and the lifecycle ``server_action`` offers before deleting it.
Run twice, no task fails and the tasks tagged ``idempotent`` change nothing the second time
(the server's metadata, security groups and addresses are looked up again, through the
compute API and the Network service).

It runs in ``tox -e ansible`` (``-m ansible``): the collection reads
``openstack.version.__version__``, which openstacksdk imports with ``import openstack`` only
up to 4.14, while the ``verify`` extra pins 4.22 for the guide's samples.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.ansible]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
IMAGE = "cirros-0.6.3-x86_64-disk"
# shelve_offload after a shelve: Nova's default shelved_offload_time (0) offloaded it already.
ACTIONS = {
    "stop": True,
    "start": True,
    "pause": True,
    "unpause": True,
    "suspend": True,
    "resume": True,
    "lock": True,
    "unlock": True,
    "reboot_soft": True,
    "reboot_hard": True,
    "rebuild": True,
    "shelve": True,
    "shelve_offload": False,
    "unshelve": True,
}
IDEMPOTENT = [
    "keypair",
    "server",
    "the same server again",
    "flavors",
    "images",
    "compute services, as admin",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served() -> Iterator[str]:
    """A fresh ``fakenova serve`` (scenario ``empty``) on a free loopback port."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 60
    while (line := server.stdout.readline()) != "Stop with Ctrl-C.\n":
        if not line or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"fakenova serve did not start: {server.communicate()[1]}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=15)


@pytest.fixture
def workdir(served: str, tmp_path: Path) -> Path:
    """conf/clouds.yaml pointed at this server, and an ssh public key for the key pair."""
    clouds = (ROOT / "conf" / "clouds.yaml").read_text()
    (tmp_path / "clouds.yaml").write_text(clouds.replace("http://127.0.0.1:8774/", f"{served}/"))
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate().public_key()
    openssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    (tmp_path / "key.pub").write_text(openssh.decode() + " pb\n")
    return tmp_path


def _play(workdir: Path, *options: str) -> dict[str, Any]:
    """Run the playbook with ansible-playbook; the json callback's report of the run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "ANSIBLE_"))}
    env.update(
        OS_CLIENT_CONFIG_FILE=str(workdir / "clouds.yaml"),
        ANSIBLE_HOME=str(workdir / "ansible"),
        ANSIBLE_LOCAL_TEMP=str(workdir / "ansible" / "tmp"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_NOCOLOR="true",
    )
    public_key = (workdir / "key.pub").read_text().strip()
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "-i",
            "localhost,",
            str(HERE / "playbook.yml"),
            "-e",
            json.dumps({"public_key": public_key}),
            *options,
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    failed = [
        (t["task"]["name"], h.get("msg"))
        for t in report["plays"][0]["tasks"]
        for h in t["hosts"].values()
        if h.get("failed")
    ]
    assert (result.returncode, failed) == (0, []), f"{failed}\n{result.stderr[-2000:]}"
    assert report["stats"]["localhost"]["failures"] == 0
    return report


def _tasks(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each task's result on localhost, by name."""
    return {t["task"]["name"]: t["hosts"]["localhost"] for t in report["plays"][0]["tasks"]}


def _check_first_run(tasks: dict[str, dict[str, Any]], *, again: bool) -> None:
    assert tasks["keypair"]["changed"] and tasks["server"]["changed"]
    assert tasks["server"]["server"]["status"] == "ACTIVE"
    assert tasks["server"]["server"]["key_name"] == "pb-key"
    if again:
        assert not tasks["the same server again"]["changed"]
        assert tasks["the same server again"]["server"]["id"] == tasks["server"]["server"]["id"]
    assert tasks["server"]["server"]["metadata"] == {"role": "web"}
    assert tasks["metadata"]["changed"]
    assert tasks["metadata"]["server"]["metadata"] == {"role": "batch", "tier": "back"}
    (flavor,) = tasks["flavors"]["flavors"]
    assert (flavor["name"], flavor["vcpus"], flavor["ram"], flavor["disk"]) == (
        "m1.tiny",
        1,
        512,
        1,
    )
    (image,) = tasks["images"]["images"]
    assert (image["name"], image["status"]) == (IMAGE, "active")
    hosts = sorted(s["host"] for s in tasks["compute services, as admin"]["compute_services"])
    assert hosts == ["compute1", "compute2", "compute3"]
    assert tasks["a server to take through its life"]["changed"]
    done = {r["item"]: r["changed"] for r in tasks["server action"]["results"]}
    assert done == ACTIONS
    (life,) = tasks["its state after the actions"]["servers"]
    assert (life["name"], life["status"], life["task_state"]) == ("pb-life", "ACTIVE", None)
    assert tasks["delete it"]["changed"]


def test_twice_the_second_run_changes_nothing(workdir: Path) -> None:
    _check_first_run(_tasks(_play(workdir)), again=True)
    second = _tasks(_play(workdir))
    assert {name: second[name]["changed"] for name in IDEMPOTENT} == dict.fromkeys(
        IDEMPOTENT, False
    )
    # The lifecycle server was deleted at the end of the first run: made and unmade again.
    assert second["a server to take through its life"]["changed"]
    assert {r["item"]: r["changed"] for r in second["server action"]["results"]} == ACTIONS
    assert second["delete it"]["changed"]
