"""os-aggregates as Nova 34 answers it: admin-only routes, the view per microversion, the zone
an aggregate gives its hosts (scheduler, os-availability-zone, os-services, OS-EXT-AZ) and
Nova's refusals (each shape and text seen on the real Nova, scenario ``aggregates``); then
the real clients: ``openstack aggregate ...``, ``openstack hypervisor show`` and novaclient."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakenova import testing
from fakenova.testing import mock_cloud

V = "/compute/v2.1/os-aggregates"


class World(testing.World):
    """The configured cloud; aggregates made through the API as admin."""

    def call(
        self, method: str, path: str = "", body: Any = None, mv: str | None = None, who="admin"
    ) -> Any:
        client = self.client(who)
        if method == "GET":
            return client.get(V + path, microversion=mv)
        if method == "DELETE":
            return client.delete(V + path, microversion=mv)
        return getattr(client, method.lower())(V + path, body, microversion=mv)

    def ok(self, method: str, path: str = "", body: Any = None, mv: str | None = None) -> Any:
        answer = self.call(method, path, body, mv)
        assert answer.status_int in (200, 202), answer.text
        return answer.json if answer.body else None

    def create(self, name: str, zone: str | None = None) -> int:
        body: dict[str, Any] = {"name": name}
        if zone:
            body["availability_zone"] = zone
        return int(self.ok("POST", "", {"aggregate": body})["aggregate"]["id"])

    def action(self, aggregate_id: int, action: str, value: Any) -> Any:
        key = "metadata" if action == "set_metadata" else "host"
        return self.call("POST", f"/{aggregate_id}/action", {action: {key: value}})

    def refused(self, answer: Any, status: int) -> str:
        assert answer.status_int == status, answer.text
        return str(next(iter(answer.json.values()))["message"])

    def zone_of(self, host: str) -> str:
        services = self.admin.get("/compute/v2.1/os-services").json["services"]
        return next(s["zone"] for s in services if s["host"] == host)


@pytest.fixture
def w() -> World:
    return World()


@pytest.mark.parametrize(
    ("method", "path", "rule"),
    [
        ("GET", "", "index"),
        ("POST", "", "create"),
        ("GET", "/1", "show"),
        ("PUT", "/1", "update"),
        ("DELETE", "/1", "delete"),
    ],
)
def test_members_are_refused(w: World, method: str, path: str, rule: str) -> None:
    body = {"aggregate": {"name": "a"}} if method in ("POST", "PUT") else None
    message = w.refused(w.call(method, path, body, who="demo"), 403)
    assert message == f"Policy doesn't allow os_compute_api:os-aggregates:{rule} to be performed."


def test_create_answers_without_hosts_or_metadata_and_241_adds_the_uuid(w: World) -> None:
    created = w.ok("POST", "", {"aggregate": {"name": "a1", "availability_zone": "az1"}})
    assert set(created["aggregate"]) == {
        "id", "name", "created_at", "updated_at", "deleted_at", "deleted", "availability_zone"
    }  # fmt: skip
    shown = w.ok("GET", "/1", mv="2.41")["aggregate"]
    assert shown["metadata"] == {"availability_zone": "az1"} and shown["hosts"] == []
    assert shown["uuid"] and shown["updated_at"] is None and shown["deleted"] is False
    assert "uuid" not in w.ok("GET", "")["aggregates"][0]
    assert w.refused(w.call("GET", f"/{shown['uuid']}", mv="2.41"), 400) == (
        "Invalid input received: id must be an integer"
    )
    assert w.refused(w.call("GET", "?foo=1", mv="2.102"), 400).startswith("Additional prop")


def test_names_are_unique_and_a_rename_is_kept_when_the_zone_is_refused(w: World) -> None:
    first, second = w.create("a1"), w.create("a2")
    assert w.refused(w.call("POST", "", {"aggregate": {"name": "a1"}}), 409) == (
        "Aggregate a1 already exists."
    )
    renamed = w.ok("PUT", f"/{first}", {"aggregate": {"name": "  b1  "}})["aggregate"]
    assert renamed["name"] == "b1" and renamed["updated_at"] is not None
    assert w.refused(w.call("PUT", f"/{first}", {"aggregate": {"name": "   "}}), 400) == (
        "An invalid 'name' value was provided. The name must be: "
        "printable characters with at least one non space character"
    )
    zone = w.call("POST", "", {"aggregate": {"name": "x", "availability_zone": "a:b"}})
    assert w.refused(zone, 400) == (
        "Invalid input for field/attribute availability_zone. Value: a:b. "
        "'a:b' is not valid under any of the given schemas"
    )
    assert w.refused(w.call("PUT", f"/{first}", {"aggregate": {"name": "a2"}}), 409) == (
        "Aggregate a2 already exists."
    )
    answer = w.call("PUT", f"/{second}", {"aggregate": {"name": "c2", "availability_zone": None}})
    assert w.refused(answer, 400) == (
        f"Cannot update aggregate {second}. Reason: "
        "Aggregate c2 does not support empty named availability zone."
    )
    assert w.ok("GET", f"/{second}")["aggregate"]["name"] == "c2"


def test_a_zone_moves_its_hosts_for_every_reader(w: World) -> None:
    zoned = w.create("a1", "az1")
    assert w.zone_of("compute1") == "nova"
    w.ok("POST", f"/{zoned}/action", {"add_host": {"host": "compute1"}})
    assert w.zone_of("compute1") == "az1" and w.zone_of("compute2") == "nova"
    zones = w.demo.get("/compute/v2.1/os-availability-zone").json["availabilityZoneInfo"]
    assert [z["zoneName"] for z in zones] == ["az1", "nova"]
    created = w.create_server("vm-az", mv="2.37", availability_zone="az1", networks="none")
    assert created.status_int == 202, created.text
    w.settle()
    server = w.show(server=created.json["server"]["id"])
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"
    assert server["OS-EXT-AZ:availability_zone"] == "az1"
    nowhere = w.create_server("vm-x", mv="2.37", availability_zone="az2", networks="none")
    assert w.refused(nowhere, 400) == "The requested availability zone is not available"


def test_a_host_is_in_one_zone_only(w: World) -> None:
    one, two, plain = w.create("a1", "az1"), w.create("a2", "az2"), w.create("a3")
    w.action(one, "add_host", "compute1")
    w.action(plain, "add_host", "compute1")
    assert w.refused(w.action(two, "add_host", "compute1"), 409) == (
        f"Cannot add host to aggregate {two}. Reason: "
        "One or more hosts already in availability zone(s) ['az1']."
    )
    assert w.refused(w.action(plain, "set_metadata", {"availability_zone": "az9"}), 400) == (
        f"Cannot update metadata of aggregate {plain}. Reason: "
        "One or more hosts already in availability zone(s) ['az1']."
    )
    assert w.action(plain, "set_metadata", {"availability_zone": "az1"}).status_int == 200


def test_servers_keep_their_zone(w: World) -> None:
    zoned, other = w.create("a1", "az1"), w.create("a2", "az2")
    w.action(zoned, "add_host", "compute1")
    w.boot("vm1", host="compute1")
    w.boot("vm2", host="compute2")
    assert w.refused(w.action(zoned, "set_metadata", {"availability_zone": "az1b"}), 400) == (
        f"Cannot update metadata of aggregate {zoned}. Reason: "
        "One or more hosts contain instances in this zone."
    )
    removed = w.refused(w.action(zoned, "remove_host", "compute1"), 409)
    assert "would change from 'az1' to 'None' but the host already has 1 instance(s)" in removed
    added = w.refused(w.action(other, "add_host", "compute2"), 409)
    assert added.startswith(f"Cannot add host to aggregate {other}. Reason: The host cannot")
    assert "from 'None' to 'az2'" in added and added.endswith("achieve this..")
    assert w.zone_of("compute1") == "az1" and w.zone_of("compute2") == "nova"


def test_hosts_and_deletes(w: World) -> None:
    agg = w.create("a1")
    assert w.refused(w.action(agg, "add_host", "controller"), 404) == (
        "Compute host controller could not be found."
    )
    assert (
        w.refused(w.action(99, "add_host", "nohost"), 404)
        == "Compute host nohost could not be found."
    )
    assert (
        w.refused(w.action(99, "add_host", "compute1"), 404) == "Aggregate 99 could not be found."
    )
    w.action(agg, "add_host", "compute1")
    assert w.refused(w.action(agg, "add_host", "compute1"), 409) == (
        f"Aggregate {agg} already has host compute1."
    )
    for host, path_id in (("compute2", agg), ("nohost", agg), ("compute1", 99)):
        assert w.refused(w.action(path_id, "remove_host", host), 404) == (
            f"Cannot remove host {host} in aggregate {path_id}"
        )
    assert w.refused(w.call("DELETE", f"/{agg}"), 400) == (
        f"Cannot remove host from aggregate {agg}. Reason: Host aggregate is not empty."
    )
    w.action(agg, "remove_host", "compute1")
    answer = w.call("DELETE", f"/{agg}")
    assert answer.status_int == 200 and not answer.body
    assert w.refused(w.call("DELETE", f"/{agg}"), 404) == f"Aggregate {agg} could not be found."


def test_metadata_changes_show_their_time_only_in_the_answer(w: World) -> None:
    agg = w.create("a1")
    answer = w.action(agg, "set_metadata", {"k": "v", "gone": "x"}).json["aggregate"]
    assert answer["updated_at"] is not None
    answer = w.action(agg, "set_metadata", {"gone": None, "absent": None}).json["aggregate"]
    assert answer["metadata"] == {"k": "v"}
    assert w.ok("GET", f"/{agg}")["aggregate"]["updated_at"] is None


def test_image_caching_from_281(w: World) -> None:
    agg = w.create("a1")
    image = w.cloud.settings.images[0]["id"]
    body = {"cache": [{"id": image}]}
    assert w.call("POST", f"/{agg}/images", body, mv="2.80").status_int == 404
    assert w.call("POST", f"/{agg}/images", body, mv="2.81").status_int == 202
    twice = {"cache": [{"id": image}, {"id": image}]}
    assert w.refused(w.call("POST", f"/{agg}/images", twice, mv="2.81"), 400) == (
        "Duplicate images in request"
    )
    unknown = "8a8b4f3c-1111-4222-8333-444455556666"
    answer = w.call("POST", f"/{agg}/images", {"cache": [{"id": unknown}]}, mv="2.81")
    assert w.refused(answer, 400) == f"Image {unknown} could not be found."
    answer = w.call("POST", "/99/images", body, mv="2.81")
    assert w.refused(answer, 404) == "Aggregate 99 could not be found."
    member = w.call("POST", f"/{agg}/images", body, mv="2.81", who="demo")
    assert "compute:aggregates:images" in w.refused(member, 403)


def _cli(cloud: Any, command: str, mv: str | None = None) -> Any:
    env = {"OS_COMPUTE_API_VERSION": mv} if mv else None
    result = cloud.openstack(command, user="admin", env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if "-f json" in command else result.stdout


def test_openstack_aggregate_commands(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        created = _cli(cloud, "aggregate create --zone az1 --property k=v agg1 -f json")
        assert created["availability_zone"] == "az1"
        assert created["properties"] == {"availability_zone": "az1", "k": "v"}
        _cli(cloud, "aggregate add host agg1 compute1 -f json")
        _cli(cloud, "aggregate set --name agg2 --property x=y agg1")
        _cli(cloud, "aggregate unset --property k agg2")
        shown = _cli(cloud, "aggregate show agg2 -f json")
        assert shown["hosts"] == ["compute1"] and shown["properties"] == {"x": "y"}
        listed = _cli(cloud, "aggregate list --long -f json")
        assert [(a["Name"], a["Availability Zone"], a["Hosts"]) for a in listed] == [
            ("agg2", "az1", ["compute1"])
        ]
        node = _cli(cloud, "hypervisor show compute1 -f json")
        assert node["aggregates"] == ["agg2"]
        zones = _cli(cloud, "availability zone list -f json")
        assert "az1" in [z["Zone Name"] for z in zones]
        _cli(cloud, "aggregate cache image agg2 cirros-0.6.3-x86_64-disk", mv="2.81")
        refused = cloud.openstack("aggregate delete agg2", user="admin")
        assert refused.exit_code == 1 and "Host aggregate is not empty" in refused.stderr
        _cli(cloud, "aggregate remove host agg2 compute1 -f json")
        _cli(cloud, "aggregate delete agg2")
        assert _cli(cloud, "aggregate list -f json") == []
        member = cloud.openstack("aggregate list", user="demo")
        assert member.exit_code == 1 and "os-aggregates:index" in member.stderr


def test_novaclient_aggregates(w: World) -> None:
    from novaclient import client as nova_client

    with mock_cloud(world=w) as cloud:
        nova = nova_client.Client("2.41", session=cloud.session("admin"))
        aggregate = nova.aggregates.create("agg1", "az1")
        nova.aggregates.add_host(aggregate, "compute1")
        nova.aggregates.set_metadata(aggregate, {"k": "v"})
        found = nova.aggregates.get(aggregate.id)
        assert found.hosts == ["compute1"] and found.metadata == {
            "availability_zone": "az1",
            "k": "v",
        }
        assert [a.name for a in nova.aggregates.list()] == ["agg1"]
        nova.aggregates.remove_host(aggregate, "compute1")
        nova.aggregates.delete(aggregate)
        assert nova.aggregates.list() == []


def test_a_deleted_compute_service_leaves_its_aggregates(w: World) -> None:
    agg = w.create("a1", "az1")
    w.action(agg, "add_host", "compute2")
    services = w.admin.get("/compute/v2.1/os-services", microversion="2.53").json["services"]
    service = next(s["id"] for s in services if s["host"] == "compute2")
    answer = w.admin.delete(f"/compute/v2.1/os-services/{service}", microversion="2.53")
    assert answer.status_int == 204, answer.text
    assert w.ok("GET", f"/{agg}")["aggregate"]["hosts"] == []


def test_moves_stay_in_the_zone_the_server_was_booted_into(w: World) -> None:
    zoned = w.create("a1", "az1")
    w.action(zoned, "add_host", "compute1")
    created = w.create_server("vm-az", mv="2.37", availability_zone="az1", networks="none")
    server_id = created.json["server"]["id"]
    w.settle()
    path = f"/compute/v2.1/servers/{server_id}/action"
    assert w.admin.post(path, {"migrate": None}).status_int == 202
    w.settle()
    server = w.show(server=server_id)
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", "compute1")
    w.action(zoned, "add_host", "compute2")
    assert w.admin.post(path, {"migrate": None}).status_int == 202
    w.settle()
    server = w.show(server=server_id)
    assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("VERIFY_RESIZE", "compute2")
    assert server["OS-EXT-AZ:availability_zone"] == "az1"


def test_nova_aggregate_commands(w: World) -> None:
    """``nova aggregate-*`` (novaclient's shell, at its newest microversion)."""
    import contextlib
    import io
    import os
    from unittest import mock

    from novaclient import shell

    def nova(*argv: str) -> str:
        out = io.StringIO()
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out):
            shell.OpenStackComputeShell().main(list(argv))
        return out.getvalue()

    with mock_cloud(world=w) as cloud:
        env = cloud.env("admin")
        assert "az1" in nova("aggregate-create", "agg1", "az1")
        assert "compute1" in nova("aggregate-add-host", "agg1", "compute1")
        assert "'k=v'" in nova("aggregate-set-metadata", "agg1", "k=v")
        listed = nova("aggregate-list")
        assert "agg1" in listed and "az1" in listed
        assert "compute1" in nova("aggregate-show", "agg1")
        nova("aggregate-remove-host", "agg1", "compute1")
        nova("aggregate-delete", "agg1")
    assert w.ok("GET", "")["aggregates"] == []
