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
from fakenova.compute.models.resources import image_meta
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, PAUSED, STOPPED, SUSPENDED
from fakenova.image.models import Image, Member, Viewer, listed

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
        **image_meta.inherited(server.image_properties),
        "instance_uuid": server.uuid,
        "user_id": actor.user_id,
        "image_type": image_type,
        "base_image_ref": server.image_ref,
        **(extra or {}),
    }
    owner_is_caller = actor.project_id == server.project_id
    members: dict[str, Member] = {}
    if not owner_is_caller:
        # Nova's Glance client then makes the server's project a member of the image
        # (``nova/image/glance.py`` ``_add_image_member``): pending until it accepts.
        properties["instance_owner"] = server.project_id
        now = backend.images.now()
        members[server.project_id] = Member("pending", now, now)
    # A snapshot's formats are left for the hypervisor to set when it uploads; a backup
    # keeps the server's image formats (``nova/compute/utils.py`` ``create_image``).
    keep_formats = image_type == "backup" and base is not None
    image = Image(
        id=uuid,
        name=name,
        owner=actor.project_id,
        disk_format=base.disk_format if keep_formats and base else None,
        container_format=base.container_format if keep_formats and base else None,
        min_disk=server.flavor.root_gb,
        min_ram=base.min_ram if base else 0,
        created_at=backend.images.now(),
        visibility="private" if owner_is_caller else "shared",
        status="queued",
        properties=properties,
        members=members,
    )
    return backend.images.create(image)


def uploaded(backend: ComputeBackend, image: Image, server: Server) -> None:
    """The host has written the disk. Libvirt's snapshot metadata (``nova/virt/libvirt/
    driver.py`` ``_create_snapshot_metadata``) sets a qcow2 disk in a bare container (or the
    server image's container) and three properties; Glance hashes the data (md5 ``checksum``,
    sha512 ``os_hash_value``), records its size and the root disk's virtual size, and marks
    the image active. Nothing happens if the image was deleted meanwhile."""
    assert backend.images is not None
    if backend.images.get(image.id) is not image or image.status != "queued":
        return
    base = backend.images.get(server.image_ref)
    image.disk_format = "qcow2"
    image.container_format = (base.container_format if base else None) or "bare"
    # kernel and ramdisk ids are empty for a whole-disk image: Nova's Glance client drops them
    image.properties.update(
        image_location="snapshot", image_state="available", owner_id=server.project_id
    )
    image.size = base.size if base and base.size is not None else 0
    disk = image.id.encode()  # stands for the disk's bytes: stable per image
    image.checksum = hashlib.md5(disk, usedforsecurity=False).hexdigest()
    image.os_hash_algo = "sha512"
    image.os_hash_value = hashlib.sha512(disk).hexdigest()
    image.virtual_size = server.flavor.root_gb * 1024**3 or (base.virtual_size if base else None)
    image.status = "active"
    backend.images.touch(image)


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
        rotate(backend, server, actor, backup_type, rotation)

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


def rotate(
    backend: ComputeBackend, server: Server, actor: Actor, backup_type: str, rotation: int
) -> None:
    """Keep the newest ``rotation`` backups of this type (0 keeps none, not even the new one).

    Nova's ``_rotate_backups`` lists the backups with the caller's context, newest first
    (Glance breaks ``created_at`` ties by id, descending), and deletes from the end of that
    list. A protected backup is left in place (Glance would refuse to delete it).
    """
    assert backend.images is not None
    viewer = Viewer(actor.project_id, actor.is_admin)
    backups = [
        i
        for i in backend.images.images.values()
        if i.properties.get("image_type") == "backup"
        and i.properties.get("instance_uuid") == server.uuid
        and i.properties.get("backup_type") == backup_type
        and listed(viewer, i, None, "accepted")
        and not i.os_hidden
    ]
    backups.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    for image in backups[rotation:]:
        if not image.protected:
            backend.images.delete(image.id)
