"""``GET /limits``, ``os-quota-sets`` and ``os-quota-class-sets``, and the checks that must
honour what they set.

Observed on the real Nova 34.0.0 through the oracle (``fidelity/scenarios/limits_quotas.yaml``
replays the same requests): the keys per microversion, the policies, the 400s of a bad body
and of a limit below usage or above what the project leaves a user, forced updates, per-user
limits on a create, key pairs and metadata (the metadata sentence names the project's limit
even when the user's own one refused), and the ``default`` class as every project's default.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from typing import Any
from unittest import mock

import pytest

from fakenova import testing
from fakenova.compute.models.resources.keypairs import generate
from fakenova.testing import fault, mock_cloud, snapshot

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]

V = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
NETWORK = {"fixed_ips", "floating_ips", "security_groups", "security_group_rules"}
FILES = {"injected_files", "injected_file_content_bytes", "injected_file_path_bytes"}
ALL = NETWORK | FILES | {
    "cores", "instances", "ram", "key_pairs", "metadata_items", "server_groups",
    "server_group_members",
}  # fmt: skip


class Cloud(testing.World):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for user in ("demo", "alt_demo", "admin"):  # log in now: a token is state too
            self.client(user)
        self.project = self.cloud.project_id("demo")
        self.user = self.cloud.user_id("demo")

    def quotas(self, path: str = "", **kwargs: Any) -> str:
        return f"{V}/os-quota-sets/{self.project}{path}"

    def set(self, body: dict[str, Any], query: str = "", **kwargs: Any) -> Any:
        answer = self.admin.put(self.quotas() + query, {"quota_set": body}, **kwargs)
        return answer

    def create(self, **fields: Any) -> Any:
        body = {"server": {"name": "q", "imageRef": IMAGE, "flavorRef": "1", **fields}}
        answer = self.demo.post(f"{V}/servers", body)
        self.settle()
        return answer


# -- GET /limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "gone"),
    [
        ("2.1", set()),
        ("2.36", {"maxTotalFloatingIps", "maxSecurityGroups", "maxSecurityGroupRules",
                  "totalFloatingIpsUsed", "totalSecurityGroupsUsed"}),
        ("2.39", {"maxTotalFloatingIps", "maxSecurityGroups", "maxSecurityGroupRules",
                  "totalFloatingIpsUsed", "totalSecurityGroupsUsed", "maxImageMeta"}),
        ("2.57", {"maxTotalFloatingIps", "maxSecurityGroups", "maxSecurityGroupRules",
                  "totalFloatingIpsUsed", "totalSecurityGroupsUsed", "maxImageMeta",
                  "maxPersonality", "maxPersonalitySize"}),
    ],
)  # fmt: skip
def test_limits_per_microversion(version: str, gone: set[str]) -> None:
    w = Cloud(scenario="down-cells")
    answer = w.demo.get(f"{V}/limits", microversion=version)
    assert answer.status_int == 200
    assert answer.json["limits"]["rate"] == []
    every = {
        "maxTotalCores": 20, "maxPersonality": 5, "maxPersonalitySize": 10240,
        "maxTotalInstances": 10, "maxTotalKeypairs": 100, "maxServerMeta": 128,
        "maxImageMeta": 128, "maxTotalRAMSize": 51200, "maxServerGroups": 10,
        "maxServerGroupMembers": 10, "maxTotalFloatingIps": -1, "maxSecurityGroups": -1,
        "maxSecurityGroupRules": -1, "totalRAMUsed": 1024, "totalCoresUsed": 2,
        "totalInstancesUsed": 2, "totalFloatingIpsUsed": 0, "totalSecurityGroupsUsed": 0,
        "totalServerGroupsUsed": 1,
    }  # fmt: skip
    assert answer.json["limits"]["absolute"] == {k: v for k, v in every.items() if k not in gone}


def test_limits_of_another_project_are_for_admins() -> None:
    w = Cloud(scenario="down-cells")
    alt = w.cloud.project_id("alt_demo")
    assert fault(w.demo.get(f"{V}/limits?tenant_id={alt}"), 403) == (
        "Policy doesn't allow os_compute_api:limits:other_project to be performed."
    )
    absolute = w.admin.get(f"{V}/limits?tenant_id={alt}").json["limits"]["absolute"]
    assert (absolute["totalInstancesUsed"], absolute["totalRAMUsed"]) == (1, 2048)
    assert w.admin.get(f"{V}/limits").json["limits"]["absolute"]["totalInstancesUsed"] == 0
    assert fault(w.demo.get(f"{V}/limits?foo=1", microversion="2.75"), 400) == (
        "Additional properties are not allowed ('foo' was unexpected)"
    )
    assert w.demo.get(f"{V}/limits?foo=1", microversion="2.74").status_int == 200


# -- os-quota-sets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "gone"), [("2.1", set()), ("2.36", NETWORK), ("2.57", NETWORK | FILES)]
)
def test_quota_set_show_defaults_and_detail_per_microversion(version: str, gone: set[str]) -> None:
    w = Cloud(scenario="down-cells")
    shown = w.demo.get(w.quotas(), microversion=version).json["quota_set"]
    assert shown.pop("id") == w.project
    assert set(shown) == ALL - gone
    assert shown["instances"] == 10 and shown.get("fixed_ips", -1) == -1
    defaults = w.demo.get(w.quotas("/defaults"), microversion=version).json["quota_set"]
    assert defaults == {"id": w.project, **shown}
    detail = w.demo.get(w.quotas("/detail"), microversion=version).json["quota_set"]
    assert detail["instances"] == {"limit": 10, "in_use": 2, "reserved": 0}
    assert detail["ram"] == {"limit": 51200, "in_use": 1024, "reserved": 0}
    assert detail["server_groups"] == {"limit": 10, "in_use": 1, "reserved": 0}
    assert detail["key_pairs"]["in_use"] == 0 and set(detail) == ALL - gone | {"id"}


def test_quota_set_policies() -> None:
    w = Cloud()
    alt = w.cloud.project_id("alt_demo")
    before = snapshot(w.cloud)
    assert fault(w.demo.get(f"{V}/os-quota-sets/{alt}"), 403) == (
        "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed."
    )
    assert fault(w.demo.get(f"{V}/os-quota-sets/{alt}/detail"), 403).endswith(
        "os-quota-sets:detail to be performed."
    )
    assert w.demo.get(f"{V}/os-quota-sets/{alt}/defaults").status_int == 200
    assert fault(w.demo.put(w.quotas(), {"quota_set": {"instances": 1}}), 403).endswith(
        "os-quota-sets:update to be performed."
    )
    assert fault(w.demo.delete(w.quotas()), 403).endswith("os-quota-sets:delete to be performed.")
    assert snapshot(w.cloud) == before


@pytest.mark.parametrize(
    ("version", "body", "message"),
    [
        ("2.1", {"bogus": 1}, "Invalid input for field/attribute quota_set. Value: {'bogus': 1}. "
         "Additional properties are not allowed ('bogus' was unexpected)"),
        ("2.36", {"fixed_ips": 3}, "Invalid input for field/attribute quota_set. Value: "
         "{'fixed_ips': 3}. Additional properties are not allowed ('fixed_ips' was unexpected)"),
        ("2.57", {"injected_files": 2}, "Invalid input for field/attribute quota_set. Value: "
         "{'injected_files': 2}. Additional properties are not allowed ('injected_files' was "
         "unexpected)"),
        ("2.1", {"instances": -2}, "Invalid input for field/attribute instances. Value: -2. "
         "-2 is less than the minimum of -1"),
        ("2.1", {"instances": "ten"}, "Invalid input for field/attribute instances. Value: ten. "
         "'ten' does not match '^-?[0-9]+$'"),
        ("2.1", {"instances": 1.5}, "Invalid input for field/attribute instances. Value: 1.5. "
         "1.5 is not of type 'integer', 'string'"),
        ("2.1", {"instances": 2**31}, "Invalid input for field/attribute instances. Value: "
         "2147483648. 2147483648 is greater than the maximum of 2147483647"),
        ("2.1", {"instances": 0}, "Quota limit 0 for instances must be greater than or equal "
         "to already used and reserved 2."),
    ],
)  # fmt: skip
def test_bad_updates_change_nothing(version: str, body: dict[str, Any], message: str) -> None:
    w = Cloud(scenario="down-cells")
    before = snapshot(w.cloud)
    assert fault(w.set(body, microversion=version), 400) == message
    assert snapshot(w.cloud) == before


def test_an_update_answers_without_id_and_the_limits_then_hold() -> None:
    w = Cloud()
    answer = w.set({"instances": "1", "cores": 7, "metadata_items": 1}, microversion="2.57")
    assert answer.status_int == 200
    assert answer.json["quota_set"] == {
        "cores": 7, "instances": 1, "key_pairs": 100, "metadata_items": 1, "ram": 51200,
        "server_group_members": 10, "server_groups": 10,
    }  # fmt: skip
    assert w.create().status_int == 202
    assert fault(w.create(), 403) == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"
    )
    assert fault(w.create(metadata={"a": "1", "b": "2"}), 403) == (
        "Maximum number of metadata items exceeds 1"
    )
    absolute = w.demo.get(f"{V}/limits").json["limits"]["absolute"]
    assert (absolute["maxTotalInstances"], absolute["totalInstancesUsed"]) == (1, 1)
    # Forced below usage, then back to the defaults.
    assert w.set({"cores": 0, "force": "true"}).json["quota_set"]["cores"] == 0
    assert w.admin.delete(w.quotas()).status_int == 202
    assert w.demo.get(w.quotas()).json["quota_set"]["instances"] == 10


def test_per_user_limits() -> None:
    w = Cloud()
    w.set({"instances": 5})
    assert fault(w.set({"instances": 6}, f"?user_id={w.user}"), 400) == (
        "Quota limit 6 for instances must be less than or equal to 5."
    )
    mine = {"instances": 1, "key_pairs": 1, "metadata_items": 1}
    assert w.set(mine, f"?user_id={w.user}").status_int == 200
    own = w.demo.get(w.quotas(f"?user_id={w.user}")).json["quota_set"]
    assert (own["instances"], own["key_pairs"], own["metadata_items"]) == (1, 1, 1)
    assert w.demo.get(w.quotas()).json["quota_set"]["instances"] == 5
    assert w.demo.get(f"{V}/limits").json["limits"]["absolute"]["maxTotalInstances"] == 5
    assert w.create().status_int == 202
    assert fault(w.create(), 403) == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"
    )
    # The user's own limit refused; Nova's sentence names the project's.
    assert fault(w.create(metadata={"a": "1", "b": "2"}), 403) == (
        "Maximum number of metadata items exceeds 128"
    )
    keypair = {"keypair": {"name": "k1", "public_key": generate("limits")[1]}}
    assert w.demo.post(f"{V}/os-keypairs", keypair).status_int == 200
    keypair["keypair"]["name"] = "k2"
    assert fault(w.demo.post(f"{V}/os-keypairs", keypair), 403) == (
        "Quota exceeded, too many key pairs."
    )
    # The project's limit no lower than its users' own limits and its usage.
    assert fault(w.set({"instances": 0}), 400) == (
        "Quota limit 0 for instances must be greater than or equal to already used and reserved 1."
    )
    detail = w.demo.get(w.quotas(f"/detail?user_id={w.user}")).json["quota_set"]
    assert detail["instances"] == {"limit": 1, "in_use": 1, "reserved": 0}
    assert w.admin.delete(w.quotas(f"?user_id={w.user}")).status_int == 202
    assert w.demo.get(w.quotas(f"?user_id={w.user}")).json["quota_set"]["instances"] == 5
    assert w.create().status_int == 202


def test_server_groups_honour_the_projects_limit() -> None:
    w = Cloud()
    w.set({"server_groups": 1})
    body = {"server_group": {"name": "g", "policies": ["affinity"]}}
    assert w.demo.post(f"{V}/os-server-groups", body).status_int == 200
    assert fault(w.demo.post(f"{V}/os-server-groups", body), 403) == (
        "Quota exceeded, too many server groups."
    )


# -- os-quota-class-sets ----------------------------------------------------------------------


def test_quota_classes() -> None:
    w = Cloud()
    assert fault(w.demo.get(f"{V}/os-quota-class-sets/default"), 403) == (
        "Policy doesn't allow os_compute_api:os-quota-class-sets:show to be performed."
    )
    old = w.admin.get(f"{V}/os-quota-class-sets/default").json["quota_class_set"]
    assert set(old) == ALL - {"server_groups", "server_group_members"} | {"id"}
    mid = w.admin.get(f"{V}/os-quota-class-sets/default", microversion="2.50").json
    assert set(mid["quota_class_set"]) == ALL - NETWORK | {"id"}
    body = {"quota_class_set": {"instances": 1, "cores": "30"}}
    updated = w.admin.put(f"{V}/os-quota-class-sets/default", body, microversion="2.57").json
    assert updated["quota_class_set"] == {
        "cores": 30, "instances": 1, "key_pairs": 100, "metadata_items": 128, "ram": 51200,
        "server_group_members": 10, "server_groups": 10,
    }  # fmt: skip
    assert w.demo.get(w.quotas("/defaults")).json["quota_set"]["instances"] == 1
    assert w.demo.get(w.quotas()).json["quota_set"]["cores"] == 30
    assert w.create().status_int == 202
    assert fault(w.create(), 403).startswith("Quota exceeded for instances")
    gold = w.admin.get(f"{V}/os-quota-class-sets/gold").json["quota_class_set"]
    assert (gold["id"], gold["instances"]) == ("gold", 10)
    before = snapshot(w.cloud)
    assert fault(w.admin.put(f"{V}/os-quota-class-sets/{'a' * 256}", body), 400) == (
        "quota_class_name has 256 characters, more than 255."
    )
    body = {"quota_class_set": {"security_groups": 1}}
    assert fault(w.admin.put(f"{V}/os-quota-class-sets/x", body, microversion="2.50"), 400)
    assert snapshot(w.cloud) == before


# -- real clients -----------------------------------------------------------------------------


def _rows(table: str) -> dict[str, list[str]]:
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("Name", "Resource", "Quota"):
            rows[cells[0]] = cells[1:]
    return rows


def test_openstack_limits_and_quota_show() -> None:
    with mock_cloud("down-cells") as cloud:
        _openstack_limits_and_quota_show(cloud)


def _openstack_limits_and_quota_show(cloud: Any) -> None:
    limits = cloud.openstack("limits show --absolute")
    assert limits.exit_code == 0, limits.stderr
    rows = _rows(limits.stdout)
    assert rows["max_total_instances"] == ["10"] and rows["total_instances_used"] == ["2"]
    assert rows["total_ram_used"] == ["1024"] and rows["total_server_groups_used"] == ["1"]
    quota = cloud.openstack("quota show --usage")
    assert quota.exit_code == 0, quota.stderr
    rows = _rows(quota.stdout)
    assert rows["instances"] == ["10", "2", "0"] and rows["server-groups"] == ["10", "1", "0"]
    assert rows["key-pairs"] == ["100", "N/A", "0"]
    shown = json.loads(cloud.openstack("quota show -f json").stdout)
    assert {"Resource": "cores", "Limit": 20} in shown
    assert {"Resource": "server-groups", "Limit": 10} in shown


def _nova(cloud: Any, *argv: str) -> str:
    """What the ``nova`` command prints as demo, run in-process."""
    from novaclient import shell

    out = io.StringIO()
    with mock.patch.dict(os.environ, cloud.env("demo")), contextlib.redirect_stdout(out):
        shell.OpenStackComputeShell().main(list(argv))
    return out.getvalue()


def test_nova_limits_and_quota_show() -> None:
    with mock_cloud("down-cells") as cloud:
        limits, quotas = _nova(cloud, "limits"), _nova(cloud, "quota-show")
    used = _rows(limits.split("+\n+")[-1])
    assert used["Instances"] == ["2", "10"] and used["RAM"] == ["1024", "51200"]
    assert used["ServerGroups"] == ["1", "10"] and used["Keypairs"] == ["-", "100"]
    quota = _rows(quotas)
    assert quota["instances"] == ["10"] and quota["server_group_members"] == ["10"]
    assert "fixed_ips" not in quota and "injected_files" not in quota  # 2.57 and later


def test_novaclient_and_openstacksdk() -> None:
    with mock_cloud("down-cells") as cloud:
        import openstack
        from novaclient import client

        sess = cloud.session("demo")
        nova = client.Client("2.1", session=sess)
        absolute = {limit.name: limit.value for limit in nova.limits.get().absolute}
        assert absolute["maxTotalInstances"] == 10 and absolute["totalInstancesUsed"] == 2
        quotas = nova.quotas.get(sess.get_project_id())
        assert (quotas.instances, quotas.cores, quotas.server_groups) == (10, 20, 10)
        conn = openstack.connection.Connection(session=sess, region_name="RegionOne")
        limits = conn.get_compute_limits()
        assert (limits.max_total_instances, limits.total_instances_used) == (10, 2)
        assert (limits.total_cores_used, limits.total_ram_used) == (2, 1024)


def test_an_upsize_must_fit_the_cores_and_ram_left() -> None:
    w = Cloud()
    assert w.create().status_int == 202  # m1.tiny: 1 core, 512 MB
    server = next(iter(w.cloud.compute.servers))
    w.set({"ram": 1000, "cores": 1})
    before = snapshot(w.cloud)
    resize = {"resize": {"flavorRef": "3"}}  # m1.medium: 2 cores, 4096 MB
    answer = w.demo.post(f"{V}/servers/{server}/action", resize)
    assert fault(answer, 403) == (
        "Quota exceeded for cores, ram: Requested 1, 3584, but already used 1, 512 of 1, "
        "1000 cores, ram"
    )
    assert snapshot(w.cloud) == before
    w.set({"ram": -1, "cores": -1})
    assert w.demo.post(f"{V}/servers/{server}/action", resize).status_int == 202


def test_an_admin_sets_and_reads_another_projects_quotas_by_name() -> None:
    """``quota set`` / ``quota show`` / ``limits show --project`` name the project: the
    client looks it up in Keystone (``GET /v3/projects/demo``, a 404, then ``?name=demo``)."""
    with mock_cloud("down-cells") as cloud:
        assert cloud.openstack("quota set --instances 7 demo", "admin").exit_code == 0
        shown = cloud.openstack("quota show --compute demo", "admin")
        assert shown.exit_code == 0, shown.stderr
        assert _rows(shown.stdout)["instances"] == ["7"]
        limits = cloud.openstack("limits show --absolute --project demo", "admin")
        assert limits.exit_code == 0, limits.stderr
        rows = _rows(limits.stdout)
        assert rows["max_total_instances"] == ["7"] and rows["total_instances_used"] == ["2"]
        assert _rows(cloud.openstack("quota show").stdout)["instances"] == ["7"]


def test_keystone_projects_as_clients_look_them_up() -> None:
    """Keystone 30's defaults: ``identity:list_projects`` is an admin's (a member of a
    project-scoped token has no domain to read), ``identity:get_project`` an admin's or the
    project's own members'; an unknown project is a 404 to an admin and a 403 to others
    (the policy has no target to match)."""
    w = Cloud()
    identity = "/identity/v3/projects"
    listed = w.admin.get(f"{identity}?name=demo").json
    assert [p["name"] for p in listed["projects"]] == ["demo"]
    assert listed["links"]["self"].endswith("/identity/v3/projects?name=demo")
    (project,) = listed["projects"]
    assert project["id"] == w.project and project["domain_id"] == "default"
    assert w.admin.get(f"{identity}/{w.project}").json["project"] == project
    assert w.demo.get(f"{identity}/{w.project}").json["project"] == project
    denied = w.demo.get(identity)
    assert denied.status_int == 403
    assert denied.json["error"]["message"] == (
        "You are not authorized to perform the requested action: identity:list_projects."
    )
    alt = w.cloud.project_id("alt_demo")
    assert w.demo.get(f"{identity}/{alt}").status_int == 403
    assert w.demo.get(f"{identity}/nope").status_int == 403
    missing = w.admin.get(f"{identity}/nope")
    assert missing.status_int == 404
    assert missing.json["error"]["message"] == "Could not find project: nope."


def test_reverting_a_downsize_over_quota_is_novas_500() -> None:
    """Nova checks a revert as an upsize back to the old flavor, but its revertResize handler
    does not expect the refusal: TooManyInstances escapes as the generic 500."""
    w = Cloud()
    assert w.create().status_int == 202  # m1.tiny: 512 MB
    server = next(iter(w.cloud.compute.servers))
    down = w.demo.post(f"{V}/servers/{server}/action", {"resize": {"flavorRef": "42"}})
    assert down.status_int == 202
    w.settle()
    w.set({"ram": 200})  # m1.nano uses 128; back to m1.tiny would need 384 more
    before = snapshot(w.cloud)
    answer = w.demo.post(f"{V}/servers/{server}/action", {"revertResize": None})
    assert fault(answer, 500).endswith("<class 'nova.exception.TooManyInstances'>")
    assert snapshot(w.cloud) == before
    w.set({"ram": -1})
    assert w.demo.post(f"{V}/servers/{server}/action", {"revertResize": None}).status_int == 202
