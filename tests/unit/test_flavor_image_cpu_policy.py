"""A flavor's ``hw:cpu_policy`` against an image's ``hw_cpu_policy``: the answers Nova 34
gave the oracle (fidelity/scenarios/extra_specs_and_properties), at create and rebuild."""

from __future__ import annotations

import pytest

from fakenova import testing
from fakenova.testing import API, fault, snapshot

OVERRIDE = (
    "Image property 'hw_cpu_policy' is not permitted to override CPU pinning policy set "
    "against the flavor"
)


@pytest.fixture
def w() -> testing.World:
    return testing.World()


def _flavor_policy(w: testing.World, policy: str) -> None:
    """Flavor 1 (m1.tiny) gets ``hw:cpu_policy``, stored below 2.86 where no value is checked."""
    path = f"{API}/flavors/1/os-extra_specs"
    answer = w.admin.post(path, {"extra_specs": {"hw:cpu_policy": policy}}, microversion="2.85")
    assert answer.status_int == 200, answer.text


def _image_policy(w: testing.World, policy: str) -> None:
    image = w.cloud.settings.images[0]["id"]
    body = {"metadata": {"hw_cpu_policy": policy}}
    answer = w.admin.post(f"{API}/images/{image}/metadata", body, microversion="2.38")
    assert answer.status_int == 200, answer.text


@pytest.mark.parametrize(
    ("flavor", "image"), [("shared", "dedicated"), ("shared", "mixed"), ("mixed", "dedicated")]
)
def test_an_image_may_not_ask_for_more_pinning_than_the_flavor(
    w: testing.World, flavor: str, image: str
) -> None:
    _flavor_policy(w, flavor)
    _image_policy(w, image)
    assert w.demo.get(f"{API}/flavors/1").status_int == 200  # demo's token exists
    before = snapshot(w.cloud)
    answer = w.create_server("vm1", mv="2.37", networks="none")
    assert fault(answer, 400) == OVERRIDE
    assert snapshot(w.cloud) == before


@pytest.mark.parametrize(
    ("flavor", "image"), [("shared", "shared"), ("dedicated", "shared"), ("mixed", "shared")]
)
def test_an_image_within_the_flavor_s_policy_is_accepted(
    w: testing.World, flavor: str, image: str
) -> None:
    _flavor_policy(w, flavor)
    _image_policy(w, image)
    assert w.create_server("vm1", mv="2.37", networks="none").status_int == 202


def test_a_flavor_policy_nova_does_not_know_refuses_every_create(w: testing.World) -> None:
    _flavor_policy(w, "pinned")
    answer = w.create_server("vm1", mv="2.37", networks="none")
    assert fault(answer, 400) == (
        "CPU policy requested from 'flavor extra specs' is invalid, given: 'pinned', "
        "available: '('dedicated', 'shared', 'mixed')'."
    )


def test_a_rebuild_onto_an_overriding_image_is_refused(w: testing.World) -> None:
    """The server keeps the flavor's extra specs as they were at its creation (Nova copies
    the flavor into the instance), so the spec is set before it is created."""
    _flavor_policy(w, "shared")
    created = w.create_server("vm1", mv="2.37", networks="none")
    assert created.status_int == 202, created.text
    w.settle()
    server = created.json["server"]["id"]
    _image_policy(w, "dedicated")
    image = w.cloud.settings.images[0]["id"]
    before = snapshot(w.cloud)
    answer = w.act({"rebuild": {"imageRef": image}}, server=server)
    assert fault(answer, 400) == OVERRIDE
    assert snapshot(w.cloud) == before


def test_a_resize_checks_the_image_properties_the_server_was_created_with(
    w: testing.World,
) -> None:
    """Nova reads them from the server's system metadata, not from Glance: the oracle refused
    this resize after the property had been taken off the image."""
    _image_policy(w, "dedicated")
    created = w.create_server("vm1", mv="2.37", networks="none")
    assert created.status_int == 202, created.text
    w.settle()
    server = created.json["server"]["id"]
    image = w.cloud.settings.images[0]["id"]
    cleared = w.admin.put(f"{API}/images/{image}/metadata", {"metadata": {}}, microversion="2.38")
    assert cleared.status_int == 200, cleared.text
    body = {"flavor": {"id": "shared", "name": "shared", "ram": 512, "vcpus": 1, "disk": 1}}
    assert w.admin.post(f"{API}/flavors", body).status_int == 200
    specs = {"extra_specs": {"hw:cpu_policy": "shared"}}
    assert w.admin.post(f"{API}/flavors/shared/os-extra_specs", specs).status_int == 200
    before = snapshot(w.cloud)
    answer = w.act({"resize": {"flavorRef": "shared"}}, server=server)
    assert fault(answer, 400) == OVERRIDE
    assert snapshot(w.cloud) == before


def test_from_2_98_a_server_shows_the_image_properties_nova_knows(w: testing.World) -> None:
    image = w.cloud.settings.images[0]["id"]
    props = {"hw_qemu_guest_agent": "yes", "os_distro": "cirros", "owner_note": "mine"}
    answer = w.admin.post(
        f"{API}/images/{image}/metadata", {"metadata": props}, microversion="2.38"
    )
    assert answer.status_int == 200, answer.text
    created = w.create_server("vm1", mv="2.37", networks="none")
    server = created.json["server"]["id"]
    later = {"metadata": {"hw_cpu_policy": "dedicated"}}
    assert (
        w.admin.post(f"{API}/images/{image}/metadata", later, microversion="2.38").status_int == 200
    )
    shown = w.show("demo", "2.98", server=server)["image"]
    assert shown["properties"] == {"hw_qemu_guest_agent": "yes", "os_distro": "cirros"}
    assert "properties" not in w.show("demo", "2.97", server=server)["image"]


def test_a_snapshot_inherits_the_image_properties_its_server_kept(w: testing.World) -> None:
    """As the oracle answered: kept, but for signatures, the ``os_glance`` namespace and
    ``cache_in_nova``."""
    image = w.cloud.settings.images[0]["id"]
    props = {
        "hw_qemu_guest_agent": "yes",
        "note": "x",
        "img_signature": "s",
        "os_glance_foo": "g",
        "cache_in_nova": "True",
    }
    answer = w.admin.put(f"{API}/images/{image}/metadata", {"metadata": props}, microversion="2.38")
    assert answer.status_int == 200, answer.text
    created = w.create_server("vm1", mv="2.37", networks="none")
    w.settle()
    server = created.json["server"]["id"]
    snap = w.act({"createImage": {"name": "snap1"}}, mv="2.45", server=server).json["image_id"]
    w.settle()
    metadata = w.demo.get(f"{API}/images/{snap}/metadata").json["metadata"]
    assert {k: metadata[k] for k in ("hw_qemu_guest_agent", "note")} == {
        "hw_qemu_guest_agent": "yes",
        "note": "x",
    }
    assert not {"img_signature", "os_glance_foo", "cache_in_nova"} & metadata.keys()
    assert metadata["image_type"] == "snapshot"
