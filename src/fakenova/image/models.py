"""Image state: the images from ``conf/``, and the snapshots and backups servers make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakenova.settings import Settings


@dataclass
class Image:
    id: str
    name: str
    owner: str
    disk_format: str
    container_format: str
    size: int
    min_disk: int
    min_ram: int
    checksum: str
    created_at: str
    visibility: str = "public"
    status: str = "active"
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImageBackend:
    settings: Settings
    owner: str
    images: dict[str, Image] = field(init=False)
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
                min_disk=raw.pop("min_disk", 0),
                min_ram=raw.pop("min_ram", 0),
                checksum=raw.pop("checksum"),
                created_at=raw.pop("created_at"),
                properties=raw,
            )
            self.images[image.id] = image

    def get(self, image_id: str) -> Image | None:
        return self.images.get(image_id)

    def by_name(self, name: str) -> Image | None:
        return next((i for i in self.images.values() if i.name == name), None)

    def create(self, image: Image) -> Image:
        """Store an image Compute made (a server's snapshot or backup), usually ``queued``
        until the host has uploaded it."""
        self.images[image.id] = image
        return image

    def delete(self, image_id: str) -> None:
        """Remove an image (backup rotation, a shelved server's snapshot once unshelved)."""
        self.images.pop(image_id, None)
