"""Testing code that talks to Nova, with ``fakenova.testing.mock_cloud``: a pytest module.

The guide's page *Testing with mock_cloud()* shows this file; ``tox`` runs it as tests.
"""

import openstack
import pytest
import requests

from fakenova.testing import current_cloud, mock_cloud

# openstacksdk 4.22 warns about its own deprecated internals: not this code's concern (these
# matter only where warnings are errors, as in this project's pytest settings).
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


def server_names(conn: openstack.connection.Connection) -> list[str]:
    """The code under test: it only knows an openstacksdk connection."""
    return sorted(server.name for server in conn.compute.servers())


@pytest.fixture
def cloud():
    """A fresh cloud for each test, gone when the test ends."""
    with mock_cloud(scenario="empty") as cloud:
        yield cloud


def test_server_names(cloud) -> None:
    conn = openstack.connect(**cloud.connect_kwargs("demo"))
    image = next(conn.image.images())
    for name in ("web2", "web1"):
        conn.compute.create_server(name=name, image_id=image.id, flavor_id="1", networks="none")
    cloud.settle()  # the builds finish, as the compute hosts would finish them
    assert server_names(conn) == ["web1", "web2"]
    # The state underneath, for assertions the API does not show.
    assert {s.host for s in cloud.compute.servers.values()} <= {"compute1", "compute2"}


def test_a_policy_override_shows_in_the_answers() -> None:
    rule = {"os_compute_api:os-services:list": "@"}  # anyone may list services
    with mock_cloud(policy=rule) as cloud:
        services = cloud.connect("demo").compute.services()
        assert "nova-compute" in {s.binary for s in services}


@mock_cloud(nova={"api": {"max_limit": 1}})
def test_one_server_per_page() -> None:
    cloud = current_cloud()
    cloud.world.boot("vm1")
    cloud.world.boot("vm2")
    token = cloud.session("demo").get_token()
    answer = requests.get(f"{cloud.compute_url}/servers", headers={"X-Auth-Token": token})
    assert len(answer.json()["servers"]) == 1
    assert answer.json()["servers_links"][0]["rel"] == "next"


def test_the_openstack_command(cloud) -> None:
    result = cloud.openstack("flavor show m1.tiny -f value -c ram")
    assert (result.exit_code, result.stdout) == (0, "512\n")
