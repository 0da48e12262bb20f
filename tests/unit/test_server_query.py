"""Query options of ``GET /servers`` and ``/servers/detail``, for a member and for an admin.

Every expectation was first observed on the real Nova 34.0.0 (the oracle: Nova's functional
test stack, ``[api] response_validation = warn``), with the same five servers: demo's vm1
(flavor 1, key ``key1``, hostname ``web-1``, description ``Web one``, progress 50, power state
4, config drive, locked by its owner, tags a and b, created 2020-01-01 10:00, updated
2020-01-02) and vm2 (flavor 2, stopped, tag a, created 2020-01-01 11:00, updated 2020-01-03),
alt_demo's vm3 (tag c), and demo's vm4 (deleted) and vm5 (soft-deleted). The few facts the
oracle could not show (its fake Neutron gives servers no addresses) come from Nova's source
and say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from fakenova.compute.models.servers.records import Server
from fakenova.testing import API, World


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


class Servers(World):
    """The cloud with the five servers, and requests that answer with server names."""

    def __init__(self) -> None:
        super().__init__()
        compute = self.compute
        vm1 = self.boot("vm1")
        vm2 = self.boot("vm2", flavor="2")
        vm3 = self.boot("vm3", "alt_demo")
        vm4 = self.boot("vm4")
        vm5 = self.boot("vm5")
        vm1.key_name, vm1.hostname, vm1.description = "key1", "web-1", "Web one"
        vm1.progress, vm1.power_state, vm1.config_drive = 50, 4, "True"
        vm1.locked_by, vm1.tags = "owner", ["a", "b"]
        vm1.created_at, vm1.launched_at = _at("2020-01-01T10:00:00"), _at("2020-01-01T10:00:05")
        vm1.updated_at = _at("2020-01-02T00:00:00")
        vm2.vm_state, vm2.power_state, vm2.tags = "stopped", 4, ["a"]
        vm2.created_at, vm2.updated_at = _at("2020-01-01T11:00:00"), _at("2020-01-03T00:00:00")
        vm3.tags = ["c"]
        vm4.vm_state, vm4.deleted, vm4.updated_at = "deleted", True, compute.clock.now
        vm5.vm_state, vm5.updated_at = "soft-delete", compute.clock.now
        for server in (vm1, vm2):  # created_at moved: store again so the index follows
            compute.servers[server.uuid] = server
        self.by_name: dict[str, Server] = {s.name: s for s in (vm1, vm2, vm3, vm4, vm5)}
        self.name = {s.uuid: s.name for s in self.by_name.values()}

    def get(self, path: str, mv: str | None = None, user: str = "demo") -> Any:
        for name, server in self.by_name.items():
            path = path.replace("{" + name + "}", server.uuid)
        return self.client(user).get(API + path, microversion=mv)

    def body(self, path: str, mv: str | None = None, user: str = "demo") -> Any:
        response = self.get(path, mv, user)
        assert response.status_int == 200, response.text
        return response.json

    def names(self, query: str, mv: str | None = None, user: str = "demo") -> list[str]:
        servers = self.body("/servers" + query, mv, user)["servers"]
        return [self.name[s["id"]] for s in servers]

    def admin_names(self, query: str, mv: str | None = None) -> list[str]:
        """As an admin, within demo's project (the oracle's admin shared the member's)."""
        scope = f"all_tenants=1&project_id={self.cloud.project_id('demo')}"
        query = f"?{scope}&{query[1:]}" if query else f"?{scope}"
        return self.names(query, mv, "admin")

    def next_query(self, path: str, mv: str | None = None, user: str = "demo") -> list[tuple]:
        """The next link's query as (name, value) pairs, marker shown as a server name."""
        links = self.body(path, mv, user)["servers_links"]
        assert [link["rel"] for link in links] == ["next"]
        pairs = parse_qsl(urlsplit(links[0]["href"]).query, keep_blank_values=True)
        return [(k, self.name.get(v, v)) for k, v in pairs]

    def error(self, path: str, code: int, mv: str | None = None, user: str = "demo") -> str:
        response = self.get(path, mv, user)
        name = {400: "badRequest", 403: "forbidden"}[code]
        assert response.status_int == code, response.text
        assert response.json[name]["code"] == code
        return response.json[name]["message"]


@pytest.fixture
def vms() -> Servers:
    return Servers()


