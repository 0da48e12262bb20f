"""Servers whose flavor names a device profile (``accel:device_profile``), as Nova 34 treats
them: the profile looked up in the accelerator service at create, its accelerator requests
bound at build and freed at delete, and the operations refused with a 400. Answers observed on
the oracle (``fidelity/scenarios/accelerator_support.yaml``, with Nova's Cyborg fixture)."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.testing import fault

V = "/compute/v2.1"
REFUSED = "Feature not supported with instances that have accelerators."
UNKNOWN = "Device profile name {}: Expected 1 device profile but got {}."


class World(testing.World):
    """The accelerators scenario: Cyborg knows ``fakedev-dp`` (one FPGA); the admin's flavor
    ``acc1`` names it; demo's ``vm1`` is built with it, through the API."""

    def __init__(self, scenario: str = "accelerators", profile: str = "fakedev-dp") -> None:
        super().__init__(scenario)
        self.flavor("acc1", profile)

    def flavor(self, flavor_id: str, profile: str) -> None:
        body = {"flavor": {"name": flavor_id, "ram": 512, "vcpus": 1, "disk": 1, "id": flavor_id}}
        assert self.admin.post(f"{V}/flavors", body).status_int == 200
        specs = {"extra_specs": {"accel:device_profile": profile}}
        made = self.admin.post(
            f"{V}/flavors/{flavor_id}/os-extra_specs", specs, microversion="2.86"
        )
        assert made.status_int == 200, made.text

    def boot_vm(self, name: str = "vm1", flavor: str = "acc1") -> Any:
        answer = self.create_server(name, mv="2.37", flavorRef=flavor, networks="none")
        assert answer.status_int == 202, answer.text
        self.vm = self.compute.servers[answer.json["server"]["id"]]
        self.settle()
        return self.vm

    def arqs(self) -> list[tuple[str, str, str]]:
        return [
            (a.device_profile_name, a.hostname, a.state)
            for a in self.compute.accelerators.bound_to(self.vm.uuid)
        ]


@pytest.fixture
def w() -> World:
    world = World()
    world.boot_vm()
    return world


# -- create -----------------------------------------------------------------------------------


def test_a_server_with_a_known_profile_boots_with_its_accelerators_bound(w: World) -> None:
    shown = w.show(who="demo", mv="2.47")
    assert shown["status"] == "ACTIVE"
    assert shown["flavor"]["extra_specs"] == {"accel:device_profile": "fakedev-dp"}
    assert w.arqs() == [("fakedev-dp", w.vm.host, "Bound")]


def test_deleting_the_server_frees_its_accelerators(w: World) -> None:
    assert w.demo.delete(w.path).status_int == 204
    w.settle()
    assert w.arqs() == []


def test_a_profile_asking_for_two_accelerators_binds_two() -> None:
    w = World()
    groups = [{"resources:FPGA": "2", "trait:CUSTOM_FAKE_DEVICE": "required"}]
    w.compute.accelerators.create_device_profile("two-fpgas", groups)
    w.flavor("acc2", "two-fpgas")
    w.boot_vm(flavor="acc2")
    assert [arq[0] for arq in w.arqs()] == ["two-fpgas", "two-fpgas"]


@pytest.mark.parametrize(
    ("profile", "found"),
    [("no-such-dp", "nothing"), ("fakedev-dp,other-dp", "2"), (" fakedev-dp", "nothing")],
)
def test_a_profile_not_named_exactly_once_is_refused_and_nothing_is_built(
    profile: str, found: str
) -> None:
    w = World(profile=profile)
    w.compute.accelerators.create_device_profile("other-dp", [{"resources:FPGA": "1"}])
    before = len(w.compute.servers)
    answer = w.create_server("vm2", mv="2.37", flavorRef="acc1", networks="none")
    assert fault(answer, 400) == UNKNOWN.format(profile, found)
    assert len(w.compute.servers) == before


def test_without_an_accelerator_service_profile_no_name_is_known() -> None:
    w = World(scenario="empty")
    answer = w.create_server("vm2", mv="2.37", flavorRef="acc1", networks="none")
    assert fault(answer, 400) == UNKNOWN.format("fakedev-dp", "nothing")


def test_an_empty_profile_name_asks_for_no_accelerators() -> None:
    w = World(profile="")
    w.boot_vm()
    assert w.show(who="demo")["status"] == "ACTIVE"
    assert w.arqs() == []


