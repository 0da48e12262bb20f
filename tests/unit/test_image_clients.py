"""The real clients against the Image service: the ``openstack image`` commands, openstacksdk's
image calls, and images that Compute makes (snapshots, backups) seen and deleted through Glance.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakenova.testing import MockCloud, mock_cloud

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


@pytest.fixture
def cloud() -> Iterator[MockCloud]:
    with mock_cloud() as cloud:
        yield cloud


def cli(cloud: MockCloud, argv: str, user: str = "demo") -> Any:
    result = cloud.openstack(argv, user=user)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if " -f json" in argv else result.stdout


def names(cloud: MockCloud, user: str = "demo") -> set[str]:
    return {row["Name"] for row in cli(cloud, "image list -f json", user)}


def test_image_lifecycle_with_the_cli(cloud: MockCloud, tmp_path: Path) -> None:
    disk = tmp_path / "disk.raw"
    disk.write_bytes(b"fakenova" * 128)
    made = cli(cloud, f"image create --file {disk} mine -f json")
    assert made["status"] == "active"
    assert made["size"] == 1024 and made["virtual_size"] == 1024
    assert made["checksum"] == hashlib.md5(disk.read_bytes()).hexdigest()
    assert made["properties"]["os_hash_algo"] == "sha512"
    assert made["visibility"] == "shared"
    cli(cloud, "image set --property os_distro=cirros --tag blue mine")
    shown = cli(cloud, "image show mine -f json")
    assert shown["properties"]["os_distro"] == "cirros"
    assert shown["tags"] == ["blue"]
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk", "mine"}
    assert names(cloud, "alt_demo") == {"cirros-0.6.3-x86_64-disk"}
    hidden = cloud.openstack("image show mine", user="alt_demo")
    assert hidden.exit_code == 1
    saved = tmp_path / "saved"
    cli(cloud, f"image save --file {saved} mine")
    assert saved.read_bytes() == disk.read_bytes()
    cli(cloud, "image set --protected mine")
    refused = cloud.openstack("image delete mine")
    assert refused.exit_code == 1
    assert f"Image {made['id']} is protected and cannot be deleted." in refused.stderr
    cli(cloud, "image set --unprotected mine")
    cli(cloud, "image delete mine")
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk"}


def test_image_without_data_with_the_sdk(cloud: MockCloud) -> None:
    conn = cloud.connect("demo")
    image = conn.image.create_image(name="empty", disk_format="qcow2", container_format="bare")
    assert image.status == "queued"
    assert image.size is None
    conn.image.add_tag(image, "x")
    # re-read first: the SDK patches from its copy, and Glance refuses a ``/tags/0`` path
    conn.image.update_image(conn.image.get_image(image.id), min_ram=512)
    again = conn.image.get_image(image.id)
    assert (again.tags, again.min_ram) == (["x"], 512)
    assert "empty" in {i.name for i in conn.image.images()}
    conn.image.delete_image(image)
    assert conn.image.find_image("empty") is None


def test_sdk_snapshot_is_listed_and_deletable(cloud: MockCloud) -> None:
    conn = cloud.connect("demo")
    image = next(iter(conn.image.images()))
    server = conn.create_server("vm1", image=image.id, flavor="1", wait=True, auto_ip=False)
    snap = conn.create_image_snapshot("snap1", server, wait=True)
    assert snap.status == "active"
    assert snap.owner == cloud.world.cloud.project_id("demo")
    assert snap.visibility == "private"
    assert {i.name for i in conn.list_images()} == {"cirros-0.6.3-x86_64-disk", "snap1"}
    alt = cloud.connect("alt_demo")
    assert {i.name for i in alt.list_images()} == {"cirros-0.6.3-x86_64-disk"}
    assert conn.delete_image(snap.id, wait=True)
    assert {i.name for i in conn.list_images()} == {"cirros-0.6.3-x86_64-disk"}


def test_cli_server_image_and_backups(cloud: MockCloud) -> None:
    conn = cloud.connect("demo")
    image = next(iter(conn.image.images()))
    conn.create_server("vm1", image=image.id, flavor="1", wait=True, auto_ip=False)
    snap = cli(cloud, "server image create --wait --name snap2 vm1 -f json")
    assert snap["status"] == "active"
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk", "snap2"}
    for name in ("bk1", "bk2", "bk3"):
        cli(cloud, f"server backup create --name {name} --type daily --rotate 2 --wait vm1")
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk", "snap2", "bk2", "bk3"}
    cli(cloud, "image delete snap2")
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk", "bk2", "bk3"}
    # the compute proxy (below 2.36) reads the same store
    proxy = cloud.openstack("image list", user="demo")
    assert proxy.exit_code == 0
    listed = cloud.world.demo.get("/compute/v2.1/images", microversion="2.35").json["images"]
    assert {i["name"] for i in listed} == {"cirros-0.6.3-x86_64-disk", "bk2", "bk3"}


def test_boot_needs_an_image_the_caller_sees(cloud: MockCloud) -> None:
    """Nova gets the image from Glance with the caller's token: another project's private
    image is "Can not find requested image"; a queued one is not active."""
    demo = cloud.world.demo
    fields = {"disk_format": "raw", "container_format": "bare", "visibility": "private"}
    private = demo.post("/image/v2/images", {"name": "p", **fields})
    image_id = private.json["id"]
    body = {"server": {"name": "s", "imageRef": image_id, "flavorRef": "1", "networks": "none"}}
    alt = cloud.world.alt.post("/compute/v2.1/servers", body, microversion="2.37")
    assert alt.status_int == 400
    assert alt.json["badRequest"]["message"] == "Can not find requested image"
    mine = demo.post("/compute/v2.1/servers", body, microversion="2.37")
    assert mine.status_int == 400
    assert mine.json["badRequest"]["message"] == f"Image {image_id} is not active."


def test_admin_snapshot_is_shared_with_the_server_project(cloud: MockCloud) -> None:
    """Nova makes the server's project a (pending) member when an admin snapshots the
    server; the project sees it by id, and in its list once it has accepted it."""
    conn = cloud.connect("demo")
    image = next(iter(conn.image.images()))
    server = conn.create_server("vm1", image=image.id, flavor="1", wait=True, auto_ip=False)
    made = cli(cloud, f"server image create --wait --name adm {server.id} -f json", "admin")
    assert made["visibility"] == "shared"
    assert made["owner"] == cloud.world.cloud.project_id("admin")
    demo = cloud.world.cloud.project_id("demo")
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk"}
    assert cli(cloud, f"image show {made['id']} -f json")["name"] == "adm"
    rows = cli(cloud, f"image member list {made['id']} -f json")
    assert [(r["Member ID"], r["Status"]) for r in rows] == [(demo, "pending")]
    cli(cloud, f"image set --accept {made['id']}")
    assert names(cloud) == {"cirros-0.6.3-x86_64-disk", "adm"}
    refused = cloud.openstack(f"image delete {made['id']}")
    assert refused.exit_code == 1
    assert "You are not authorized to complete delete_image action." in refused.stderr
