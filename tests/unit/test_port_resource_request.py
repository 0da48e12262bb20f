"""Ports with a resource request: the Network service's QoS policies, minimum-bandwidth rules
and ``resource_request`` (neutron 29.0.0 ``services/qos/qos_plugin.py``, neutron-lib 5.0.1's
API definitions, validators and ``placement/utils.py``), and what Nova 34's compute API does
with such a port (``nova/compute/api.py`` ``_validate_and_build_base_options``,
``nova/compute/manager.py`` ``_allocate_port_resource_for_instance``), as the oracle answered.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from fakenova.scenarios import QOS_PORT_ID
from fakenova.testing import World, snapshot

N = "/networking/v2.0"
V = "/compute/v2.1"
OLD_VERSION = (
    "Creating servers with ports having resource requests, like a port with a QoS minimum "
    "bandwidth policy, is not supported until microversion 2.72."
)


@pytest.fixture
def w() -> World:
    world = World("ports-with-resource-request", vm="vm1")
    for client in (world.demo, world.admin):  # their tokens, before any snapshot
        client.get(f"{N}/qos/policies")
    return world


def fault(response: Any, status: int) -> tuple[str, str]:
    assert response.status_int == status, response.text
    (body,) = response.json.values()
    return body["type"], body["message"]


def policy_id(w: World) -> str:
    (policy,) = w.demo.get(f"{N}/qos/policies").json["policies"]
    return str(policy["id"])


def request_of(w: World, port_id: str = QOS_PORT_ID) -> Any:
    return w.admin.get(f"{N}/ports/{port_id}").json["port"]["resource_request"]


def boot(w: World, mv: str, port_id: str = QOS_PORT_ID, who: str = "demo") -> Any:
    body = {
        "server": {
            "name": "vm2",
            "imageRef": str(w.cloud.settings.images[0]["id"]),
            "flavorRef": "1",
            "networks": [{"port": port_id}],
        }
    }
    return w.client(who).post(f"{V}/servers", body, microversion=mv)


# -- the Network service ------------------------------------------------------------------


def test_the_resource_request_is_an_admins_and_follows_the_policys_rules(w: World) -> None:
    (port,) = w.demo.get(f"{N}/ports?name=qos-port").json["ports"]
    assert port["qos_policy_id"] == policy_id(w) and "resource_request" not in port
    group_id = str(
        uuid.uuid5(uuid.UUID(QOS_PORT_ID), w.cloud.network.qos_policies[policy_id(w)].rules[0].id)
    )
    assert request_of(w) == {
        "request_groups": [
            {
                "id": group_id,
                "required": ["CUSTOM_NETWORK_TUNNEL_PROVIDER", "CUSTOM_VNIC_TYPE_NORMAL"],
                "resources": {"NET_BW_EGR_KILOBIT_PER_SEC": 1000},
            }
        ],
        "same_subtree": [group_id],
    }
    rule = {"minimum_bandwidth_rule": {"min_kbps": 2000, "direction": "ingress"}}
    made = w.admin.post(f"{N}/qos/policies/{policy_id(w)}/minimum_bandwidth_rules", rule)
    assert made.status_int == 201
    assert made.json["minimum_bandwidth_rule"]["direction"] == "ingress"
    (group,) = request_of(w)["request_groups"]
    assert group["resources"] == {
        "NET_BW_EGR_KILOBIT_PER_SEC": 1000,
        "NET_BW_IGR_KILOBIT_PER_SEC": 2000,
    }
    assert group["id"] != group_id  # derived from every rule of the group


def test_a_port_without_a_policy_has_no_request(w: World) -> None:
    (port,) = w.demo.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    assert port["qos_policy_id"] is None
    assert request_of(w, port["id"]) is None
    changed = w.demo.put(f"{N}/ports/{QOS_PORT_ID}", {"port": {"qos_policy_id": None}})
    assert changed.status_int == 200 and changed.json["port"]["qos_policy_id"] is None
    assert request_of(w) is None
    again = w.demo.put(f"{N}/ports/{QOS_PORT_ID}", {"port": {"qos_policy_id": policy_id(w)}})
    assert again.status_int == 200 and request_of(w) is not None


def test_a_policy_without_rules_asks_for_nothing(w: World) -> None:
    made = w.admin.post(f"{N}/qos/policies", {"policy": {"name": "empty", "shared": "true"}})
    assert made.status_int == 201
    assert made.json["policy"] | {"id": "x"} == made.json["policy"] | {
        "id": "x",
        "name": "empty",
        "shared": True,
        "rules": [],
        "is_default": False,
    }
    network = w.demo.get(f"{N}/networks").json["networks"][0]["id"]
    port = {"port": {"network_id": network, "qos_policy_id": made.json["policy"]["id"]}}
    created = w.demo.post(f"{N}/ports", port)
    assert created.status_int == 201
    assert request_of(w, created.json["port"]["id"]) is None


def test_only_an_admin_makes_policies_and_rules(w: World) -> None:
    before = snapshot(w.cloud)
    refused = w.demo.post(f"{N}/qos/policies", {"policy": {"name": "mine"}})
    assert fault(refused, 403) == (
        "PolicyNotAuthorized",
        "rule:create_policy is disallowed by policy",
    )
    rule = {"minimum_bandwidth_rule": {"min_kbps": 1}}
    refused = w.demo.post(f"{N}/qos/policies/{policy_id(w)}/minimum_bandwidth_rules", rule)
    assert fault(refused, 403)[0] == "PolicyNotAuthorized"
    assert snapshot(w.cloud) == before


def test_a_policy_not_shared_is_not_found_by_another_project(w: World) -> None:
    made = w.admin.post(f"{N}/qos/policies", {"policy": {"name": "private"}})
    hidden = made.json["policy"]["id"]
    assert fault(w.demo.get(f"{N}/qos/policies/{hidden}"), 404) == (
        "QosPolicyNotFound",
        f"QoS policy {hidden} could not be found.",
    )
    network = w.demo.get(f"{N}/networks").json["networks"][0]["id"]
    before = snapshot(w.cloud)
    port = {"port": {"network_id": network, "qos_policy_id": hidden}}
    assert fault(w.demo.post(f"{N}/ports", port), 404)[0] == "QosPolicyNotFound"
    update = {"port": {"qos_policy_id": hidden}}
    assert fault(w.demo.put(f"{N}/ports/{QOS_PORT_ID}", update), 404)[0] == "QosPolicyNotFound"
    assert snapshot(w.cloud) == before


def test_one_rule_per_direction(w: World) -> None:
    path = f"{N}/qos/policies/{policy_id(w)}/minimum_bandwidth_rules"
    (existing,) = w.admin.get(path).json["minimum_bandwidth_rules"]
    conflict = w.admin.post(path, {"minimum_bandwidth_rule": {"min_kbps": 5}})
    assert fault(conflict, 409) == (
        "QoSRulesConflict",
        f"Rule minimum_bandwidth conflicts with rule {existing['id']} which already exists "
        f"in QoS Policy {policy_id(w)}.",
    )


@pytest.mark.parametrize(
    ("rule", "kind", "message"),
    [
        (
            {},
            "HTTPBadRequest",
            "Failed to parse request. Required attribute 'min_kbps' not specified",
        ),
        (
            {"min_kbps": "lots"},
            "InvalidInput",
            "Invalid input for operation: 'lots' is not an integer.",
        ),
        (
            {"min_kbps": None},
            "InvalidInput",
            "Invalid input for operation: 'None' is not an integer.",
        ),
        (
            {"min_kbps": -1},
            "HTTPBadRequest",
            "Invalid input for min_kbps. Reason: '-1' is too small - must be at least '0'.",
        ),
        (
            {"min_kbps": 2**31},
            "HTTPBadRequest",
            "Invalid input for min_kbps. Reason: '2147483648' is too large - must be no larger "
            "than '2147483647'.",
        ),
        (
            {"min_kbps": 1, "direction": "up"},
            "HTTPBadRequest",
            "Invalid input for direction. Reason: up is not in valid_values.",
        ),
        ({"min_kbps": 1, "max_kbps": 2}, "HTTPBadRequest", "Unrecognized attribute(s) 'max_kbps'"),
    ],
)
def test_a_bad_rule_is_refused(w: World, rule: dict[str, Any], kind: str, message: str) -> None:
    before = snapshot(w.cloud)
    path = f"{N}/qos/policies/{policy_id(w)}/minimum_bandwidth_rules"
    assert fault(w.admin.post(path, {"minimum_bandwidth_rule": rule}), 400) == (kind, message)
    assert snapshot(w.cloud) == before


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (
            {"policy": {"shared": "maybe"}},
            "InvalidInput",
            "Invalid input for operation: 'maybe' cannot be converted to boolean.",
        ),
        (
            {"policy": {"name": 7}},
            "HTTPBadRequest",
            "Invalid input for name. Reason: '7' is not a valid string.",
        ),
        ({"policy": {"rules": []}}, "HTTPBadRequest", "Unrecognized attribute(s) 'rules'"),
        ({"qos": {}}, "HTTPBadRequest", "Unable to find 'policy' in request body"),
    ],
)
def test_a_bad_policy_is_refused(w: World, body: Any, kind: str, message: str) -> None:
    before = snapshot(w.cloud)
    assert fault(w.admin.post(f"{N}/qos/policies", body), 400) == (kind, message)
    assert snapshot(w.cloud) == before


def test_a_policy_id_that_is_no_uuid_is_refused(w: World) -> None:
    before = snapshot(w.cloud)
    refused = w.demo.put(f"{N}/ports/{QOS_PORT_ID}", {"port": {"qos_policy_id": "abc"}})
    assert fault(refused, 400) == (
        "HTTPBadRequest",
        "Invalid input for qos_policy_id. Reason: 'abc' is not a valid UUID.",
    )
    assert snapshot(w.cloud) == before


# -- the Compute API ------------------------------------------------------------------------


@pytest.mark.parametrize("mv", ["2.1", "2.71"])
def test_creating_with_the_port_before_2_72_is_refused(w: World, mv: str) -> None:
    before = snapshot(w.cloud)
    refused = boot(w, mv)
    assert refused.status_int == 400
    assert refused.json == {"badRequest": {"code": 400, "message": OLD_VERSION}}
    assert snapshot(w.cloud) == before


def test_a_port_without_a_request_is_fine_before_2_72(w: World) -> None:
    w.demo.put(f"{N}/ports/{QOS_PORT_ID}", {"port": {"qos_policy_id": None}})
    assert boot(w, "2.71").status_int == 202
    w.settle()
    assert w.cloud.network.ports[QOS_PORT_ID].device_id  # bound to the new server


def test_from_2_72_the_server_finds_no_host_with_bandwidth(w: World) -> None:
    accepted = boot(w, "2.72")
    assert accepted.status_int == 202
    w.settle()
    server = w.demo.get(f"{V}/servers/{accepted.json['server']['id']}", microversion="2.72")
    shown = server.json["server"]
    assert shown["status"] == "ERROR"
    assert shown["fault"]["message"] == "No valid host was found. "
    assert w.cloud.network.ports[QOS_PORT_ID].device_id == ""  # the port is left as it was


def test_attaching_the_port_fails_on_the_host_and_is_recorded(w: World) -> None:
    body = {"interfaceAttachment": {"port_id": QOS_PORT_ID}}
    refused = w.demo.post(f"{V}/servers/{w.vm.uuid}/os-interface", body)
    assert refused.status_int == 400
    assert refused.json["badRequest"]["message"] == (
        f"Failed to allocate additional resources to {w.vm.uuid} during interface attach"
    )
    assert w.cloud.network.ports[QOS_PORT_ID].device_id == ""
    actions = w.demo.get(f"{V}/servers/{w.vm.uuid}/os-instance-actions").json["instanceActions"]
    assert [(a["action"], a["message"]) for a in actions] == [
        ("attach_interface", "Error"),
        ("create", None),
    ]
    request_id = actions[0]["request_id"]
    path = f"{V}/servers/{w.vm.uuid}/os-instance-actions/{request_id}"
    (event,) = w.admin.get(path, microversion="2.51").json["instanceAction"]["events"]
    assert (event["event"], event["result"]) == ("compute_attach_interface", "Error")


def test_a_locked_server_is_refused_before_the_host_is_asked(w: World) -> None:
    assert w.act({"lock": None}).status_int == 202
    before = snapshot(w.cloud)
    body = {"interfaceAttachment": {"port_id": QOS_PORT_ID}}
    refused = w.demo.post(f"{V}/servers/{w.vm.uuid}/os-interface", body)
    assert refused.status_int == 409
    assert snapshot(w.cloud) == before
