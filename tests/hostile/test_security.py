"""Security basics: loopback by default, tokens expire, projects are isolated, and no path
reaches the files in ``conf/`` (the fake serves only what its routes compute)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakenova import cli
from fakenova.identity.models import TOKEN_LIFETIME
from fakenova.testing import World

ROOT = Path(__file__).resolve().parents[2]
API = "/compute/v2.1"


def test_serve_listens_on_loopback_unless_told_otherwise() -> None:
    args = cli._parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


@pytest.fixture
def world():
    w = World()
    server_id = w.create_server("secret-vm").json["server"]["id"]
    return w.cloud, w.app, w.demo, w.alt, server_id


def test_tokens_expire_after_their_lifetime(world) -> None:
    cloud, _, demo, _, _ = world
    assert demo.get(f"{API}/servers").status_int == 200
    real_now = cloud.identity.now
    cloud.identity.now = lambda: real_now() + TOKEN_LIFETIME
    assert demo.get(f"{API}/servers").status_int == 401
    assert demo.get("/image/v2/images").status_int == 401


@pytest.mark.parametrize(
    "path",
    [
        "/servers",
        "/servers/detail",
        "/servers/detail?all_tenants=1",
        "/servers/detail?project_id={project}",
        "/servers/detail?tenant_id={project}&all_tenants=True",
        "/servers/detail?name=secret",
    ],
)
def test_a_token_never_lists_another_projects_servers(world, path: str) -> None:
    cloud, _, _, alt, server_id = world
    response = alt.get(API + path.format(project=cloud.project_id("demo")), microversion="2.1")
    assert response.status_int in (200, 403)  # all_tenants is an admin's option: 403
    assert server_id not in response.text


@pytest.mark.parametrize(
    "suffix", ["", "/metadata", "/os-instance-actions", "/tags", "/os-interface"]
)
def test_a_token_never_reads_another_projects_server(world, suffix: str) -> None:
    _, _, _, alt, server_id = world
    response = alt.get(f"{API}/servers/{server_id}{suffix}", microversion="2.26")
    assert response.status_int in (403, 404)
    assert "secret-vm" not in response.text


CONF_FILES = sorted(p for p in (ROOT / "conf").iterdir() if p.is_file())
TRAVERSALS = [
    "/compute/../conf/cloud.yaml",
    "/compute/v2.1/../../conf/cloud.yaml",
    "/image/v2/images/../../../conf/cloud.yaml",
    "/identity/v3/../../conf/clouds.yaml",
    "/compute/v2.1/servers/..%2F..%2Fconf%2Fcloud.yaml",
    "/compute/v2.1/servers/%2e%2e/%2e%2e/conf/cloud.yaml",
    "/image/v2/images/..%252f..%252fconf%252fcloud.yaml",
    "/conf/cloud.yaml",
    "/conf/openrc",
    "/compute/v2.1/flavors/..%2f..%2f..%2fetc%2fpasswd",
    "//conf/cloud.yaml",
    "/compute/v2.1/servers?name=__import__('os').system('id')",
    "/compute/v2.1/servers/detail?name=.*&sort_key=__class__",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_reads_conf_files(world, path: str) -> None:
    _, _, demo, _, _ = world
    response = demo.get(path)
    assert response.status_int < 500
    # Nova's urlmap answers 300 for paths it cannot place below /compute; the rest are 404s,
    # a 401/400 at most, or a list (query strings are filters, never code).
    assert response.status_int in (200, 300, 400, 401, 404), response.status
    for conf in CONF_FILES:
        for line in conf.read_text().splitlines():
            if len(line.strip()) > 24 and "http" not in line:
                assert line.strip() not in response.text, (conf.name, line)
