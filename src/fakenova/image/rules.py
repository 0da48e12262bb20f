"""What Glance does with a request once decoded: create, upload, download, delete, tags.

Each step follows ``glance/api/v2/images.py`` (``RequestDeserializer.create``,
``ImagesController.create`` and ``delete``), ``image_data.py`` and ``image_tags.py``, the
domain's ``ImageFactory`` and status transitions (``glance/domain/__init__.py``) and the
default policies (``glance/policies/image.py``, ``base.py``), checked in Glance's order so the
first refusal is Glance's. A refusal raises :class:`ImageError` before anything changes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fakenova.image import schema
from fakenova.image.errors import ImageError, not_authorized, not_found
from fakenova.image.models import Image, ImageBackend, Viewer, can_see

# RequestDeserializer: refused outright, reserved extra properties, the attributes it lifts
# out of the body; ImageFactory: the read-only ones among those.
DISALLOWED = ("direct_url", "self", "file", "schema", "stores")
RESERVED = ("location", "deleted", "deleted_at")
RESERVED_NAMESPACE = "os_glance"
BASE = (
    "checksum", "created_at", "container_format", "disk_format", "id", "min_disk", "min_ram",
    "name", "size", "virtual_size", "status", "tags", "owner", "updated_at", "visibility",
    "protected", "os_hidden",
)  # fmt: skip
FACTORY_READONLY = (
    "created_at", "updated_at", "status", "checksum", "os_hash_algo", "os_hash_value", "size",
    "virtual_size",
)  # fmt: skip
FACTORY_RESERVED = (
    "owner", "locations", "deleted", "deleted_at", "direct_url", "self", "file", "schema",
)  # fmt: skip
# Statuses an image may move to from each status (``Image.valid_state_targets``).
TRANSITIONS = {
    "queued": ("saving", "uploading", "importing", "active", "deleted"),
    "saving": ("active", "killed", "deleted", "queued"),
    "uploading": ("importing", "queued", "deleted"),
    "importing": ("active", "deleted", "queued"),
    "active": ("pending_delete", "deleted", "deactivated"),
    "killed": ("deleted",),
    "pending_delete": ("deleted", "active"),
    "deleted": (),
    "deactivated": ("active", "deleted"),
}
QCOW2_MAGIC = b"QFI\xfb"


def is_member(viewer: Viewer) -> bool:
    return "member" in viewer.roles


def may_change(viewer: Viewer, image: Image) -> bool:
    """``ADMIN_OR_PROJECT_MEMBER`` with the image's owner as the target project: the default
    of ``modify_image``, ``delete_image`` and ``upload_image``."""
    return viewer.is_admin or (is_member(viewer) and viewer.project_id == image.owner)


def visible(backend: ImageBackend, viewer: Viewer, image_id: str) -> Image:
    image = backend.get(image_id)
    if image is None or not can_see(viewer, image):
        raise not_found(image_id)
    return image


def check_visibility(viewer: Viewer, visibility: Any, owner: str | None) -> None:
    """``publicize_image`` is admin only; ``communitize_image`` takes a member of the
    owning project (``glance/api/policy.py`` ``_enforce_image_visibility``)."""
    if visibility == "public" and not viewer.is_admin:
        raise not_authorized("publicize_image")
    if visibility == "community" and not (
        viewer.is_admin or (is_member(viewer) and viewer.project_id == owner)
    ):
        raise not_authorized("communitize_image")


def check_min(name: str, value: Any) -> None:
    """The domain's ``min_disk``/``min_ram`` setters refuse negative numbers (a 400)."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise ImageError(
            400, f"Invalid value '{value}' for parameter '{name}': Cannot be a negative value"
        )


def create(backend: ImageBackend, viewer: Viewer, body: Any) -> Image:
    for key in DISALLOWED:
        if isinstance(body, dict) and key in body:
            raise ImageError(403, f"Attribute '{key}' is read-only.")
    refused = schema.schema_error(body)
    if refused is not None:
        raise ImageError(400, refused)
    if not isinstance(body, dict):
        # Glance's deserializer fails on a JSON array with a TypeError (a 500); the fake
        # refuses it in the words of a schema check instead.
        raise ImageError(
            400, f"Provided object does not match schema 'image': {body!r} is not of type 'object'"
        )
    extra = dict(body)
    tags = extra.pop("tags", [])
    given = {key: extra.pop(key) for key in BASE if key in extra and key != "tags"}
    for key in extra:
        if len(key) > 255:
            raise ImageError(400, "Custom property should not be greater than 255 characters.")
        if key in RESERVED or key.startswith(RESERVED_NAMESPACE):
            raise ImageError(403, detail=f"Attribute '{key}' is reserved.")
    owner = given.get("owner", viewer.project_id)
    if not (viewer.is_admin or (is_member(viewer) and viewer.project_id == owner)):
        if owner != viewer.project_id:
            raise ImageError(
                403, detail=f"You are not permitted to create images owned by '{owner}'"
            )
        raise not_authorized("add_image")
    check_visibility(viewer, given.get("visibility", "private"), owner)
    for key in FACTORY_READONLY:
        if key in given:
            raise ImageError(403, f"Attribute '{key}' is read-only.")
    for key in FACTORY_RESERVED:
        if key in extra:
            raise ImageError(403, f"Attribute '{key}' is reserved.")
    check_min("min_disk", given.get("min_disk", 0))
    check_min("min_ram", given.get("min_ram", 0))
    image_id = given.get("id") or backend.ids.uuid("image", str(given.get("name") or ""))
    if image_id in backend.images or image_id in backend.deleted_ids:
        raise ImageError(409, f"Image ID {image_id} already exists!")
    image = Image(
        id=image_id,
        name=given.get("name"),
        owner=owner,
        created_at=backend.now(),
        disk_format=given.get("disk_format"),
        container_format=given.get("container_format"),
        min_disk=given.get("min_disk", 0),
        min_ram=given.get("min_ram", 0),
        visibility=given.get("visibility", "shared"),
        protected=given.get("protected", False),
        os_hidden=given.get("os_hidden", False),
        tags=list(dict.fromkeys(tags)),
        properties=extra,
    )
    return backend.create(image)


