"""What the ``POST /servers/{id}/action`` handlers share: the server lookup and the
passwords Nova generates."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call
from fakenova.compute.models.servers.records import Server


def server_for(call: Call, server_id: str, rule: str) -> Server:
    """Nova's order in these handlers: find the server (404 outside the caller's project),
    then check ``rule`` against the server's project (403)."""
    server = call.compute.get(call.actor, server_id)
    call.authorize(rule, server.project_id)
    return server


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
