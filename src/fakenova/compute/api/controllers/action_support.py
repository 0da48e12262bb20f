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
PASSWORD_GROUPS = ("23456789", "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz")


def nova_password(token: str) -> str:
    """``token`` with at least one character of each of Nova's symbol groups (digits,
    upper and lower case), as ``nova.utils.generate_password`` guarantees: a missing group
    takes the place of a character whose group occurs more than once. Unchanged otherwise."""
    chars = list(token)
    for group in PASSWORD_GROUPS:
        if any(c in group for c in chars):
            continue
        counts = {g: sum(c in g for c in chars) for g in PASSWORD_GROUPS}
        index = next(i for i, c in enumerate(chars) if counts[_group(c)] > 1)
        chars[index] = group[ord(chars[index]) % len(group)]
    return "".join(chars)


def _group(char: str) -> str:
    return next(g for g in PASSWORD_GROUPS if char in g)


def password(call: Call, given: str | None, purpose: str, server_id: str) -> str:
    """The password asked for, or one generated as Nova does (12 characters of its
    alphabet, each group present), stable per server and purpose so that a page shows the
    same one each run."""
    if given is not None:
        return given
    return nova_password(call.backend.ids.token(purpose, server_id, 12, PASSWORD_ALPHABET))


def image_exists(call: Call, image_ref: str) -> bool:
    images = call.backend.images
    return images is not None and images.get(image_ref) is not None
