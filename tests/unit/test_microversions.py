"""Microversion negotiation, checked against what Nova 34 answers (nova-oracle).

Every expectation here was observed on the real Nova 34.0.0 API: which header wins, how
``latest`` and the legacy header behave, which strings are malformed (400, no version headers)
and which are out of range (406, the requested version echoed back).
"""

from __future__ import annotations

import json
import re

import pytest

from fakenova.compute.api import microversions as mv
from fakenova.testing import Client, World

SERVERS = "/compute/v2.1/servers"
REQUEST_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def demo() -> Client:
    return World().demo


def served(response) -> str:
    """The microversion an answer was rendered for, after checking both headers agree."""
    legacy = response.headers["X-OpenStack-Nova-API-Version"]
    assert response.headers["OpenStack-API-Version"] == f"compute {legacy}"
    return legacy


def vary(response) -> list[str]:
    return response.headers.getall("Vary")


def test_no_header_is_the_minimum(demo):
    response = demo.get(SERVERS)
    assert response.status_int == 200
    assert served(response) == "2.1"


def test_two_vary_headers_name_both_version_headers(demo):
    # Nova adds one Vary header per name (a client joins them with ", ").
    assert vary(demo.get(SERVERS)) == ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version"]


def test_latest_is_the_maximum(demo):
    response = demo.get(SERVERS, microversion="latest")
    assert response.status_int == 200
    assert served(response) == "2.104"


@pytest.mark.parametrize(("value", "expected"), [("2.50", "2.50"), ("latest", "2.104")])
def test_legacy_header_alone_is_honoured(demo, value, expected):
    response = demo.get(SERVERS, headers={"X-OpenStack-Nova-API-Version": value})
    assert response.status_int == 200
    assert served(response) == expected


def test_standard_header_wins_over_legacy(demo):
    response = demo.get(
        SERVERS,
        headers={"OpenStack-API-Version": "compute 2.60", "X-OpenStack-Nova-API-Version": "2.50"},
    )
    assert served(response) == "2.60"


def test_malformed_standard_header_fails_even_with_a_good_legacy_one(demo):
    response = demo.get(
        SERVERS,
        headers={"OpenStack-API-Version": "compute abc", "X-OpenStack-Nova-API-Version": "2.5"},
    )
    assert response.status_int == 400


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("OpenStack-API-Version", "image 2.5"),
        ("OpenStack-API-Version", "compute"),
        ("OpenStack-API-Version", ""),
    ],
)
def test_no_compute_version_means_the_minimum(demo, header, value):
    response = demo.get(SERVERS, headers={header: value})
    assert response.status_int == 200
    assert served(response) == "2.1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("image 2.5, compute 2.30", "2.30"),  # one header, several services
        ("Compute 2.30", "2.30"),  # the service type is case-insensitive
        ("compute  2.3 ", "2.3"),  # surrounding blanks are ignored
        ("compute 2.1", "2.1"),
        ("compute 2.104", "2.104"),
    ],
)
def test_accepted_headers(demo, value, expected):
    response = demo.get(SERVERS, headers={"OpenStack-API-Version": value})
    assert response.status_int == 200
    assert served(response) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("compute 2.01", "2.01"),  # no leading zero in the minor number
        ("compute 2.010", "2.010"),
        ("compute 2", "2"),
        ("compute abc", "abc"),
        ("compute -2.5", "-2.5"),
        ("COMPUTE Latest", "Latest"),  # only the service type is case-insensitive
    ],
)
def test_malformed_version_is_400_without_version_headers(demo, value, shown):
    response = demo.get(SERVERS, headers={"OpenStack-API-Version": value})
    assert response.status_int == 400
    assert response.content_type == "application/json"
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json == {
        "badRequest": {
            "code": 400,
            "message": f"API Version String {shown} is of invalid format. "
            "Must be of format MajorNum.MinorNum.",
        }
    }
    assert "OpenStack-API-Version" not in response.headers
    assert "X-OpenStack-Nova-API-Version" not in response.headers
    assert vary(response) == []
    assert REQUEST_ID.match(response.headers["x-openstack-request-id"])


