"""APIs Nova removed but still routes: 410 Gone from every route, whoever asks, at any
microversion, without reading the body or looking the server up (seen on Nova 34 through the
oracle; ``fidelity/scenarios/removed_apis.yaml`` replays them)."""

from __future__ import annotations

import pytest

from fakenova import testing
from fakenova.compute.api.controllers import removed
from fakenova.compute.urls import VERSIONED
from fakenova.testing import fault, snapshot

V = "/compute"
GONE = "This resource is no longer available. No forwarding address is given."
GONE_ROUTES = [(m, t) for m, t, handler in VERSIONED if handler is removed.gone_route]


@pytest.fixture(scope="module")
def w() -> testing.World:
    world = testing.World(vm="vm1")
    assert world.demo.token and world.admin.token  # logged in before the snapshots
    return world


def _path(w: testing.World, template: str) -> str:
    return V + template.replace("{server_id}", w.vm.uuid).replace("{", "x").replace("}", "")


def test_the_removed_routes_are_nova_s_list() -> None:
    assert len(GONE_ROUTES) == 46
    assert {t.split("/")[2] for _, t in GONE_ROUTES} >= {"os-agents", "os-cells", "os-fping"}


@pytest.mark.parametrize(("method", "template"), GONE_ROUTES)
def test_every_method_is_gone_for_a_member_and_an_admin(
    w: testing.World, method: str, template: str
) -> None:
    before = snapshot(w.cloud)
    body = {} if method in ("POST", "PUT") else None
    for client, version in ((w.demo, "2.1"), (w.admin, "2.104")):
        answer = client.request(method, _path(w, template), body=body, microversion=version)
        assert fault(answer, 410) == GONE
        assert answer.json["computeFault"]["code"] == 410
        assert answer.headers["OpenStack-API-Version"] == f"compute {version}"
    assert snapshot(w.cloud) == before


def test_a_query_on_a_removed_get_is_nova_s_own_500(w: testing.World) -> None:
    # The query schema is an empty mapping, which Nova's validation cannot read.
    answer = w.demo.get(V + "/v2.1/os-agents?hypervisor=kvm")
    unexpected = "Unexpected API Error. Please contact the administrator\n<class 'KeyError'>"
    assert fault(answer, 500) == unexpected
    assert fault(w.demo.post(V + "/v2.1/os-cloudpipe?x=1", {}), 410) == GONE


@pytest.mark.parametrize(
    ("path", "known"),
    [
        ("/v2.1/os-fixed-ips/10.0.0.3/action", "reserve"),
        ("/v2.1/os-networks/1/action", "associate_host"),
    ],
)
def test_an_action_is_found_by_its_key_first(w: testing.World, path: str, known: str) -> None:
    assert fault(w.demo.post(V + path, {known: None}), 410) == GONE
    assert fault(w.demo.post(V + path, {"fly": None}), 400) == "There is no such action: fly"
    assert fault(w.demo.post(V + path, {}), 400) == "Malformed request body"
