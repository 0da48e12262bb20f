"""Down cells: what the fake answers while ``cell2`` is unreachable.

Every expectation here was first observed on the real Nova 34.0.0 (its functional-test stack with
two cells, ``DownCellFixture`` on cell2 and ``[api] response_validation`` at its production
default, ``warn``). The ``down-cells`` scenario puts demo's vm1 in cell1, demo's vm2 (in server
group db-group) and alt_demo's vm3 in cell2.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova.testing import API, World

LIST_MINIMAL = {"id", "status", "links"}
DETAIL_MINIMAL = {"id", "status", "tenant_id", "created", "links", "security_groups"}
SHOW_MINIMAL = {
    "id",
    "status",
    "tenant_id",
    "created",
    "links",
    "image",
    "flavor",
    "OS-EXT-AZ:availability_zone",
    "OS-EXT-STS:power_state",
    "user_id",
}
FLAVOR_247 = {"vcpus", "ram", "disk", "ephemeral", "swap", "original_name", "extra_specs"}
SERVICE_MINIMAL = {"binary", "host", "status"}
NOVA_EXCEPTION = "\n<class 'nova.exception.NovaException'>"
DB_ERROR = "\n<class 'oslo_db.exception.DBError'>"


class Down(World):
    """The scenario's cloud with cell2 unreachable, and the servers' ids by name; ``api``
    overrides nova.conf's [api] options."""

    def __init__(self, **api: Any) -> None:
        super().__init__("down-cells", nova={"api": api})
        self.id = {s.name: uuid for uuid, s in self.compute.servers.items()}
        self.name = {uuid: name for name, uuid in self.id.items()}
        self.group = next(iter(self.compute.server_groups))
        self.compute.set_cell_reachable("cell2", False)

    def get(self, path: str, mv: str | None = None, user: str = "demo") -> Any:
        for name, uuid in self.id.items():
            path = path.replace("{" + name + "}", uuid)
        return self.client(user).get(API + path, microversion=mv)

    def ok(self, path: str, mv: str | None = None, user: str = "demo") -> Any:
        response = self.get(path, mv, user)
        assert response.status_int == 200, response.text
        return response.json

    def listed(self, path: str, mv: str, user: str = "demo") -> list[tuple[str, set[str]]]:
        """(name, key set) of each listed server; a minimal construct's name is ``~vmN``."""
        return [
            (s["name"] if "name" in s else "~" + self.name[s["id"]], set(s))
            for s in self.ok(path, mv, user)["servers"]
        ]

    def names(self, path: str, mv: str, user: str = "demo") -> list[str]:
        return [name for name, _ in self.listed(path, mv, user)]


@pytest.fixture
def down() -> Down:
    return Down()


def fault(response: Any, code: int, name: str) -> str:
    assert response.status_int == code, response.text
    assert set(response.json) == {name}
    assert response.json[name]["code"] == code
    return response.json[name]["message"]


def unexpected(response: Any, raised: str) -> None:
    """Nova's 500; the support sentence in the middle is the deployment's own."""
    message = fault(response, 500, "computeFault")
    assert message.startswith("Unexpected API Error. ")
    assert message.endswith(raised)


# -- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mv", ["2.69", "2.71", "2.104"])
def test_list_prefixes_minimal_constructs(down: Down, mv: str) -> None:
    servers = down.ok("/servers", mv)["servers"]
    assert [set(s) for s in servers] == [LIST_MINIMAL, {"id", "name", "links"}]
    assert servers[0]["id"] == down.id["vm2"]
    assert servers[0]["status"] == "UNKNOWN"
    assert servers[1]["name"] == "vm1"


