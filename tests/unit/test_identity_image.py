"""Identity (Keystone) and Image (Glance) as far as real clients use them.

Facts come from Keystone 30 and Glance 33 sources (the releases of Nova 34's cycle) and from
keystonemiddleware, which guards Glance as it guards Nova.
"""

from __future__ import annotations

import pytest

from fakenova.testing import Client, World

TOKENS = "/identity/v3/auth/tokens"
CIRROS = "70a599e0-31e7-49b7-b260-868f441e862b"


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def anonymous(world) -> Client:
    return world.client()


def password_auth(user: str, password: str, project: str) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "domain": {"id": "default"}, "password": password}
                },
            },
            "scope": {"project": {"name": project, "domain": {"id": "default"}}},
        }
    }


# --- identity ----------------------------------------------------------------------------------


def test_identity_root_is_300_with_location(anonymous):
    response = anonymous.get("/identity")
    assert response.status_int == 300
    assert response.headers["Location"] == "http://localhost/identity/v3/"
    (v3,) = response.json["versions"]["values"]
    assert list(v3) == ["id", "status", "updated", "links", "media-types"]
    assert v3["id"] == "v3.14"
    assert v3["status"] == "stable"
    assert v3["links"] == [{"rel": "self", "href": "http://localhost/identity/v3/"}]


def test_identity_v3_document(anonymous):
    response = anonymous.get("/identity/v3")
    assert response.status_int == 200
    assert response.json["version"]["id"] == "v3.14"
    assert response.json["version"]["media-types"] == [
        {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
    ]


def test_password_token_carries_scope_roles_and_catalog(anonymous):
    response = anonymous.post(TOKENS, password_auth("demo", "secret", "demo"))
    assert response.status_int == 201
    assert response.headers["X-Subject-Token"].startswith("gAAAA")
    token = response.json["token"]
    assert token["user"]["name"] == "demo"
    assert token["project"]["name"] == "demo"
    assert token["project"]["domain"] == {"id": "default", "name": "Default"}
    assert sorted(r["name"] for r in token["roles"]) == ["member", "reader"]
    assert token["expires_at"].endswith("Z")
    urls = {entry["type"]: entry["endpoints"][0] for entry in token["catalog"]}
    assert urls["compute"]["url"] == "http://localhost/compute/v2.1"
    assert urls["image"]["url"] == "http://localhost/image"
    assert urls["identity"]["url"] == "http://localhost/identity"
    for endpoint in urls.values():
        assert endpoint["interface"] == "public"
        assert endpoint["region_id"] == "RegionOne"


def test_admin_token_has_the_admin_role(anonymous):
    token = anonymous.post(TOKENS, password_auth("admin", "secret", "admin")).json["token"]
    assert "admin" in {r["name"] for r in token["roles"]}


@pytest.mark.parametrize(
    ("user", "password", "project"),
    [("demo", "wrong", "demo"), ("nobody", "secret", "demo"), ("demo", "secret", "admin")],
)
def test_bad_credentials_or_scope_is_keystones_401(anonymous, user, password, project):
    response = anonymous.post(TOKENS, password_auth(user, password, project))
    assert response.status_int == 401
    assert response.json == {
        "error": {
            "code": 401,
            "message": "The request you have made requires authentication.",
            "title": "Unauthorized",
        }
    }
    # Keystone points at its own v3 endpoint, unlike keystonemiddleware.
    assert response.headers["WWW-Authenticate"] == 'Keystone uri="http://localhost/identity/v3"'
    assert "X-Subject-Token" not in response.headers


def test_malformed_auth_request_is_400(anonymous):
    response = anonymous.post(TOKENS, {"auth": {}})
    assert response.status_int == 400
    assert response.json["error"]["code"] == 400
    assert "WWW-Authenticate" not in response.headers


def test_token_validation(world):
    # identity:validate_token: an admin, a service, or the token's own user
    client = world.admin
    subject = world.alt.token
    assert world.alt.get(TOKENS, headers={"X-Subject-Token": subject}).status_int == 200
    refused = world.demo.get(TOKENS, headers={"X-Subject-Token": subject})
    assert refused.status_int == 403
    ok = client.get(TOKENS, headers={"X-Subject-Token": subject})
    assert ok.status_int == 200
    assert ok.headers["X-Subject-Token"] == subject
    assert ok.json["token"]["user"]["name"] == "alt_demo"

    missing = client.get(TOKENS, headers={"X-Subject-Token": "gAAAAbogus"})
    assert missing.status_int == 404
    assert missing.json["error"]["message"] == "Could not find token: gAAAAbogus."

    anonymous = world.client().get(TOKENS, headers={"X-Subject-Token": subject})
    assert anonymous.status_int == 401


def test_identity_unknown_path_is_404(anonymous):
    assert anonymous.get("/identity/v2.0/tenants").status_int == 404


def test_unknown_service_prefix_is_404(anonymous):
    assert anonymous.get("/volume/v3").status_int == 404


# --- image -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/image", "/image/", "/image/v3/images"])
def test_image_version_negotiation_lists_versions_with_300(anonymous, path):
    response = anonymous.get(path)
    assert response.status_int == 300
    versions = response.json["versions"]
    assert versions[0] == {
        "id": "v2.18",
        "status": "CURRENT",
        "links": [{"rel": "self", "href": "http://localhost/image/v2/"}],
    }
    assert [v["id"] for v in versions][-1] == "v2.0"
    assert {v["status"] for v in versions[1:]} == {"SUPPORTED"}


def test_image_versions_path_is_200(anonymous):
    response = anonymous.get("/image/versions")
    assert response.status_int == 200
    assert response.json["versions"][0]["id"] == "v2.18"


def test_image_api_without_token_is_keystonemiddlewares_401(anonymous):
    response = anonymous.get("/image/v2/images")
    assert response.status_int == 401
    assert response.json == {
        "error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "The request you have made requires authentication.",
        }
    }
    assert response.headers["WWW-Authenticate"] == 'Keystone uri="http://localhost/identity"'


def test_image_lookups_clients_make(world):
    demo = world.demo
    by_id = demo.get(f"/image/v2/images/{CIRROS}")
    assert by_id.status_int == 200
    name = by_id.json["name"]
    assert by_id.json["self"] == f"/v2/images/{CIRROS}"

    by_name = demo.get(f"/image/v2/images?name={name}")
    assert [i["id"] for i in by_name.json["images"]] == [CIRROS]
    assert by_name.json["schema"] == "/v2/schemas/images"

    by_ids = demo.get(f"/image/v2/images?id=in:{CIRROS},nope")
    assert [i["id"] for i in by_ids.json["images"]] == [CIRROS]

    # a name is first tried as an id (openstackclient does this), and Glance says 404
    assert demo.get(f"/image/v2/images/{name}").status_int == 404


def test_image_minor_version_in_the_url_is_accepted(world):
    demo = world.demo
    response = demo.get(f"/image/v2.17/images/{CIRROS}")
    assert response.status_int == 200
    assert response.json["id"] == CIRROS
