"""Keystone's catalog API, read-only: the services, endpoints and region a token's catalog
names (keystone 30's ``api/services.py``, ``endpoints.py``, ``regions.py``, its default policy
and fault texts; devstack's service names and descriptions)."""

from __future__ import annotations

import pytest
from test_identity_admin_api import Cloud, as_token, fault, login

V3 = "/identity/v3"


@pytest.fixture
def w() -> Cloud:
    return Cloud()


def test_services_and_endpoints_are_the_tokens_catalog(w: Cloud) -> None:
    catalog = w.admin.get(f"{V3}/auth/catalog").json["catalog"]
    services = w.admin.get(f"{V3}/services").json["services"]
    assert [(s["id"], s["type"], s["name"]) for s in services] == [
        (c["id"], c["type"], c["name"]) for c in catalog
    ]
    nova = w.admin.get(f"{V3}/services/{services[0]['id']}").json["service"]
    assert nova == services[0]
    assert list(nova) == ["name", "description", "id", "type", "enabled", "links"]
    assert nova["description"] == "Nova Compute Service"
    keystone = next(s for s in services if s["type"] == "identity")
    assert "description" not in keystone  # keystone-manage bootstrap gives it none
    endpoints = w.admin.get(f"{V3}/endpoints").json["endpoints"]
    assert [(e["id"], e["url"], e["region"]) for e in endpoints] == [
        (c["endpoints"][0]["id"], c["endpoints"][0]["url"], c["endpoints"][0]["region"])
        for c in catalog
    ]
    one = w.admin.get(f"{V3}/endpoints/{endpoints[0]['id']}").json["endpoint"]
    assert one == endpoints[0] and one["service_id"] == services[0]["id"]


def test_list_filters(w: Cloud) -> None:
    by_type = w.admin.get(f"{V3}/services?type=image").json["services"]
    assert [s["name"] for s in by_type] == ["glance"]
    assert w.admin.get(f"{V3}/services?name=nothing").json["services"] == []
    glance = by_type[0]["id"]
    endpoints = w.admin.get(f"{V3}/endpoints?service_id={glance}").json["endpoints"]
    assert [e["url"] for e in endpoints] == ["http://localhost/image"]
    assert w.admin.get(f"{V3}/endpoints?interface=internal").json["endpoints"] == []
    assert w.admin.get(f"{V3}/regions?parent_region_id=x").json["regions"] == []
    assert w.admin.get(f"{V3}/regions?parent_region_id=None").json["regions"] == []


def test_refusals_in_keystones_order(w: Cloud) -> None:
    bad = w.admin.get(f"{V3}/endpoints?interface=bogus")
    assert fault(bad) == (
        400,
        "Bad Request",
        "Invalid input for field/attribute interface. Value: bogus. "
        "'bogus' is not one of ['admin', 'internal', 'public']",
    )
    extra = w.demo.get(f"{V3}/regions?foo=1")
    assert fault(extra)[:2] == (400, "Bad Request")
    assert fault(w.client().get(f"{V3}/regions?foo=1"))[0] == 401  # the token comes first
    for path, action in (("services", "list_services"), ("endpoints", "list_endpoints")):
        assert fault(w.demo.get(f"{V3}/{path}")) == (
            403,
            "Forbidden",
            f"You are not authorized to perform the requested action: identity:{action}.",
        )
    assert fault(w.demo.get(f"{V3}/services/nope"))[0] == 403  # before the lookup
    assert fault(w.admin.get(f"{V3}/services/nope")) == (
        404,
        "Not Found",
        "Could not find service: nope.",
    )
    assert fault(w.admin.get(f"{V3}/endpoints/nope"))[2] == "Could not find endpoint: nope."
    assert fault(w.demo.get(f"{V3}/regions/Atlantis"))[2] == "Could not find region: Atlantis."


def test_who_reads_the_catalog(w: Cloud) -> None:
    region = {"id": "RegionOne", "description": "", "parent_region_id": None}
    listed = w.demo.get(f"{V3}/regions").json["regions"]
    assert [{k: r[k] for k in region} for r in listed] == [region]
    assert w.alt.get(f"{V3}/regions/RegionOne").status_int == 200
    system = as_token(w, login(w, "admin", "secret", {"system": {"all": True}}))
    assert system.get(f"{V3}/services").status_int == 200
    # scope_types leave the domain out for services and endpoints, not for regions
    (u1,) = w.admin.get(f"{V3}/users?name=u1").json["users"]
    grant = f"{V3}/domains/default/users/{u1['id']}/roles/{w.roles['admin']}"
    assert w.admin.put(grant).status_int == 204
    domain = as_token(w, login(w, "u1", "pw", {"domain": {"id": "default"}}))
    assert fault(domain.get(f"{V3}/endpoints"))[0] == 403
    assert domain.get(f"{V3}/regions").status_int == 200


def test_a_query_that_is_not_utf8_is_read_with_replacement_characters(w: Cloud) -> None:
    # Werkzeug decodes it so, and Keystone filters on what it read: nothing matches.
    answer = w.admin.get(f"{V3}/services?type=%ff")
    assert answer.status_int == 200 and answer.json["services"] == []
    assert w.admin.get(f"{V3}/services?%ff=1").status_int == 200