@pytest.mark.parametrize("version", ["2.0", "1.5", "3.0", "2.105", "2.999"])
def test_out_of_range_version_is_406_echoing_the_request(demo, version):
    response = demo.get(SERVERS, microversion=version)
    assert response.status_int == 406
    assert (
        response.body
        == json.dumps(
            {
                "computeFault": {
                    "code": 406,
                    "message": f"Version {version} is not supported by the API. "
                    "Minimum is 2.1 and maximum is 2.104.",
                }
            }
        ).encode()
    )
    assert served(response) == version
    assert vary(response) == ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version"]


def test_legacy_header_out_of_range_is_406_too(demo):
    response = demo.get(SERVERS, headers={"X-OpenStack-Nova-API-Version": "2.999"})
    assert response.status_int == 406
    assert served(response) == "2.999"


def test_negotiate_without_a_request():
    assert mv.negotiate({}) == mv.MINIMUM
    assert str(mv.negotiate({"openstack-api-version": "compute 2.96"})) == "2.96"
    assert mv.Version.parse("2.10") > mv.Version.parse("2.9")
    assert mv.Version.parse("2.47").at_least("2.47")
    with pytest.raises(mv.UnsupportedVersion):
        mv.negotiate({"OpenStack-API-Version": "compute 2.105"})
    with pytest.raises(mv.MalformedVersion):
        mv.negotiate({"OpenStack-API-Version": "compute 2.x"})


# --- version documents --------------------------------------------------------------------


def test_v21_document_is_microversioned_and_needs_no_token():
    anonymous = World().client()
    for path in ("/compute/v2.1", "/compute/v2.1/"):
        response = anonymous.get(path, microversion="2.50")
        assert response.status_int == 200
        assert served(response) == "2.50"
        assert REQUEST_ID.match(response.headers["x-compute-request-id"])
        assert response.json == {
            "version": {
                "id": "v2.1",
                "status": "CURRENT",
                "version": "2.104",
                "min_version": "2.1",
                "updated": "2013-07-23T11:33:21Z",
                "links": [
                    {"rel": "self", "href": "http://localhost/compute/v2.1/"},
                    {
                        "rel": "describedby",
                        "type": "text/html",
                        "href": "http://docs.openstack.org/",
                    },
                ],
                "media-types": [
                    {
                        "base": "application/json",
                        "type": "application/vnd.openstack.compute+json;version=2.1",
                    }
                ],
            }
        }
    # any method answers the same document
    assert anonymous.post("/compute/v2.1").status_int == 200


def test_v21_document_rejects_bad_versions_like_the_api():
    anonymous = World().client()
    assert anonymous.get("/compute/v2.1", microversion="2.999").status_int == 406
    response = anonymous.get("/compute/v2.1/", microversion="abc")
    assert response.status_int == 400
    assert "OpenStack-API-Version" not in response.headers


@pytest.mark.parametrize("path", ["/compute/", "/compute"])
def test_version_root_ignores_microversions_and_has_no_request_id(path):
    anonymous = World().client()
    response = anonymous.get(path, microversion="2.999")
    assert response.status_int == 200
    assert response.headers["Content-Type"] == "application/json"
    for name in (
        "OpenStack-API-Version",
        "X-OpenStack-Nova-API-Version",
        "Vary",
        "x-openstack-request-id",
        "x-compute-request-id",
    ):
        assert name not in response.headers
    versions = {v["id"]: v for v in response.json["versions"]}
    assert versions["v2.1"] == {
        "id": "v2.1",
        "status": "CURRENT",
        "version": "2.104",
        "min_version": "2.1",
        "updated": "2013-07-23T11:33:21Z",
        "links": [{"rel": "self", "href": "http://localhost/compute/v2.1/"}],
    }
    assert versions["v2.0"]["status"] == "DEPRECATED"
    assert versions["v2.0"]["links"] == [{"rel": "self", "href": "http://localhost/compute/v2/"}]


