"""``fakenova.transport``: what a WSGI app sees of a routed ``requests`` call, and routes that
nest and end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import requests
import requests.adapters

from fakenova import transport


def echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A WSGI app answering with what it was given."""
    seen = {
        key: environ.get(key)
        for key in (
            "REQUEST_METHOD",
            "PATH_INFO",
            "QUERY_STRING",
            "SERVER_NAME",
            "SERVER_PORT",
            "HTTP_HOST",
            "CONTENT_TYPE",
            "CONTENT_LENGTH",
            "HTTP_TRANSFER_ENCODING",
            "wsgi.url_scheme",
        )
    }
    seen["body"] = environ["wsgi.input"].read().decode()
    start_response("299 Seen", [("Content-Type", "application/json"), ("X-Twice", "a")])
    return [json.dumps(seen).encode()]


def test_the_app_sees_what_a_server_would_give_it() -> None:
    with transport.routed(lambda: echo, "fake.test", 8774):
        answer = requests.post(
            "http://fake.test:8774/compute/v2.1/servers/%C3%A9t%C3%A9?a=1&b=%20", json={"k": 1}
        )
    assert (answer.status_code, answer.reason) == (299, "Seen")
    assert answer.url == "http://fake.test:8774/compute/v2.1/servers/%C3%A9t%C3%A9?a=1&b=%20"
    seen = answer.json()
    assert seen == {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/compute/v2.1/servers/été".encode().decode("latin-1"),  # PEP 3333
        "QUERY_STRING": "a=1&b=%20",
        "SERVER_NAME": "fake.test",
        "SERVER_PORT": "8774",
        "HTTP_HOST": "fake.test:8774",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "8",
        "HTTP_TRANSFER_ENCODING": None,
        "wsgi.url_scheme": "http",
        "body": '{"k": 1}',
    }


def test_a_streamed_body_arrives_whole_and_head_has_no_body() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"ab"
        yield b"cd"

    with transport.routed(lambda: echo, "fake.test", 80):
        seen = requests.put("http://fake.test/image/v2/images/x/file", data=chunks()).json()
        head = requests.head("http://fake.test/")
    assert (seen["body"], seen["CONTENT_LENGTH"], seen["HTTP_HOST"]) == ("abcd", "4", "fake.test")
    assert (head.status_code, head.content) == (299, b"")


def test_routes_nest_and_the_last_one_restores_requests() -> None:
    before = requests.adapters.HTTPAdapter.send

    def other(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"inner"]

    with transport.routed(lambda: echo, "fake.test", 80):
        with transport.routed(lambda: other, "fake.test", 80):
            assert requests.get("http://fake.test/").text == "inner"
        assert requests.get("http://FAKE.test:80/").status_code == 299  # the outer again
        assert transport.target("https://fake.test/") is None  # another scheme, another port
    assert requests.adapters.HTTPAdapter.send is before
    assert not transport.is_installed()


def test_a_routed_request_ignores_proxies_and_others_keep_them(monkeypatch: Any) -> None:
    """The environment's proxies are not even looked up for a routed host (no connection is
    made); the session's own settings are merged as ``requests`` merges them, and any other
    URL still gets the environment's."""
    before = requests.Session.merge_environment_settings
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nowhere/ca.pem")
    session = requests.Session()
    session.proxies = {"http": "http://session.invalid:1"}
    with transport.routed(lambda: echo, "fake.test", 80):
        routed = session.merge_environment_settings("http://fake.test/x", {}, None, None, None)
        other = session.merge_environment_settings("http://elsewhere.test/", {}, None, None, None)
        assert session.get("http://fake.test/x").status_code == 299  # no proxy is tried
    assert routed == {
        "proxies": {"http": "http://session.invalid:1"},
        "stream": False,
        "verify": True,
        "cert": None,
    }
    assert other == before(session, "http://elsewhere.test/", {}, None, None, None)
    assert other["verify"] == "/nowhere/ca.pem"
    assert requests.Session.merge_environment_settings is before
