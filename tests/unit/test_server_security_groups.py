"""A server's security groups through the compute API (``GET /servers/{id}/os-security-groups``,
``addSecurityGroup``, ``removeSecurityGroup``) and through the real clients.

Nova's answers to the bad bodies, the unknown server and the strict query of 2.102 were seen on
the oracle (``fidelity/scenarios/security_groups.yaml`` replays them); its sentences for an
unknown or unassociated group are those of ``nova/network/security_group_api.py``, its body
shape that of ``nova/api/openstack/compute/security_groups.py`` (ingress rules only, a group
rule naming its source group, the list sorted by project and name).
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import World, fault, mock_cloud, snapshot

N = "/networking/v2.0"

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


@pytest.fixture
def w() -> World:
    return World(vm="vm1")


def groups(w: World, who: str = "demo") -> list[dict[str, Any]]:
    answer = w.client(who).get(w.path + "/os-security-groups")
    assert answer.status_int == 200, answer.text
    return answer.json["security_groups"]


def test_the_default_group_in_novas_shape(w: World) -> None:
    (group,) = groups(w)
    project = w.cloud.project_id("demo")
    assert (group["name"], group["tenant_id"]) == ("default", project)
    assert group["description"] == "Default security group"
    assert len(group["rules"]) == 2  # the ingress rules only
    for rule in group["rules"]:
        assert rule["parent_group_id"] == group["id"]
        assert rule["group"] == {"name": "default", "tenant_id": project}
        assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == (None, None, None)
        assert rule["ip_range"] == {}
    assert groups(w, "admin") == [group]


def test_a_tcp_rule_without_ports_spans_every_port(w: World) -> None:
    web = w.demo.post(f"{N}/security-groups", {"security_group": {"name": "web"}})
    web_id = web.json["security_group"]["id"]
    rule = {"security_group_id": web_id, "direction": "ingress", "protocol": "tcp"}
    assert w.demo.post(f"{N}/security-group-rules", {"security_group_rule": rule}).status_int == 201
    assert w.act({"addSecurityGroup": {"name": "web"}}).status_int == 202
    default, web_group = groups(w)
    assert (default["name"], web_group["name"]) == ("default", "web")
    (tcp,) = web_group["rules"]
    assert (tcp["ip_protocol"], tcp["from_port"], tcp["to_port"]) == ("tcp", 1, 65535)
    assert tcp["ip_range"] == {"cidr": "0.0.0.0/0"} and tcp["group"] == {}
    shown = w.demo.get(w.path).json["server"]["security_groups"]
    assert shown == [{"name": "default"}, {"name": "web"}]
    (port,) = w.demo.get(f"{N}/ports").json["ports"]
    assert port["security_groups"] == [default["id"], web_id]


def test_add_and_remove(w: World) -> None:
    assert w.act({"addSecurityGroup": {"name": "default"}}).status_int == 202  # already on
    assert len(groups(w)) == 1
    assert w.act({"removeSecurityGroup": {"name": "default"}}).status_int == 202
    assert groups(w) == []
    again = w.act({"removeSecurityGroup": {"name": "default"}})
    assert fault(again, 404) == (
        f"Security group default not associated with the instance {w.vm.uuid}"
    )
    assert w.act({"addSecurityGroup": {"name": "default"}}).status_int == 202
    assert [g["name"] for g in groups(w)] == ["default"]


@pytest.mark.parametrize(
    ("body", "who", "status", "message"),
    [
        ({"addSecurityGroup": {"name": "nosuch"}}, "demo", 404,
         "Security group nosuch is not found for project {project}"),
        ({"removeSecurityGroup": {"name": "nosuch"}}, "demo", 404,
         "Security group nosuch is not found for project {project}"),
        ({"addSecurityGroup": {"name": ""}}, "demo", 400,
         "Invalid input for field/attribute name. Value: . '' should be non-empty"),
        ({"addSecurityGroup": {}}, "demo", 400,
         "Invalid input for field/attribute addSecurityGroup. Value: {}. 'name' is a required "
         "property"),
        ({"addSecurityGroup": None}, "demo", 400,
         "Invalid input for field/attribute addSecurityGroup. Value: None. None is not of type "
         "'object'"),
        ({"addSecurityGroup": {"name": "default"}}, "alt", 404,
         "Instance {vm} could not be found."),
        ({"removeSecurityGroup": {"name": "default"}}, "alt", 404,
         "Instance {vm} could not be found."),
    ],
)  # fmt: skip
def test_refusals_change_nothing(
    w: World, body: dict[str, Any], who: str, status: int, message: str
) -> None:
    groups(w)  # the default group and the caller's token exist before the snapshot
    w.client(who)
    before = snapshot(w.cloud)
    answer = w.act(body, who=who)
    expected = message.replace("{project}", w.cloud.project_id("demo"))
    expected = expected.replace("{vm}", w.vm.uuid)
    assert fault(answer, status) == expected
    assert snapshot(w.cloud) == before


def test_another_projects_group_is_unknown(w: World) -> None:
    made = w.alt.post(f"{N}/security-groups", {"security_group": {"name": "alts"}})
    theirs = made.json["security_group"]["id"]
    answer = w.act({"addSecurityGroup": {"name": theirs}})
    demo = w.cloud.project_id("demo")
    assert fault(answer, 404) == f"Security group {theirs} is not found for project {demo}"
    listing = w.alt.get(w.path + "/os-security-groups")
    assert fault(listing, 404) == f"Instance {w.vm.uuid} could not be found."


def test_query_is_strict_from_2102(w: World) -> None:
    assert w.demo.get(w.path + "/os-security-groups?foo=1", microversion="2.101").status_int == 200
    strict = w.demo.get(w.path + "/os-security-groups?foo=1", microversion="2.102")
    assert fault(strict, 400) == "Additional properties are not allowed ('foo' was unexpected)"


# -- the real clients -------------------------------------------------------------------------


def test_openstack_cli_network_port_and_security_group_lists() -> None:
    with mock_cloud() as cloud:
        cloud.world.boot("vm1")
        networks = cloud.openstack("network list -f value -c Name")
        assert (networks.exit_code, networks.stdout.split()) == (0, ["private", "public"])
        ports = cloud.openstack("port list -f value -c Status")
        assert (ports.exit_code, ports.stdout.split()) == (0, ["ACTIVE"])
        listed = cloud.openstack("security group list -f value -c Name -c Description")
        assert listed.exit_code == 0, listed.stderr
        assert listed.stdout.strip() == "default Default security group"
        rules = cloud.openstack("security group rule list -f value -c Direction")
        assert sorted(rules.stdout.split()) == ["egress", "egress", "ingress", "ingress"]


def test_openstack_cli_server_create_with_network_and_group_then_add_a_group() -> None:
    with mock_cloud() as cloud:
        made = cloud.openstack(
            "server create --image cirros-0.6.3-x86_64-disk --flavor m1.tiny --network private "
            "--security-group default --wait web1 -f value -c status -c addresses "
            "-c security_groups"
        )
        assert made.exit_code == 0, made.stderr
        assert made.stdout.split("\n")[:3] == [
            "{'private': ['10.0.0.10']}",
            "[{'name': 'default'}]",
            "ACTIVE",
        ]
        created = cloud.openstack("security group create web -f value -c name")
        assert created.stdout.strip() == "web"
        added = cloud.openstack("server add security group web1 web")
        assert (added.exit_code, added.stdout, added.stderr) == (0, "", "")
        shown = cloud.openstack("server show web1 -f value -c security_groups")
        assert shown.stdout.strip() == "[{'name': 'default'}, {'name': 'web'}]"
        removed = cloud.openstack("server remove security group web1 default")
        assert removed.exit_code == 0, removed.stderr
        unknown = cloud.openstack(
            "server create --image cirros-0.6.3-x86_64-disk --flavor "
            "m1.tiny --network private --security-group nosuch web2"
        )
        assert unknown.exit_code == 1
        assert "nosuch" in unknown.stderr


def test_openstacksdk_lists_a_servers_security_groups() -> None:
    with mock_cloud() as cloud:
        vm = cloud.world.boot("vm1")
        conn = cloud.connect("demo")
        found = conn.list_server_security_groups(conn.get_server(vm.uuid))
        assert [g["name"] for g in found] == ["default"]
        assert [g.name for g in conn.network.security_groups()] == ["default"]
