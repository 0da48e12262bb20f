"""Nova's legacy ``/v2.1/{project_id}/...`` URLs: every route below the caller's project id,
Nova's 400 for another project's, and links that name the project when the URL does."""

from __future__ import annotations

import re

import pytest
import webob

from fakenova.compute.urls import VERSIONED
from fakenova.testing import API, World, fault, snapshot


@pytest.fixture
def w() -> World:
    return World(vm="vm1")


def project(w: World, user: str = "demo") -> str:
    return w.cloud.project_id(user)


def mismatch(url_project: str, context_project: str | None) -> str:
    return (
        f"Malformed request URL: URL's project_id '{url_project}' doesn't match "
        f"Context's project_id '{context_project}'"
    )


def test_every_route_is_served_below_the_project_id_too(w: World) -> None:
    pid = project(w)
    router = w.app.apps["compute"].versioned
    for method, template, _ in VERSIONED:
        plain = re.sub(r"\{\w+\}", "x1", template)
        legacy = plain.replace("/v2.1", f"/v2.1/{pid}", 1)
        found = router.match(webob.Request.blank(plain, method=method))
        below = router.match(webob.Request.blank(legacy, method=method))
        assert found is not None and below is not None, (method, template)
        assert below[0] is found[0]
        assert below[1] == {**found[1], "url_project": pid}


def test_the_same_answer_with_links_naming_the_project(w: World) -> None:
    pid = project(w)
    plain = w.demo.get(f"{API}/servers/{w.vm.uuid}").json["server"]
    legacy = w.demo.get(f"{API}/{pid}/servers/{w.vm.uuid}").json["server"]
    host = "http://localhost/compute"
    assert legacy["links"] == [
        {"rel": "self", "href": f"{host}/v2.1/{pid}/servers/{w.vm.uuid}"},
        {"rel": "bookmark", "href": f"{host}/{pid}/servers/{w.vm.uuid}"},
    ]
    assert legacy["flavor"]["links"][0]["href"] == f"{host}/{pid}/flavors/1"
    for server in (plain, legacy):
        for link in (server["links"], server["flavor"]["links"], server["image"]["links"]):
            link.clear()
    assert plain == legacy


def test_a_project_id_anywhere_in_the_url_names_it_in_links(w: World) -> None:
    pid = project(w)
    listed = w.demo.get(f"{API}/servers/detail?limit=1&project_id={pid}").json
    assert f"/v2.1/{pid}/servers/" in listed["servers"][0]["links"][0]["href"]
    assert listed["servers_links"][0]["href"].startswith(f"http://localhost/compute/v2.1/{pid}/")


def test_a_create_answers_a_location_below_the_project_id(w: World) -> None:
    pid = project(w)
    body = {
        "server": {
            "name": "p1",
            "imageRef": w.cloud.settings.images[0]["id"],
            "flavorRef": "1",
            "networks": "none",
        }
    }
    answer = w.demo.post(f"{API}/{pid}/servers", body, microversion="2.37")
    assert answer.status_int == 202, answer.text
    uuid = answer.json["server"]["id"]
    assert answer.headers["Location"] == f"http://localhost/compute/v2.1/{pid}/servers/{uuid}"


def test_the_version_document_below_the_project_id_links_the_plain_one(w: World) -> None:
    pid = project(w)
    answer = w.demo.get(f"{API}/{pid}/")
    assert answer.status_int == 200
    assert answer.json["version"]["links"][0]["href"] == "http://localhost/compute/v2.1/"
    assert w.demo.get(f"{API}/{pid}").status_int == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/servers", None),
        ("GET", "/servers/{vm}", None),
        ("GET", "/servers/nothing", None),
        ("DELETE", "/servers/{vm}", None),
        ("POST", "/servers", {"server": {}}),
        ("POST", "/servers/{vm}/action", {"pause": None}),
    ],
)
def test_another_projects_id_is_a_400_that_changes_nothing(
    w: World, method: str, path: str, body: object
) -> None:
    alt = project(w, "alt_demo")
    demo = w.demo
    before = snapshot(w.cloud)
    answer = demo.request(method, f"{API}/{alt}" + path.format(vm=w.vm.uuid), body=body)
    assert fault(answer, 400) == mismatch(alt, project(w))
    assert snapshot(w.cloud) == before


def test_an_unknown_action_is_found_before_the_project_is_compared(w: World) -> None:
    alt = project(w, "alt_demo")
    answer = w.demo.post(f"{API}/{alt}/servers/{w.vm.uuid}/action", {"nothing": None})
    assert fault(answer, 400) == "There is no such action: nothing"


def test_a_token_without_a_project_never_matches(w: World) -> None:
    system = w.client().as_user("admin", scope={"system": {"all": True}})
    answer = system.get(f"{API}/{project(w)}/flavors")
    assert fault(answer, 400) == mismatch(project(w), None)


@pytest.mark.parametrize("segment", ["ABCDEF", "demo", "not_hex"])
def test_only_hex_digits_and_dashes_make_a_project_id(w: World, segment: str) -> None:
    assert w.demo.get(f"{API}/{segment}/servers").status_int == 404