@pytest.mark.parametrize("mv", ["2.69", "2.71", "2.104"])
def test_detail_minimal_constructs(down: Down, mv: str) -> None:
    servers = down.ok("/servers/detail", mv)["servers"]
    minimal, full = servers
    assert set(minimal) == DETAIL_MINIMAL  # no flavor, image, user_id or server_groups
    assert minimal["status"] == "UNKNOWN"
    assert minimal["tenant_id"] == down.cloud.project_id("demo")
    assert minimal["security_groups"] == [{"name": "default"}]  # from the server's ports
    assert full["name"] == "vm1"
    assert "name" not in minimal


@pytest.mark.parametrize("mv", ["2.1", "2.47", "2.68"])
def test_below_269_down_cell_is_skipped(down: Down, mv: str) -> None:
    assert down.names("/servers", mv) == ["vm1"]
    assert down.names("/servers/detail", mv) == ["vm1"]
    assert down.names("/servers/detail?all_tenants=1", mv, "admin") == ["vm1"]


def test_admin_all_tenants(down: Down) -> None:
    for query in ("all_tenants=1", "all_tenants", "all_tenants=true"):
        assert down.names(f"/servers?{query}", "2.69", "admin") == ["~vm2", "~vm3", "vm1"]
    detail = down.listed("/servers/detail?all_tenants=1", "2.71", "admin")
    assert [name for name, _ in detail] == ["~vm2", "~vm3", "vm1"]
    # no host_status, extended attributes or flavor for an admin either
    assert detail[0][1] == DETAIL_MINIMAL


def test_member_may_not_list_all_tenants(down: Down) -> None:
    message = fault(down.get("/servers?all_tenants=1", "2.69"), 403, "forbidden")
    assert message == (
        "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed."
    )


def test_each_project_sees_only_its_own(down: Down) -> None:
    assert down.names("/servers", "2.69", "alt_demo") == ["~vm3"]
    assert down.names("/servers?all_tenants=0", "2.69") == ["~vm2", "vm1"]


@pytest.mark.parametrize(
    "query",
    [
        "name=vm",
        "status=ACTIVE",
        "ip=10.",
        "changes-since=2000-01-01T00:00:00Z",
        "sort_key=display_name&sort_dir=asc",
        "sort_dir=asc",
        "sort_key=id",  # an ignored sort key still counts as sorting
        "limit=5",
    ],
)
def test_filtering_sorting_or_paging_skips_the_down_cell(down: Down, query: str) -> None:
    assert down.names(f"/servers?{query}", "2.69") == ["vm1"]


def test_limit_gives_next_link_without_minimal_constructs(down: Down) -> None:
    body = down.ok("/servers?limit=1", "2.69")
    assert [s["name"] for s in body["servers"]] == ["vm1"]
    assert body["servers_links"][0]["rel"] == "next"
    assert body["servers_links"][0]["href"].endswith(f"marker={down.id['vm1']}")


def test_admin_filters_skip_the_down_cell(down: Down) -> None:
    for query in (
        "deleted=False",
        "changes-since=2000-01-01T00:00:00Z",
        "limit=10",
        f"project_id={down.cloud.project_id('demo')}",
    ):
        assert down.names(f"/servers?all_tenants=1&{query}", "2.69", "admin") == ["vm1"]


@pytest.mark.parametrize(
    ("mv", "query"),
    [
        ("2.69", "deleted=False"),  # members may not filter on these: dropped, not filtered
        ("2.69", "project_id=someone-else"),
        ("2.69", "host=compute3"),
        ("2.69", "_secret=1"),
        ("2.69", "foo=bar"),  # unknown parameters are stripped before 2.75
        ("2.74", "foo=bar"),
    ],
)
def test_dropped_parameters_keep_minimal_constructs(down: Down, mv: str, query: str) -> None:
    assert down.names(f"/servers?{query}", mv) == ["~vm2", "vm1"]


def test_admin_unknown_parameter_is_stripped_before_275(down: Down) -> None:
    names = down.names("/servers?all_tenants=1&foo=bar", "2.69", "admin")
    assert names == ["~vm2", "~vm3", "vm1"]
    message = fault(down.get("/servers?all_tenants=1&_foo=1", "2.69", "admin"), 400, "badRequest")
    assert message == "Invalid filter field: _foo."