def check_transition(image: Image, status: str) -> None:
    if status not in TRANSITIONS[image.status]:
        raise ImageError(
            409, f"Image status transition from {image.status} to {status} is not allowed"
        )


def upload(backend: ImageBackend, viewer: Viewer, image_id: str, data: bytes) -> None:
    """``ImageDataController.upload``: queued -> saving -> active, hashing the data; a disk
    format the data does not match is refused (``require_image_format_match``) and the
    image stays queued (``glance/location.py`` ``set_data``)."""
    image = visible(backend, viewer, image_id)
    if not may_change(viewer, image):
        raise not_authorized("upload_image")
    check_transition(image, "saving")
    missing = [k for k in ("disk_format", "container_format") if not getattr(image, k)]
    if missing:
        noun = "Property" if len(missing) == 1 else "Properties"
        raise ImageError(400, f"{noun} {', '.join(missing)} must be set prior to saving data.")
    virtual_size = inspect(image, data)
    image.data = data
    image.size = len(data)
    image.virtual_size = virtual_size or None
    image.checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
    image.os_hash_algo = "sha512"
    image.os_hash_value = hashlib.sha512(data).hexdigest()
    image.status = "active"
    backend.touch(image)


def inspect(image: Image, data: bytes) -> int:
    """The virtual size Glance's format inspector finds for a ``bare`` upload: a raw image's
    own length, a qcow2's header size; formats it cannot inspect give 0."""
    if image.container_format != "bare":
        return 0
    found = "qcow2" if data.startswith(QCOW2_MAGIC) and len(data) >= 32 else "raw"
    if found == image.disk_format:
        return int.from_bytes(data[24:32], "big") if found == "qcow2" else len(data)
    if image.disk_format == "raw" or image.disk_format in ("ami", "ari", "aki", "ploop"):
        return len(data) if image.disk_format == "raw" else 0
    raise ImageError(
        415, detail=f"Image disk_format {image.disk_format} does not match stream data {found}"
    )


def download(backend: ImageBackend, viewer: Viewer, image_id: str) -> Image:
    image = visible(backend, viewer, image_id)
    if image.status == "deactivated" and not viewer.is_admin:
        raise ImageError(
            403, "The requested image has been deactivated. Image data download is forbidden."
        )
    if not (viewer.is_admin or is_member(viewer)):
        raise not_authorized("download_image")
    return image


def delete(backend: ImageBackend, viewer: Viewer, image_id: str) -> None:
    image = backend.get(image_id)
    if image is None or not can_see(viewer, image):
        raise ImageError(404, f"Failed to find image {image_id} to delete")
    if not may_change(viewer, image):
        raise not_authorized("delete_image")
    if image.protected:
        raise ImageError(403, f"Image {image_id} is protected and cannot be deleted.")
    backend.delete(image_id)


def tag_error(tag: str) -> str | None:
    return schema.schema_error({"tags": [tag]})


def add_tag(backend: ImageBackend, viewer: Viewer, image_id: str, tag: str) -> None:
    refused = tag_error(tag)
    if refused is not None:
        raise ImageError(400, refused)
    image = backend.get(image_id)
    if image is None or not can_see(viewer, image):
        raise ImageError(404, f"Image {image_id} not found.")
    if not may_change(viewer, image):
        raise not_authorized("modify_image")
    if tag not in image.tags:
        image.tags.append(tag)
    backend.touch(image)


def delete_tag(backend: ImageBackend, viewer: Viewer, image_id: str, tag: str) -> None:
    image = backend.get(image_id)
    if image is None or not can_see(viewer, image):
        raise ImageError(404, f"Image {image_id} not found.")
    if not may_change(viewer, image):
        raise not_authorized("modify_image")
    if tag not in image.tags:
        raise ImageError(404)
    image.tags.remove(tag)
    backend.touch(image)
