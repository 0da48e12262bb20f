"""Image state: one store for the Image service and for Compute's snapshots and backups.

The images of ``conf/`` are public and owned by the admin project, as devstack uploads them.
Who sees what follows Glance's database layer (``glance/db/utils.py`` ``is_image_visible``
for one image, ``glance/db/sqlalchemy/api.py`` ``_select_images_query`` for lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakenova.determinism import Clock, IdSource
from fakenova.settings import Settings


def isotime(moment: dt.datetime) -> str:
    """oslo's ``timeutils.isotime``: seconds, ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Member:
    """A project an image is shared with (``glance.domain.ImageMembership``)."""

    status: str
    created_at: str
    updated_at: str


@dataclass
class Image:
    """Glance's ``glance.domain.Image``: the attributes and their defaults (``visibility``
    ``shared``, ``queued``, no data yet); ``properties`` are the extra properties."""

    id: str
    name: str | None
    owner: str | None
    created_at: str
    updated_at: str = ""
    disk_format: str | None = None
    container_format: str | None = None
    size: int | None = None
    virtual_size: int | None = None
    min_disk: int = 0
    min_ram: int = 0
    checksum: str | None = None
    os_hash_algo: str | None = None
    os_hash_value: str | None = None
    visibility: str = "shared"
    status: str = "queued"
    protected: bool = False
    os_hidden: bool = False
    tags: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    # project id -> membership (status ``pending``, ``accepted`` or ``rejected``)
    members: dict[str, Member] = field(default_factory=dict)
    data: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at


@dataclass(frozen=True)
class Viewer:
    """The part of Glance's ``RequestContext`` the image rules need."""

    project_id: str | None
    is_admin: bool = False
    roles: tuple[str, ...] = ()


@dataclass
class ImageBackend:
    settings: Settings
    owner: str
    clock: Clock = field(default_factory=Clock)
    ids: IdSource = field(default_factory=IdSource)
    images: dict[str, Image] = field(init=False)
    # Glance keeps deleted rows: their ids cannot be used again.
    deleted_ids: set[str] = field(init=False, default_factory=set)
    # Finishes the cloud's pending work (a snapshot's upload) before each image request, as
    # the compute API does before its own: ``--wait`` on an image then never sleeps.
    settle: Callable[[], object] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.images = {}
        for raw in self.settings.images:
            raw = dict(raw)
            image = Image(
                id=raw.pop("id"),
                name=raw.pop("name"),
                owner=self.owner,
                disk_format=raw.pop("disk_format"),
                container_format=raw.pop("container_format"),
                size=raw.pop("size"),
                virtual_size=raw.pop("virtual_size", None),
                min_disk=raw.pop("min_disk", 0),
                min_ram=raw.pop("min_ram", 0),
                checksum=raw.pop("checksum"),
                os_hash_algo=raw.pop("os_hash_algo", None),
                os_hash_value=raw.pop("os_hash_value", None),
                created_at=raw.pop("created_at"),
                visibility="public",
                status="active",
                properties=raw,
            )
            self.images[image.id] = image

    def now(self) -> str:
        return isotime(self.clock.now)

    def get(self, image_id: str) -> Image | None:
        return self.images.get(image_id)

    def by_name(self, name: str) -> Image | None:
        return next((i for i in self.images.values() if i.name == name), None)

    def create(self, image: Image) -> Image:
        """Store a new image (``POST /v2/images``, or Compute reserving a snapshot)."""
        self.images[image.id] = image
        return image

    def delete(self, image_id: str) -> None:
        """Remove an image (``DELETE``, backup rotation, a shelved server's snapshot)."""
        if self.images.pop(image_id, None) is not None:
            self.deleted_ids.add(image_id)

    def touch(self, image: Image) -> None:
        image.updated_at = self.now()


def can_see(viewer: Viewer, image: Image) -> bool:
    """Glance's ``is_image_visible``: admins, public and community images, the owner's own,
    and shared images the viewer's project is a member of (whatever the member status)."""
    if viewer.is_admin or image.owner is None:
        return True
    if image.visibility in ("public", "community"):
        return True
    if viewer.project_id is not None and image.owner == viewer.project_id:
        return True
    return image.visibility == "shared" and viewer.project_id in image.members


def listed(viewer: Viewer, image: Image, visibility: str | None, member_status: str) -> bool:
    """Whether ``GET /v2/images`` lists ``image`` (``_select_images_query`` and the
    visibility filter of ``_image_get_all``): without a ``visibility`` filter, community
    images only to their owner; shared images by member status (``accepted`` by default)."""
    own = viewer.project_id is not None and image.owner == viewer.project_id
    if not viewer.is_admin:
        found = image.members.get(viewer.project_id or "")
        member = image.visibility == "shared" and found is not None
        if found is not None and member_status != "all":
            member = member and found.status == member_status
        if not (image.visibility in ("public", "community") or own or member):
            return False
    if visibility is not None:
        return visibility == "all" or image.visibility == visibility
    if viewer.project_id is None:
        return image.visibility != "community"
    return own or image.visibility != "community"
