"""The compute API's image proxy (``/images``, below microversion 2.36): Glance's images as
the caller may see them, listed with the old filters, and deleted through Glance.

Nova asks Glance with the caller's token, so Glance decides, with the Image service's own
rules (``fakenova.image.models``): an admin sees every image; a member sees public images, its
own project's and those shared with it (listed once accepted; community images only by id).
Deleting takes the image's owner or an admin (Glance's default ``delete_image`` rule) and an
unprotected image; Glance's 403 is Nova's "not allowed" sentence, an image the caller cannot
see is not found. The metadata API (below 2.39) replaces an image's properties through Glance,
which takes the same rule as changing anything else of the image (``modify_image``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.errors import (
    ImageDeleteNotAllowed,
    ImageMetadataLimitExceeded,
    ImageNotAuthorized,
    ProxyImageNotFound,
    QuotaExceeded,
)
from fakenova.compute.models.resources import quotas
from fakenova.image.models import Image, Viewer, can_see, listed

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend


def _viewer(actor: Actor) -> Viewer:
    return Viewer(actor.project_id, actor.is_admin)


def _can_see(actor: Actor, image: Image) -> bool:
    return can_see(_viewer(actor), image)


def find(backend: ComputeBackend, actor: Actor | None, image_id: str) -> Image | None:
    """The image as Nova's Glance client gets it with the caller's token (``None``: Glance's
    404, which Nova turns into its own "not found" sentence for each API)."""
    image = backend.images.get(image_id) if backend.images is not None else None
    if image is None or (actor is not None and not _can_see(actor, image)):
        return None
    return image


def get(backend: ComputeBackend, actor: Actor, image_id: str) -> Image:
    image = backend.images.get(image_id) if backend.images is not None else None
    if image is None or not _can_see(actor, image):
        raise ProxyImageNotFound()
    return image


def _property(image: Image, name: str) -> str | None:
    value = image.properties.get(name)
    return None if value is None else str(value)


def _matches(image: Image, filters: Mapping[str, str]) -> bool:
    """Glance's equality filters: name, status, a property's value; ``min_ram`` and
    ``min_disk`` as lower bounds (Nova's ``minRam``/``minDisk``)."""
    for name, wanted in filters.items():
        if name == "name" and image.name != wanted:
            return False
        if name == "status" and image.status != wanted:
            return False
        if name in ("min_ram", "min_disk"):
            try:
                bound = int(wanted)
            except ValueError:
                continue
            if getattr(image, name) < bound:
                return False
        if name.startswith("property-") and _property(image, name[len("property-") :]) != wanted:
            return False
    return True


def listing(backend: ComputeBackend, actor: Actor, filters: Mapping[str, str]) -> list[Image]:
    """The images the caller sees that match ``filters``, newest first (Glance's default
    order: ``created_at`` then ``id``, both descending)."""
    images = backend.images.images.values() if backend.images is not None else []
    viewer = _viewer(actor)
    found = [
        i
        for i in images
        if listed(viewer, i, None, "accepted") and not i.os_hidden and _matches(i, filters)
    ]
    found.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    return found


def _may_change(actor: Actor, image: Image) -> bool:
    """Glance's default for changing or deleting an image: an admin, or the owner's project
    (whose members are the ones that reach the compute API's writes)."""
    return actor.is_admin or image.owner == actor.project_id


def delete(backend: ComputeBackend, actor: Actor, image_id: str) -> None:
    image = get(backend, actor, image_id)
    if not _may_change(actor, image) or image.protected:
        raise ImageDeleteNotAllowed()
    assert backend.images is not None
    backend.images.delete(image.id)


def set_properties(
    backend: ComputeBackend, actor: Actor, image_id: str, properties: Mapping[str, str]
) -> dict[str, str]:
    """The image's properties become ``properties`` (Nova's ``purge_props`` update): first
    the caller's ``metadata_items`` quota, as Nova checks it, then Glance's own rule."""
    image = get(backend, actor, image_id)
    try:
        quotas.check_metadata(backend, actor, properties)
    except QuotaExceeded:
        raise ImageMetadataLimitExceeded() from None
    if not _may_change(actor, image):
        raise ImageNotAuthorized(image_id)
    assert backend.images is not None
    image.properties = dict(properties)
    backend.images.touch(image)
    return dict(image.properties)
