"""Rebuilding a server: the same server (uuid, host, addresses) re-created from an image.

The API applies the new name, metadata and the like at once and marks ``rebuilding``; the
super-conductor records ``rebuild_server`` and hands the work to the host
(``compute_rebuild_instance``), which spawns the guest again. A stopped server stays stopped,
anything else ends ACTIVE.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.resources import image_meta
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, ERROR, STOPPED, PowerState

STATES = States.of([ACTIVE, STOPPED, ERROR])
REBUILD_SECONDS = 8


def check(server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, STATES)


def rebuild(
    backend: ComputeBackend,
    server: Server,
    actor: Actor,
    image_ref: str,
    changes: dict[str, Any],
    image_properties: Mapping[str, str],
) -> None:
    """``changes`` are Server attributes (name, metadata, key_name ...) already validated;
    the server keeps the new image's ``image_properties`` for its later resizes."""
    check(server, actor)
    was_stopped = server.vm_state == STOPPED
    for name, value in changes.items():
        setattr(server, name, value)
    server.record.image_ref = image_ref
    server.image_properties = image_meta.kept(image_properties)
    server.progress = 0
    record = flow.begin(backend, server, actor, "rebuild", "rebuilding")

    def on_compute() -> None:
        def spawned() -> None:
            server.vm_state = STOPPED if was_stopped else ACTIVE
            server.task_state = None
            server.power_state = PowerState.SHUTDOWN if was_stopped else PowerState.RUNNING
            server.launched_at = backend.clock.now

        server.task_state = "rebuild_spawning"
        flow.on_host(
            backend, server, record, "compute_rebuild_instance", REBUILD_SECONDS - 1, spawned
        )

    flow.on_host(backend, server, record, "rebuild_server", 1, on_compute, host=flow.CONTROLLER)
