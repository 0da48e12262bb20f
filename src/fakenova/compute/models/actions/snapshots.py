"""Images of a server: ``createImage`` snapshots, ``createBackup`` backups with rotation,
and the snapshot ``shelve`` keeps.

Nova first creates the image record in Glance (``queued``, private to the caller's project, or
shared with the server's project when someone else asked), then the host uploads the disk
(``image_snapshot`` / ``image_backup`` task states) and the image becomes ``active``. A backup
then deletes the oldest backups of the same type beyond ``rotation``.
"""

from __future__ import annotations

import hashlib

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, PAUSED, STOPPED, SUSPENDED
from fakenova.image.models import Image

STATES = States.of([ACTIVE, STOPPED, PAUSED, SUSPENDED])  # no lock check: locks guard changes
UPLOAD_SECONDS = 10
# The task states the host sets while it saves the disk (Nova's compute manager, then the
# libvirt driver devstack runs), after the API's first one; a backup keeps ``image_backup``
# until the driver's part.
SNAPSHOT_STATES = ("image_snapshot", "image_pending_upload", "image_uploading")
BACKUP_STATES = ("image_pending_upload", "image_uploading")


def check(server: Server) -> None:
    flow.check_states(server, STATES)


def new_image(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    name: str,
    image_type: str,
    extra: dict[str, str] | None = None,
) -> Image:
    """The image record Compute reserves in Glance before uploading (``queued``)."""
    assert backend.images is not None
    uuid = backend.ids.uuid("image", f"{server.uuid}/{name}")
    base = backend.images.get(server.image_ref)
    properties: dict[str, str] = {
        "instance_uuid": server.uuid,
        "user_id": actor.user_id,
        "image_type": image_type,
        "base_image_ref": server.image_ref,
        **(extra or {}),
    }
    owner_is_caller = actor.project_id == server.project_id
    if not owner_is_caller:
        properties["instance_owner"] = server.project_id
    image = Image(
        id=uuid,
        name=name,
        owner=actor.project_id,
        disk_format=base.disk_format if base else "qcow2",
        container_format=base.container_format if base else "bare",
        size=0,
        min_disk=server.flavor.root_gb,
        min_ram=base.min_ram if base else 0,
        checksum="",
        created_at=backend.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        visibility="private" if owner_is_caller else "shared",
        status="queued",
        properties=properties,
    )
    return backend.images.create(image)


def uploaded(backend: ComputeBackend, image: Image, server: Server) -> None:
    """The host has written the disk: Glance marks the image active with its size."""
    assert backend.images is not None
    base = backend.images.get(server.image_ref)
    image.size = base.size if base else 0
    image.checksum = hashlib.md5(image.id.encode(), usedforsecurity=False).hexdigest()
    image.status = "active"


def create_image(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    name: str,
    metadata: dict[str, str],
) -> Image:
    check(server)
    image = new_image(backend, server, actor, name, "snapshot", metadata)
    record = flow.begin(backend, server, actor, "createImage", "image_snapshot_pending")

    def done() -> None:
        uploaded(backend, image, server)
        server.task_state = None

    flow.on_host(
        backend,
        server,
        record,
        "compute_snapshot_instance",
        UPLOAD_SECONDS,
        done,
        states=SNAPSHOT_STATES,
    )
    return image


def backup(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    name: str,
    backup_type: str,
    rotation: int,
    metadata: dict[str, str],
) -> Image:
    check(server)
    extra = {**metadata, "backup_type": backup_type}
    image = new_image(backend, server, actor, name, "backup", extra)
    record = flow.begin(backend, server, actor, "createBackup", "image_backup")

    def done() -> None:
        uploaded(backend, image, server)
        server.task_state = None
        rotate(backend, server, backup_type, rotation)

    flow.on_host(
        backend,
        server,
        record,
        "compute_backup_instance",
        UPLOAD_SECONDS,
        done,
        states=BACKUP_STATES,
    )
    return image


def rotate(backend: ComputeBackend, server: Server, backup_type: str, rotation: int) -> None:
    """Keep the newest ``rotation`` backups of this type (0 keeps none, not even the new one)."""
    assert backend.images is not None
    backups = [
        (i.created_at, order, i.id)
        for order, i in enumerate(backend.images.images.values())
        if i.properties.get("image_type") == "backup"
        and i.properties.get("instance_uuid") == server.uuid
        and i.properties.get("backup_type") == backup_type
    ]
    backups.sort(reverse=True)  # newest first; same second: the later one is newer
    for _, _, image_id in backups[rotation:]:
        backend.images.delete(image_id)
