"""Fault bodies, router 404s, 401s and the headers every Compute answer carries.

The 404/403/406 bodies and the headers were observed on Nova 34.0.0 (nova-oracle); the 401 is
keystonemiddleware's, which sits in front of Nova's router (read from its source).
"""

from __future__ import annotations

import re

import pytest

from fakenova.compute.api import faults
from fakenova.compute.api.controllers import flavors
from fakenova.identity.models import TOKEN_LIFETIME
from fakenova.testing import Client, World

API = "/compute/v2.1"
MISSING = "8e5e8a1c-0000-4000-8000-000000000000"
REQUEST_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROUTER_404_HTML = (
    "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n"
    "  <h1>404 Not Found</h1>\n  The resource could not be found.<br /><br />\n\n\n\n"
    " </body>\n</html>"
)
UNAUTHORIZED = {
    "error": {
        "code": 401,
        "title": "Unauthorized",
        "message": "The request you have made requires authentication.",
    }
}


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def demo(world) -> Client:
    return world.demo


def has_version_headers(response) -> bool:
    return "OpenStack-API-Version" in response.headers


def test_unknown_server_is_item_not_found(demo):
    response = demo.get(f"{API}/servers/{MISSING}", microversion="2.30")
    assert response.status_int == 404
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.body == (
        b'{"itemNotFound": {"code": 404, "message": "Instance '
        + MISSING.encode()
        + b' could not be found."}}'
    )
    assert response.headers["OpenStack-API-Version"] == "compute 2.30"
    assert response.headers["X-OpenStack-Nova-API-Version"] == "2.30"
    assert response.headers.getall("Vary") == [
        "OpenStack-API-Version",
        "X-OpenStack-Nova-API-Version",
    ]


def test_server_id_that_is_not_a_uuid_is_404_too(demo):
    response = demo.get(f"{API}/servers/not-a-uuid")
    assert response.status_int == 404
    assert response.json == {
        "itemNotFound": {"code": 404, "message": "Instance not-a-uuid could not be found."}
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nothing"),
        ("DELETE", "/servers"),  # a known path with a method Nova does not route: no 405
        ("PUT", "/os-services"),
        ("POST", "/flavors/detail"),
    ],
)
def test_unrouted_requests_get_the_routers_html_404(demo, method, path):
    response = demo.request(method, API + path, microversion="2.30", headers={"Accept": "*/*"})
    assert response.status_int == 404
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert response.text == ROUTER_404_HTML
    assert not has_version_headers(response)
    assert REQUEST_ID.match(response.headers["x-compute-request-id"])


def test_router_404_is_json_when_json_is_accepted(demo):
    response = demo.get(f"{API}/nothing", headers={"Accept": "application/json"})
    assert response.status_int == 404
    assert response.json == {
        "code": "404 Not Found",
        "message": "The resource could not be found.<br /><br />\n\n\n",
        "title": "Not Found",
    }


def test_routing_comes_before_microversion_negotiation(demo):
    response = demo.get(f"{API}/nothing", microversion="abc", headers={"Accept": "*/*"})
    assert response.status_int == 404
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"


@pytest.mark.parametrize("path", ["/servers", "/nothing"])
@pytest.mark.parametrize("token", [None, "gAAAAnot-a-token"])
def test_missing_or_unknown_token_is_keystonemiddlewares_401(world, path, token):
    # authtoken runs before Nova's router: even an unknown path answers 401.
    headers = {} if token is None else {"X-Auth-Token": token}
    response = world.client().get(API + path, microversion="abc", headers=headers)
    assert response.status_int == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.text == (
        '{"error": {"code": 401, "title": "Unauthorized", '
        '"message": "The request you have made requires authentication."}}'
    )
    assert response.json == UNAUTHORIZED
    assert response.headers.getall("WWW-Authenticate") == [
        'Keystone uri="http://localhost/identity"'
    ]
    assert not has_version_headers(response)
    assert REQUEST_ID.match(response.headers["x-openstack-request-id"])


def test_expired_token_is_401():
    w = World()
    client = w.demo
    real_now = w.cloud.identity.now
    w.cloud.identity.now = lambda: real_now() + TOKEN_LIFETIME
    assert client.get(f"{API}/servers").status_int == 401


def test_policy_refusal_is_forbidden_with_version_headers(demo):
    response = demo.get(f"{API}/os-services", microversion="2.53")
    assert response.status_int == 403
    assert response.json == {
        "forbidden": {
            "code": 403,
            "message": "Policy doesn't allow os_compute_api:os-services:list to be performed.",
        }
    }
    assert response.headers["OpenStack-API-Version"] == "compute 2.53"


def test_success_content_type_has_no_charset_but_faults_do(demo):
    assert demo.get(f"{API}/servers").headers["Content-Type"] == "application/json"
    missing = demo.get(f"{API}/servers/{MISSING}")
    assert missing.headers["Content-Type"] == "application/json; charset=UTF-8"


def test_request_ids_are_equal_and_an_incoming_one_is_not_echoed(demo):
    incoming = "req-11111111-2222-3333-4444-555555555555"
    response = demo.get(f"{API}/servers", headers={"X-OpenStack-Request-ID": incoming})
    rid = response.headers["x-openstack-request-id"]
    assert REQUEST_ID.match(rid)
    assert response.headers["x-compute-request-id"] == rid
    assert rid != incoming


def test_request_ids_are_deterministic_per_cloud():
    def first_id() -> str:
        return World().demo.get(f"{API}/flavors").headers["x-openstack-request-id"]

    assert first_id() == first_id()


def test_unexpected_error_is_a_500_compute_fault(demo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug in the fake")

    monkeypatch.setattr(flavors, "_listed", broken)
    response = demo.get(f"{API}/flavors", microversion="2.61")
    assert response.status_int == 500
    body = response.json["computeFault"]
    assert body["code"] == 500
    assert body["message"] == (
        "Unexpected API Error. Please contact the administrator\n"
        "<class 'nova.exception.NovaException'>"
    )
    assert response.headers["OpenStack-API-Version"] == "compute 2.61"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (400, "badRequest"),
        (401, "unauthorized"),
        (403, "forbidden"),
        (404, "itemNotFound"),
        (405, "badMethod"),
        (406, "computeFault"),
        (409, "conflictingRequest"),
        (413, "overLimit"),
        (415, "badMediaType"),
        (429, "overLimit"),
        (500, "computeFault"),
        (501, "notImplemented"),
        (503, "serviceUnavailable"),
    ],
)
def test_fault_name_follows_the_code(code, name):
    assert faults.ApiFault(code, "why").body() == {name: {"code": code, "message": "why"}}
