"""Quotas (:mod:`fakenova.compute.models.resources.quotas`): every path, with ``-1`` and a
small limit.

Statuses, messages and counting were observed on the real Nova 34.0.0 through the oracle, with
per-project limits set through ``os-quota-sets`` (the same limits nova.conf ``[quota]`` sets
for every project): ``-1`` is unlimited on every path; resources over quota are named sorted;
a server in ERROR counts with its flavor; group members count per user; a create that the
instance quota shrinks checks the group's members for the servers it will build. What the
oracle could not replay follows Nova's source: SOFT_DELETED servers and servers in a cell
that does not answer are not counted (``InstanceList.get_counts``,
``_instances_cores_ram_count_legacy``).
"""

from __future__ import annotations

from typing import Any

import pytest
import webob

from fakenova import testing
from fakenova.compute.models.resources import quotas
from fakenova.compute.models.resources.keypairs import generate
from fakenova.testing import Client, fault, snapshot

V = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


class Cloudy(testing.World):
    """A cloud from ``conf/`` with nova.conf ``[quota]`` overrides; demo, alt_demo, admin."""

    def __init__(self, **quota: int) -> None:
        super().__init__(nova={"quota": quota})
        for user in ("demo", "alt_demo", "admin"):  # log in now: a token is state too
            self.client(user)

    def create(self, client: Client | None = None, **fields: Any) -> webob.Response:
        hints = fields.pop("hints", None)
        body: dict[str, Any] = {"server": {"name": "q", "imageRef": IMAGE, "flavorRef": "1"}}
        body["server"].update(fields)
        if hints:
            body["os:scheduler_hints"] = hints
        return (client or self.demo).post(f"{V}/servers", body)

    def server(self, **fields: Any) -> str:
        created = self.create(**fields)
        assert created.status_int == 202, created.text
        self.settle()
        return str(created.json["server"]["id"])

    def named(self, prefix: str) -> list[str]:
        servers = self.cloud.compute.servers.values()
        return sorted(s.name for s in servers if s.name.startswith(prefix) and not s.deleted)

    def group(self, client: Client | None = None) -> webob.Response:
        body = {"server_group": {"name": "g", "policies": ["soft-affinity"]}}
        return (client or self.demo).post(f"{V}/os-server-groups", body, microversion="2.15")

    def keypair(self, name: str, client: Client | None = None) -> webob.Response:
        # A public key to import (cheaper than generating one per key pair): made when first
        # asked for and kept, not at import (every xdist worker imports this module, one runs it).
        body = {"keypair": {"name": name, "public_key": generate("quotas")[1]}}
        return (client or self.demo).post(f"{V}/os-keypairs", body)


def refused(response: webob.Response) -> str:
    assert response.status_int == 403, response.text
    return str(response.json["forbidden"]["message"])


def refused_unchanged(q: Cloudy, send: Any) -> str:
    """The 403's message of ``send()``, which must leave the cloud as it was."""
    q.settle()
    before = snapshot(q.cloud)
    message = refused(send())
    assert snapshot(q.cloud) == before
    return message


# -- the limits -------------------------------------------------------------------------------


def test_defaults_are_nova_34s_and_conf_overrides_them() -> None:
    assert dict(quotas.DEFAULTS) == {
        "instances": 10,
        "cores": 20,
        "ram": 51200,
        "metadata_items": 128,
        "injected_files": 5,
        "injected_file_content_bytes": 10240,
        "injected_file_path_length": 255,
        "key_pairs": 100,
        "server_groups": 10,
        "server_group_members": 10,
    }
    q = Cloudy(metadata_items=-1, key_pairs=3, injected_file_path_length=9)
    assert quotas.conf_limits(q.cloud.settings) == {
        "cores": 20,
        "fixed_ips": -1,
        "floating_ips": -1,
        "injected_file_content_bytes": 10240,
        "injected_file_path_bytes": 9,
        "injected_files": 5,
        "instances": 10,
        "key_pairs": 3,
        "metadata_items": -1,
        "ram": 51200,
        "security_group_rules": -1,
        "security_groups": -1,
        "server_group_members": 10,
        "server_groups": 10,
    }
    assert quotas.limits(q.cloud.compute, "any")["metadata_items"] == -1


