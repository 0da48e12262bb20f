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
