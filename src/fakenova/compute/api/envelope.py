"""What Nova's ``wsgi.Resource`` checks in a request before any controller runs.

After the microversion, and in this order: the ``Content-Type`` (415 unless JSON), the action
name for ``POST .../action`` (left to :mod:`~.controllers.server_actions`), the body's text,
which Nova writes to its debug log as UTF-8, then the JSON of a POST or PUT body (a 400 for
anything that does not parse). Controllers parse the body again later; doing it here first
keeps Nova's order (a malformed body is a 400 even for a server that does not exist).

One deliberate difference: Nova 34 crashes on two kinds of bad input, a body that is not
UTF-8 and JSON nested deeper than Python's parser recurses (well within the 112 KiB body
limit), and answers a bare 500. Bad input must never get a 500 from this fake, so both get
the 400 "Malformed request body" Nova gives any other unparsable body
(tests/hostile/test_bad_requests.py records Nova's own answer next to the fake's).
"""

from __future__ import annotations

import json

import webob

from fakenova.compute.api.faults import ApiFault, bad_request

SUPPORTED_CONTENT_TYPES = ("application/json", "application/vnd.openstack.compute+json")
MALFORMED = "Malformed request body"


def check(request: webob.Request) -> ApiFault | None:
    """The fault Nova answers before any controller runs, or ``None``."""
    if "Content-Type" in request.headers:
        content_type = request.content_type
        if content_type not in ("", "text/plain", *SUPPORTED_CONTENT_TYPES):
            return ApiFault(415, "Unsupported Content-Type")
    body = request.body
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # Nova: 400 for actions, a crash (500) elsewhere; see above
        return bad_request(MALFORMED)
    if request.method not in ("POST", "PUT"):
        return None
    try:  # an action's name is peeked at with the same parser, failing the same ways
        json.loads(text)
    except (RecursionError, ValueError):  # Nova crashes on the first; see above
        return bad_request(MALFORMED)
    return None