def test_minus_one_allows_anything_and_zero_nothing() -> None:
    assert quotas.allows(-1, 10**9)
    assert quotas.allows(0, 0) and not quotas.allows(0, 1)
    assert quotas.allows(2, 2) and not quotas.allows(2, 3)


# -- metadata: on create and on set -----------------------------------------------------------


def test_metadata_unlimited_on_create_and_on_set() -> None:
    """The issue's case: with ``metadata_items = -1`` both paths accept any number."""
    q = Cloudy(metadata_items=-1)
    many = {f"k{i}": "v" for i in range(200)}
    uuid = q.server(metadata=many)
    assert q.cloud.compute.servers[uuid].metadata == many
    md = f"{V}/servers/{uuid}/metadata"
    assert q.demo.post(md, {"metadata": {"one": "more"}}).status_int == 200
    assert q.demo.put(f"{md}/z", {"meta": {"z": "y"}}).status_int == 200
    replaced = q.demo.put(md, {"metadata": {f"r{i}": "v" for i in range(300)}})
    assert replaced.status_int == 200 and len(replaced.json["metadata"]) == 300


def test_metadata_small_limit_on_create() -> None:
    q = Cloudy(metadata_items=2)
    over = "Maximum number of metadata items exceeds 2"
    three = {"a": "1", "b": "2", "c": "3"}
    assert refused_unchanged(q, lambda: q.create(metadata=three)) == over
    assert q.create(metadata={"a": "1", "b": "2"}).status_int == 202


def test_metadata_small_limit_on_rebuild() -> None:
    """Nova checks a rebuild's metadata as a create's (their shared checks, after the image),
    against the caller's quota; a rebuild that fits still goes ahead."""
    q = Cloudy(metadata_items=2)
    uuid = q.server(metadata={"a": "1"})
    action = f"{V}/servers/{uuid}/action"
    three = {"rebuild": {"imageRef": IMAGE, "metadata": {"a": "1", "b": "2", "c": "3"}}}
    over = "Maximum number of metadata items exceeds 2"
    assert refused_unchanged(q, lambda: q.demo.post(action, three)) == over
    two = {"rebuild": {"imageRef": IMAGE, "metadata": {"a": "1", "b": "2"}}}
    assert q.demo.post(action, two).status_int == 202


def test_injected_files_small_limits_on_rebuild_below_2_57() -> None:
    """Below 2.57 a rebuild's ``personality`` meets the create's file checks (the count, then
    the longest path, then the longest base64 text: oracle, scenario quotas-small)."""
    q = Cloudy(injected_files=1, injected_file_path_length=5, injected_file_content_bytes=8)
    action = f"{V}/servers/{q.server()}/action"

    def rebuild(*files: tuple[str, str]) -> Any:
        personality = [{"path": path, "contents": text} for path, text in files]
        body = {"rebuild": {"imageRef": IMAGE, "personality": personality}}
        return lambda: q.demo.post(action, body, microversion="2.56")

    assert refused_unchanged(q, rebuild(("/a", "aGVsbG8="), ("/b", "aGVsbG8="))) == (
        "Personality file limit exceeded"
    )
    assert refused_unchanged(q, rebuild(("/abcde", "aGVsbG8="))) == (
        "Personality file path exceeds maximum 5"
    )
    assert refused_unchanged(q, rebuild(("/abcd", "aGVsbG8gd28="))) == (
        "Personality file content exceeds maximum 8"
    )
    assert rebuild(("/abcd", "aGVsbG8="))().status_int == 202


