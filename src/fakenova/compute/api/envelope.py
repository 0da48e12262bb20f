"""What Nova's ``wsgi.Resource`` checks in a request before any controller runs.

After the microversion, and in this order: the ``Content-Type`` (415 unless JSON), the action
name for ``POST .../action`` (left to :mod:`~.controllers.server_actions`), the body's text,
which Nova writes to its debug log as UTF-8, then the JSON of a POST or PUT body (a 400 for
anything that does not parse). The body is decoded here, once, and handed to the controller;
doing it before any lookup keeps Nova's order (a malformed body is a 400 even for a server
that does not exist).

One deliberate difference: Nova 34 crashes on two kinds of bad input, a body that is not
UTF-8 and JSON nested deeper than Python's parser recurses (well within the 112 KiB body
limit), and answers a bare 500. Bad input must never get a 500 from this fake, so both get
the 400 "Malformed request body" Nova gives any other unparsable body
(tests/hostile/test_bad_requests.py records Nova's own answer next to the fake's).
"""

from __future__ import annotations

import json
from typing import Any

import webob

from fakenova.compute.api.faults import ApiFault, bad_request

SUPPORTED_CONTENT_TYPES = ("application/json", "application/vnd.openstack.compute+json")
MALFORMED = "Malformed request body"


def read(request: webob.Request) -> Any:
    """The decoded JSON body of a POST or PUT (None without a body, as Nova's schemas see an
    empty one), after the checks Nova makes before any controller runs; their fault is
    raised as an :class:`ApiFault`."""
    if "Content-Type" in request.headers:
        content_type = request.content_type
        if content_type not in ("", "text/plain", *SUPPORTED_CONTENT_TYPES):
            raise ApiFault(415, "Unsupported Content-Type")
    body = request.body
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:  # Nova: 400 for actions, a crash (500) elsewhere; see above
        raise bad_request(MALFORMED) from e
    if request.method not in ("POST", "PUT"):
        return None
    try:  # an action's name is peeked at with the same parser, failing the same ways
        return json.loads(text)
    except (RecursionError, ValueError) as e:  # Nova crashes on the first; see above
        raise bad_request(MALFORMED) from e