# -- who sees what ------------------------------------------------------------------------


def test_default_lists_hide_other_projects_deleted_and_soft_deleted(vms: Servers) -> None:
    assert vms.names("") == ["vm2", "vm1"]
    assert vms.names("", user="alt_demo") == ["vm3"]
    assert vms.names("?all_tenants=1", user="admin") == ["vm3", "vm2", "vm1"]
    assert vms.names("?all_tenants=", user="admin") == ["vm3", "vm2", "vm1"]
    assert vms.names("?all_tenants=0", user="admin") == []  # the admin's own project


@pytest.mark.parametrize("path", ["/servers", "/servers/detail"])
def test_member_may_not_list_all_tenants(vms: Servers, path: str) -> None:
    rule = "detail" if path.endswith("detail") else "index"
    assert vms.error(path + "?all_tenants=1", 403) == (
        f"Policy doesn't allow os_compute_api:servers:{rule}:get_all_tenants to be performed."
    )


def test_all_tenants_value_must_be_a_boolean(vms: Servers) -> None:
    assert vms.error("/servers?all_tenants=maybe", 400, user="admin") == (
        "Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', "
        "'off', 'on', 't', 'true', 'y', 'yes'"
    )


def test_tenant_and_project_filter_only_with_all_tenants(vms: Servers) -> None:
    alt = vms.cloud.project_id("alt_demo")
    demo = vms.cloud.project_id("demo")
    # without all_tenants the admin's own project wins (tenant_id is dropped, lp:#1185290)
    assert vms.names(f"?tenant_id={alt}", user="admin") == []
    assert vms.names(f"?project_id={demo}", user="admin") == []
    assert vms.names(f"?all_tenants=1&tenant_id={alt}", user="admin") == ["vm3"]
    assert vms.names(f"?all_tenants=1&project_id={demo}", user="admin") == ["vm2", "vm1"]
    assert vms.names(f"?all_tenants=1&user_id={vms.cloud.user_id('alt_demo')}", user="admin") == [
        "vm3"
    ]


# -- which options a member may use, and from which microversion -----------------------------

MEMBER_OPTIONS = [
    # (microversion, query, names): the option filters (a member is allowed to use it)
    ("2.1", "?name=vm1", ["vm1"]),
    ("2.1", "?flavor=2", ["vm2"]),
    ("2.1", "?status=SHUTOFF", ["vm2"]),
    ("2.1", "?reservation_id=r-", ["vm2", "vm1"]),
    ("2.5", "?ip6=zzz", []),
    ("2.26", "?tags=a,b", ["vm1"]),
    ("2.66", "?changes-before=2020-01-02T00:00:00Z", ["vm1"]),
    ("2.73", "?locked=1", ["vm1"]),
    ("2.83", "?key_name=key", ["vm1"]),
    ("2.83", "?progress=5", ["vm1"]),
    ("2.83", "?config_drive=rue", ["vm1"]),
    ("2.83", "?vm_state=stopped", ["vm2"]),
    ("2.83", "?launched_at=2020-01-01", ["vm1"]),
    ("2.90", "?hostname=web", ["vm1"]),
]
DROPPED_FOR_MEMBERS = [
    # (microversion, query): silently ignored, the whole list comes back
    ("2.1", "?ip6=zzz"),
    ("2.25", "?tags=zzz"),
    ("2.65", "?changes-before=2020-01-02T00:00:00Z"),
    ("2.72", "?locked=1"),
    ("2.82", "?key_name=zzz"),
    ("2.83", "?hostname=zzz"),
    ("2.1", "?display_name=vm2"),
    ("2.1", "?uuid={vm1}"),
    ("2.1", "?host=zzz"),
    ("2.1", "?deleted=true"),
    ("2.1", "?availability_zone=zzz"),
    ("2.1", "?metadata=x"),  # a joined table is refused only for those allowed to filter
    ("2.104", "?host=zzz&node=zzz&deleted=true&soft_deleted=1&project_id=x"),
]


@pytest.mark.parametrize(("mv", "query", "names"), MEMBER_OPTIONS)
def test_member_options(vms: Servers, mv: str, query: str, names: list[str]) -> None:
    assert vms.names(query, mv) == names


@pytest.mark.parametrize(("mv", "query"), DROPPED_FOR_MEMBERS)
def test_admin_only_or_newer_options_are_dropped_for_members(
    vms: Servers, mv: str, query: str
) -> None:
    assert vms.names(query, mv) == ["vm2", "vm1"]