def test_a_rebuild_image_must_fit_the_servers_flavor() -> None:
    q = Cloudy()
    uuid = q.server()
    q.cloud.images.images[IMAGE].min_ram = 1024 * 1024  # more than any flavor has
    before = snapshot(q.cloud)
    answer = q.demo.post(f"{V}/servers/{uuid}/action", {"rebuild": {"imageRef": IMAGE}})
    assert fault(answer, 400) == "Flavor's memory is too small for requested image."
    assert snapshot(q.cloud) == before


def test_metadata_small_limit_on_set() -> None:
    q = Cloudy(metadata_items=2)
    uuid = q.server(metadata={"a": "1", "b": "2"})
    md = f"{V}/servers/{uuid}/metadata"
    over = "Maximum number of metadata items exceeds 2"
    assert refused_unchanged(q, lambda: q.demo.post(md, {"metadata": {"c": "3"}})) == over
    assert refused_unchanged(q, lambda: q.demo.put(f"{md}/c", {"meta": {"c": "3"}})) == over
    assert q.demo.put(f"{md}/a", {"meta": {"a": "9"}}).status_int == 200  # no new item
    assert q.demo.put(md, {"metadata": {"x": "1", "y": "2"}}).status_int == 200


def test_metadata_limit_zero_refuses_any_item_but_not_none() -> None:
    q = Cloudy(metadata_items=0)
    over = "Maximum number of metadata items exceeds 0"
    assert refused_unchanged(q, lambda: q.create(metadata={"a": "1"})) == over
    uuid = q.server(metadata={})
    md = f"{V}/servers/{uuid}/metadata"
    assert q.demo.put(md, {"metadata": {}}).status_int == 200
    assert refused(q.demo.put(md, {"metadata": {"a": "1"}})) == over


# -- personality (injected files, below 2.57) -------------------------------------------------


def test_personality_unlimited() -> None:
    q = Cloudy(injected_files=-1, injected_file_path_length=-1, injected_file_content_bytes=-1)
    files = [{"path": f"/{'p' * 300}{i}", "contents": "aGVsbG8gd29ybGQ=" * 1000} for i in range(6)]
    assert q.create(personality=files).status_int == 202


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [{"path": "/a", "contents": "aGVsbG8="}, {"path": "/b", "contents": "aGVsbG8="}],
            "Personality file limit exceeded",
        ),
        ([{"path": "/abcde", "contents": "aGVsbG8="}], "Personality file path exceeds maximum 5"),
        # Both too long: the path is reported.
        (
            [{"path": "/abcde", "contents": "aGVsbG8gd29y"}],
            "Personality file path exceeds maximum 5",
        ),
        # The base64 text as sent counts (12 characters, 8 bytes once decoded).
        (
            [{"path": "/abcd", "contents": "aGVsbG8gd28="}],
            "Personality file content exceeds maximum 8",
        ),
    ],
)
def test_personality_small_limits(files: list[dict[str, str]], message: str) -> None:
    q = Cloudy(injected_files=1, injected_file_path_length=5, injected_file_content_bytes=8)
    assert refused_unchanged(q, lambda: q.create(personality=files)) == message


def test_personality_within_small_limits() -> None:
    q = Cloudy(injected_files=1, injected_file_path_length=5, injected_file_content_bytes=8)
    assert q.create(personality=[{"path": "/abcd", "contents": "aGVsbG8="}]).status_int == 202


# -- key pairs (per user) ---------------------------------------------------------------------


def test_key_pairs_unlimited() -> None:
    q = Cloudy(key_pairs=-1)
    for i in range(101):  # one more than Nova's default
        assert q.keypair(f"k{i}").status_int == 200


def test_key_pairs_small_limit_counts_per_user() -> None:
    q = Cloudy(key_pairs=1)
    assert q.keypair("k1").status_int == 200
    over = "Quota exceeded, too many key pairs."
    assert refused(q.keypair("k2")) == over
    assert set(q.cloud.compute.keypairs) == {(q.cloud.user_id("demo"), "k1")}
    assert q.keypair("k1", q.alt).status_int == 200  # alt_demo's own quota
    assert refused(Cloudy(key_pairs=0).keypair("k1")) == over


