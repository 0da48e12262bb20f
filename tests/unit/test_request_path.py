"""A request id is made from the request's path as WebOb quotes it: the app's shortcut for
ASCII paths gives WebOb's own ``path_qs``, character for character."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import webob

from fakenova.compute.api.app import _path_qs

PATHS = [
    "/v2.1/servers/x",
    "/v2.1/servers/a b",
    "/v2.1/servers/%C3%A9",
    "/v2.1/servers/%ff",
    "/v2.1/servers?x=1&y=%20",
    "/v2.1/x;y=1",
    "/v2.1/a~b!c$d&e'f(g)h*i+j,k=l:m@n",
    "/v2.1/%2F%25",
    "/v2.1/servers?",
]


def _outcome(read: Callable[[], str]) -> object:
    try:
        return read()
    except UnicodeDecodeError as error:  # WebOb's answer to a path that is not UTF-8
        return type(error)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("script_name", ["", "/compute", "/a b"])
def test_the_path_is_webob_s(path: str, script_name: str) -> None:
    request = webob.Request.blank(path)
    request.environ["SCRIPT_NAME"] = script_name
    assert _outcome(lambda: _path_qs(request)) == _outcome(lambda: request.path_qs)


def test_a_non_ascii_path_is_left_to_webob() -> None:
    request = webob.Request.blank("/x")
    request.environ["PATH_INFO"] = "/v2.1/servers/\xc3\xa9"  # PEP 3333: UTF-8 bytes as latin-1
    assert _path_qs(request) == request.path_qs == "/v2.1/servers/%C3%A9"


@pytest.mark.parametrize(
    ("path", "status", "said"),
    [
        ("/identity/v3/users/%ff", 404, "Could not find user: \u00ff."),
        ("/networking/v2.0/ports/%ff", 404, "Port \u00ff could not be found."),
        ("/image/v2/images/%ff", 404, "No image found with ID \u00ff"),
        ("/%C0%AF", 404, "The resource could not be found."),
    ],
)
def test_a_path_that_is_not_utf8_is_read_byte_by_byte(path: str, status: int, said: str) -> None:
    # As the Routes mapper in front of Nova and Glance reads it; webob alone would raise.
    from fakenova.testing import World

    world = World()
    answer = world.admin.get(path)
    assert answer.status_int == status
    body = answer.json if answer.content_type == "application/json" else answer.text
    assert said in (str(body) if isinstance(body, dict) else body)