def test_v2_document_is_not_microversioned():
    response = World().client().get("/compute/v2/", microversion="2.999")
    assert response.status_int == 200
    assert response.json["version"]["id"] == "v2.0"
    assert response.json["version"]["links"][0] == {
        "rel": "self",
        "href": "http://localhost/compute/v2/",
    }
    assert "OpenStack-API-Version" not in response.headers
    assert "x-compute-request-id" in response.headers


def test_unknown_top_level_path_is_300_choices():
    response = World().client().get("/compute/foo")
    assert response.status_int == 300
    assert "x-openstack-request-id" not in response.headers
    choices = response.json["choices"]
    assert [(c["id"], c["status"]) for c in choices] == [
        ("v2.0", "DEPRECATED"),
        ("v2.1", "CURRENT"),
    ]
    # Nova joins the version with the whole request path, mount point included.
    assert choices[1]["links"] == [
        {"rel": "self", "href": "http://localhost/compute/v2.1/compute/foo"}
    ]
    assert choices[1]["media-types"][0]["type"] == (
        "application/vnd.openstack.compute+json;version=2.1"
    )


# --- a version named by media type (Nova's urlmap) ------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "document"),
    [
        ("Accept", "application/json;version=2.1", "v2.1"),
        ("Accept", "application/vnd.openstack.compute+json;version=2.1", "v2.1"),
        ("Accept", "application/json;version=2", "v2.0"),
        ("Content-Type", "application/json;version=2.1", "v2.1"),
        # the best entry of Accept decides: a higher quality, then the less wildcarded
        ("Accept", "application/json;version=2;q=0.5, */*;version=2.1", "v2.1"),
        ("Accept", "*/*;version=2, application/json;version=2.1", "v2.1"),
    ],
)
def test_a_version_named_by_media_type_answers_its_document(header, value, document):
    response = World().client().get("/compute/servers", headers={header: value})
    assert response.status_int == 200
    assert response.json["version"]["id"] == document
    assert "x-compute-request-id" in response.headers


def test_the_version_root_named_by_media_type_is_that_version_document():
    headers = {"Accept": "application/json;version=2.1"}
    response = World().client().get("/compute/", headers=headers, microversion="2.50")
    assert response.json["version"]["id"] == "v2.1"
    assert served(response) == "2.50"


@pytest.mark.parametrize("value", ["application/json;version=2.5", "text/html;version=2.1"])
def test_a_version_no_mount_serves_leaves_the_300(value):
    response = World().client().get("/compute/servers", headers={"Accept": value})
    assert response.status_int == 300


def test_the_url_wins_over_the_media_type():
    headers = {"Accept": "application/json;version=2"}
    response = World().client().as_user("demo").get("/compute/v2.1/flavors/1", headers=headers)
    assert response.json["flavor"]["id"] == "1"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/vnd.openstack.compute+json", "application/vnd.openstack.compute+json"),
        (
            "application/json;q=0.5, application/vnd.openstack.compute+json",
            "application/vnd.openstack.compute+json",
        ),
        # at equal quality the type Nova lists first wins
        ("application/vnd.openstack.compute+json, application/json", "application/json"),
        ("*/*", "application/json"),
    ],
)
def test_answers_come_in_the_media_type_accept_prefers(accept, content_type):
    demo = World().client().as_user("demo")
    response = demo.get("/compute/v2.1/flavors/1", headers={"Accept": accept})
    assert response.headers["Content-Type"] == content_type
    assert World().client().get("/compute/", headers={"Accept": accept}).content_type == (
        content_type
    )


def test_faults_are_json_whatever_accept_asks():
    demo = World().client().as_user("demo")
    accept = {"Accept": "application/vnd.openstack.compute+json"}
    response = demo.get("/compute/v2.1/flavors/nope", headers=accept)
    assert response.status_int == 404
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