# -- server groups (per project) ----------------------------------------------------------------


def test_server_groups_unlimited() -> None:
    q = Cloudy(server_groups=-1)
    for _ in range(11):
        assert q.group().status_int == 200


def test_server_groups_small_limit_counts_per_project() -> None:
    q = Cloudy(server_groups=1)
    assert q.group().status_int == 200
    over = "Quota exceeded, too many server groups."
    assert refused_unchanged(q, q.group) == over
    assert q.group(q.alt).status_int == 200


# -- server group members (per user, counted after the instance quota) ------------------------


def test_group_members_unlimited() -> None:
    q = Cloudy(server_group_members=-1, instances=-1)
    gid = q.group().json["server_group"]["id"]
    assert q.create(hints={"group": gid}, min_count=11).status_int == 202
    assert len(q.cloud.compute.server_groups[gid].members) == 11


def test_group_members_small_limit_counts_the_users_live_members() -> None:
    q = Cloudy(server_group_members=1)
    gid = q.group().json["server_group"]["id"]
    first = q.server(hints={"group": gid})
    over = "Quota exceeded, too many servers in group"
    assert refused_unchanged(q, lambda: q.create(hints={"group": gid})) == over
    # Another user's members are counted against that user: admin may still join.
    assert q.create(q.admin, hints={"group": gid}).status_int == 202
    # A deleted member no longer counts.
    assert q.demo.delete(f"{V}/servers/{first}").status_int == 204
    assert q.create(hints={"group": gid}).status_int == 202


def test_group_members_checked_for_the_servers_the_instance_quota_allows() -> None:
    """Nova shrinks a multiple create to the instance quota first, then checks each server
    against the group's quota: room for one of each builds one."""
    q = Cloudy(instances=1, server_group_members=1)
    gid = q.group().json["server_group"]["id"]
    assert q.create(hints={"group": gid}, min_count=1, max_count=3).status_int == 202
    assert q.named("q") == ["q"]


def test_group_members_do_not_shrink_a_create() -> None:
    q = Cloudy(server_group_members=1)
    gid = q.group().json["server_group"]["id"]
    message = refused_unchanged(q, lambda: q.create(hints={"group": gid}, min_count=1, max_count=3))
    assert message == "Quota exceeded, too many servers in group"


# -- instances, cores and RAM -----------------------------------------------------------------


def test_instances_cores_ram_unlimited() -> None:
    q = Cloudy(instances=-1, cores=-1, ram=-1)
    assert q.create(min_count=11).status_int == 202
    assert len(q.named("q-")) == 11


@pytest.mark.parametrize(
    ("limits", "counts", "message"),
    [
        (
            {"instances": 1},
            {},
            "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances",
        ),
        # Names sorted, as Nova's OverQuota sorts them.
        (
            {"instances": 1, "cores": 1},
            {},
            "Quota exceeded for cores, instances: Requested 1, 1, but already used 1, 1 of 1, 1 "
            "cores, instances",
        ),
        (
            {"instances": 1, "cores": 1, "ram": 1},
            {"min_count": 2, "max_count": 4},
            "Quota exceeded for cores, instances, ram: Requested 4, 2-4, 2048, but already used "
            "1, 1, 512 of 1, 1, 1 cores, instances, ram",
        ),
        (
            {"ram": 1},
            {"min_count": 3},
            "Quota exceeded for ram: Requested 1536, but already used 512 of 1 ram",
        ),
        (
            {"instances": 3},
            {"min_count": 3, "max_count": 5},
            "Quota exceeded for instances: Requested 3-5, but already used 1 of 3 instances",
        ),
    ],
)
def test_instances_small_limits(
    limits: dict[str, int], counts: dict[str, int], message: str
) -> None:
    q = Cloudy()
    q.server(name="first")  # 1 instance, 1 core, 512 MB used
    q.cloud.settings.nova["quota"] = limits
    assert refused_unchanged(q, lambda: q.create(**counts)) == message


