"""Keystone's implied roles: bootstrap's chain (admin, manager, member, reader), an admin's
additions and removals, and tokens that follow them (keystone 30's ``api/roles.py`` and
``role_inferences.py``, its default policy and fault texts)."""

from __future__ import annotations

import pytest
from test_identity_admin_api import Cloud, as_token, fault, login

V3 = "/identity/v3"


@pytest.fixture
def w() -> Cloud:
    return Cloud()


def _names(inference: dict) -> tuple[str, list[str]]:
    implies = inference["implies"]
    return inference["prior_role"]["name"], [r["name"] for r in implies]


def test_bootstrap_s_chain(w: Cloud) -> None:
    rules = w.admin.get(f"{V3}/role_inferences").json["role_inferences"]
    assert [_names(r) for r in rules] == [
        ("member", ["reader"]),
        ("manager", ["member"]),
        ("admin", ["manager"]),
    ]
    admin, manager = w.roles["admin"], w.roles["manager"]
    listed = w.admin.get(f"{V3}/roles/{admin}/implies").json
    assert listed["links"] == {"self": f"http://localhost{V3}/roles/{admin}/implies"}
    prior = listed["role_inference"]["prior_role"]
    assert prior == {
        "id": admin,
        "links": {"self": f"http://localhost{V3}/roles/{admin}"},
        "name": "admin",
    }
    one = w.admin.get(f"{V3}/roles/{admin}/implies/{manager}").json["role_inference"]
    assert one["implies"]["name"] == "manager"
    assert w.admin.request("HEAD", f"{V3}/roles/{admin}/implies/{manager}").status_int == 204


def test_an_admin_adds_and_removes_an_implication_and_tokens_follow(w: Cloud) -> None:
    creator = w.admin.post(f"{V3}/roles", {"role": {"name": "creator"}}).json["role"]["id"]
    reader = w.roles["reader"]
    made = w.admin.put(f"{V3}/roles/{creator}/implies/{reader}")
    assert made.status_int == 201
    assert made.json["role_inference"]["implies"]["id"] == reader
    again = w.admin.put(f"{V3}/roles/{creator}/implies/{reader}")
    assert fault(again) == (
        409,
        "Conflict",
        "Conflict occurred attempting to store implied_role - Duplicate entry.",
    )
    p1 = w.p1["id"]
    (u2,) = [w.admin.post(f"{V3}/users", {"user": {"name": "u2", "password": "pw"}}).json["user"]]
    assert w.admin.put(f"{V3}/projects/{p1}/users/{u2['id']}/roles/{creator}").status_int == 204
    scope = {"project": {"id": p1}}
    roles = login(w, "u2", "pw", scope).json["token"]["roles"]
    assert sorted(r["name"] for r in roles) == ["creator", "reader"]
    assert w.admin.delete(f"{V3}/roles/{creator}/implies/{reader}").status_int == 204
    roles = login(w, "u2", "pw", scope).json["token"]["roles"]
    assert [r["name"] for r in roles] == ["creator"]
    gone = w.admin.get(f"{V3}/roles/{creator}/implies/{reader}")
    assert fault(gone) == (404, "Not Found", f"{creator} does not imply {reader}.")


def test_refusals_in_keystone_s_order(w: Cloud) -> None:
    reader, admin = w.roles["reader"], w.roles["admin"]
    assert fault(w.admin.put(f"{V3}/roles/{reader}/implies/{admin}")) == (
        403,
        "Forbidden",
        f"{admin} cannot be an implied roles.",
    )
    # the roles are looked up for the policy's target: an unknown one is a 404 for anyone
    assert fault(w.demo.get(f"{V3}/roles/nope/implies"))[:2] == (404, "Not Found")
    assert fault(w.demo.get(f"{V3}/roles/{admin}/implies")) == (
        403,
        "Forbidden",
        "You are not authorized to perform the requested action: identity:list_implied_roles.",
    )
    assert fault(w.demo.get(f"{V3}/role_inferences"))[0] == 403
    assert fault(w.client().get(f"{V3}/role_inferences"))[0] == 401
    system = as_token(w, login(w, "admin", "secret", {"system": {"all": True}}))
    assert system.get(f"{V3}/role_inferences").status_int == 200
    rules_before = w.admin.get(f"{V3}/role_inferences").json
    assert fault(w.demo.put(f"{V3}/roles/{reader}/implies/{w.roles['member']}"))[0] == 403
    assert w.admin.get(f"{V3}/role_inferences").json == rules_before


def test_a_deleted_role_takes_its_implications(w: Cloud) -> None:
    creator = w.admin.post(f"{V3}/roles", {"role": {"name": "creator"}}).json["role"]["id"]
    assert w.admin.put(f"{V3}/roles/{creator}/implies/{w.roles['member']}").status_int == 201
    assert w.admin.delete(f"{V3}/roles/{creator}").status_int == 204
    rules = w.admin.get(f"{V3}/role_inferences").json["role_inferences"]
    assert [r["prior_role"]["name"] for r in rules] == ["member", "manager", "admin"]
