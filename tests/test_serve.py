"""``fakenova serve``: the fake over real HTTP (waitress), used by real clients."""

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


def _start(port: int, *options: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``fakenova serve`` and return it with its banner, printed once it listens."""
    server = subprocess.Popen(
        [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    banner: list[str] = []
    deadline = time.monotonic() + 30
    while not banner or banner[-1] != "Stop with Ctrl-C.\n":
        line = server.stdout.readline()
        if not line or time.monotonic() > deadline:
            server.kill()
            _, err = server.communicate()
            raise RuntimeError(f"fakenova serve did not start: {''.join(banner)}{err}")
        banner.append(line)
    return server, "".join(banner)


def _stop(server: subprocess.Popen[str], signum: int = signal.SIGTERM) -> tuple[int, str]:
    """Send ``signum`` and return the exit code and what it printed after the banner."""
    server.send_signal(signum)
    out, _ = server.communicate(timeout=15)
    return server.returncode, out


@pytest.fixture(scope="module")
def started() -> Iterator[tuple[str, str]]:
    """A server in the down cells page's state, and the banner it printed."""
    port = _free_port()
    server, banner = _start(port, "--scenario", "down-cells", "--unreachable", "cell2")
    try:
        yield f"http://127.0.0.1:{port}", banner
    finally:
        code, out = _stop(server)
        assert (code, out) == (0, "fakenova: stopped on SIGTERM\n")


@pytest.fixture(scope="module")
def served(started: tuple[str, str]) -> str:
    return started[0]


def _client_env(**extra: str) -> dict[str, str]:
    """The caller's environment without its own OS_* settings, the venv's scripts first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def _clouds_yaml_for(base: str, directory: Path) -> Path:
    """conf/clouds.yaml as a reader has it, pointed at this test's port instead of 8774."""
    text = (ROOT / "conf" / "clouds.yaml").read_text()
    assert "http://127.0.0.1:8774/" in text
    copy = directory / "clouds.yaml"
    copy.write_text(text.replace("http://127.0.0.1:8774/", f"{base}/"))
    return copy


def _openstack(args: str, env: dict[str, str]) -> str:
    """Run the real ``openstack`` command, as a reader would in a shell."""
    result = subprocess.run(
        ["bash", "-c", args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


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


def test_the_openstack_command_lists_servers_with_os_cloud(served: str, tmp_path: Path) -> None:
    env = _client_env(OS_CLIENT_CONFIG_FILE=str(_clouds_yaml_for(served, tmp_path)))
    table = _openstack("openstack --os-cloud fakenova server list", env)
    rows = [line.split("|")[1:4] for line in table.splitlines() if line.startswith("| ")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["ID", "Name", "Status"],
        ["142243f6-26b1-5936-8c9f-df06b6d11e54", "None", "UNKNOWN"],
        ["a4037192-2ed4-5fc1-9927-530e7d0c3166", "vm1", "ACTIVE"],
    ]


def test_the_openstack_command_works_with_conf_openrc(served: str) -> None:
    env = _client_env(FAKENOVA_URL=served)
    hosts = _openstack(
        f"source {ROOT / 'conf' / 'openrc'} admin admin && "
        "openstack --os-compute-api-version 2.69 compute service list -f value -c Host -c Status",
        env,
    )
    assert "compute3 UNKNOWN" in hosts.splitlines()
    assert "compute1 enabled" in hosts.splitlines()


def test_openrc_defaults_to_demo_at_the_default_address() -> None:
    shown = subprocess.run(
        ["bash", "-c", f"source {ROOT / 'conf' / 'openrc'} && env | grep ^OS_ | sort"],
        env=_client_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "OS_AUTH_URL=http://127.0.0.1:8774/identity" in shown.splitlines()
    assert "OS_USERNAME=demo" in shown.splitlines()
    assert "OS_PROJECT_NAME=demo" in shown.splitlines()
    assert "OS_PASSWORD=secret" in shown.splitlines()


def test_the_banner_tells_a_reader_how_to_connect(started: tuple[str, str]) -> None:
    base, banner = started
    assert f"serving scenario 'down-cells' on {base}" in banner
    assert f"openstack --os-cloud fakenova --os-auth-url {base}/identity server list" in banner
    assert "fakenova (demo), fakenova-alt (alt_demo), fakenova-admin (admin)" in banner
    assert f"export FAKENOVA_URL={base}" in banner
    assert "source conf/openrc demo demo" in banner or "/conf/openrc demo demo" in banner


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_it_cleanly_and_frees_the_port(signum: signal.Signals) -> None:
    port = _free_port()
    server, _ = _start(port)
    code, out = _stop(server, signum)
    assert (code, out) == (0, f"fakenova: stopped on {signum.name}\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"fakenova: cannot listen on 127.0.0.1:{port}" in result.stderr


def test_work_settles_between_commands_as_on_nova() -> None:
    # Stopping and starting take time on Nova; the fake settles that work before the next
    # request, so a reader's next command already sees the end state, with nothing to wait for.
    port = _free_port()
    server, _ = _start(port, "--scenario", "down-cells")
    try:
        env = _client_env(FAKENOVA_URL=f"http://127.0.0.1:{port}")
        show = "openstack server show vm1 -f value -c status -c OS-EXT-STS:power_state"
        rc = f"source {ROOT / 'conf' / 'openrc'} demo demo"
        stopped = _openstack(f"{rc} && openstack server stop vm1 && {show}", env)
        started = _openstack(f"{rc} && openstack server start vm1 && {show}", env)
    finally:
        assert _stop(server)[0] == 0
    assert stopped.split() == ["4", "SHUTOFF"]
    assert started.split() == ["1", "ACTIVE"]


def cli_exit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``fakenova ARGS`` that ends in argparse (help, a refused option), run in this process:
    its exit status, output and error output. The command as a process, ``python -m
    fakenova.cli``, is what every served test starts."""
    from fakenova.cli import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_help_is_plain_text_and_serve_help_shows_the_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def helped(*args: str) -> str:
        status, out, _ = cli_exit(capsys, *args, "--help")
        assert status == 0
        return out

    top = helped()
    assert "``" not in top and "serve" in top
    serve = " ".join(helped("serve").split())  # argparse wraps to the terminal's width
    assert "``" not in serve
    assert "address to listen on (default: 127.0.0.1)" in serve
    assert "port to listen on (default: 8774)" in serve
    assert "(default: empty)" in serve


def test_the_banner_names_the_unreachable_cells(started: tuple[str, str]) -> None:
    assert "  unreachable cells: cell2\n" in started[1]


def test_an_access_log_when_asked() -> None:
    import urllib.request

    port = _free_port()
    server, _ = _start(port, "--access-log")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/compute/") as answer:
        assert answer.status == 200
    server.send_signal(signal.SIGTERM)
    _, err = server.communicate(timeout=15)
    logged = [line for line in err.splitlines() if "/compute/" in line]
    assert len(logged) == 1
    assert '"GET /compute/ HTTP/1.1" 200' in logged[0]


def test_the_try_it_pages_curl_commands_work_as_pasted(served: str) -> None:
    """The curl block of try-it.rst (illustrative to the page verifier: it runs in a reader's
    shell) pasted into bash against a running ``fakenova serve``."""
    page = (ROOT / "doc" / "source" / "try-it.rst").read_text()
    block = page.split("against their fakenova serve", 1)[1].split(".. code-block:: bash", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("   "):
            break
        lines.append(line[3:])
    script = "\n".join(lines).replace("http://127.0.0.1:8774", served)
    shown = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    listed = json.loads(shown.stdout)["servers"]
    assert [s.get("name") for s in listed] == [None, "vm1"]


def test_novaclient_creates_shares_and_deletes_a_flavor(served: str) -> None:
    """``nova flavor-create`` / ``flavor-access-add`` / ``flavor-delete``, as an admin does
    with devstack's openrc; the member then sees the private flavor it was given."""
    env = _client_env(FAKENOVA_URL=served)
    openrc = ROOT / "conf" / "openrc"
    admin = f"source {openrc} admin admin && "
    created = _openstack(admin + "nova flavor-create --is-public false f.private f1 256 2 1", env)
    assert "| f1 " in created and "| f.private " in created
    demo_id = _openstack(
        f"source {openrc} demo demo && openstack token issue -f value -c project_id", env
    ).strip()
    shared = _openstack(admin + f"nova flavor-access-add f1 {demo_id}", env)
    assert f"| f1        | {demo_id} |" in shared
    listed = _openstack(admin + "nova flavor-access-list --flavor f1", env)
    assert demo_id in listed
    member = _openstack(f"source {openrc} demo demo && nova flavor-list", env)
    assert "f.private" in member
    _openstack(admin + "nova flavor-delete f1", env)
    after = _openstack(admin + "nova flavor-list --all", env)
    assert "f.private" not in after
