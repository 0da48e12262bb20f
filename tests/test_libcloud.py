"""Apache libcloud's OpenStack driver against the fake, as a libcloud user would drive it.

libcloud sends its requests with ``requests``, so ``mock_cloud()`` answers it in this process.
Its two compute drivers differ in where they read images: ``api_version`` 1.1
(``OpenStack_1_1_NodeDriver``, libcloud's default) asks the compute API's ``/images`` proxy,
which Nova still serves below microversion 2.36 (libcloud sends no microversion, so it gets
2.1); 2.0 (``OpenStack_2_NodeDriver``) asks the Image service (Glance v2). Neither sends a
request to the Network service for what is done here (no ``networks=`` on create).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakenova.testing import mock_cloud

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]

IMAGE = "cirros-0.6.3-x86_64-disk"
IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b"
DRIVERS = {"1.1": "OpenStack_1_1_NodeDriver", "2.0": "OpenStack_2_NodeDriver"}


@pytest.fixture
def cloud() -> Iterator[Any]:
    with mock_cloud("empty") as cloud:
        yield cloud


def _driver(cloud: Any, api_version: str) -> Any:
    from libcloud.compute.providers import get_driver
    from libcloud.compute.types import Provider

    driver = get_driver(Provider.OPENSTACK)(
        "demo",
        "secret",
        ex_tenant_name="demo",
        ex_domain_name="Default",
        ex_force_auth_url=cloud.auth_url,
        ex_force_auth_version="3.x_password",
        ex_force_service_region="RegionOne",
        api_version=api_version,
        secure=False,
    )
    assert type(driver).__name__ == DRIVERS[api_version]
    return driver


@pytest.mark.parametrize("api_version", sorted(DRIVERS))
def test_a_node_from_create_to_destroy(cloud: Any, api_version: str) -> None:
    from libcloud.compute.types import NodeState

    driver = _driver(cloud, api_version)
    sizes = {s.name: s for s in driver.list_sizes()}
    assert sorted(sizes) == [
        "m1.large",
        "m1.medium",
        "m1.micro",
        "m1.nano",
        "m1.small",
        "m1.tiny",
        "m1.xlarge",
    ]
    nano = sizes["m1.nano"]
    assert (nano.id, nano.ram, nano.disk, nano.vcpus) == ("42", 128, 1, 1)
    (image,) = driver.list_images()
    assert image.name == IMAGE
    # Each driver shows the image the way its service words it.
    status = {"1.1": "ACTIVE", "2.0": "active"}[api_version]
    assert (image.extra["status"], image.extra["minDisk"]) == (status, 0)

    node = driver.create_node(name="lc1", size=nano, image=image)
    assert node.name == "lc1"
    assert node.extra["password"]  # the adminPass of the create answer
    assert (node.extra["flavorId"], node.extra["imageId"]) == ("42", image.id)

    [(running, addresses)] = driver.wait_until_running(
        [node], ssh_interface="private_ips", wait_period=1, timeout=30
    )
    assert (running.id, running.state, addresses) == (node.id, NodeState.RUNNING, ["10.0.0.10"])
    assert (running.extra["vm_state"], running.extra["task_state"]) == ("active", None)
    assert running.public_ips == []
    assert running.extra["availability_zone"] == "nova"

    assert driver.reboot_node(running) is True
    rebooted = driver.ex_get_node_details(node.id)
    assert (rebooted.state, rebooted.extra["vm_state"]) == (NodeState.RUNNING, "active")
    listed = cloud.session("demo").get(f"{cloud.compute_url}/servers/{node.id}/os-instance-actions")
    actions = [a["action"] for a in listed.json()["instanceActions"]]
    assert actions == ["reboot", "create"]

    assert driver.destroy_node(rebooted) is True
    assert driver.list_nodes() == []
    assert driver.ex_get_node_details(node.id) is None  # a 404, as libcloud expects it


def test_api_1_1_lists_images_through_the_compute_proxy(cloud: Any) -> None:
    driver = _driver(cloud, "1.1")
    images = driver.list_images()
    assert [(i.id, i.name, i.extra["status"]) for i in images] == [(IMAGE_ID, IMAGE, "ACTIVE")]
    assert driver.get_image(IMAGE_ID).extra["minDisk"] == 0
