"""What every ``POST /servers/{id}/action`` handler shares: the caller as an actor, the
server lookup, and Nova's 409 texts for refused states."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fakenova.compute.api.controllers.base import Call
from fakenova.compute.api.controllers.server_lookup import project_server
from fakenova.compute.api.faults import conflict
from fakenova.compute.models.action_flow import Actor, InstanceNotReady
from fakenova.compute.models.server_changes import InstanceIsLocked, InvalidState
from fakenova.compute.models.servers import Server


def actor(call: Call) -> Actor:
    ctx = call.context
    return Actor(ctx.request_id, ctx.user_id, ctx.project_id, ctx.is_admin)


def server_for(call: Call, server_id: str, rule: str) -> Server:
    """Nova's order in these handlers: find the server (404 outside the caller's project),
    then check ``rule`` against the server's project (403)."""
    server = project_server(call, server_id)
    call.authorize(rule, server.project_id)
    return server


@contextmanager
def refusals(action: str, server_id: str, *, lock_as_state: bool = False) -> Iterator[None]:
    """Turn the models' refusals into Nova's 409s for ``action`` (the API's name for it).

    Nova's "locked" error is a kind of invalid-state error: handlers that catch only the
    latter (changePassword, restore) answer a locked server with the generic sentence.
    """
    try:
        yield
    except InstanceIsLocked as e:
        if lock_as_state:
            raise conflict(f"Instance {server_id} is in an invalid state for '{action}'") from e
        raise conflict(str(e)) from e
    except InvalidState as e:
        raise conflict(
            f"Cannot '{action}' instance {server_id} while it is in {e.attr} {e.state}"
        ) from e
    except InstanceNotReady as e:
        raise conflict(str(e)) from e


PASSWORD_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def password(call: Call, given: str | None, purpose: str, server_id: str) -> str:
    """The password asked for, or one generated as Nova does (12 characters of its
    alphabet), stable per server and purpose so that a page shows the same one each run."""
    if given is not None:
        return given
    return call.backend.ids.token(purpose, server_id, 12, PASSWORD_ALPHABET)


def image_exists(call: Call, image_ref: str) -> bool:
    images = call.backend.images
    return images is not None and images.get(image_ref) is not None