def test_unknown_parameter_is_refused_from_275(down: Down) -> None:
    message = fault(down.get("/servers?foo=bar", "2.75"), 400, "badRequest")
    assert message == "'foo' does not match any of the regexes: '^_'"
    message = fault(down.get("/servers?foo=bar&zoo=1", "2.104"), 400, "badRequest")
    assert message == "'foo', 'zoo' do not match any of the regexes: '^_'"


@pytest.mark.parametrize("mv", ["2.68", "2.69", "2.104"])
def test_marker_in_the_down_cell_is_a_500(down: Down, mv: str) -> None:
    unexpected(down.get("/servers?marker={vm2}", mv), DB_ERROR)
    unexpected(down.get("/servers/detail?marker={vm2}", mv), DB_ERROR)


def test_marker_in_the_healthy_cell_pages_without_minimal_constructs(down: Down) -> None:
    assert down.names("/servers?marker={vm1}", "2.69") == []
    assert down.names("/servers?marker={vm1}&limit=1", "2.69") == []
    message = fault(
        down.get("/servers?marker=00000000-0000-0000-0000-000000000000", "2.69"), 400, "badRequest"
    )
    assert message == "marker [00000000-0000-0000-0000-000000000000] not found"


# -- one server -------------------------------------------------------------------------------


@pytest.mark.parametrize("mv", ["2.1", "2.47", "2.68"])
def test_show_below_269_is_a_500(down: Down, mv: str) -> None:
    unexpected(down.get("/servers/{vm2}", mv), NOVA_EXCEPTION)
    unexpected(down.get("/servers/{vm3}", mv, "admin"), NOVA_EXCEPTION)
    unexpected(down.get("/servers/{vm3}", mv), NOVA_EXCEPTION)  # another project's, too


def test_show_in_healthy_cell_unchanged(down: Down) -> None:
    server = down.ok("/servers/{vm1}", "2.68")["server"]
    assert server["status"] == "ACTIVE"
    assert server["OS-EXT-STS:power_state"] == 1


@pytest.mark.parametrize("user", ["demo", "admin"])
def test_show_minimal_construct_269(down: Down, user: str) -> None:
    server = down.ok("/servers/{vm2}", "2.69", user)["server"]
    assert set(server) == SHOW_MINIMAL
    assert server["status"] == "UNKNOWN"
    assert server["OS-EXT-AZ:availability_zone"] == "UNKNOWN"  # none was requested
    assert server["OS-EXT-STS:power_state"] == 0
    assert server["user_id"] == down.cloud.user_id("demo")
    assert server["tenant_id"] == down.cloud.project_id("demo")
    assert set(server["flavor"]) == FLAVOR_247
    assert server["flavor"]["original_name"] == "m1.tiny"
    assert set(server["image"]) == {"id", "links"}


def test_show_minimal_construct_server_groups_from_271(down: Down) -> None:
    server = down.ok("/servers/{vm2}", "2.71")["server"]
    assert set(server) == SHOW_MINIMAL | {"server_groups"}
    assert server["server_groups"] == [down.group]
    other = down.ok("/servers/{vm3}", "2.71", "admin")["server"]
    assert other["server_groups"] == []
    assert other["flavor"]["original_name"] == "m1.small"


@pytest.mark.parametrize("mv", ["2.98", "2.100", "2.104"])
def test_show_minimal_construct_latest(down: Down, mv: str) -> None:
    server = down.ok("/servers/{vm2}", mv)["server"]
    assert set(server) == SHOW_MINIMAL | {"server_groups"}  # no pinned AZ, no scheduler hints
    assert set(server["image"]) == {"id", "links", "properties"}


