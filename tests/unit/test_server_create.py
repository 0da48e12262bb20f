"""``POST /servers``: validation per microversion, the 202 answer, builds and placement.

Every rejected body below was sent to Nova 34.0.0 (nova-oracle) and its status and message
copied here. Each rejection must also leave the cloud exactly as it was.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from fakenova.testing import Client, World, mock_cloud
from fakenova.testing import network_id as named_network

API = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
UNKNOWN = "6e0b6d5f-8c9c-4b8e-9f5e-3a2e8f7b1c11"
BASE = {"name": "vm", "imageRef": IMAGE, "flavorRef": "1"}
BASE_REPR = str(BASE)[:-1]  # "{'name': 'vm', ... 'flavorRef': '1'" for Nova's Value: texts
INVALID_FIELD = "Invalid input for field/attribute {}. Value: {}. {}"


def server(**changes):
    return {"server": {**BASE, **changes}}


def field(name, value, message):
    return INVALID_FIELD.format(name, value, message)


def extra(version_body, name):
    return field(
        "server",
        version_body,
        f"Additional properties are not allowed ('{name}' was unexpected)",
    )


LONG = "x" * 256
V = "v" * 256
BOOLEANS = (
    "[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, "
    "'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"
)

# (microversion, body, status, message), all observed on Nova 34.
REJECTED = [
    ("2.1", {}, 400, "'server' is a required property"),
    ("2.1", {"server": {}}, 400, field("server", {}, "'name' is a required property")),
    (
        "2.1",
        {"server": {"name": "vm", "imageRef": IMAGE}},
        400,
        field("server", {"name": "vm", "imageRef": IMAGE}, "'flavorRef' is a required property"),
    ),
    ("2.1", server(name=""), 400, field("name", "", "'' should be non-empty")),
    (
        "2.1",
        server(name=" vm"),
        400,
        "An invalid 'name' value was provided. The name must be: printable characters. "
        "Can not start or end with whitespace.",
    ),
    ("2.1", server(name=LONG), 400, field("name", LONG, f"'{LONG}' is too long")),
    ("2.1", server(name=12), 400, field("name", 12, "12 is not of type 'string'")),
    (
        "2.1",
        server(imageRef="abc"),
        400,
        field("imageRef", "abc", "'abc' is not valid under any of the given schemas"),
    ),
    ("2.1", server(imageRef=""), 400, "Missing imageRef attribute"),
    ("2.1", server(imageRef=UNKNOWN), 400, "Can not find requested image"),
    ("2.1", server(flavorRef=""), 400, field("flavorRef", "", "'' should be non-empty")),
    ("2.1", server(flavorRef="999"), 400, "Flavor 999 could not be found."),
    (
        "2.1",
        server(flavorRef=1.5),
        400,
        field("flavorRef", 1.5, "1.5 is not of type 'string', 'integer'"),
    ),
    (
        "2.37",
        server(),
        400,
        field("server", BASE, "'networks' is a required property"),
    ),
    (
        "2.37",
        server(networks="bogus"),
        400,
        field("networks", "bogus", "'bogus' is not valid under any of the given schemas"),
    ),
    (
        "2.1",
        server(networks=[{"uuid": "not-uuid"}]),
        400,
        "Bad networks format: network uuid is not in proper format (not-uuid)",
    ),
    (
        "2.37",
        server(networks=[{"uuid": "not-uuid"}]),
        400,
        field(
            "networks",
            [{"uuid": "not-uuid"}],
            "[{'uuid': 'not-uuid'}] is not valid under any of the given schemas",
        ),
    ),
    (
        "2.1",
        server(networks=[{"uuid": UNKNOWN}]),
        400,
        f"Network {UNKNOWN} could not be found.",
    ),
    (
        "2.1",
        server(networks=[{"port": UNKNOWN, "fixed_ip": "10.0.0.5"}]),
        400,
        f"Specified Fixed IP '10.0.0.5' cannot be used with port '{UNKNOWN}': the two cannot "
        "be specified together.",
    ),
    (
        "2.1",
        server(networks=[{"uuid": UNKNOWN, "fixed_ip": "10.0.0.300"}]),
        400,
        field("fixed_ip", "10.0.0.300", "'10.0.0.300' is not valid under any of the given schemas"),
    ),
    ("2.1", server(networks=[{}]), 400, "Bad network format: missing 'uuid'"),
    (
        "2.1",
        server(accessIPv4="1.2.3"),
        400,
        field("accessIPv4", "1.2.3", "'1.2.3' is not a 'ipv4'"),
    ),
    ("2.1", server(accessIPv6="zz"), 400, field("accessIPv6", "zz", "'zz' is not a 'ipv6'")),
    ("2.1", server(metadata={"k": 1}), 400, field("k", 1, "1 is not of type 'string'")),
    (
        "2.1",
        server(metadata={"k" * 256: "v"}),
        400,
        field(
            "metadata",
            {"k" * 256: "v"},
            f"'{'k' * 256}' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{{1,255}}$'",
        ),
    ),
    ("2.1", server(metadata={"k": V}), 400, field("k", V, f"'{V}' is too long")),
    (
        "2.1",
        server(metadata={f"k{i}": "v" for i in range(129)}),
        403,
        "Maximum number of metadata items exceeds 128",
    ),
    ("2.1", server(metadata="x"), 400, field("metadata", "x", "'x' is not of type 'object'")),
    (
        "2.57",
        server(personality=[{"path": "/a", "contents": "YQ=="}], networks="none"),
        400,
        extra(
            {**BASE, "personality": [{"path": "/a", "contents": "YQ=="}], "networks": "none"},
            "personality",
        ),
    ),
    (
        "2.1",
        server(personality=[{"path": "/a", "contents": "Y"}]),
        400,
        field("contents", "Y", "'Y' is not a 'base64'"),
    ),
    ("2.1", server(user_data="Y"), 400, field("user_data", "Y", "'Y' is not a 'base64'")),
    (
        "2.1",
        server(user_data="YQ==" * 16384),
        400,
        field("user_data", "YQ==" * 16384, f"'{'YQ==' * 16384}' is too long"),
    ),
    ("2.1", server(key_name="nokey"), 400, "Invalid key_name provided."),
    (
        "2.1",
        server(
            block_device_mapping=[{"volume_id": UNKNOWN, "device_name": "vda"}],
            block_device_mapping_v2=[
                {"uuid": UNKNOWN, "source_type": "volume", "destination_type": "volume"}
            ],
        ),
        400,
        "Using different block_device_mapping syntaxes is not allowed in the same request.",
    ),
    (
        "2.1",
        server(block_device_mapping_v2=[{"uuid": UNKNOWN, "source_type": "cloud"}]),
        400,
        field(
            "source_type",
            "cloud",
            "'cloud' is not one of ['volume', 'image', 'snapshot', 'blank']",
        ),
    ),
    (
        "2.1",
        {**server(), "os:scheduler_hints": {"group": "not-uuid"}},
        400,
        field("group", "not-uuid", "'not-uuid' is not valid under any of the given schemas"),
    ),
    (
        "2.1",
        {**server(), "os:scheduler_hints": {"group": UNKNOWN}},
        400,
        f"Instance group {UNKNOWN} could not be found.",
    ),
    ("2.1", server(adminPass=123), 400, field("adminPass", 123, "123 is not of type 'string'")),
    ("2.1", server(description="d"), 400, extra({**BASE, "description": "d"}, "description")),
    (
        "2.19",
        server(description="d" * 256),
        400,
        field("description", "d" * 256, f"'{'d' * 256}' is too long"),
    ),
    (
        "2.51",
        server(tags=["a"], networks="none"),
        400,
        extra({**BASE, "tags": ["a"], "networks": "none"}, "tags"),
    ),
    (
        "2.52",
        server(tags=["a,b"], networks="none"),
        400,
        field(0, "a,b", "'a,b' does not match '^[^,/]*$'"),
    ),
    (
        "2.62",
        server(trusted_image_certificates=["a"], networks="none"),
        400,
        extra(
            {**BASE, "trusted_image_certificates": ["a"], "networks": "none"},
            "trusted_image_certificates",
        ),
    ),
    (
        "2.63",
        server(trusted_image_certificates=[], networks="none"),
        400,
        field("trusted_image_certificates", [], "[] should be non-empty"),
    ),
    (
        "2.89",
        server(hostname="vm1", networks="none"),
        400,
        extra({**BASE, "hostname": "vm1", "networks": "none"}, "hostname"),
    ),
    (
        "2.90",
        server(hostname="-bad", networks="none"),
        400,
        field(
            "hostname", "-bad", "'-bad' does not match '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$'"
        ),
    ),
    (
        "2.90",
        server(hostname="vm1", max_count=2, networks="none"),
        400,
        "Unable to allocate a single hostname to multiple instances",
    ),
    (
        "2.73",
        server(host="compute", networks="none"),
        400,
        extra({**BASE, "host": "compute", "networks": "none"}, "host"),
    ),
    (
        "2.74",
        server(host="compute", networks="none"),
        403,
        "Policy doesn't allow compute:servers:create:requested_destination to be performed.",
    ),
    (
        "2.1",
        server(availability_zone="nova:compute1"),
        403,
        "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.",
    ),
    (
        "2.1",
        server(availability_zone="nowhere"),
        400,
        "The requested availability zone is not available",
    ),
    ("2.1", server(min_count=0), 400, field("min_count", 0, "0 is less than the minimum of 1")),
    (
        "2.1",
        server(min_count="abc"),
        400,
        field("min_count", "abc", "'abc' does not match '^[0-9]*$'"),
    ),
    ("2.1", server(min_count=3, max_count=2), 400, "min_count must be <= max_count"),
    (
        "2.1",
        server(min_count=11),
        403,
        "Quota exceeded for instances: Requested 11, but already used 0 of 10 instances",
    ),
    (
        "2.1",
        server(**{"OS-DCF:diskConfig": "FOO"}),
        400,
        field("OS-DCF:diskConfig", "FOO", "'FOO' is not one of ['AUTO', 'MANUAL']"),
    ),
    (
        "2.1",
        server(config_drive="maybe"),
        400,
        field("config_drive", "maybe", f"'maybe' is not one of {BOOLEANS}"),
    ),
    ("2.1", server(foo=1), 400, extra({**BASE, "foo": 1}, "foo")),
    (
        "2.1",
        {**server(), "foo": 1},
        400,
        "Additional properties are not allowed ('foo' was unexpected)",
    ),
    ("2.1", {"server": "x"}, 400, field("server", "x", "'x' is not of type 'object'")),
]


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def cloud(world):
    return world.cloud


@pytest.fixture
def demo(world) -> Client:
    return world.demo


@pytest.fixture
def admin(world) -> Client:
    return world.admin


def state(cloud) -> tuple:
    compute = cloud.compute
    return (
        dict(compute.servers),
        dict(compute.records),
        copy.deepcopy(compute.instance_ids),
        cloud.network.snapshot(),
        len(compute.tasks.pending),
        compute.clock.now,
    )


@pytest.mark.parametrize(
    ("version", "body", "status", "message"),
    REJECTED,
    ids=[f"{i}-{v}" for i, (v, *_rest) in enumerate(REJECTED)],
)
def test_rejected_body(cloud, demo, version, body, status, message):
    before = state(cloud)
    response = demo.post(f"{API}/servers", body, microversion=version)
    assert response.status_int == status
    name = "badRequest" if status == 400 else "forbidden"
    assert response.json == {name: {"code": status, "message": message}}
    assert state(cloud) == before  # nothing was created, numbered, allocated or queued


def test_at_least_thirty_rejections_are_covered():
    assert len(REJECTED) >= 30


def test_malformed_json(cloud, demo):
    before = state(cloud)
    response = demo.post(f"{API}/servers", raw=b"{not json")
    assert response.json == {"badRequest": {"code": 400, "message": "Malformed request body"}}
    assert state(cloud) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (server(host="nosuch", networks="none"), "Compute host nosuch could not be found."),
        (
            server(hypervisor_hostname="nosuch", networks="none"),
            "Compute host nosuch could not be found.",
        ),
        (
            server(availability_zone="a:b:c:d", networks="none"),
            "Invalid input received: Unable to parse availability_zone",
        ),
    ],
)
def test_admin_rejections(cloud, admin, body, message):
    before = state(cloud)
    response = admin.post(f"{API}/servers", body, microversion="2.74")
    assert response.json == {"badRequest": {"code": 400, "message": message}}
    assert state(cloud) == before


# -- successful creates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "extra_fields"),
    [("2.1", {}), ("2.37", {"networks": "none"}), ("2.100", {"networks": "auto"})],
)
def test_created_answer(cloud, demo, version, extra_fields):
    response = demo.post(f"{API}/servers", server(**extra_fields), microversion=version)
    assert response.status_int == 202
    body = response.json["server"]
    assert list(body) == ["id", "links", "OS-DCF:diskConfig", "security_groups", "adminPass"]
    assert response.headers["Location"] == body["links"][0]["href"]
    assert body["links"][0]["href"].endswith(f"/compute/v2.1/servers/{body['id']}")
    assert body["OS-DCF:diskConfig"] == "MANUAL"
    assert body["security_groups"] == [{"name": "default"}]
    assert len(body["adminPass"]) == 12
    assert response.headers["OpenStack-API-Version"] == f"compute {version}"


def test_admin_pass_given_is_echoed_and_never_shown_again(demo):
    response = demo.post(f"{API}/servers", server(adminPass="sekrit"))
    assert response.json["server"]["adminPass"] == "sekrit"
    shown = demo.get(f"{API}/servers/{response.json['server']['id']}").json["server"]
    assert "adminPass" not in shown


def test_admin_pass_omitted_when_instance_passwords_are_disabled():
    w = World(nova={"api": {"enable_instance_password": False}})
    response = w.demo.post(f"{API}/servers", server())
    assert "adminPass" not in response.json["server"]


def test_generated_passwords_are_stable_per_cloud():
    first = World().demo.post(f"{API}/servers", server())
    again = World().demo.post(f"{API}/servers", server())
    assert first.json["server"]["adminPass"] == again.json["server"]["adminPass"]


def test_security_groups_are_echoed_as_requested(demo):
    groups = [{"name": "default"}, {"name": "default"}]
    response = demo.post(f"{API}/servers", server(security_groups=groups))
    assert response.json["server"]["security_groups"] == groups


def test_reservation_id_for_several_servers(cloud, demo):
    response = demo.post(
        f"{API}/servers", server(name="web", min_count=2, return_reservation_id=True)
    )
    assert response.status_int == 202
    assert list(response.json) == ["reservation_id"]
    assert "Location" not in response.headers
    reservation = response.json["reservation_id"]
    listed = demo.get(f"{API}/servers/detail").json["servers"]
    assert sorted(s["name"] for s in listed) == ["web-1", "web-2"]
    made = [s for s in cloud.compute.servers.values() if s.reservation_id == reservation]
    assert sorted(s.hostname for s in made) == ["web-1", "web-2"]


def test_description_defaults_to_the_name_before_2_19(cloud, demo):
    old = demo.post(f"{API}/servers", server(name="old")).json["server"]["id"]
    new = demo.post(f"{API}/servers", server(name="new"), microversion="2.19")
    assert cloud.compute.servers[old].description == "old"
    assert cloud.compute.servers[new.json["server"]["id"]].description is None


# -- the build --------------------------------------------------------------------------------


def test_build_settles_before_the_next_request(cloud, demo):
    created_at = cloud.clock.now
    response = demo.post(f"{API}/servers", server(name="vm9"), microversion="2.1")
    server_id = response.json["server"]["id"]
    stored = cloud.compute.servers[server_id]
    assert (stored.status, stored.vm_state, stored.task_state) == (
        "BUILD",
        "building",
        "scheduling",
    )
    shown = demo.get(f"{API}/servers/{server_id}").json["server"]
    assert shown["status"] == "ACTIVE"
    assert shown["OS-EXT-STS:task_state"] is None
    assert shown["OS-EXT-STS:power_state"] == 1
    assert shown["addresses"]["private"][0]["addr"].startswith("10.0.0.")
    assert shown["hostId"]
    assert shown["created"] == created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    launched = dt.datetime.fromisoformat(shown["OS-SRV-USG:launched_at"])
    assert dt.timedelta(seconds=6) <= launched - created_at.replace(tzinfo=None)
    assert cloud.clock.now > created_at  # time passed, but nothing slept


def test_scheduler_prefers_most_free_ram_then_name(cloud, demo):
    ids = [
        demo.post(f"{API}/servers", server(name=f"s{i}", flavorRef="3")).json["server"]["id"]
        for i in range(3)
    ]
    demo.get(f"{API}/servers")
    hosts = [cloud.compute.servers[i].host for i in ids]
    assert hosts == ["compute1", "compute2", "compute1"]


def test_no_valid_host_ends_in_error_in_cell0(cloud, demo, admin):
    response = demo.post(f"{API}/servers", server(name="big", flavorRef="5"))
    server_id = response.json["server"]["id"]
    shown = demo.get(f"{API}/servers/{server_id}").json["server"]
    assert shown["status"] == "ERROR"
    assert shown["fault"] == {
        "code": 500,
        "created": shown["created"],
        "message": "No valid host was found. ",
    }
    assert "progress" not in shown and "security_groups" not in shown
    assert shown["OS-EXT-AZ:availability_zone"] == ""
    assert shown["hostId"] == ""
    assert cloud.compute.servers[server_id].cell.name == "cell0"
    as_admin = admin.get(f"{API}/servers/{server_id}", microversion="2.100").json["server"]
    assert as_admin["fault"]["details"].startswith("Traceback")
    assert as_admin["OS-EXT-SRV-ATTR:host"] is None
    assert as_admin["OS-EXT-SRV-ATTR:root_device_name"] is None


def test_os_networks_proxy(demo, cloud):
    network_id = named_network(cloud)
    listed = demo.get(f"{API}/os-networks").json["networks"]
    public = named_network(cloud, "public")
    assert [(n["id"], n["label"]) for n in listed] == [(network_id, "private"), (public, "public")]
    assert demo.get(f"{API}/os-networks/private").json == {
        "itemNotFound": {"code": 404, "message": "Network not found"}
    }
    assert demo.get(f"{API}/os-networks", microversion="2.36").status_int == 404


def test_openstack_server_create_wait(world):
    with mock_cloud(world=world) as cloud:
        result = cloud.openstack(
            "server create --image cirros-0.6.3-x86_64-disk --flavor m1.tiny --network private "
            "--wait vm9"
        )
    assert result.exit_code == 0, result.stderr
    assert "| status                              | ACTIVE" in result.stdout
    assert "private=10.0.0.10" in result.stdout
    assert "Progress" not in result.stdout  # the first poll already saw ACTIVE