def test_the_instance_quota_is_checked_before_the_profile() -> None:
    w = World(profile="no-such-dp")
    project = w.cloud.project_id("demo")
    body = {"quota_set": {"instances": 0}}
    assert w.admin.put(f"{V}/os-quota-sets/{project}", body).status_int == 200
    answer = w.create_server("vm2", mv="2.37", flavorRef="acc1", networks="none")
    assert answer.status_int == 403


# -- what Nova allows -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bodies", "status"),
    [
        ([{"os-stop": None}, {"os-start": None}], "ACTIVE"),
        ([{"reboot": {"type": "HARD"}}], "ACTIVE"),
        ([{"pause": None}, {"unpause": None}], "ACTIVE"),
        ([{"lock": None}, {"unlock": None}], "ACTIVE"),
        ([{"rebuild": {"imageRef": "70a599e0-31e7-49b7-b260-868f441e862b"}}], "ACTIVE"),
        ([{"shelve": None}], "SHELVED_OFFLOADED"),
        ([{"shelve": None}, {"unshelve": None}], "ACTIVE"),
        ([{"rescue": None}], "RESCUE"),
    ],
)
def test_allowed_operations(w: World, bodies: list[dict[str, Any]], status: str) -> None:
    for body in bodies:
        answer = w.act(body)
        assert answer.status_int in (200, 202), answer.text
        w.settle()
    assert w.show(who="demo")["status"] == status


def test_evacuate_is_allowed(w: World) -> None:
    for service in w.compute.services:
        if service.host == w.vm.host:
            service.forced_down = True
    answer = w.act({"evacuate": {}}, who="admin", mv="2.14")
    assert answer.status_int == 200, answer.text


# -- what Nova refuses ------------------------------------------------------------------------

REFUSALS = [
    ("demo", None, {"resize": {"flavorRef": "2"}}),
    ("demo", None, {"suspend": None}),
    ("admin", None, {"migrate": None}),
    ("admin", "2.56", {"migrate": {"host": "compute3"}}),
    ("admin", "2.25", {"os-migrateLive": {"host": None, "block_migration": "auto"}}),
    ("admin", "2.25", {"os-migrateLive": {"host": "nope", "block_migration": "auto"}}),
]


@pytest.mark.parametrize(("who", "mv", "body"), REFUSALS)
def test_refused_operations_change_nothing(
    w: World, who: str, mv: str | None, body: dict[str, Any]
) -> None:
    before = w.show(mv="2.47")
    assert fault(w.act(body, who=who, mv=mv), 400) == REFUSED
    w.settle()
    assert w.show(mv="2.47") == before


@pytest.mark.parametrize(("who", "mv", "body"), REFUSALS)
def test_the_refusal_comes_before_the_lock_and_the_state(
    w: World, who: str, mv: str | None, body: dict[str, Any]
) -> None:
    assert w.act({"os-stop": None}).status_int == 202
    w.settle()
    assert w.act({"lock": None}).status_int == 202
    assert fault(w.act(body, who=who, mv=mv), 400) == REFUSED


def test_the_policy_comes_before_the_refusal(w: World) -> None:
    assert w.act({"migrate": None}).status_int == 403


def test_resizing_any_server_to_a_flavor_with_a_profile_is_refused(w: World) -> None:
    plain = w.boot("vm3")
    answer = w.act({"resize": {"flavorRef": "acc1"}}, server=plain.uuid)
    assert fault(answer, 400) == REFUSED
    assert w.show(server=plain.uuid)["status"] == "ACTIVE"


def test_an_unknown_new_flavor_is_reported_before_the_profile(w: World) -> None:
    plain = w.boot("vm3")
    answer = w.act({"resize": {"flavorRef": "nope"}}, server=plain.uuid)
    assert fault(answer, 400) == "Flavor nope could not be found."


# -- the extra spec itself --------------------------------------------------------------------


def test_the_extra_spec_takes_any_text_at_2_86() -> None:
    w = World(profile="any text, even one Cyborg does not know")
    specs = w.admin.get(f"{V}/flavors/acc1/os-extra_specs").json["extra_specs"]
    assert specs == {"accel:device_profile": "any text, even one Cyborg does not know"}
