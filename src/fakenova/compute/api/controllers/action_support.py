"""What the ``POST /servers/{id}/action`` handlers share: the server lookup and the
password a request asked for or Nova generates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import refusals
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.servers.records import Server


def server_for(call: Call, server_id: str, rule: str) -> Server:
    """Nova's order in these handlers: find the server (404 outside the caller's project),
    then check ``rule`` against the server's project (403)."""
    server = call.compute.get(call.actor, server_id)
    call.authorize(rule, server.project_id)
    return server


def bodiless(
    action: str, rule: str, method: Callable[[ComputeAPI, Actor, Server], None], **how: Any
) -> Callable[[Call, str], Reply]:
    """The handler of an action whose body says nothing more (``{"pause": null}``): find the
    server, authorize ``rule``, call ``method`` of the compute API; 202 with no body. ``how``
    words the refusals, as :func:`~fakenova.compute.api.faults.refusals` takes it."""

    @refusals(action, **how)
    def handler(call: Call, server_id: str) -> Reply:
        method(call.compute, call.actor, server_for(call, server_id, rule))
        return Reply(None, 202)

    handler.__name__ = handler.__qualname__ = method.__name__
    return handler


def password(call: Call, given: str | None, purpose: str, server_id: str) -> str:
    """The password asked for, or one generated as Nova does (12 characters of its
    alphabet, each group present), stable per server and purpose so that a page shows the
    same one each run."""
    if given is not None:
        return given
    return call.compute.new_password(purpose, server_id)