def test_unknown_options_are_stripped_before_275_and_refused_from_it(vms: Servers) -> None:
    assert vms.names("?foo=1", "2.74") == ["vm2", "vm1"]
    assert vms.error("/servers?foo=1&bar=2", 400, "2.75") == (
        "'bar', 'foo' do not match any of the regexes: '^_'"
    )


def test_internal_fields_are_refused_for_admins(vms: Servers) -> None:
    assert vms.error("/servers?metadata=x", 400, user="admin") == "Invalid filter field: metadata."


# -- regex or exact --------------------------------------------------------------------------

ADMIN_MATCHING = [
    ("?name=VM1", []),  # regex, case-sensitive
    ("?name=%5Evm1%24", ["vm1"]),
    ("?name=m1", ["vm1"]),  # searched anywhere in the name
    ("?name=v.1", ["vm1"]),
    ("?name=vm1%7Cvm2", ["vm2", "vm1"]),
    ("?display_name=vm2", ["vm2"]),
    ("?description=Web", ["vm2", "vm1"]),  # no such column: ignored
    ("?display_description=Web", ["vm1"]),
    ("?hostname=web", ["vm1"]),
    ("?locked_by=own", ["vm1"]),
    ("?uuid={vm1}", ["vm1"]),  # exact
    ("?host=compute1", ["vm2", "vm1"]),  # exact
    ("?host=comp", []),
    ("?node=comp", ["vm2", "vm1"]),  # regex
    ("?image=70a599e0", []),  # exact
    ("?image=70a599e0-31e7-49b7-b260-868f441e862b", ["vm2", "vm1"]),
    ("?image_ref=70a599e0-31e7-49b7-b260-868f441e862b", ["vm2", "vm1"]),
    ("?flavor=999", []),  # a flavor that does not exist: an empty list, no error
]


@pytest.mark.parametrize(("query", "names"), ADMIN_MATCHING)
def test_admin_matching(vms: Servers, query: str, names: list[str]) -> None:
    assert vms.admin_names(query) == names


MEMBER_283_MATCHING = [
    ("?created_at=2020-01-01%2010", ["vm1"]),  # the stored text: "2020-01-01 10:00:00.000000"
    ("?created_at=2020-01-01T10", []),
    ("?created_at=2020-01-01", ["vm2", "vm1"]),
    ("?created_at=2020-01-01%2010:00:00.000000", ["vm1"]),
    ("?power_state=4", ["vm2", "vm1"]),
    ("?vm_state=stop", []),  # exact
    ("?vm_state=stopped&vm_state=active", ["vm1"]),  # the last value counts
    ("?task_state=None", []),
    ("?availability_zone=no", ["vm2", "vm1"]),  # regex on the host's zone
    ("?user_id=fak", []),  # exact
    ("?locked=false", ["vm2"]),
]


@pytest.mark.parametrize(("query", "names"), MEMBER_283_MATCHING)
def test_member_matching_from_283(vms: Servers, query: str, names: list[str]) -> None:
    assert vms.names(query, "2.83") == names


def test_user_id_is_exact(vms: Servers) -> None:
    assert vms.names(f"?user_id={vms.cloud.user_id('demo')}", "2.83") == ["vm2", "vm1"]


def test_ip_matches_a_substring_of_any_address(vms: Servers) -> None:
    """From Nova's source (``_ip_filter_using_neutron``): with Neutron's ip-substring-filtering
    extension Nova asks for ports whose address contains the value, for ``ip`` and ``ip6``."""
    addr = vms.by_name["vm1"].addresses[0].addr
    assert vms.names(f"?ip={addr}") == ["vm1"]
    assert vms.names(f"?ip={addr[1:]}") == ["vm1"]
    assert vms.names("?ip=10.0.0.") == ["vm2", "vm1"]
    assert vms.names("?ip=192.") == []
    assert vms.names(f"?ip6={addr}", "2.5") == ["vm1"]


def test_invalid_regex_or_empty_value_is_a_400(vms: Servers) -> None:
    assert vms.error("/servers?name=%5B", 400) == (
        "Invalid input for query parameters name. Value: [. '[' is not a 'regex'"
    )
    assert vms.error("/servers?name=", 400, "2.75") == (
        "Invalid input for query parameters name. Value: . '' is not a 'regex'"
    )
    assert vms.error("/servers?tags=", 400, "2.26") == (
        "Invalid input for query parameters tags. Value: . '' is not a 'regex'"
    )


