"""Image members: the projects a ``shared`` image is shared with (``glance/api/v2/
image_members.py``, default policies ``add_member``/``delete_member`` for the owner's
members, ``modify_member`` for the member itself, in ``glance/policies/image.py``).

Nova makes the server's project a member when someone else snapshots the server; that
project then accepts the image to see it in its list.
"""

from __future__ import annotations

from typing import Any

from fakenova.image import rules
from fakenova.image.errors import ImageError, not_authorized
from fakenova.image.models import Image, ImageBackend, Member, Viewer, can_see

STATUSES = ("pending", "accepted", "rejected")


def _image(backend: ImageBackend, viewer: Viewer, image_id: str) -> Image:
    image = backend.get(image_id)
    if image is None or not can_see(viewer, image):
        raise ImageError(404, f"Image {image_id} not found.")
    return image


def _member(image: Image, member_id: str) -> Member:
    member = image.members.get(member_id)
    if member is None:
        raise ImageError(404, f"{member_id} not found in the member list of the image {image.id}.")
    return member


def _shown(viewer: Viewer, image: Image, member_id: str) -> bool:
    """A member sees its own membership; the owner and admins see them all (Glance's
    ``image_member_find`` for a non-admin context)."""
    return viewer.is_admin or image.owner == viewer.project_id or member_id == viewer.project_id


def listing(backend: ImageBackend, viewer: Viewer, image_id: str) -> list[tuple[str, Member]]:
    image = _image(backend, viewer, image_id)
    if image.visibility != "shared":
        raise ImageError(
            403,
            f"Not allowed to list members for image {image_id}: Only shared images have members.",
        )
    return [(pid, m) for pid, m in image.members.items() if _shown(viewer, image, pid)]


def show(backend: ImageBackend, viewer: Viewer, image_id: str, member_id: str) -> Member:
    image = _image(backend, viewer, image_id)
    if image.visibility != "shared":
        raise ImageError(404, "Only shared images have members.")
    if not _shown(viewer, image, member_id):
        raise ImageError(404, f"{member_id} not found in the member list of the image {image_id}.")
    return _member(image, member_id)


def add(backend: ImageBackend, viewer: Viewer, image_id: str, body: Any) -> Member:
    if not isinstance(body, dict):
        raise ImageError(400, 'Expected a member in the form: {"member": "image_id"}')
    if "member" not in body:
        raise ImageError(400, "Member to be added not specified")
    member_id = body["member"]
    if not member_id:
        raise ImageError(400, "Member can't be empty")
    image = _image(backend, viewer, image_id)
    if image.visibility != "shared":
        raise ImageError(403, f"Not allowed to create members for image {image_id}.")
    if not rules.may_change(viewer, image):
        raise not_authorized("add_member")
    if member_id in image.members:
        raise ImageError(409, f"Member {member_id} is duplicated for image {image_id}")
    now = backend.now()
    image.members[str(member_id)] = member = Member("pending", now, now)
    return member


def update(
    backend: ImageBackend, viewer: Viewer, image_id: str, member_id: str, body: Any
) -> Member:
    if not isinstance(body, dict):
        raise ImageError(400, 'Expected a status in the form: {"status": "status"}')
    if "status" not in body:
        raise ImageError(400, "Status not specified")
    image = _image(backend, viewer, image_id)
    if image.visibility != "shared":
        raise ImageError(403, f"Not allowed to update members for image {image_id}.")
    if not _shown(viewer, image, member_id):
        raise ImageError(404, f"{member_id} not found in the member list of the image {image_id}.")
    member = _member(image, member_id)
    may = viewer.is_admin or (rules.is_member(viewer) and viewer.project_id == member_id)
    if not may:
        raise not_authorized("modify_member")
    if body["status"] not in STATUSES:
        raise ImageError(
            400, 'Incorrect request: Status must be "pending", "accepted" or "rejected".'
        )
    member.status = body["status"]
    member.updated_at = backend.now()
    return member


def delete(backend: ImageBackend, viewer: Viewer, image_id: str, member_id: str) -> None:
    image = _image(backend, viewer, image_id)
    if image.visibility != "shared":
        raise ImageError(403, f"Not allowed to delete members for image {image_id}.")
    if not _shown(viewer, image, member_id):
        raise ImageError(404, f"{member_id} not found in the member list of the image {image_id}.")
    _member(image, member_id)
    if not rules.may_change(viewer, image):
        raise not_authorized("delete_member")
    del image.members[member_id]


def view(image_id: str, member_id: str, member: Member) -> dict[str, Any]:
    """``_format_image_member``."""
    return {
        "member_id": member_id,
        "image_id": image_id,
        "status": member.status,
        "created_at": member.created_at,
        "updated_at": member.updated_at,
        "schema": "/v2/schemas/member",
    }
