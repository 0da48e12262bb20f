"""HTTP plumbing shared by the three services: routing, JSON responses, request context.

Each service declares its routes in its own ``urls.py`` (as moto does) as
``(method, template, handler)``; :class:`RoutedApp` matches them with Routes (Nova's mapper)
and hands the handler a :class:`webob.Request` plus the matched path variables.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

import routes
import webob
import webob.exc

Handler = Callable[..., webob.Response]
# (method, template, handler): a function (compute) or the name of an app method (the others)
Route = tuple[str, str, Any]


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> webob.Response:
    """A JSON response the way OpenStack services serialise it (compact separators are not used)."""
    response = webob.Response(status=status, content_type="application/json", charset=None)
    if body is not None:
        response.body = json.dumps(body).encode()
    else:
        response.body = b""
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def read_json(request: webob.Request) -> Any:
    """The request body as JSON, or :class:`ValueError` when it is not JSON."""
    return json.loads(request.body or b"null")


class RoutedApp:
    """Match a request to a handler method; unknown paths and methods answer as the service does."""

    def __init__(self, route_table: Iterable[Route]) -> None:
        self._mapper = _mapper(tuple(route_table))

    def match(self, request: webob.Request) -> tuple[Any, dict[str, str]] | None:
        """``(handler, path variables)`` or ``None`` when nothing matches."""
        found = self._mapper.match(
            request.path_info or "/", environ={"REQUEST_METHOD": request.method}
        )
        if found is None:
            return None
        found = dict(found)
        return found.pop("handler"), found


@functools.lru_cache(maxsize=32)
def _mapper(route_table: tuple[Route, ...]) -> routes.Mapper:
    """One Routes mapper per route table, shared by every app that serves it: matching only
    reads it (its regular expressions are compiled under its own lock), and building one cost
    a new cloud more than the rest of its apps."""
    mapper = routes.Mapper()
    for method, template, handler in route_table:
        mapper.connect(None, template, handler=handler, conditions={"method": [method]})
    return mapper


def not_found_html() -> webob.Response:
    """The router's own 404: an HTML page, not a fault (what Nova's and Glance's routers return)."""
    return webob.exc.HTTPNotFound()


def keystone_unauthorized(request: webob.Request) -> webob.Response:
    """keystonemiddleware's ``auth_token`` answer to a missing, unknown or expired token.

    It runs in front of Nova's, Glance's and Neutron's APIs, so this 401 is the same for all:
    a JSON body (``code``, ``title``, ``message`` in that order) and where to authenticate,
    devstack's public identity endpoint on the host the client used.
    """
    www_authenticate_uri = f"{request.host_url}/identity"
    body = {
        "error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "The request you have made requires authentication.",
        }
    }
    return json_response(body, 401, {"WWW-Authenticate": f'Keystone uri="{www_authenticate_uri}"'})
