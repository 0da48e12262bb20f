"""Flavors: list queries, private flavors and their access lists, create/update/delete and
extra specs, with the answers and texts Nova 34 gave the oracle (fidelity/scenarios/flavors)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.resources import extra_spec_rules
from fakenova.testing import fault, snapshot

V = "/compute/v2.1"


class World(testing.World):
    def project(self, name: str) -> str:
        return self.cloud.identity.projects[name].id

    def ids(self, path: str, who: str = "demo", mv: str | None = None) -> list[str]:
        answer = self.client(who).get(f"{V}{path}", microversion=mv)
        assert answer.status_int == 200, answer.text
        return [f["id"] for f in answer.json["flavors"]]

    def create(self, mv: str = "2.1", who: str = "admin", **flavor: Any) -> Any:
        body = {"name": "p1", "ram": 256, "vcpus": 1, "disk": 2, **flavor}
        return self.client(who).post(f"{V}/flavors", {"flavor": body}, microversion=mv)

    def share(self, flavor: str, project: str, who: str = "admin", mv: str = "2.1") -> Any:
        body = {"addTenantAccess": {"tenant": project}}
        return self.client(who).post(f"{V}/flavors/{flavor}/action", body, microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


ALL = ["1", "2", "3", "4", "42", "5", "84"]


def test_lists_page_filter_and_sort(w: World) -> None:
    assert w.ids("/flavors") == ALL
    page = w.demo.get(f"{V}/flavors?limit=2&marker=2").json
    assert [f["id"] for f in page["flavors"]] == ["3", "4"]
    assert page["flavors_links"][0]["href"].endswith("/v2.1/flavors?limit=2&marker=4")
    assert w.ids("/flavors?limit=0") == []
    assert w.ids("/flavors/detail?minRam=2048") == ["2", "3", "4", "5"]
    assert w.ids("/flavors/detail?minDisk=40") == ["3", "4", "5"]
    assert w.ids("/flavors?sort_key=name&sort_dir=desc") == ["5", "1", "2", "42", "84", "3", "4"]
    # Ties are broken by the row id, in the same direction.
    assert w.ids("/flavors?sort_key=vcpus") == ["1", "2", "42", "84", "3", "4", "5"]
    assert w.ids("/flavors?sort_key=vcpus&sort_dir=desc&marker=4") == ["3", "84", "42", "2", "1"]
    assert w.ids("/flavors?name=^m1.n", mv="2.102") == ["42"]
    assert w.ids("/flavors?name=^m1.n") == ALL  # stripped before 2.102


@pytest.mark.parametrize(
    ("query", "mv", "message"),
    [
        ("marker=nope", None, "marker [nope] not found"),
        ("minRam=abc", None, "Invalid minRam filter [abc]"),
        ("minDisk=1.5", None, "Invalid minDisk filter [1.5]"),
        ("sort_dir=up", None, "Invalid input for query parameters sort_dir. Value: up. "
         "'up' is not one of ['asc', 'desc']"),
        ("limit=-1", None, "Invalid input for query parameters limit. Value: -1. "
         "'-1' does not match '^[0-9]*$'"),
        ("foo=1", "2.75", "Additional properties are not allowed ('foo' was unexpected)"),
        ("name=x", "2.80", "Additional properties are not allowed ('name' was unexpected)"),
    ],
)  # fmt: skip
def test_bad_list_queries(w: World, query: str, mv: str | None, message: str) -> None:
    assert fault(w.demo.get(f"{V}/flavors?{query}", microversion=mv), 400) == message


def test_a_private_flavor_is_seen_by_admins_and_the_projects_it_is_shared_with(w: World) -> None:
    created = w.create(**{"id": "p1", "os-flavor-access:is_public": False})
    assert created.status_int == 200
    assert created.json["flavor"]["os-flavor-access:is_public"] is False
    assert "p1" not in w.ids("/flavors")
    assert fault(w.demo.get(f"{V}/flavors/p1"), 404) == "Flavor p1 could not be found."
    assert "p1" not in w.ids("/flavors", who="admin")  # public (and shared) by default
    assert w.ids("/flavors?is_public=false", who="admin") == ["p1"]
    assert w.ids("/flavors?is_public=none", who="admin") == [*ALL, "p1"]
    assert w.ids("/flavors?is_public=false") == ALL  # a member's is_public is ignored
    bad = w.admin.get(f"{V}/flavors?is_public=bogus")
    assert fault(bad, 400) == "Invalid is_public filter [bogus]"

    demo = w.project("demo")
    shared = w.share("p1", demo)
    assert shared.json == {"flavor_access": [{"flavor_id": "p1", "tenant_id": demo}]}
    again = w.share("p1", demo)
    assert fault(again, 409) == (
        f"Flavor access already exists for flavor 8 and project {demo} combination."
    )
    assert "p1" in w.ids("/flavors")
    assert w.demo.get(f"{V}/flavors/p1").status_int == 200
    assert w.demo.get(f"{V}/flavors/p1/os-extra_specs").json == {"extra_specs": {}}
    assert fault(w.alt.get(f"{V}/flavors/p1"), 404) == "Flavor p1 could not be found."
    listed = w.admin.get(f"{V}/flavors/p1/os-flavor-access").json
    assert listed == {"flavor_access": [{"flavor_id": "p1", "tenant_id": demo}]}

    alt = w.project("alt_demo")
    body = {"removeTenantAccess": {"tenant": alt}}
    missing = w.admin.post(f"{V}/flavors/p1/action", body)
    assert fault(missing, 404) == f"Flavor access not found for 8 / {alt} combination."
    body = {"removeTenantAccess": {"tenant": demo}}
    assert w.admin.post(f"{V}/flavors/p1/action", body).json == {"flavor_access": []}
    assert fault(w.demo.get(f"{V}/flavors/p1"), 404) == "Flavor p1 could not be found."


def test_access_lists_of_public_flavors(w: World) -> None:
    public = w.admin.get(f"{V}/flavors/1/os-flavor-access")
    assert fault(public, 404) == "Access list not available for public flavors."
    refused = w.share("1", w.project("demo"), mv="2.7")
    assert fault(refused, 409) == "Can not add access to a public flavor."
    assert w.share("1", w.project("demo"), mv="2.6").status_int == 200
    unknown = w.admin.post(f"{V}/flavors/1/action", {"fooAccess": {"tenant": "x"}})
    assert fault(unknown, 400) == "There is no such action: fooAccess"


@pytest.mark.parametrize(
    ("method", "path", "body", "rule"),
    [
        ("post", "/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0}},
         "os-flavor-manage:create"),
        ("delete", "/flavors/1", None, "os-flavor-manage:delete"),
        ("put", "/flavors/1", {"flavor": {"description": "x"}}, "os-flavor-manage:update"),
        ("get", "/flavors/1/os-flavor-access", None, "os-flavor-access"),
        ("post", "/flavors/1/action", {"addTenantAccess": {"tenant": "x"}},
         "os-flavor-access:add_tenant_access"),
        ("post", "/flavors/1/action", {"removeTenantAccess": {"tenant": "x"}},
         "os-flavor-access:remove_tenant_access"),
        ("post", "/flavors/1/os-extra_specs", {"extra_specs": {"a": "1"}},
         "os-flavor-extra-specs:create"),
        ("put", "/flavors/1/os-extra_specs/a", {"a": "1"}, "os-flavor-extra-specs:update"),
        ("delete", "/flavors/42/os-extra_specs/hw_rng:allowed", None,
         "os-flavor-extra-specs:delete"),
    ],
)  # fmt: skip
def test_members_change_nothing(w: World, method: str, path: str, body: Any, rule: str) -> None:
    demo = w.demo  # logged in before the snapshot
    before = snapshot(w.cloud)
    kwargs = {} if body is None else {"body": body}
    answer = getattr(demo, method)(f"{V}{path}", microversion="2.55", **kwargs)
    assert fault(answer, 403) == f"Policy doesn't allow os_compute_api:{rule} to be performed."
    assert snapshot(w.cloud) == before


def test_create_per_microversion(w: World) -> None:
    old = w.create(id="d1", swap=16, rxtx_factor=2.5).json["flavor"]
    assert (old["swap"], old["rxtx_factor"]) == (16, 2.5)
    assert "description" not in old
    described = w.create(mv="2.55", name="d2", description="small one").json["flavor"]
    assert described["description"] == "small one"
    numeric = w.create(mv="2.75", name="n1", id=100, ram="128").json["flavor"]
    assert (numeric["id"], numeric["ram"], numeric["swap"], numeric["extra_specs"]) == (
        "100",
        128,
        0,
        {},
    )
    generated = w.create(mv="2.61", name="g1").json["flavor"]["id"]
    assert w.admin.get(f"{V}/flavors/{generated}").status_int == 200
    assert fault(w.create(name="g1"), 409) == "Flavor with name g1 already exists."


@pytest.mark.parametrize(
    ("mv", "flavor", "code", "message"),
    [
        ("2.1", {"id": "1"}, 409, "Flavor with ID 1 already exists."),
        ("2.1", {"name": "m1.tiny"}, 409, "Flavor with name m1.tiny already exists."),
        ("2.1", {"ram": 0}, 400,
         "Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1"),
        ("2.1", {"name": "  "}, 400, "An invalid 'name' value was provided. The name must be: "
         "printable characters. Can not start or end with whitespace."),
        ("2.1", {"id": "a/b"}, 400, "Invalid input for field/attribute id. Value: a/b. 'a/b' "
         "does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'"),
        ("2.102", {"rxtx_factor": 1.0}, 400, "Invalid input for field/attribute flavor. Value: "
         "{'name': 'p1', 'ram': 256, 'vcpus': 1, 'disk': 2, 'rxtx_factor': 1.0}. Additional "
         "properties are not allowed ('rxtx_factor' was unexpected)"),
    ],
)  # fmt: skip
def test_bad_creates(w: World, mv: str, flavor: dict[str, Any], code: int, message: str) -> None:
    assert w.admin  # logged in before the snapshot
    before = snapshot(w.cloud)
    assert fault(w.create(mv=mv, **flavor), code) == message
    assert snapshot(w.cloud) == before


def test_description_update_and_delete(w: World) -> None:
    w.create(mv="2.55", id="d1", description="old")
    put = w.admin.put(f"{V}/flavors/d1", {"flavor": {"description": "new"}}, microversion="2.55")
    assert put.json["flavor"]["description"] == "new"
    below = w.admin.put(f"{V}/flavors/d1", {"flavor": {"description": "x"}}, microversion="2.54")
    assert fault(below, 404) == "The resource could not be found."
    missing = w.admin.put(f"{V}/flavors/no", {"flavor": {"description": "x"}}, microversion="2.55")
    assert fault(missing, 404) == "Flavor no could not be found."
    deleted = w.admin.delete(f"{V}/flavors/d1")
    assert (deleted.status_int, deleted.body) == (202, b"")
    assert fault(w.admin.delete(f"{V}/flavors/d1"), 404) == "Flavor d1 could not be found."


def test_extra_specs_are_written_and_validated_from_2_86(w: World) -> None:
    path = f"{V}/flavors/1/os-extra_specs"
    specs = {"hw:cpu_policy": "dedicated", "hw:numa_nodes": 2, "custom": "anything"}
    created = w.admin.post(path, {"extra_specs": specs}, microversion="2.86")
    assert created.json == {"extra_specs": specs}  # numbers stay numbers in the echo
    assert w.demo.get(f"{path}/hw:numa_nodes").json == {"hw:numa_nodes": "2"}
    before = snapshot(w.cloud)
    for bad, message in [
        ({"hw:cpu_policy": "bogus"}, "'bogus' is not one of: dedicated, shared, mixed."),
        ({"hw:numa_nodes": "two"}, "'two' is not a valid integer value."),
        ({"hw_rng:allowed": "maybe"}, "'maybe' is not a valid boolean-like value."),
        ({"trait:HW_CPU_X86_AVX2": "wanted"}, "'wanted' is not one of: required, forbidden."),
        (
            {"hw:nonsense": "1"},
            "extra spec 'hw:nonsense' does not appear to be a valid extra spec.",
        ),
    ]:
        answer = w.admin.post(path, {"extra_specs": bad}, microversion="2.86")
        assert fault(answer, 400) == f"Validation failed; {message}"
    long = w.admin.post(path, {"extra_specs": {"a": 10**300}})
    assert fault(long, 400) == "extra_specs value has 301 characters, more than 255."
    assert snapshot(w.cloud) == before
    unvalidated = {"hw:cpu_policy": "bogus", "hw:nonsense": "1"}
    assert w.admin.post(path, {"extra_specs": unvalidated}, microversion="2.85").status_int == 200

    one = w.admin.put(f"{path}/hw:cpu_policy", {"hw:cpu_policy": "shared"}, microversion="2.86")
    assert one.json == {"hw:cpu_policy": "shared"}
    mismatch = w.admin.put(f"{path}/hw:cpu_policy", {"hw:mem_page_size": "large"})
    assert fault(mismatch, 400) == "Request body and URI mismatch"
    gone = w.admin.delete(f"{path}/custom")
    assert (gone.status_int, gone.body) == (200, b"")
    again = w.admin.delete(f"{path}/custom")
    assert fault(again, 404) == "Flavor 1 has no extra specs with key custom."
    shown = w.admin.get(f"{V}/flavors/1", microversion="2.61").json["flavor"]["extra_specs"]
    assert shown == {"hw:cpu_policy": "shared", "hw:numa_nodes": "2", "hw:nonsense": "1"}


def test_extra_spec_names_without_a_pattern_have_no_pattern_characters() -> None:
    """The validator looks such a name up by name alone: as a pattern, it would match no
    other name (so table order cannot give a different answer)."""
    rows = json.loads(extra_spec_rules.TABLE.read_text())["specs"]
    literal = [row["name"] for row in rows if "regex" not in row]
    assert len(literal) > 100
    assert [name for name in literal if not re.fullmatch(r"[\w:-]+", name)] == []


def test_a_private_flavor_is_missing_to_boots_and_resizes_until_shared(w: World) -> None:
    w.create(**{"id": "p1", "os-flavor-access:is_public": False})
    refused = w.create_server("s0", mv="2.37", flavorRef="p1", networks="none")
    assert fault(refused, 400) == "Flavor p1 could not be found."
    server = w.create_server("s1", mv="2.37", networks="none").json["server"]["id"]
    w.settle()
    resize = {"resize": {"flavorRef": "p1"}}
    answer = w.demo.post(f"{V}/servers/{server}/action", resize)
    assert fault(answer, 400) == "Flavor p1 could not be found."
    w.share("p1", w.project("demo"))
    assert w.demo.post(f"{V}/servers/{server}/action", resize).status_int == 202
    booted = w.create_server("s2", mv="2.37", flavorRef="p1", networks="none")
    assert booted.status_int == 202, booted.text
