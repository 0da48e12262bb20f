"""Property-based fuzzing of the Image service: whatever the body, never a 5xx, and a refused
request changes nothing. Bodies are built near the real shapes (Glance's attribute names and
JSON-patch operations with any values) so the fuzzing reaches the checks past the schema.
One cloud per test: accepted requests change it, and later examples meet the new state.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakenova.testing import World, snapshot

IMAGES = "/image/v2/images"
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=80,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = (
    "name", "id", "visibility", "protected", "os_hidden", "disk_format", "container_format",
    "min_ram", "min_disk", "tags", "owner", "status", "size", "checksum", "locations",
    "os_distro", "kernel_id", "self", "deleted", "os_glance_x", "os_hash_algo",
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=8),
    st.sampled_from(["raw", "bare", "public", "community", "shared", "", "qcow2", "x" * 300]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
bodies = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=6), values, max_size=5)
pointers = st.sampled_from(NAMES).map(lambda n: f"/{n}") | st.text(max_size=8)
operations = st.lists(
    st.fixed_dictionaries(
        {"op": st.sampled_from(["add", "replace", "remove", "move"]) | values},
        optional={"path": pointers, "value": values},
    )
    | values,
    max_size=3,
)
MEDIA = "application/openstack-images-v2.1-json-patch"


def _check(world: World, method: str, path: str, raw: bytes, content_type: str) -> None:
    client = world.demo
    before = snapshot(world.cloud)
    response = client.request(method, path, raw=raw, headers={"Content-Type": content_type})
    assert response.status_int < 500, response.text
    if response.status_int >= 400:
        assert snapshot(world.cloud) == before


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def image(world: World) -> str:
    image_id: str = world.demo.post(IMAGES, {"name": "f", "disk_format": "raw"}).json["id"]
    return image_id


@FUZZ
@given(body=bodies | values)
def test_create_never_fails(world: World, body: Any) -> None:
    _check(world, "POST", IMAGES, json.dumps(body).encode(), "application/json")


@FUZZ
@given(ops=operations | values)
def test_patch_never_fails(world: World, image: str, ops: Any) -> None:
    _check(world, "PATCH", f"{IMAGES}/{image}", json.dumps(ops).encode(), MEDIA)


@FUZZ
@given(body=values, tag=st.text(min_size=1, max_size=300).filter(lambda t: "/" not in t))
def test_members_and_tags_never_fail(world: World, image: str, body: Any, tag: str) -> None:
    members = f"{IMAGES}/{image}/members"
    _check(world, "POST", members, json.dumps(body).encode(), "application/json")
    _check(world, "PUT", f"{IMAGES}/{image}/tags/{quote(tag)}", b"", "application/json")