def test_show_another_projects_server_in_down_cell_is_forbidden(down: Down) -> None:
    message = fault(down.get("/servers/{vm3}", "2.69"), 403, "forbidden")
    assert message == "Policy doesn't allow os_compute_api:servers:show to be performed."
    assert set(down.ok("/servers/{vm3}", "2.69", "alt_demo")["server"]) == SHOW_MINIMAL
    down.cloud.compute.set_cell_reachable("cell2", True)
    message = fault(down.get("/servers/{vm3}", "2.69"), 404, "itemNotFound")
    assert message == f"Instance {down.id['vm3']} could not be found."


# -- list_records_by_skipping_down_cells = False ----------------------------------------------


@pytest.fixture
def strict() -> Down:
    return Down(list_records_by_skipping_down_cells=False)


@pytest.mark.parametrize("query", ["", "?name=vm", "?limit=1"])
def test_not_skipping_below_269_is_a_500(strict: Down, query: str) -> None:
    unexpected(strict.get("/servers" + query, "2.68"), NOVA_EXCEPTION)
    unexpected(strict.get("/servers/detail" + query, "2.68"), NOVA_EXCEPTION)


def test_not_skipping_from_269(strict: Down) -> None:
    assert strict.names("/servers", "2.69") == ["~vm2", "vm1"]
    assert strict.names("/servers/detail", "2.69") == ["~vm2", "vm1"]
    unexpected(strict.get("/servers?name=vm", "2.69"), NOVA_EXCEPTION)
    unexpected(strict.get("/servers?limit=1", "2.69"), NOVA_EXCEPTION)
    assert set(strict.ok("/servers/{vm2}", "2.69")["server"]) == SHOW_MINIMAL
    unexpected(strict.get("/servers/{vm2}", "2.68"), NOVA_EXCEPTION)
    assert strict.ok("/servers/{vm1}", "2.68")["server"]["name"] == "vm1"


# -- os-services ------------------------------------------------------------------------------


def services(down: Down, mv: str, query: str = "") -> list[dict[str, Any]]:
    return down.ok("/os-services" + query, mv, "admin")["services"]


@pytest.mark.parametrize("skipping", [True, False])
def test_services_below_269_skip_the_down_cell(skipping: bool) -> None:
    down = Down(list_records_by_skipping_down_cells=skipping)
    found = services(down, "2.68")
    assert "compute3" not in {s["host"] for s in found}
    assert all(isinstance(s["id"], str) for s in found)  # uuids from 2.53
    assert all(isinstance(s["id"], int) for s in services(down, "2.52"))


@pytest.mark.parametrize("mv", ["2.69", "2.71", "2.104"])
def test_services_minimal_constructs(down: Down, mv: str) -> None:
    found = services(down, mv)
    minimal = [s for s in found if "id" not in s]
    # only the down cell's compute hosts (from the host mappings): no conductor of cell2
    assert minimal == [{"binary": "nova-compute", "host": "compute3", "status": "UNKNOWN"}]
    assert all(set(s) == SERVICE_MINIMAL for s in minimal)
    assert "cell2-conductor" not in {s["host"] for s in found}
    assert all(isinstance(s["id"], str) for s in found if "id" in s)


def test_services_filters_apply_to_minimal_constructs(down: Down) -> None:
    assert services(down, "2.69", "?host=compute3") == [
        {"binary": "nova-compute", "host": "compute3", "status": "UNKNOWN"}
    ]
    assert services(down, "2.69", "?host=compute3&binary=nova-compute") == [
        {"binary": "nova-compute", "host": "compute3", "status": "UNKNOWN"}
    ]
    assert services(down, "2.69", "?binary=nova-compute&host=nope") == []
    conductors = services(down, "2.69", "?binary=nova-conductor")
    assert conductors and all("id" in s for s in conductors)
    computes = services(down, "2.69", "?binary=nova-compute")
    assert {s["host"] for s in computes} == {"compute1", "compute2", "compute3"}


def test_member_may_not_list_services(down: Down) -> None:
    message = fault(down.get("/os-services", "2.69"), 403, "forbidden")
    assert message == "Policy doesn't allow os_compute_api:os-services:list to be performed."