def test_locked_value_must_be_a_boolean(vms: Servers) -> None:
    assert vms.error("/servers?locked=maybe", 400, "2.73") == (
        "Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', "
        "'off', 'on', 't', 'true', 'y', 'yes'"
    )


# -- status ----------------------------------------------------------------------------------


def test_status(vms: Servers) -> None:
    assert vms.names("?status=shutoff") == ["vm2"]
    assert vms.names("?status=SHUTOFF&status=ACTIVE") == ["vm2", "vm1"]
    assert vms.names("?status=SOFT_DELETED") == []  # soft-deleted servers stay hidden
    assert vms.names("?status=bogus", "2.37") == []
    assert vms.error("/servers?status=bogus", 400, "2.38") == "Invalid status value"
    assert vms.error("/servers?status=DELETED", 403) == (
        "Only administrators may list deleted instances"
    )
    assert vms.admin_names("?status=deleted") == ["vm4"]


# -- tags (2.26) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?tags=a,b", ["vm1"]),
        ("?tags=a", ["vm2", "vm1"]),
        ("?tags=a,", []),
        ("?tags=b&tags=a", ["vm2", "vm1"]),
        ("?tags-any=b,c", ["vm1"]),
        ("?not-tags=a,b", ["vm2"]),
        ("?not-tags-any=a,c", []),
    ],
)
def test_tags(vms: Servers, query: str, names: list[str]) -> None:
    assert vms.names(query, "2.26") == names


# -- changes-since and changes-before ---------------------------------------------------------


def test_changes_since_lists_deleted_and_soft_deleted(vms: Servers) -> None:
    servers = vms.body("/servers/detail?changes-since=2020-01-02T12:00:00Z")["servers"]
    assert [(vms.name[s["id"]], s["status"]) for s in servers] == [
        ("vm5", "SOFT_DELETED"),
        ("vm4", "DELETED"),
        ("vm2", "SHUTOFF"),
    ]
    assert vms.names("?changes-since=2020-01-02T00:00:00Z") == ["vm5", "vm4", "vm2", "vm1"]
    assert vms.names("?changes-since=2020-01-02") == ["vm5", "vm4", "vm2", "vm1"]
    assert vms.names("?changes-since=2020-01-02T12:00:00") == ["vm5", "vm4", "vm2"]
    assert vms.names("?changes-since=2020-01-02T12:00:00%2B02:00") == ["vm5", "vm4", "vm2"]
    query = "?changes-since=2000-01-01T00:00:00Z&deleted=false"
    assert vms.admin_names(query) == ["vm2", "vm1"]


def test_changes_validation(vms: Servers) -> None:
    assert vms.error("/servers?changes-since=yesterday", 400) == (
        "Invalid input for query parameters changes-since. Value: yesterday. "
        "'yesterday' is not a 'date-time'"
    )
    assert vms.error("/servers?changes-since='2020-01-01T00:00:00Z'", 400) == (
        "Invalid input for query parameters changes-since. Value: '2020-01-01T00:00:00Z'. "
        "\"'2020-01-01T00:00:00Z'\" is not a 'date-time'"
    )
    assert vms.error("/servers?changes-before=x", 400, "2.66") == (
        "Invalid input for query parameters changes-before. Value: x. 'x' is not a 'date-time'"
    )
    assert vms.names("?changes-before=x", "2.65") == ["vm2", "vm1"]  # unknown: stripped
    query = "?changes-since=2020-01-02T00:00:00Z&changes-before=2020-01-01T00:00:00Z"
    assert vms.error("/servers" + query, 400, "2.66") == (
        "The value of changes-since must be less than or equal to changes-before."
    )


# -- deleted and soft_deleted (admin) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?deleted=true", ["vm5", "vm4"]),
        ("?deleted=true&soft_deleted=false", ["vm5", "vm4"]),  # any non-empty value is true
        ("?deleted=true&soft_deleted=", ["vm4"]),
        ("?deleted=false&soft_deleted=true", ["vm5", "vm2", "vm1"]),
        ("?deleted=false&soft_deleted=0", ["vm5", "vm2", "vm1"]),
        ("?soft_deleted=true", ["vm5", "vm2", "vm1"]),
        ("?soft_deleted=", ["vm2", "vm1"]),
        ("?deleted=maybe", ["vm2", "vm1"]),
    ],
)
def test_admin_deleted_and_soft_deleted(vms: Servers, query: str, names: list[str]) -> None:
    assert vms.admin_names(query) == names


