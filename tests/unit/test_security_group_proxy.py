"""The compute API's security-group proxy (``os-security-groups``, ``os-security-group-rules``)
up to 2.35, and its 404 from 2.36.

Seen on the oracle: the 404 from 2.36, the schema refusals and Nova's own checks before it
asks Neutron ("Security group id should be uuid"). Its test Neutron cannot answer the rest
(a 500), so the other sentences are read in ``nova/network/security_group_api.py`` (Nova's
rule checks; Neutron's 404 kept, its 409 as a 400 on delete and a 403 on create) and
``nova/api/openstack/compute/security_groups.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import World, fault, snapshot

SG = "/compute/v2.1/os-security-groups"
RULES = "/compute/v2.1/os-security-group-rules"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def w() -> World:
    world = World(vm="vm1")
    world.demo.get(SG)  # the default group exists
    return world


def test_gone_from_2_36(w: World) -> None:
    for method, path in (("GET", SG), ("GET", f"{SG}/{UNKNOWN}"), ("POST", RULES)):
        answer = w.demo.request(method, path, microversion="2.36")
        assert fault(answer, 404) == "The resource could not be found."


def test_group_and_rule_lifecycle(w: World) -> None:
    made = w.demo.post(SG, {"security_group": {"name": "web", "description": "w"}})
    assert made.status_int == 200, made.text
    group = made.json["security_group"]
    assert (group["name"], group["rules"]) == ("web", [])  # egress rules are not shown
    rule = {"parent_group_id": group["id"], "ip_protocol": "tcp", "from_port": 22,
            "to_port": 22, "cidr": "10.0.0.0/8"}  # fmt: skip
    created = w.demo.post(RULES, {"security_group_rule": rule})
    assert created.status_int == 200, created.text
    body = created.json["security_group_rule"]
    assert (body["from_port"], body["to_port"], body["ip_range"]) == (
        22,
        22,
        {"cidr": "10.0.0.0/8"},
    )
    again = w.demo.post(RULES, {"security_group_rule": rule})
    assert fault(again, 400) == f"This rule already exists in group {group['id']}"
    changed = w.demo.put(
        f"{SG}/{group['id']}", {"security_group": {"name": "w2", "description": ""}}
    )
    assert changed.json["security_group"]["name"] == "w2"
    names = [g["name"] for g in w.demo.get(SG).json["security_groups"]]
    assert names == ["default", "w2"]
    assert fault(w.alt.get(f"{SG}/{group['id']}"), 404) == (
        f"Security group {group['id']} does not exist"
    )
    assert w.demo.delete(f"{RULES}/{body['id']}").status_int == 202
    assert w.demo.delete(f"{SG}/{group['id']}").status_int == 202
    assert fault(w.demo.get(f"{SG}/{group['id']}"), 404) == (
        f"Security group {group['id']} does not exist"
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("GET", f"{SG}/abc", None, 400, "Security group id should be uuid"),
        ("DELETE", f"{SG}/abc", None, 400, "Security group id should be uuid"),
        ("DELETE", f"{RULES}/abc", None, 400, "Security group id should be uuid"),
        ("DELETE", f"{RULES}/{UNKNOWN}", None, 404,
         f"Security group rule {UNKNOWN} does not exist"),
        ("POST", SG, {"security_group": {"name": "default", "description": ""}}, 403,
         "Default security group already exists."),
        ("POST", SG, {"security_group": {"name": "x"}}, 400,
         "Invalid input for field/attribute security_group. Value: {'name': 'x'}. "
         "'description' is a required property"),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": UNKNOWN}}, 404,
         f"Security group {UNKNOWN} does not exist"),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": "{default}"}}, 400,
         "Not enough parameters to build a valid rule."),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": "{default}",
                                                 "ip_protocol": "tcp", "from_port": 9,
                                                 "to_port": 1}}, 400,
         "Invalid port range 9:1. Former value cannot be greater than the later"),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": "{default}",
                                                 "ip_protocol": "gre", "from_port": 1,
                                                 "to_port": 2}}, 400,
         "Invalid IP protocol gre."),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": "{default}",
                                                 "ip_protocol": "tcp", "from_port": "a",
                                                 "to_port": 2}}, 400,
         "Invalid input received: To and From ports must be integers"),
        ("POST", RULES, {"security_group_rule": {"parent_group_id": "{default}",
                                                 "ip_protocol": "tcp", "from_port": 1,
                                                 "to_port": 2, "cidr": "nope"}}, 400,
         "nope is not a valid IP network."),
    ],
)  # fmt: skip
def test_refusals_change_nothing(
    w: World, method: str, path: str, body: Any, status: int, message: str
) -> None:
    default = w.demo.get(SG).json["security_groups"][0]["id"]
    if body and "security_group_rule" in body:
        rule = body["security_group_rule"]
        rule["parent_group_id"] = rule["parent_group_id"].replace("{default}", default)
    before = snapshot(w.cloud)
    assert fault(w.demo.request(method, path, body=body), status) == message
    assert snapshot(w.cloud) == before


def test_the_default_group_cannot_be_deleted_by_a_member(w: World) -> None:
    default = w.demo.get(SG).json["security_groups"][0]["id"]
    refused = w.demo.delete(f"{SG}/{default}")
    assert fault(refused, 400) == "Insufficient rights for removing default security group."
