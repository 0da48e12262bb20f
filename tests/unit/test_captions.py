"""The captions above the samples: what the verifier applied, and where a request is checked."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from fakenova.verifier.captions import FAKE, NOVA, page_captions
from fakenova.verifier.context import Context
from fakenova.verifier.provenance import kind_of, replayed_kinds

PAGE = """\
Title
=====

.. fakenova-scenario: down-cells
   :user: demo
   :unreachable: cell2

.. code-block:: http

   GET /compute/v2.1/servers HTTP/1.1
   OpenStack-API-Version: compute 2.69

.. fakenova-use:
   :user: admin
   :nova: reclaim_instance_interval=3600

.. code-block:: http

   GET /compute/v2.1/os-services HTTP/1.1
   OpenStack-API-Version: compute 2.69

.. code-block:: json

   {"services": [...]}

.. fakenova-use:
   :nova: reclaim_instance_interval=0

.. code-block:: console

   $ openstack server list
   $ source openrc demo demo

.. fakenova-illustrative: not run

.. code-block:: console

   $ ls

.. code-block:: python

   print(1)
"""


def _page(tmp_path: Path) -> Path:
    (tmp_path / "guide").mkdir(exist_ok=True)
    page = tmp_path / "guide" / "page.rst"
    page.write_text(PAGE)
    return page


def test_each_acting_sample_gets_its_user_and_conditions(tmp_path: Path) -> None:
    captions = page_captions(_page(tmp_path), tmp_path, {})
    assert {line: c.parts for line, c in captions.items()} == {
        8: ("as demo", "cell2 unreachable"),
        17: ("as admin", "nova.conf reclaim_instance_interval = 3600", "cell2 unreachable"),
        # Set back to the deployment's value, the option is no longer shown.
        29: ("as admin", "cell2 unreachable"),
        # The console block above switched users with `source openrc`.
        40: ("as demo", "cell2 unreachable"),
    }
    # A REST sample is marked; a client's sample only when the run recorded its requests.
    assert [c.provenance for c in captions.values()] == [FAKE, FAKE, "", ""]


def test_a_rest_sample_is_marked_replayed_when_the_report_lists_its_kind(tmp_path: Path) -> None:
    kind = kind_of("demo", "GET", "/v2.1/servers", {}, None, "2.69", "unreachable cell2")
    assert kind is not None
    report = {"scenarios": [{"page": "guide/page", "replayed": [kind.as_dict()]}]}
    captions = page_captions(_page(tmp_path), tmp_path, replayed_kinds(report))
    assert captions[8].provenance == NOVA
    # Another user, or other conditions, is another kind of request.
    assert captions[17].provenance == FAKE
    elsewhere = {"scenarios": [{"page": "guide/other", "replayed": [kind.as_dict()]}]}
    assert page_captions(_page(tmp_path), tmp_path, replayed_kinds(elsewhere))[8].provenance == FAKE


def test_request_kinds_compare_route_query_names_microversion_and_action() -> None:
    one = kind_of("demo", "POST", "/compute/v2.1/servers/a/action", {}, '{"pause": null}', None)
    two = kind_of("demo", "POST", "/v2.1/servers/b/action", {}, {"pause": None}, None)
    assert one == two and one is not None
    assert one.route == "/v2.1/servers/{server_id}/action" and one.action == "pause"
    assert one.microversion == "2.1"
    other = kind_of("demo", "POST", "/v2.1/servers/b/action", {}, {"unpause": None}, None)
    assert other != one
    detail = kind_of("demo", "GET", "/v2.1/servers/detail?name=a&limit=1", {}, None, None)
    assert detail is not None and detail.route.endswith("/detail") and detail.query == "limit,name"
    header = {"OpenStack-API-Version": "compute 2.71"}
    assert kind_of("demo", "GET", "/v2.1/servers", header, None, "2.69").microversion == "2.71"
    assert kind_of("demo", "GET", "/identity/v3/auth/tokens", {}, None, None) is None


def test_context_folds_hosts_cells_policy_and_the_clock() -> None:
    context = Context().apply(
        {"user": "admin", "stopped": "compute2,compute3", "advance": "90", "policy": "a=b"}
    )
    assert context.caption() == [
        "as admin",
        "policy a: b",
        "compute2's nova-compute not reporting",
        "compute3's nova-compute not reporting",
        "90 s later",
    ]
    context = context.shown().apply({"started": "compute2", "live_migrations": "slow"})
    assert context.caption()[2:] == [
        "compute3's nova-compute not reporting",
        "live migrations run until completed or aborted",
    ]
    assert Context().apply({"user": "alt_demo", "project": "demo"}).caption() == [
        "as alt_demo in project demo"
    ]
    taken_back = context.apply({"policy": "a=default"})
    assert not any(part.startswith("policy") for part in taken_back.caption())


def test_a_command_is_marked_from_the_requests_the_run_recorded(tmp_path: Path) -> None:
    version = kind_of("admin", "GET", "/v2.1", {}, None, None, "unreachable cell2")
    servers = kind_of("admin", "GET", "/v2.1/servers/detail", {}, None, None, "unreachable cell2")
    assert version is not None and servers is not None
    report = {"scenarios": [{"page": "guide/page", "replayed": [version.as_dict()]}]}
    replayed = replayed_kinds(report)
    recorded = {"guide/page": {29: {version}, 40: set()}}
    captions = page_captions(_page(tmp_path), tmp_path, replayed, recorded)
    assert captions[29].provenance == NOVA
    # One request Nova does not replay is enough to make it the fake's only; so is none.
    recorded["guide/page"][29] = {version, servers}
    captions = page_captions(_page(tmp_path), tmp_path, replayed, recorded)
    assert captions[29].provenance == FAKE
    assert captions[40].provenance == FAKE


def test_the_captions_say_what_the_verifier_applied_on_a_whole_page() -> None:
    """Run a page's samples as the verifier does and compare, before each sample that acts,
    the context its Page holds with the caption the site prints for it."""
    from fakenova.verifier.collect import guide_sybils
    from fakenova.verifier.page import NAMESPACE_KEY

    source = Path(__file__).resolve().parents[2] / "doc" / "source"
    page = source / "api-guide" / "server_concepts.rst"
    captions = page_captions(page, source, {})
    document = guide_sybils(source)[0].parse(page)
    compared = 0
    for example in document.examples():
        state = document.namespace.get(NAMESPACE_KEY)
        if example.line in captions and state is not None:
            shown = [p for p in captions[example.line].parts if not p.endswith(" s later")]
            held = [p for p in state.context.caption() if not p.endswith(" s later")]
            assert held == shown, f"line {example.line}"
            compared += 1
        with contextlib.suppress(pytest.skip.Exception):  # an illustrative block
            example.evaluate()
    assert compared == len(captions) > 100


def test_a_401_is_never_marked_replayed(tmp_path: Path) -> None:
    """The identity middleware answers a bad token before Nova; the harness runs without it,
    so a 401 sample is checked against the fake only, even when its kind was replayed."""
    (tmp_path / "guide").mkdir()
    page = tmp_path / "guide" / "page.rst"
    page.write_text(
        PAGE.replace(
            "   OpenStack-API-Version: compute 2.69\n\n.. fakenova-use:",
            "   OpenStack-API-Version: compute 2.69\n   X-Auth-Token: not-a-token\n\n"
            "   HTTP/1.1 401 Unauthorized\n\n.. fakenova-use:",
            1,
        )
    )
    kind = kind_of("demo", "GET", "/v2.1/servers", {}, None, "2.69", "unreachable cell2")
    assert kind is not None
    report = {"scenarios": [{"page": "guide/page", "replayed": [kind.as_dict()]}]}
    assert page_captions(page, tmp_path, replayed_kinds(report))[8].provenance == FAKE
