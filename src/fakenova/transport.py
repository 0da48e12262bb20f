"""An in-process HTTP transport: ``requests`` to a chosen host and port answered by a WSGI app.

Every OpenStack client in Python (python-openstackclient, openstacksdk, novaclient, anything
on a keystoneauth session) and plain ``requests`` send through
:meth:`requests.adapters.HTTPAdapter.send`. While :func:`routed` is active, that method hands a
request whose URL names a routed host and port to the WSGI app, in this process, and builds
the :class:`requests.Response` from the app's answer exactly as requests builds one from a
socket (:meth:`~requests.adapters.HTTPAdapter.build_response` on a urllib3 response); any other
URL goes out as before. No socket, no port, no server, and proxy settings
(``http_proxy``, ``HTTPS_PROXY`` ...) do not apply to a routed host: it is never a network
name. So for a routed URL :meth:`requests.Session.merge_environment_settings` does not read
the environment for proxies and CA bundles (``requests`` scans every variable, twice, on
every request): the settings it would find go nowhere, since no connection is made.

The app sees the WSGI environment a real server (waitress, as ``fakenova serve``) gives it:
the path percent-decoded to latin-1 code points (PEP 3333), the query string as sent, the
``Host`` header as ``http.client`` writes it (the port only when it is not the scheme's
default), and the body in full.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
import requests.adapters
import requests.sessions
from urllib3 import HTTPHeaderDict, HTTPResponse

DEFAULT_PORTS = {"http": 80, "https": 443}

# (scheme, host, port) -> a stack of app factories; the innermost routed() answers.
_ROUTES: dict[tuple[str, str, int], list[Callable[[], Any]]] = {}
_LOCK = threading.Lock()
# What HTTPAdapter.send was when the first route began (requests' own, or another library's
# patch): unrouted requests go there, and it is put back when the last route ends.
_previous: list[Callable[..., requests.Response]] = []
_previous_merge: list[Callable[..., dict[str, Any]]] = []


def _key(scheme: str, host: str, port: int | None) -> tuple[str, str, int]:
    return (scheme.lower(), host.lower(), port or DEFAULT_PORTS[scheme.lower()])


def target(url: str) -> Callable[[], Any] | None:
    """The app factory that answers ``url`` now, if any."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    stack = _ROUTES.get(_key(parts.scheme, parts.hostname, parts.port))
    return stack[-1] if stack else None


def is_installed() -> bool:
    """Whether the transport is patched into ``requests`` (only while something is routed)."""
    return bool(_previous)


@contextlib.contextmanager
def routed(
    app_factory: Callable[[], Any], host: str, port: int, scheme: str = "http"
) -> Iterator[None]:
    """While the block runs, ``requests`` to ``scheme://host:port`` are answered by the app
    ``app_factory()`` returns (called per request). Routes nest: an inner route for the same
    address shadows the outer one until it ends. When the last route ends, ``requests`` is
    exactly as it was."""
    key = _key(scheme, host, port)
    with _LOCK:
        if not _previous:
            _previous.append(requests.adapters.HTTPAdapter.send)
            requests.adapters.HTTPAdapter.send = _send  # type: ignore[method-assign]
            _previous_merge.append(requests.Session.merge_environment_settings)
            requests.Session.merge_environment_settings = _merge_settings  # type: ignore[method-assign]
        _ROUTES.setdefault(key, []).append(app_factory)
    try:
        yield
    finally:
        with _LOCK:
            stack = _ROUTES[key]
            del stack[len(stack) - 1 - stack[::-1].index(app_factory)]  # this route's entry
            if not stack:
                del _ROUTES[key]
            if not _ROUTES:
                requests.adapters.HTTPAdapter.send = _previous.pop()  # type: ignore[method-assign]
                requests.Session.merge_environment_settings = _previous_merge.pop()  # type: ignore[method-assign]


def _send(
    self: requests.adapters.HTTPAdapter,
    request: requests.PreparedRequest,
    *args: Any,
    **kwargs: Any,
) -> requests.Response:
    factory = target(request.url or "")
    if factory is None:
        return _previous[0](self, request, *args, **kwargs)
    return self.build_response(request, call(factory(), request))


def _merge_settings(
    self: requests.Session, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
) -> dict[str, Any]:
    """The session's settings for a request, as ``requests`` merges them; for a routed URL
    without the environment's proxies and CA bundle (what ``trust_env = False`` gives), which
    only a connection would use."""
    if target(url) is None:
        return _previous_merge[0](self, url, proxies, stream, verify, cert)
    merge = requests.sessions.merge_setting
    return {
        "proxies": merge(proxies, self.proxies),
        "stream": merge(stream, self.stream),
        "verify": merge(verify, self.verify),
        "cert": merge(cert, self.cert),
    }


def _body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)  # chunks


def environ(request: requests.PreparedRequest) -> dict[str, Any]:
    """The WSGI environment a server would build for ``request``."""
    parts = urlsplit(request.url or "")
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[scheme]
    body = _body(request.body)
    env: dict[str, Any] = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REQUEST_METHOD": (request.method or "GET").upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    headers = dict(request.headers)
    if not any(name.lower() == "host" for name in headers):
        headers["Host"] = parts.netloc.rsplit("@", 1)[-1] if parts.port else host
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "content-type":
            env["CONTENT_TYPE"] = value
        elif lowered == "content-length":
            env["CONTENT_LENGTH"] = value
        elif lowered != "transfer-encoding":  # the body is handed over whole
            env["HTTP_" + name.upper().replace("-", "_")] = value
    if body and "CONTENT_LENGTH" not in env:
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def call(app: Any, request: requests.PreparedRequest) -> HTTPResponse:
    """``request`` answered by the WSGI ``app``, as the urllib3 response a socket would give."""
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return lambda data: chunks.append(data)

    chunks: list[bytes] = []
    result = app(environ(request), start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    code, _, reason = status.partition(" ")
    return HTTPResponse(
        body=io.BytesIO(b"" if request.method == "HEAD" else b"".join(chunks)),
        headers=HTTPHeaderDict(headers),
        status=int(code),
        reason=reason,
        version=11,
        preload_content=False,
        decode_content=False,
        request_method=request.method,
        request_url=request.url,
    )
