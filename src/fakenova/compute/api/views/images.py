"""The compute API's image proxy bodies (below 2.36): Glance's image in Nova's old shape."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.views.links import Links
from fakenova.image.models import Image

_STATUS = {
    "active": "ACTIVE",
    "queued": "SAVING",
    "saving": "SAVING",
    "deleted": "DELETED",
    "pending_delete": "DELETED",
    "killed": "ERROR",
}
_PROGRESS = {"queued": 25, "saving": 50, "active": 100}
_TRUE = ("1", "t", "true", "on", "y", "yes")


def _glance(links: Links) -> str:
    """The Image service's endpoint, as the catalog names it: ``/image`` beside
    ``/compute`` on the same host (devstack's layout)."""
    return links.root + "/image"


def _links(links: Links, image_id: str) -> list[dict[str, str]]:
    return [
        *links.self_and_bookmark("images", image_id),
        {
            "rel": "alternate",
            "type": "application/vnd.openstack.image",
            "href": f"{_glance(links)}/images/{image_id}",
        },
    ]


def basic(links: Links, image: Image) -> dict[str, Any]:
    return {"id": image.id, "name": image.name, "links": _links(links, image.id)}


def detailed(links: Links, image: Image) -> dict[str, Any]:
    metadata = dict(image.properties)
    body: dict[str, Any] = {
        "id": image.id,
        "name": image.name,
        "minRam": image.min_ram,
        "minDisk": image.min_disk,
        "metadata": metadata,
        "created": image.created_at,
        "updated": image.updated_at,
        "status": _STATUS.get(image.status, "UNKNOWN"),
        "progress": _PROGRESS.get(image.status, 0),
        "OS-EXT-IMG-SIZE:size": image.size,
        "links": _links(links, image.id),
    }
    server = metadata.get("instance_uuid")
    if server is not None:
        body["server"] = {"id": server, "links": links.self_and_bookmark("servers", server)}
    disk_config = metadata.get("auto_disk_config")
    if disk_config is not None:
        body["OS-DCF:diskConfig"] = "AUTO" if str(disk_config).lower() in _TRUE else "MANUAL"
    return body


def listed(
    links: Links, images: list[Image], *, detail: bool, next_link: list[dict[str, str]]
) -> dict[str, Any]:
    render = detailed if detail else basic
    body: dict[str, Any] = {"images": [render(links, i) for i in images]}
    if next_link:
        body["images_links"] = next_link
    return body