def test_a_multiple_create_shrinks_to_the_room_left() -> None:
    q = Cloudy(instances=3)
    assert q.create(min_count=1, max_count=5).status_int == 202
    assert q.named("q-") == ["q-1", "q-2", "q-3"]
    q = Cloudy(cores=2, ram=-1)
    assert q.create(min_count=1, max_count=5).status_int == 202
    assert q.named("q-") == ["q-1", "q-2"]


def test_instances_unlimited_does_not_shrink_a_create_over_cores() -> None:
    """Nova's headroom for an unlimited instance quota is negative (-1 minus the usage), so a
    create over the cores (or RAM) quota is refused instead of shrunk."""
    q = Cloudy(instances=-1, cores=2)
    message = refused_unchanged(q, lambda: q.create(min_count=1, max_count=5))
    assert message == "Quota exceeded for cores: Requested 5, but already used 0 of 2 cores"


def test_a_server_in_error_counts_with_its_flavor() -> None:
    q = Cloudy()
    uuid = q.server(name="big", flavorRef="5")  # no host has room: ERROR in cell0
    assert q.cloud.compute.servers[uuid].vm_state == "error"
    q.cloud.settings.nova["quota"] = {"instances": -1, "ram": 1}
    message = refused(q.create())
    assert message == "Quota exceeded for ram: Requested 512, but already used 16384 of 1 ram"


def test_soft_deleted_servers_do_not_count() -> None:
    q = Cloudy(instances=1)
    q.cloud.settings.nova["reclaim_instance_interval"] = 3600
    uuid = q.server(name="first")
    assert q.demo.delete(f"{V}/servers/{uuid}").status_int == 204
    q.settle()
    assert q.cloud.compute.servers[uuid].vm_state == "soft-delete"
    assert q.create().status_int == 202


def test_servers_in_an_unreachable_cell_do_not_count() -> None:
    q = Cloudy(instances=1)
    compute = q.cloud.compute
    compute.boot_directly(
        "vm1", project_id=q.cloud.project_id("demo"), user_id=q.cloud.user_id("demo")
    )
    assert refused(q.create()).startswith("Quota exceeded for instances")
    compute.set_cell_reachable("cell1", False)
    assert q.create().status_int == 202


def test_other_projects_servers_do_not_count() -> None:
    q = Cloudy(instances=1)
    q.server(name="mine")
    assert q.create(q.alt).status_int == 202


def test_restore_needs_room_for_the_server_again() -> None:
    # Oracle (fidelity scenario deferred-delete): a SOFT_DELETED server no longer counts, so a
    # new one may take its place; restoring the first is then refused with the create's 403
    # and changes nothing, and succeeds once the place is free again.
    q = testing.World(nova={"quota": {"instances": 1}, "reclaim_instance_interval": 3600})
    q.demo.post(f"{V}/servers", {"server": {"name": "s1", "imageRef": IMAGE, "flavorRef": "1"}})
    q.settle()
    (first,) = [s for s in q.compute.servers.values() if s.name == "s1"]
    assert q.demo.delete(f"{V}/servers/{first.uuid}").status_int == 204
    q.settle()
    second = q.demo.post(
        f"{V}/servers", {"server": {"name": "s2", "imageRef": IMAGE, "flavorRef": "1"}}
    )
    assert second.status_int == 202, second.text
    q.settle()
    restore = {"restore": None}
    assert refused_unchanged(
        q, lambda: q.demo.post(f"{V}/servers/{first.uuid}/action", restore)
    ) == ("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
    assert q.demo.delete(f"{V}/servers/{second.json['server']['id']}").status_int == 204
    q.settle()
    assert q.demo.post(f"{V}/servers/{first.uuid}/action", restore).status_int == 202
    q.settle()
    assert first.status == "ACTIVE"