# -- sorting ---------------------------------------------------------------------------------

SORT_KEYS_21 = (
    "['access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone', 'config_drive', "
    "'created_at', 'display_description', 'display_name', 'host', 'hostname', 'image_ref', "
    "'instance_type_id', 'kernel_id', 'key_name', 'launch_index', 'launched_at', 'locked_by', "
    "'node', 'power_state', 'progress', 'project_id', 'ramdisk_id', 'root_device_name', "
    "'task_state', 'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state', "
    "'architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device', "
    "'deleted', 'deleted_at', 'disable_terminate', 'ephemeral_gb', 'ephemeral_key_uuid', 'id', "
    "'key_data', 'launched_on', 'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb', "
    "'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode']"
)
# Nova 34 builds the 2.75 list from a set: this is the order one nova-api printed.
SORT_KEYS_275 = (
    "['task_state', 'ramdisk_id', 'node', 'power_state', 'vm_state', 'locked', "
    "'auto_disk_config', 'root_device_name', 'locked_by', 'access_ip_v4', 'display_name', "
    "'key_name', 'image_ref', 'created_at', 'project_id', 'host', 'launch_index', "
    "'access_ip_v6', 'instance_type_id', 'terminated_at', 'availability_zone', 'uuid', "
    "'kernel_id', 'user_id', 'hostname', 'display_description', 'progress', 'updated_at', "
    "'config_drive', 'launched_at']"
)


@pytest.mark.parametrize(
    ("query", "mv", "names"),
    [
        ("?sort_key=display_name&sort_dir=asc", None, ["vm1", "vm2"]),
        ("?sort_key=display_name", None, ["vm2", "vm1"]),  # desc by default
        (
            "?sort_key=vm_state&sort_dir=asc&sort_key=display_name&sort_dir=desc",
            None,
            ["vm1", "vm2"],
        ),
        ("?sort_dir=asc", None, ["vm1", "vm2"]),  # created_at
        ("?sort_key=id&sort_dir=asc", None, ["vm2", "vm1"]),  # ignored, with its direction
        ("?sort_key=id&sort_key=display_name&sort_dir=asc", None, ["vm1", "vm2"]),
        ("?sort_key=locked&sort_dir=asc", "2.73", ["vm2", "vm1"]),
    ],
)
def test_sort(vms: Servers, query: str, mv: str | None, names: list[str]) -> None:
    assert vms.names(query, mv) == names


def test_sort_errors(vms: Servers) -> None:
    prefix = "Invalid input for query parameters sort_key. Value: foo. 'foo' is not one of "
    assert vms.error("/servers?sort_key=foo", 400) == prefix + SORT_KEYS_21
    assert vms.error("/servers?sort_key=foo", 400, "2.75") == prefix + SORT_KEYS_275
    message = vms.error("/servers?sort_key=id", 400, "2.75")  # ignored keys are gone in 2.75
    assert message.startswith("Invalid input for query parameters sort_key. Value: id. 'id' is")
    for key in ("host", "node"):
        assert vms.error(f"/servers?sort_key={key}", 403) == (
            f"Only administrators can sort servers by {key}"
        )
    assert vms.error("/servers?sort_dir=up", 400) == (
        "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'"
    )
    assert vms.error("/servers?sort_key=display_name&sort_dir=asc&sort_dir=desc", 400) == (
        "Invalid input received: Sort direction size exceeds sort key size"
    )
    # the directions are read before the marker, and not at all for an empty page
    assert vms.error("/servers?marker=nope&sort_dir=up", 400).startswith("Invalid input")
    assert vms.error("/servers?marker=nope&sort_key=host", 403).startswith("Only admin")
    assert vms.body("/servers?limit=0&sort_dir=up") == {"servers": []}


