"""``fakenova.testing.mock_cloud``: a fake cloud per block or test, reached by the real clients
in this process (``fakenova.transport``), and nothing left behind."""

from __future__ import annotations

from typing import Any

import openstack
import pytest
import requests
import requests.adapters
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from novaclient import client as nova_client

from fakenova import transport
from fakenova.testing import MockCloud, World, current_cloud, mock_cloud

URL = "http://fakenova.test"

# openstacksdk 4.22 warns about its own deprecated internals (and, on every openstack.connect(),
# about InfluxDB), as tests/test_serve.py notes.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


def test_openstacksdk_creates_and_lists_a_server() -> None:
    with mock_cloud() as cloud:
        conn = openstack.connect(**cloud.connect_kwargs())
        image = next(conn.image.images())
        server = conn.compute.create_server(
            name="web1", image_id=image.id, flavor_id="1", networks="none"
        )
        cloud.settle()  # the build's later steps, done now
        assert conn.compute.get_server(server.id).status == "ACTIVE"
        assert [(s.name, s.status) for s in conn.compute.servers()] == [("web1", "ACTIVE")]
        # The state underneath, for assertions.
        (record,) = cloud.compute.servers.values()
        assert record.name == "web1"


def test_keystoneauth_session_and_novaclient_list_flavors() -> None:
    with mock_cloud() as cloud:
        auth = v3.Password(
            auth_url=f"{URL}/identity",
            username="admin",
            password="secret",
            project_name="admin",
            user_domain_id="default",
            project_domain_id="default",
        )
        nova = nova_client.Client("2.1", session=ks_session.Session(auth=auth))
        names = [flavor.name for flavor in nova.flavors.list()]
        assert names[:2] == ["m1.tiny", "m1.small"]
        # The same through the cloud's ready-made session.
        assert [
            f.name for f in nova_client.Client("2.1", session=cloud.session()).flavors.list()
        ] == (names)


def test_plain_requests_gets_the_compute_version_document() -> None:
    with mock_cloud() as cloud:
        answer = requests.get(f"{cloud.compute_url}/")
    assert cloud.compute_url == f"{URL}/compute/v2.1"
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    version = answer.json()["version"]
    assert (version["id"], version["min_version"]) == ("v2.1", "2.1")
    assert version["links"][0]["href"] == f"{URL}/compute/v2.1/"


def test_the_openstack_cli_runs_inside_as_the_verifier_runs_it() -> None:
    with mock_cloud(scenario="down-cells") as cloud:
        result = cloud.openstack(
            "compute service list -f value -c Binary -c Host",
            user="admin",
            env={"OS_COMPUTE_API_VERSION": "2.69"},
        )
        assert result.exit_code == 0, result.stderr
        assert "nova-compute compute1" in result.stdout.splitlines()
        # The CLI's own routing ended with the command; the cloud's did not.
        assert requests.get(f"{URL}/compute/v2.1/").status_code == 200


@mock_cloud(nova={"api": {"max_limit": 2}})
def test_the_decorator_form_with_a_nova_conf_override() -> None:
    cloud = current_cloud()
    for name in ("vm1", "vm2", "vm3"):
        cloud.world.boot(name)
    servers = cloud.session("demo").get(f"{cloud.compute_url}/servers").json()
    assert len(servers["servers"]) == 2
    (link,) = servers["servers_links"]
    assert link["href"].startswith(f"{URL}/compute/v2.1/servers?marker=")
    # openstacksdk follows the links: every server, two at a time.
    assert sorted(s.name for s in cloud.connect().compute.servers()) == ["vm1", "vm2", "vm3"]


@mock_cloud
def test_the_bare_decorator() -> None:
    assert requests.get(f"{current_cloud().url}/identity/v3").json()["version"]["id"] == "v3.14"


def test_a_policy_override_and_a_scenario_reach_the_clients() -> None:
    rule = {"os_compute_api:os-services:list": "@"}
    with mock_cloud(scenario="down-cells", policy=rule) as cloud:
        services = cloud.connect("demo").compute.services()
        assert {s.binary for s in services} >= {"nova-compute", "nova-scheduler"}


