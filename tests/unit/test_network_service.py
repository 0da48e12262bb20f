"""The minimal Network service (Neutron v2.0 at ``/networking``) and the ports servers get.

What Neutron answers was read in its source (neutron 29.0.0, neutron-lib 5.0.1): the fault
body (``neutron/api/api_common.py``), the exceptions' sentences (``neutron_lib/exceptions``,
``neutron/extensions/securitygroup.py``), the default security group and its rule templates
(``neutron/db/securitygroups_db.py``), the version documents (``neutron/pecan_wsgi``) and the
quota API (``neutron/extensions/quotasv2.py``). What Nova does with ports: ``nova/network/
neutron.py`` and ``nova/compute/api.py`` (``_check_requested_secgroups``).
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import World, snapshot

N = "/networking/v2.0"
V = "/compute/v2.1"


def neutron_fault(response: Any, status: int) -> tuple[str, str]:
    assert response.status_int == status, response.text
    (body,) = response.json.values()
    assert set(body) == {"type", "message", "detail"} and body["detail"] == ""
    return body["type"], body["message"]


@pytest.fixture
def w() -> World:
    return World(vm="vm1")


def test_versions_and_catalog(w: World) -> None:
    anonymous = w.client()
    versions = anonymous.get("/networking/").json["versions"]
    assert versions == [
        {
            "id": "v2.0",
            "status": "CURRENT",
            "links": [{"rel": "self", "href": "http://localhost/networking/v2.0/"}],
        }
    ]
    assert anonymous.get(f"{N}/networks").status_int == 401
    token = w.demo.request("POST", "/identity/v3/auth/tokens", auth=False, body=None)
    assert token.status_int in (400, 401)
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": "demo", "domain": {"id": "default"}, "password": "secret"}
                },
            },
            "scope": {"project": {"name": "demo", "domain": {"id": "default"}}},
        }
    }
    catalog = anonymous.request("POST", "/identity/v3/auth/tokens", body=body, auth=False).json
    (network,) = [s for s in catalog["token"]["catalog"] if s["type"] == "network"]
    assert network["name"] == "neutron"
    assert network["endpoints"][0]["url"] == "http://localhost/networking"


def test_networks_and_subnets(w: World) -> None:
    net, public = w.demo.get(f"{N}/networks").json["networks"]
    assert (net["name"], net["shared"], net["status"]) == ("private", True, "ACTIVE")
    # devstack's external network: every project reads it, none but the admin's owns it.
    assert (public["name"], public["shared"], public["router:external"]) == ("public", False, True)
    assert "provider:network_type" not in net  # Neutron's policy: admins only
    assert "provider:network_type" in w.admin.get(f"{N}/networks/{net['id']}").json["network"]
    assert w.alt.get(f"{N}/networks?name=private").json["networks"][0]["id"] == net["id"]
    assert w.demo.get(f"{N}/networks?name=public").json["networks"] == [public]
    sub, public_sub = w.demo.get(f"{N}/subnets").json["subnets"]
    assert (public_sub["cidr"], public_sub["enable_dhcp"]) == ("172.24.4.0/24", False)
    assert sub["id"] == net["subnets"][0]
    assert (sub["cidr"], sub["gateway_ip"], sub["ip_version"]) == ("10.0.0.0/26", "10.0.0.1", 4)
    assert sub["allocation_pools"] == [{"start": "10.0.0.2", "end": "10.0.0.62"}]
    fields = w.demo.get(f"{N}/networks?fields=id&fields=name").json["networks"]
    assert fields == [{"id": net["id"], "name": "private"}, {"id": public["id"], "name": "public"}]
    missing = w.demo.get(f"{N}/networks/nosuch")
    assert neutron_fault(missing, 404) == ("NetworkNotFound", "Network nosuch could not be found.")
    assert neutron_fault(w.demo.get(f"{N}/subnets/x"), 404)[1] == "Subnet x could not be found."


def test_default_group_made_on_first_use_with_neutrons_rules(w: World) -> None:
    groups = w.alt.get(f"{N}/security-groups").json["security_groups"]
    (default,) = groups
    assert (default["name"], default["description"]) == ("default", "Default security group")
    rules = {
        (r["direction"], r["ethertype"], r["remote_group_id"])
        for r in default["security_group_rules"]
    }
    assert rules == {
        ("egress", "IPv4", None),
        ("egress", "IPv6", None),
        ("ingress", "IPv4", default["id"]),
        ("ingress", "IPv6", default["id"]),
    }
    # The same group on every later request; another project never sees it.
    assert w.alt.get(f"{N}/security-groups").json["security_groups"] == groups
    assert all(
        g["project_id"] != default["project_id"]
        for g in w.demo.get(f"{N}/security-groups").json["security_groups"]
    )
    hidden = w.demo.get(f"{N}/security-groups/{default['id']}")
    assert neutron_fault(hidden, 404) == (
        "SecurityGroupNotFound",
        f"Security group {default['id']} does not exist",
    )
    admin_sees = {g["id"] for g in w.admin.get(f"{N}/security-groups").json["security_groups"]}
    assert default["id"] in admin_sees


def test_group_and_rule_lifecycle(w: World) -> None:
    made = w.demo.post(f"{N}/security-groups", {"security_group": {"name": "web"}})
    assert made.status_int == 201, made.text
    web = made.json["security_group"]
    assert [r["direction"] for r in web["security_group_rules"]] == ["egress", "egress"]
    rule = {"security_group_id": web["id"], "direction": "ingress", "protocol": "tcp"}
    rule |= {"port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0"}
    created = w.demo.post(f"{N}/security-group-rules", {"security_group_rule": rule})
    assert created.status_int == 201, created.text
    rule_id = created.json["security_group_rule"]["id"]
    again = w.demo.post(f"{N}/security-group-rules", {"security_group_rule": rule})
    assert neutron_fault(again, 409) == (
        "SecurityGroupRuleExists",
        f"Security group rule already exists. Rule id is {rule_id}.",
    )
    listed = w.demo.get(f"{N}/security-group-rules?security_group_id={web['id']}").json
    assert len(listed["security_group_rules"]) == 3
    assert w.alt.delete(f"{N}/security-group-rules/{rule_id}").status_int == 404
    assert w.demo.delete(f"{N}/security-group-rules/{rule_id}").status_int == 204
    assert w.alt.delete(f"{N}/security-groups/{web['id']}").status_int == 404
    assert w.demo.delete(f"{N}/security-groups/{web['id']}").status_int == 204
    assert w.demo.get(f"{N}/security-groups/{web['id']}").status_int == 404


@pytest.mark.parametrize(
    ("path", "body", "status", "kind", "message"),
    [
        ("security-groups", None, 400, "HTTPBadRequest", "Resource body required"),
        ("security-groups", {"group": {}}, 400, "HTTPBadRequest",
         "Unable to find 'security_group' in request body"),
        ("security-groups", {"security_group": {"name": "x", "color": 1}}, 400,
         "HTTPBadRequest", "Unrecognized attribute(s) 'color'"),
        ("security-groups", {"security_group": {"name": "x" * 256}}, 400, "HTTPBadRequest",
         f"Invalid input for name. Reason: '{'x' * 256}' exceeds maximum length of 255."),
        ("security-groups", {"security_group": {"name": "default"}}, 409,
         "SecurityGroupDefaultAlreadyExists", "Default security group already exists."),
        ("security-group-rules", {"security_group_rule": {"direction": "ingress"}}, 400,
         "HTTPBadRequest",
         "Failed to parse request. Required attribute 'security_group_id' not specified"),
        ("security-group-rules",
         {"security_group_rule": {"security_group_id": "nosuch", "direction": "ingress"}}, 404,
         "SecurityGroupNotFound", "Security group nosuch does not exist"),
        ("security-group-rules",
         {"security_group_rule": {"security_group_id": "G", "direction": "up"}}, 400,
         "HTTPBadRequest", "Invalid input for direction. Reason: up is not in "
         "['ingress', 'egress']."),
        ("security-group-rules",
         {"security_group_rule": {"security_group_id": "G", "direction": "ingress",
                                  "port_range_min": 22}}, 400,
         "SecurityGroupProtocolRequiredWithPorts",
         "Must also specify protocol if port range is given."),
        ("security-group-rules",
         {"security_group_rule": {"security_group_id": "G", "direction": "ingress",
                                  "protocol": "tcp", "port_range_min": 30,
                                  "port_range_max": 20}}, 400,
         "SecurityGroupInvalidPortRange",
         "For TCP/UDP protocols, port_range_min must be <= port_range_max"),
        ("ports", {"port": {"name": "p"}}, 400, "HTTPBadRequest",
         "Failed to parse request. Required attribute 'network_id' not specified"),
        ("ports", {"port": {"network_id": "nosuch"}}, 404, "NetworkNotFound",
         "Network nosuch could not be found."),
    ],
)  # fmt: skip
def test_bad_requests_change_nothing(
    w: World, path: str, body: Any, status: int, kind: str, message: str
) -> None:
    (group,) = w.demo.get(f"{N}/security-groups").json["security_groups"]
    if (
        body
        and "security_group_rule" in body
        and body["security_group_rule"].get("security_group_id") == "G"
    ):
        body["security_group_rule"]["security_group_id"] = group["id"]
    before = snapshot(w.cloud)
    answer = w.demo.post(f"{N}/{path}", body)
    assert neutron_fault(answer, status) == (kind, message)
    assert snapshot(w.cloud) == before


def test_default_group_cannot_be_removed_by_a_member_nor_a_used_group(w: World) -> None:
    (group,) = w.demo.get(f"{N}/security-groups").json["security_groups"]
    refused = w.demo.delete(f"{N}/security-groups/{group['id']}")
    assert neutron_fault(refused, 409) == (
        "SecurityGroupCannotRemoveDefault",
        "Insufficient rights for removing default security group.",
    )
    in_use = w.admin.delete(f"{N}/security-groups/{group['id']}")
    assert neutron_fault(in_use, 409) == (
        "SecurityGroupInUse",
        f"Security Group {group['id']} in use.",
    )


def test_a_servers_port_is_bound_to_its_host_and_goes_with_it(w: World) -> None:
    (port,) = w.demo.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    assert (port["device_owner"], port["status"]) == ("compute:nova", "ACTIVE")
    assert "binding:host_id" not in port
    admin_view = w.admin.get(f"{N}/ports/{port['id']}").json["port"]
    assert admin_view["binding:host_id"] == w.vm.host == "compute1"
    address = w.demo.get(f"{V}/servers/{w.vm.uuid}").json["server"]["addresses"]["private"][0]
    assert address["addr"] == port["fixed_ips"][0]["ip_address"]
    assert address["OS-EXT-IPS-MAC:mac_addr"] == port["mac_address"]
    (default,) = w.demo.get(f"{N}/security-groups").json["security_groups"]
    assert port["security_groups"] == [default["id"]]
    assert w.alt.get(f"{N}/ports").json["ports"] == []
    hidden = w.alt.get(f"{N}/ports/{port['id']}")
    assert neutron_fault(hidden, 404) == ("PortNotFound", f"Port {port['id']} could not be found.")
    assert w.demo.delete(f"{V}/servers/{w.vm.uuid}").status_int == 204
    assert w.demo.get(f"{N}/ports").json["ports"] == []


def test_shelve_offload_unbinds_and_unshelve_binds_again(w: World) -> None:
    assert w.act({"shelve": None}).status_int == 202
    (port,) = w.admin.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    assert (port["binding:host_id"], port["status"]) == ("", "DOWN")
    assert w.act({"unshelve": None}).status_int == 202
    (port,) = w.admin.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    assert port["binding:host_id"] == w.compute.servers[w.vm.uuid].host


def test_the_port_follows_a_live_migration(w: World) -> None:
    body = {"os-migrateLive": {"host": None, "block_migration": "auto"}}
    assert w.act(body, who="admin", mv="2.25").status_int == 202
    w.settle()
    host = w.compute.servers[w.vm.uuid].host
    assert host == "compute2"
    (port,) = w.admin.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    assert (port["binding:host_id"], port["device_id"]) == (host, w.vm.uuid)


def test_boot_with_a_security_group_by_name_or_id_and_an_unknown_one() -> None:
    w = World()
    web = w.demo.post(f"{N}/security-groups", {"security_group": {"name": "web"}})
    web_id = web.json["security_group"]["id"]
    net = w.demo.get(f"{N}/networks").json["networks"][0]["id"]
    for name, ref in (("by-name", "web"), ("by-id", web_id)):
        made = w.create_server(name, networks=[{"uuid": net}], security_groups=[{"name": ref}])
        assert made.status_int == 202, made.text
        shown = w.demo.get(f"{V}/servers/{made.json['server']['id']}").json["server"]
        assert shown["security_groups"] == [{"name": "web"}]
        (port,) = w.demo.get(f"{N}/ports?device_id={shown['id']}").json["ports"]
        assert port["security_groups"] == [web_id]
    before = snapshot(w.cloud)
    refused = w.create_server("x", security_groups=[{"name": "nosuch"}])
    assert refused.status_int == 400
    assert refused.json["badRequest"]["message"] == (
        "Unable to find security_group with name or id 'nosuch'"
    )
    other = w.alt.post(f"{N}/security-groups", {"security_group": {"name": "alts"}})
    alts = other.json["security_group"]["id"]
    before = snapshot(w.cloud)
    refused = w.create_server("x", security_groups=[{"name": alts}])
    assert refused.json["badRequest"]["message"] == (
        f"Unable to find security_group with name or id '{alts}'"
    )
    assert snapshot(w.cloud) == before


def test_boot_with_a_port_the_user_made() -> None:
    w = World()
    net = w.demo.get(f"{N}/networks").json["networks"][0]["id"]
    made = w.demo.post(f"{N}/ports", {"port": {"network_id": net, "name": "mine"}})
    assert made.status_int == 201, made.text
    port = made.json["port"]
    assert (port["status"], port["device_id"]) == ("DOWN", "")
    booted = w.create_server("p1", networks=[{"port": port["id"]}])
    assert booted.status_int == 202, booted.text
    server_id = booted.json["server"]["id"]
    bound = w.demo.get(f"{N}/ports/{port['id']}").json["port"]
    assert (bound["device_id"], bound["status"]) == (server_id, "ACTIVE")
    shown = w.demo.get(f"{V}/servers/{server_id}").json["server"]
    assert shown["addresses"]["private"][0]["addr"] == port["fixed_ips"][0]["ip_address"]
    before = snapshot(w.cloud)
    in_use = w.create_server("p2", networks=[{"port": port["id"]}])
    assert in_use.status_int == 409
    assert in_use.json["conflictingRequest"]["message"] == f"Port {port['id']} is still in use."
    nosuch = "00000000-0000-4000-8000-000000000000"
    unknown = w.create_server("p3", networks=[{"port": nosuch}])
    assert unknown.json["badRequest"]["message"] == f"Port id {nosuch} could not be found."
    theirs = w.alt.post(f"{N}/ports", {"port": {"network_id": net}}).json["port"]["id"]
    before = snapshot(w.cloud)
    hidden = w.create_server("p4", networks=[{"port": theirs}])
    assert hidden.json["badRequest"]["message"] == f"Port id {theirs} could not be found."
    assert snapshot(w.cloud) == before
    # Deleting the server keeps the user's port, unbound.
    assert w.demo.delete(f"{V}/servers/{server_id}").status_int == 204
    kept = w.demo.get(f"{N}/ports/{port['id']}").json["port"]
    assert (kept["device_id"], kept["device_owner"], kept["status"]) == ("", "", "DOWN")


def test_deleting_a_servers_port_tells_nova_which_drops_its_addresses(w: World) -> None:
    """Neutron's Nova notifier sends ``network-vif-deleted`` for a deleted compute port: the
    server stops listing the port's addresses and interface; no instance action is recorded.
    A port no server holds is deleted without a word to Nova."""
    (port,) = w.demo.get(f"{N}/ports?device_id={w.vm.uuid}").json["ports"]
    actions = w.demo.get(f"{V}/servers/{w.vm.uuid}/os-instance-actions").json["instanceActions"]
    spare = w.demo.post(f"{N}/ports", {"port": {"network_id": port["network_id"]}}).json["port"]
    before = w.show()
    assert w.demo.delete(f"{N}/ports/{spare['id']}").status_int == 204
    assert w.show() == before and before["addresses"] != {}
    assert w.demo.delete(f"{N}/ports/{port['id']}").status_int == 204
    assert w.demo.get(f"{V}/servers/{w.vm.uuid}").json["server"]["addresses"] == {}
    interfaces = w.demo.get(f"{V}/servers/{w.vm.uuid}/os-interface").json["interfaceAttachments"]
    assert interfaces == []
    after = w.demo.get(f"{V}/servers/{w.vm.uuid}/os-instance-actions").json["instanceActions"]
    assert after == actions


def test_quotas(w: World) -> None:
    demo = w.cloud.project_id("demo")
    alt = w.cloud.project_id("alt_demo")
    quota = w.demo.get(f"{N}/quotas/{demo}").json["quota"]
    assert (quota["network"], quota["port"], quota["security_group"]) == (100, 500, 10)
    assert w.demo.get(f"{N}/quotas/{demo}/default").json["quota"] == quota
    details = w.demo.get(f"{N}/quotas/{demo}/details.json").json["quota"]
    assert details["port"] == {"limit": 500, "used": 1, "reserved": 0}
    assert neutron_fault(w.demo.get(f"{N}/quotas/{alt}"), 403) == (
        "PolicyNotAuthorized",
        "get_quota is disallowed by policy",
    )
    assert w.admin.get(f"{N}/quotas/{alt}").status_int == 200


def test_extensions_list_what_the_views_show_and_name_an_unknown_alias(w: World) -> None:
    # neutron/pecan_wsgi/controllers/extensions.py: the list, one by alias, and webob's 404.
    listed = w.demo.get(f"{N}/extensions").json["extensions"]
    aliases = [e["alias"] for e in listed]
    assert len(aliases) == len(set(aliases))
    assert {"security-group", "quotas", "qos", "binding", "port-resource-request"} <= set(aliases)
    # Shown only where the fake serves them: a client that finds one relies on it.
    unserved = {
        "standard-attr-tag",
        "pagination",
        "sorting",
        "binding-extended",
        "availability_zone",
    }
    assert not unserved & set(aliases)
    assert all(list(e) == ["name", "alias", "description", "updated", "links"] for e in listed)
    one = w.alt.get(f"{N}/extensions/security-group").json["extension"]
    assert one == next(e for e in listed if e["alias"] == "security-group")
    assert one["description"] == "The security groups extension."
    assert neutron_fault(w.demo.get(f"{N}/extensions/nope"), 404) == (
        "HTTPNotFound",
        "Extension with alias nope does not exist",
    )
    # Every attribute an extension adds is in the views: the port's and the network's.
    port = w.admin.get(f"{N}/ports").json["ports"][0]
    net = w.admin.get(f"{N}/networks").json["networks"][0]
    for alias, key, body in (
        ("binding", "binding:host_id", port),
        ("port-resource-request", "resource_request", port),
        ("uplink-status-propagation", "propagate_uplink_status", port),
        ("allowed-address-pairs", "allowed_address_pairs", port),
        ("net-mtu", "mtu", net),
        ("external-net", "router:external", net),
        ("provider", "provider:network_type", net),
    ):
        assert alias in aliases and key in body, alias


def test_an_unknown_path_is_a_neutron_fault_not_a_page(w: World) -> None:
    # Neutron's pecan root aborts with webob's 404, which its exception hook renders as JSON.
    for path in (f"{N}/nothing", f"{N}/networks/x/y", f"{N}/extensions/qos/z"):
        assert neutron_fault(w.demo.get(path), 404) == (
            "HTTPNotFound",
            "The resource could not be found.",
        ), path
    assert w.demo.get("/networking/v2.0/nothing").content_type == "application/json"


def test_a_port_taken_down_and_up_by_its_owner(w: World) -> None:
    # openstackclient's port create sends admin_state_up: true unless told --disable.
    (net,) = w.demo.get(f"{N}/networks?name=private").json["networks"]
    body = {"port": {"network_id": net["id"], "name": "p", "admin_state_up": True}}
    port = w.demo.post(f"{N}/ports", body).json["port"]
    assert (port["admin_state_up"], port["status"]) == (True, "DOWN")  # not bound
    down = w.demo.put(f"{N}/ports/{port['id']}", {"port": {"admin_state_up": "false"}})
    assert down.json["port"]["admin_state_up"] is False
    before = snapshot(w.cloud)
    bad = w.demo.put(f"{N}/ports/{port['id']}", {"port": {"admin_state_up": "maybe"}})
    assert neutron_fault(bad, 400) == (
        "InvalidInput",
        "Invalid input for operation: 'maybe' cannot be converted to boolean.",
    )
    assert snapshot(w.cloud) == before
    (bound,) = [p for p in w.admin.get(f"{N}/ports?device_owner=compute:nova").json["ports"]]
    taken = w.admin.put(f"{N}/ports/{bound['id']}", {"port": {"admin_state_up": False}})
    assert (bound["status"], taken.json["port"]["status"]) == ("ACTIVE", "DOWN")


def test_a_query_that_is_not_utf8_is_a_400_not_a_crash(w: World) -> None:
    # Neutron's own query hook fails on it with a 500; the fake answers bad input with a 400.
    assert w.demo.token  # logged in before the snapshot
    before = snapshot(w.cloud)
    assert neutron_fault(w.demo.get(f"{N}/ports?%ff=1"), 400) == (
        "HTTPBadRequest",
        "Query string is not UTF-8 encoded",
    )
    assert snapshot(w.cloud) == before