def test_errors_come_in_nova_order(vms: Servers) -> None:
    name_error = "Invalid input for query parameters name. Value: [. '[' is not a 'regex'"
    assert vms.error("/servers?limit=x&name=%5B", 400) == name_error  # schema order
    assert vms.error("/servers?zzz=1&name=%5B", 400, "2.75") == name_error
    assert vms.error("/servers?status=bogus&sort_dir=up", 400, "2.38") == "Invalid status value"
    query = "/servers?metadata=1&all_tenants=maybe"
    assert vms.error(query, 400, user="admin") == "Invalid filter field: metadata."


def test_admin_may_sort_by_host_and_ties_go_by_uuid(vms: Servers) -> None:
    # both on compute1: Nova's cell lister adds ``uuid`` (ascending) to every sort
    tied = sorted(["vm1", "vm2"], key=lambda name: vms.by_name[name].uuid)
    assert vms.admin_names("?sort_key=host&sort_dir=asc") == tied
    assert vms.admin_names("?sort_key=host&sort_dir=desc") == tied
    assert vms.admin_names("?sort_key=host") == tied
    # fewer directions than keys: the database gives the rest the first one, uuid included
    assert vms.admin_names("?sort_key=host&sort_key=node&sort_dir=desc") == tied[::-1]


# -- paging ----------------------------------------------------------------------------------


def test_limit_validation(vms: Servers) -> None:
    for value, detail in (
        ("-1", "'-1' does not match '^[0-9]*$'"),
        ("abc", "'abc' does not match '^[0-9]*$'"),
        ("", "'' should be non-empty"),
    ):
        assert vms.error(f"/servers?limit={value}", 400) == (
            f"Invalid input for query parameters limit. Value: {value}. {detail}"
        )
    assert vms.body("/servers?limit=0") == {"servers": []}


def test_next_link_keeps_the_validated_query_and_appends_the_marker(vms: Servers) -> None:
    # unknown parameters were stripped; the rest sorted by name; marker last
    assert vms.next_query("/servers?limit=1&name=vm&zzz=1&aaa=2") == [
        ("limit", "1"),
        ("name", "vm"),
        ("marker", "vm2"),
    ]
    # a repeated parameter keeps its greatest value in the link, not the one that filtered
    assert vms.next_query(
        "/servers?limit=1&name=vm2&name=vm&sort_key=display_name&sort_key=uuid"
    ) == [
        ("limit", "1"),
        ("name", "vm2"),
        ("sort_key", "uuid"),
        ("marker", "vm2"),
    ]
    # options a member may not use still ride along
    assert vms.next_query("/servers?limit=1&host=zzz") == [
        ("host", "zzz"),
        ("limit", "1"),
        ("marker", "vm2"),
    ]


def test_marker(vms: Servers) -> None:
    assert vms.names("?marker={vm2}&limit=1&sort_dir=asc") == []
    assert vms.names("?marker={vm3}") == ["vm2", "vm1"]  # another project's server will do
    assert vms.error("/servers?marker=nope", 400) == "marker [nope] not found"


def test_max_limit(vms: Servers) -> None:
    vms.cloud.settings.nova["api"]["max_limit"] = 2
    vm6 = vms.boot("vm6")
    vms.name[vm6.uuid] = "vm6"
    vms.by_name["vm6"] = vm6
    assert vms.names("") == ["vm6", "vm2"]
    assert vms.next_query("/servers") == [("marker", "vm2")]
    assert vms.next_query("/servers?limit=5") == [("limit", "5"), ("marker", "vm2")]
    assert vms.next_query("/servers?limit=01") == [("limit", "01"), ("marker", "vm6")]
    assert vms.next_query("/servers?foo=bar&limit=2", "2.74") == [
        ("limit", "2"),
        ("marker", "vm2"),
    ]
    detail = "/servers/detail?limit=1&sort_key=display_name&sort_dir=asc"
    assert vms.next_query(detail) == [
        ("limit", "1"),
        ("sort_dir", "asc"),
        ("sort_key", "display_name"),
        ("marker", "vm1"),
    ]
    links = vms.body(detail)["servers_links"]
    assert urlsplit(links[0]["href"]).path == "/compute/v2.1/servers/detail"
    # a full page has a next link even when nothing follows
    assert vms.next_query("/servers?limit=2&marker={vm6}") == [("limit", "2"), ("marker", "vm1")]
    query = "/servers?all_tenants=1&host=compute1&deleted=false"
    assert vms.next_query(query, user="admin") == [
        ("all_tenants", "1"),
        ("deleted", "false"),
        ("host", "compute1"),
        ("marker", "vm3"),
    ]
