"""``fakenova serve``: the fake over real HTTP (waitress), used by real clients."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# The client libraries' own deprecation warnings are not this project's to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fakenova.cli",
            "serve",
            "--port",
            str(port),
            "--scenario",
            "down-cells",
            "--unreachable",
            "cell2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    message = f"fakenova serve did not start: {server.stderr.read()}"
                    raise RuntimeError(message) from error
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=10)


def _session(base: str, user: str):
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    auth = v3.Password(
        auth_url=f"{base}/identity",
        username=user,
        password="secret",
        project_name=user,
        user_domain_id="default",
        project_domain_id="default",
    )
    return session.Session(auth=auth)


def test_openstacksdk_lists_servers_with_a_partial_record(served: str) -> None:
    import openstack

    conn = openstack.connection.Connection(
        session=_session(served, "demo"), region_name="RegionOne"
    )
    servers = {s.name: s.status for s in conn.compute.servers()}
    assert servers == {None: "UNKNOWN", "vm1": "ACTIVE"}


def test_novaclient_sees_minimal_services_at_2_69(served: str) -> None:
    from novaclient import client

    nova = client.Client("2.69", session=_session(served, "admin"))
    services = [(s.binary, s.host, s.status) for s in nova.services.list()]
    assert ("nova-compute", "compute3", "UNKNOWN") in services
    assert ("nova-compute", "compute1", "enabled") in services


def test_a_raw_request_gets_nova_headers(served: str) -> None:
    import requests

    response = requests.get(f"{served}/compute/", timeout=5)
    assert response.status_code == 200
    assert response.headers["Server"] == "fakenova"
    versions = {v["id"]: v["version"] for v in response.json()["versions"]}
    assert versions == {"v2.0": "", "v2.1": "2.104"}


def test_serve_listens_on_loopback_by_default() -> None:
    from fakenova.cli import _parser

    args = _parser().parse_args(["serve"])
    assert (args.host, args.port, args.scenario) == ("127.0.0.1", 8774, "empty")


def test_clouds_yaml_names_a_member_and_an_admin_cloud_that_work(served: str) -> None:
    import openstack
    from openstack.config import loader

    config = loader.OpenStackConfig(config_files=[str(ROOT / "conf" / "clouds.yaml")])
    connections = {}
    for name in ("fakenova", "fakenova-admin"):
        cloud = config.get_one(name)
        assert cloud.config["auth"]["auth_url"] == "http://127.0.0.1:8774/identity"
        # Same credentials, pointed at this test's port instead of the default 8774.
        auth = dict(cloud.config["auth"], auth_url=f"{served}/identity")
        connections[name] = openstack.connect(
            auth=auth, region_name="RegionOne", load_yaml_config=False
        )
    assert {s.name for s in connections["fakenova"].compute.servers()} == {None, "vm1"}
    hosts = {s.host for s in connections["fakenova-admin"].compute.services()}
    assert {"compute1", "compute2", "compute3"} <= hosts
