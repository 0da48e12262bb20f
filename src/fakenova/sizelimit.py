"""oslo.middleware's ``RequestBodySizeLimiter``, as Nova's and Keystone's pipelines run it.

Both services load ``sizelimit`` with ``[oslo_middleware] max_request_body_size`` (114688
bytes by default) ahead of authentication, so an oversized body is refused before a token is
even looked at: ``413`` with webob's rendering of the middleware's message, in which the
``%s`` is left unformatted (oslo.middleware 8.x formats it only in its log line). Glance's
pipeline has no such filter.
"""

from __future__ import annotations

import webob
import webob.exc

MAX_REQUEST_BODY_SIZE = 114688
MESSAGE = "Request is too large. Larger than max_request_body_size (%s)."
# What a body read without Content-Length (chunked) raises once past the limit.
STREAMED = "Request is too large. Larger than {limit}."


def too_large(request: webob.Request, limit: int = MAX_REQUEST_BODY_SIZE) -> webob.Response | None:
    """The 413 for a body over ``limit``, or ``None`` to let the request through.

    A declared ``Content-Length`` over the limit is refused without reading the body, as the
    middleware does. A chunked body (no length) is read up to one byte past the limit: webob
    has buffered it by then anyway, and the fake must not hand the rest to a controller.
    """
    if request.content_length is not None:
        if request.content_length > limit:
            return webob.exc.HTTPRequestEntityTooLarge(explanation=MESSAGE)
        return None
    if not request.is_body_readable:
        return None
    body = request.body_file.read(limit + 1)
    if len(body) > limit:
        return webob.exc.HTTPRequestEntityTooLarge(explanation=STREAMED.format(limit=limit))
    request.body = body
    return None