def test_nothing_is_left_after_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []

    def elsewhere(self: Any, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        sent.append(request.url or "")
        raise requests.ConnectionError("no network in this test")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", elsewhere)
    with pytest.raises(ZeroDivisionError), mock_cloud() as cloud:
        assert requests.get(f"{URL}/compute/v2.1/").status_code == 200
        with pytest.raises(requests.ConnectionError):
            requests.get("http://elsewhere.test/")  # other hosts go where they went before
        1 / 0  # noqa: B018
    assert requests.adapters.HTTPAdapter.send is elsewhere
    assert not transport.is_installed()
    assert not cloud.active
    with pytest.raises(RuntimeError, match="not active"):
        cloud.settle()
    with pytest.raises(RuntimeError, match="no mock_cloud"):
        current_cloud()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{URL}/compute/v2.1/")
    assert sent == ["http://elsewhere.test/", f"{URL}/compute/v2.1/"]


def test_two_blocks_in_turn_get_independent_clouds() -> None:
    with mock_cloud() as first:
        conn = first.connect()
        conn.compute.create_server(
            name="one", image_id=_image(first), flavor_id="1", networks="none"
        )
        assert [s.name for s in conn.compute.servers()] == ["one"]
        world = first.world
    with mock_cloud() as second:
        assert list(second.connect().compute.servers()) == []
        assert second.world is not world
    assert len(world.compute.servers) == 1


def test_a_second_cloud_inside_the_first_is_refused() -> None:
    with mock_cloud() as outer:
        with pytest.raises(RuntimeError, match="already active"), mock_cloud():
            pass  # pragma: no cover
        with pytest.raises(RuntimeError, match="already active"), outer:
            pass  # pragma: no cover
        assert current_cloud() is outer
        assert requests.get(f"{URL}/compute/v2.1/").status_code == 200
    assert not transport.is_installed()


def test_proxy_settings_do_not_apply_to_the_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://proxy.invalid:3128")
    with mock_cloud() as cloud:
        assert next(f.name for f in cloud.connect().compute.flavors()) == "m1.tiny"


def test_another_address_and_the_clouds_yaml_document() -> None:
    with mock_cloud(url="http://127.0.0.1:8774") as cloud:
        clouds = cloud.clouds_yaml["clouds"]
        assert sorted(clouds) == ["fakenova", "fakenova-admin", "fakenova-alt"]
        admin = clouds["fakenova-admin"]
        assert admin["auth"]["auth_url"] == "http://127.0.0.1:8774/identity"
        assert admin["auth"]["username"] == "admin"
        conn = openstack.connect(**admin, load_yaml_config=False, load_envvars=False)
        assert conn.compute.get_endpoint() == "http://127.0.0.1:8774/compute/v2.1"
        assert cloud.env("alt")["OS_USERNAME"] == "alt_demo"
    with pytest.raises(ValueError, match="scheme://host"):
        mock_cloud(url="http://fakenova.test/identity")


def test_the_cloud_is_a_world() -> None:
    with mock_cloud(nova={"api": {"max_limit": 3}}) as cloud:
        assert isinstance(cloud, MockCloud)
        assert isinstance(cloud.world, World)
        assert cloud.world.cloud.settings.nova["api"]["max_limit"] == 3
        assert cloud.users == ("admin", "demo", "alt_demo", "nova")
        assert cloud.world.demo.get("/compute/v2.1/servers").json == {"servers": []}


def _image(cloud: MockCloud) -> str:
    return cloud.world.cloud.settings.images[0]["id"]


def test_a_world_already_built_is_served_as_it_is() -> None:
    w = World(vm="vm1")
    with mock_cloud(world=w) as cloud:
        assert cloud.world is w
        assert [s.name for s in cloud.connect().compute.servers()] == ["vm1"]
        result = cloud.openstack("server delete --wait vm1")
        assert (result.exit_code, result.stderr) == (0, "")
    assert w.vm.deleted
    with pytest.raises(ValueError, match="as it is"):
        mock_cloud(world=w, scenario="empty")


def test_only_plain_functions_are_decorated() -> None:
    async def coroutine() -> None:
        pass  # pragma: no cover

    class Tests:
        pass

    for target in (coroutine, Tests):
        with pytest.raises(TypeError, match="plain functions"):
            mock_cloud(target)
