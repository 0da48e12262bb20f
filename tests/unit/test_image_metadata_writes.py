"""The compute API's image metadata writes (below 2.39): Nova merges or replaces the image's
properties and Glance decides who may (``modify_image``: the owning project's members, and
admins). Facts from ``nova/api/openstack/compute/image_metadata.py`` and Glance 33's default
policy; the answers Nova gives an admin are replayed in ``fidelity/scenarios/image_metadata.yaml``.
"""

from __future__ import annotations

from fakenova.testing import World

API = "/compute/v2.1/images"
CIRROS = "70a599e0-31e7-49b7-b260-868f441e862b"


def _own_image(world: World) -> str:
    body = {"name": "mine", "disk_format": "raw", "container_format": "bare"}
    return world.demo.post("/image/v2/images", body).json["id"]


def test_the_owner_merges_replaces_and_deletes() -> None:
    world = World()
    image_id = _own_image(world)
    merged = world.demo.post(f"{API}/{image_id}/metadata", {"metadata": {"a": "1", "b": "2"}})
    assert (merged.status_int, merged.json) == (200, {"metadata": {"a": "1", "b": "2"}})
    one = world.demo.put(f"{API}/{image_id}/metadata/a", {"meta": {"a": "9"}})
    assert one.json == {"meta": {"a": "9"}}
    replaced = world.demo.put(f"{API}/{image_id}/metadata", {"metadata": {"c": "3"}})
    assert replaced.json == {"metadata": {"c": "3"}}
    assert world.demo.delete(f"{API}/{image_id}/metadata/c").status_int == 204
    glance = world.demo.get(f"/image/v2/images/{image_id}").json
    assert not {"a", "b", "c"} & set(glance)


def test_glance_refuses_another_projects_image_and_nothing_changes() -> None:
    world = World()
    before = dict(world.demo.get(f"{API}/{CIRROS}/metadata").json["metadata"])
    refused = world.demo.post(f"{API}/{CIRROS}/metadata", {"metadata": {"x": "1"}})
    assert (refused.status_int, refused.json) == (
        403,
        {"forbidden": {"code": 403, "message": f"Not authorized for image {CIRROS}."}},
    )
    assert world.demo.delete(f"{API}/{CIRROS}/metadata/x").status_int == 404
    assert world.demo.get(f"{API}/{CIRROS}/metadata").json["metadata"] == before
    hidden = world.alt.post(f"{API}/{_own_image(world)}/metadata", {"metadata": {"x": "1"}})
    assert (hidden.status_int, hidden.json["itemNotFound"]["message"]) == (404, "Image not found.")


def test_the_quota_is_checked_before_glance_is_asked() -> None:
    world = World()
    many = {f"k{i}": "v" for i in range(129)}
    answer = world.demo.put(f"{API}/{CIRROS}/metadata", {"metadata": many})
    assert (answer.status_int, answer.json["forbidden"]["message"]) == (
        403,
        "Image metadata limit exceeded",
    )
