"""os-server-groups and group-aware scheduling, with the texts Nova 34 answered the oracle."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing

V = "/compute/v2.1"


class World(testing.World):
    def group(self, policy: str, mv: str = "2.64", **extra: Any) -> Any:
        body = {"name": policy, "policy": policy, **extra}
        return self.demo.post(f"{V}/os-server-groups", {"server_group": body}, microversion=mv)

    def boot_in(self, name: str, group: str, count: int = 1) -> Any:
        networks = [{"uuid": next(iter(self.compute.networks))}]
        hints = {"group": group}
        return self.create_server(name, mv="2.37", hints=hints, max_count=count, networks=networks)

    def hosts(self, prefix: str) -> dict[str, str | None]:
        self.settle()
        return {s.name: s.host for s in self.compute.servers.values() if s.name.startswith(prefix)}


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


def test_create_per_microversion(w: World) -> None:
    old = w.demo.post(
        f"{V}/os-server-groups", {"server_group": {"name": "g", "policies": ["affinity"]}}
    )
    assert old.status_int == 200
    assert set(old.json["server_group"]) == {"id", "name", "policies", "metadata", "members"}
    new = w.group("anti-affinity", rules={"max_server_per_host": "3"})
    assert new.status_int == 200
    body = new.json["server_group"]
    assert body["rules"] == {"max_server_per_host": 3} and "policies" not in body
    assert {"project_id", "user_id"} <= set(body)


@pytest.mark.parametrize(
    ("mv", "group", "message"),
    [
        (
            "2.14",
            {"name": "g", "policies": ["soft-affinity"]},
            "Invalid input for field/attribute 0. Value: soft-affinity. 'soft-affinity' is not "
            "one of ['anti-affinity', 'affinity']",
        ),
        (
            "2.1",
            {"name": "g", "policies": ["affinity", "affinity"]},
            "Invalid input for field/attribute policies. Value: ['affinity', 'affinity']. "
            "['affinity', 'affinity'] has non-unique elements",
        ),
        (
            "2.64",
            {"name": "g", "policy": "affinity", "rules": {"max_server_per_host": 2}},
            "Only anti-affinity policy supports rules.",
        ),
        (
            "2.64",
            {"name": "g", "policy": "anti-affinity", "rules": {"max_server_per_host": 0}},
            "Invalid input for field/attribute max_server_per_host. Value: 0. 0 is less than "
            "the minimum of 1",
        ),
        (
            "2.64",
            {"name": "g", "policies": ["affinity"]},
            "Invalid input for field/attribute server_group. Value: {'name': 'g', 'policies': "
            "['affinity']}. 'policy' is a required property",
        ),
    ],
)
def test_create_refused(w: World, mv: str, group: dict[str, Any], message: str) -> None:
    answer = w.demo.post(f"{V}/os-server-groups", {"server_group": group}, microversion=mv)
    assert answer.status_int == 400 and _message(answer) == message
    assert w.compute.server_groups == {}


def test_quota(w: World) -> None:
    for _ in range(10):
        assert w.group("affinity").status_int == 200
    refused = w.group("affinity")
    assert refused.status_int == 403
    assert _message(refused) == "Quota exceeded, too many server groups."


def test_other_projects_groups_are_not_found(w: World) -> None:
    gid = w.group("affinity").json["server_group"]["id"]
    for method in ("get", "delete"):
        answer = getattr(w.alt, method)(f"{V}/os-server-groups/{gid}")
        assert answer.status_int == 404
        assert _message(answer) == f"Instance group {gid} could not be found."
    assert w.alt.get(f"{V}/os-server-groups?all_projects=1").json == {"server_groups": []}
    listed = w.admin.get(f"{V}/os-server-groups?all_projects=1").json["server_groups"]
    assert [g["id"] for g in listed] == [gid]
    assert w.admin.get(f"{V}/os-server-groups").json == {"server_groups": []}


def test_list_paging_and_strict_query(w: World) -> None:
    ids = [
        w.group(p).json["server_group"]["id"]
        for p in ("affinity", "anti-affinity", "soft-affinity")
    ]
    page = w.demo.get(f"{V}/os-server-groups?limit=1&offset=1").json["server_groups"]
    assert [g["id"] for g in page] == ids[1:2]
    bad = w.demo.get(f"{V}/os-server-groups?limit=-1")
    assert (
        _message(bad)
        == "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"
    )
    strict = w.demo.get(f"{V}/os-server-groups?foo=1", microversion="2.75")
    assert _message(strict) == "Additional properties are not allowed ('foo' was unexpected)"


def test_delete(w: World) -> None:
    gid = w.group("affinity").json["server_group"]["id"]
    assert w.demo.delete(f"{V}/os-server-groups/{gid}").status_int == 204
    again = w.demo.delete(f"{V}/os-server-groups/{gid}")
    assert again.status_int == 404


def test_anti_affinity_spreads_then_fails(w: World) -> None:
    gid = w.group("anti-affinity").json["server_group"]["id"]
    for i in range(4):
        assert w.boot_in(f"a{i}", gid).status_int == 202
    hosts = w.hosts("a")
    placed = [h for h in hosts.values() if h]
    assert len(placed) == 3 and len(set(placed)) == 3  # three computes, one member each
    failed = next(s for s in w.compute.servers.values() if s.name == "a3")
    # The group filter ruled out every host Placement offered (Nova 34 with the filters).
    assert failed.vm_state == "error"
    assert failed.fault.message == "No valid host was found. There are not enough hosts available."
    members = w.demo.get(f"{V}/os-server-groups/{gid}").json["server_group"]["members"]
    assert len(members) == 4  # the buried build is still a member, as in Nova


def test_max_server_per_host(w: World) -> None:
    gid = w.group("anti-affinity", rules={"max_server_per_host": 2}).json["server_group"]["id"]
    assert w.boot_in("m", gid, count=6).status_int == 202
    placed = list(w.hosts("m").values())
    assert all(placed) and max(placed.count(h) for h in placed) == 2


def test_affinity_keeps_members_together(w: World) -> None:
    gid = w.group("affinity").json["server_group"]["id"]
    for i in range(3):
        w.boot_in(f"f{i}", gid)
    assert len(set(w.hosts("f").values())) == 1


def test_soft_policies_prefer_but_never_fail(w: World) -> None:
    soft = w.group("soft-anti-affinity").json["server_group"]["id"]
    w.boot_in("s", soft, count=4)
    placed = list(w.hosts("s").values())
    assert all(placed) and len(set(placed)) == 3  # spread first, then doubled up
    together = w.group("soft-affinity").json["server_group"]["id"]
    w.boot_in("t", together, count=3)
    assert len(set(w.hosts("t").values())) == 1


def test_member_quota(w: World) -> None:
    gid = w.group("soft-affinity").json["server_group"]["id"]
    w.compute.settings.nova.setdefault("quota", {})["server_group_members"] = 2
    assert w.boot_in("q", gid, count=2).status_int == 202
    refused = w.boot_in("q3", gid)
    assert refused.status_int == 403
    assert _message(refused) == "Quota exceeded, too many servers in group"


def test_migrating_an_affinity_member_finds_no_host(w: World) -> None:
    gid = w.group("affinity").json["server_group"]["id"]
    w.boot_in("f", gid)
    (server,) = [s for s in w.compute.servers.values() if s.name == "f"]
    w.compute.tasks.settle()
    answer = w.admin.post(f"{V}/servers/{server.uuid}/action", {"migrate": None})
    assert answer.status_int == 202
    w.compute.tasks.settle()
    actions = w.admin.get(f"{V}/servers/{server.uuid}/os-instance-actions").json
    assert actions["instanceActions"][0]["message"] == "Error"
    assert w.hosts("f")["f"] == server.host
