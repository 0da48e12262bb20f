"""What Nova's ``wsgi.Resource`` checks in a request before any controller runs.

After the microversion, and in this order: the ``Content-Type`` (415 unless JSON), the action
name for ``POST .../action`` (left to :mod:`~.controllers.server_actions`), the body's text,
which Nova writes to its debug log as UTF-8 (anything else escapes as a bare 500), then the
JSON of a POST or PUT body (a 400 for anything that does not parse). Controllers parse the
body again later; doing it here first keeps Nova's order (a malformed body is a 400 even for
a server that does not exist) and its two unhandled failures, which the fake reproduces as
Nova renders them rather than as its own crash: invalid UTF-8, and JSON nested deeper than
Python's parser recurses (well within the 112 KiB body limit).
"""

from __future__ import annotations

import json

import webob

from fakenova.compute.api.faults import ApiFault, bad_request

SUPPORTED_CONTENT_TYPES = ("application/json", "application/vnd.openstack.compute+json")
ACTION_HANDLER = "server_actions.action"
MALFORMED = "Malformed request body"
# FaultWrapper's answer when a non-Nova exception escapes: webob's own explanation.
SERVER_ERROR = "The server has either erred or is incapable of performing the requested operation."


def server_error() -> ApiFault:
    """Nova's 500 for an exception outside its controllers (no class name, unlike
    :func:`~fakenova.compute.api.faults.unexpected`)."""
    return ApiFault(500, SERVER_ERROR)


def check(request: webob.Request, handler: str) -> ApiFault | None:
    """The fault Nova answers before reaching ``handler``'s controller, or ``None``."""
    if "Content-Type" in request.headers:
        content_type = request.content_type
        if content_type not in ("", "text/plain", *SUPPORTED_CONTENT_TYPES):
            return ApiFault(415, "Unsupported Content-Type")
    body = request.body
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # The action name is read first, with a strict UTF-8 decode: "Malformed request body".
        return bad_request(MALFORMED) if handler == ACTION_HANDLER else server_error()
    if request.method not in ("POST", "PUT"):
        return None
    try:  # an action's name is peeked at with the same parser, failing the same ways
        json.loads(text)
    except RecursionError:
        return server_error()
    except ValueError:
        return bad_request(MALFORMED)
    return None
