"""Locking a server: who locked it decides who may unlock it.

Nova records whether the owner's project or an admin from elsewhere locked the server
(``locked_by`` "owner" or "admin"). Locking an already locked server is a no-op for the owner
but lets an admin take the lock over. The API records these actions itself, with ``api_lock``
and ``api_unlock`` events on the controller.
"""

from __future__ import annotations

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers.records import Server


def _locker(server: Server, actor: Actor) -> str:
    return "owner" if server.project_id == actor.project_id else "admin"


def lock(backend: ComputeBackend, server: Server, actor: Actor, reason: str | None) -> None:
    if server.locked_by is not None and _locker(server, actor) == "owner":
        return  # the owner's project relocking: nothing happens, nothing is recorded
    record = flow.begin(backend, server, actor, "lock", None)

    def apply() -> None:
        server.locked_by = _locker(server, actor)
        if reason:
            server.locked_reason = reason  # an earlier reason stays unless replaced
        server.updated_at = backend.clock.now

    flow.at_api(backend, record, "api_lock", apply)


def is_expected_locker(server: Server, actor: Actor) -> bool:
    """False when the other party holds the lock: unlocking then needs the override rule."""
    return server.locked_by is None or server.locked_by == _locker(server, actor)


def unlock(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    """Always recorded, even when the server was not locked."""
    record = flow.begin(backend, server, actor, "unlock", None)

    def apply() -> None:
        server.locked_by = None
        server.locked_reason = None
        server.updated_at = backend.clock.now

    flow.at_api(backend, record, "api_unlock", apply)
