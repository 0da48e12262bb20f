"""host_status (2.16) in server show and detail: each value, under each policy.

Nova's precedence (oracle-checked): forced down (DOWN) beats disabled (MAINTENANCE), which
beats the report check (UP or UNKNOWN); a server without a host has "". By default only
admins see it; ``show:host_status:unknown-only`` lets others see UNKNOWN alone, and the
NFV override of ``show:host_status`` lets owners see every value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from fakenova import scenarios, testing
from fakenova.testing import mock_cloud

V = "/compute/v2.1"
NFV = "os_compute_api:servers:show:host_status=rule:project_reader_or_admin"
UNKNOWN_ONLY = "os_compute_api:servers:show:host_status:unknown-only=rule:project_reader_or_admin"


class World(testing.World):
    """demo's vm1 on compute1."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")

    def show(self, who: str = "admin", mv: str | None = "2.16", server: str | None = None) -> Any:
        return super().show(who, mv, server)

    def detail(self, who: str = "admin", mv: str = "2.16") -> dict[str, Any]:
        query = "?all_tenants=1" if who == "admin" else ""
        answer = self.client(who).get(f"{V}/servers/detail{query}", microversion=mv)
        (server,) = answer.json["servers"]
        return server

    def service(self) -> Any:
        return self.compute.service_by_host("compute1")


def _up(w: World) -> None:
    pass


def _unknown(w: World) -> None:
    scenarios.operate(w.cloud, {"stopped": "compute1", "advance": "70"})


def _down(w: World) -> None:
    w.service().forced_down = True


def _maintenance(w: World) -> None:
    w.service().disabled = True


def _down_and_disabled(w: World) -> None:
    _down(w)
    _maintenance(w)


def _unknown_and_disabled(w: World) -> None:
    _unknown(w)
    _maintenance(w)


def _no_host(w: World) -> None:
    answer = w.demo.post(f"{V}/servers/{w.vm.uuid}/action", {"shelve": None})
    assert answer.status_int == 202
    w.demo.get(f"{V}/servers/{w.vm.uuid}")  # settles the shelve and the offload
    assert w.vm.host is None


STATES: list[tuple[Callable[[World], None], str]] = [
    (_up, "UP"),
    (_unknown, "UNKNOWN"),
    (_down, "DOWN"),
    (_maintenance, "MAINTENANCE"),
    (_down_and_disabled, "DOWN"),
    (_unknown_and_disabled, "MAINTENANCE"),
    (_no_host, ""),
]


@pytest.mark.parametrize(("make", "expected"), STATES)
def test_admins_see_every_value_from_216(make: Callable[[World], None], expected: str) -> None:
    w = World()
    make(w)
    assert w.show()["host_status"] == expected
    assert w.detail()["host_status"] == expected
    assert "host_status" not in w.show(mv="2.15")
    assert "host_status" not in w.detail(mv="2.15")


@pytest.mark.parametrize(("make", "expected"), STATES)
def test_owners_see_nothing_by_default(make: Callable[[World], None], expected: str) -> None:
    w = World()
    make(w)
    assert "host_status" not in w.show("demo")
    assert "host_status" not in w.detail("demo")


@pytest.mark.parametrize(("make", "expected"), STATES)
def test_unknown_only_shows_owners_unknown_alone(
    make: Callable[[World], None], expected: str
) -> None:
    w = World()
    scenarios.operate(w.cloud, {"policy": UNKNOWN_ONLY})
    make(w)
    for shown in (w.show("demo"), w.detail("demo")):
        if expected == "UNKNOWN":
            assert shown["host_status"] == "UNKNOWN"
        else:
            assert "host_status" not in shown


@pytest.mark.parametrize(("make", "expected"), STATES)
def test_the_nfv_override_shows_owners_every_value(
    make: Callable[[World], None], expected: str
) -> None:
    w = World()
    scenarios.operate(w.cloud, {"policy": NFV})
    make(w)
    assert w.show("demo")["host_status"] == expected
    assert w.detail("demo")["host_status"] == expected
    assert "OS-EXT-SRV-ATTR:host" not in w.show("demo")  # only host_status is opened


def test_the_nfv_override_does_not_open_other_projects_servers() -> None:
    w = World()
    scenarios.operate(w.cloud, {"policy": NFV})
    assert w.alt.get(w.path, microversion="2.16").status_int == 404


def test_a_policy_file_override_applies_too() -> None:
    rule, check = NFV.split("=")
    w = testing.World(policy={rule: check}, vm="vm1")
    shown = w.demo.get(w.path, microversion="2.16").json["server"]
    assert shown["host_status"] == "UP"


def test_default_takes_a_policy_override_back() -> None:
    # To the deployment's policy.yaml value where it has one, else to Nova's default.
    rule, check = NFV.split("=")
    w = World()
    scenarios.operate(w.cloud, {"policy": NFV})
    assert "host_status" in w.show("demo")
    scenarios.operate(w.cloud, {"policy": f"{rule}=default"})
    assert "host_status" not in w.show("demo")
    configured = testing.World(policy={rule: check}, vm="vm1")
    scenarios.operate(configured.cloud, {"policy": f"{rule}=rule:context_is_admin"})
    assert (
        "host_status"
        not in configured.demo.get(configured.path, microversion="2.16").json["server"]
    )
    scenarios.operate(configured.cloud, {"policy": f"{rule}=default"})
    shown = configured.demo.get(configured.path, microversion="2.16").json["server"]
    assert shown["host_status"] == "UP"


def test_the_cli_shows_host_status_as_the_real_client_does() -> None:
    w = World()
    _maintenance(w)
    with mock_cloud(world=w) as cloud:
        shown = cloud.openstack(f"server show {w.vm.uuid} -f json", user="admin")
        listed = cloud.openstack("server list --long --all-projects -f json", user="admin")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["host_status"] == "MAINTENANCE"
    assert listed.exit_code == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["Host Status"] == "MAINTENANCE"


def test_a_page_applies_operator_options() -> None:
    from fakenova.verifier.page import Page

    page = Page.start("server-concepts", {"policy": NFV})
    page.configure({"stopped": "compute1", "advance": "120"})
    page.configure({"microversion": "2.16"})
    answer = page.send("GET", "/compute/v2.1/servers/detail", {}, None)
    statuses = {s["name"]: s["host_status"] for s in answer.json()["servers"]}
    assert statuses == {
        "t1": "UNKNOWN",
        "t2": "UP",
        "test11": "UNKNOWN",
        "test21": "UP",
        "t14": "UNKNOWN",
    }
    with pytest.raises(ValueError, match="unknown option"):
        page.configure({"polcy": NFV})


@pytest.mark.parametrize(
    ("text", "value"),
    [("60", 60), ("-1", -1), ("False", False), ("true", True), ("compute1", "compute1")],
)
def test_page_nova_options_are_read_as_oslo_config_reads_them(text: str, value: object) -> None:
    # ``list_records_by_skipping_down_cells=False`` on a page must turn the option off: the
    # text "False" is a boolean, not a (truthy) string.
    assert scenarios.conf_value(text) == value
