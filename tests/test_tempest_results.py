"""The fidelity page's Tempest table is the recorded run's, and the record is up to date.

``tox -e tempest`` takes minutes; these checks take milliseconds. The table is rendered again
from ``tempest_run/results.json`` and compared with the committed include, and the record must
have been made with today's ``exclusions.yaml``: an exclusion added or dropped since means the
table no longer says what a run would.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from tempest_run import config, report

from fakenova.settings import load_settings


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    return json.loads(report.RESULTS.read_text())


def test_the_page_shows_the_recorded_run(recorded: dict[str, Any]) -> None:
    assert report.INCLUDE.read_text() == report.rst(recorded), (
        f"{report.INCLUDE.name} is stale: run tox -e tempest"
    )


def test_the_recorded_run_used_todays_exclusions(recorded: dict[str, Any]) -> None:
    assert recorded["exclusions"] == report.exclusions(), (
        "exclusions.yaml changed since the recorded run: run tox -e tempest"
    )


def test_every_exclusion_has_a_reason_and_excludes_a_test(recorded: dict[str, Any]) -> None:
    excluded = recorded["excluded"]
    for name, reason in report.exclusions().items():
        assert reason, name
        assert any(report.excluded_by(test, {name: reason}) for test in excluded), name


def test_the_recorded_run_covers_the_interop_guideline(recorded: dict[str, Any]) -> None:
    assert recorded["interop"] == report.interop_tests()


def test_an_exclusion_covers_a_test_its_class_or_its_module() -> None:
    listed = {"tempest.api.compute.a.test_b.C": "no console proxy"}
    assert report.excluded_by("tempest.api.compute.a.test_b.C.test_d", listed)
    assert report.excluded_by("tempest.api.compute.a.test_b.CD.test_d", listed) is None


def test_the_table_counts_each_outcome_per_module() -> None:
    results = {
        "tests": {
            "tempest.api.compute.m.test_a.C.test_1": {"status": "pass", "reason": ""},
            "tempest.api.compute.m.test_a.C.test_2": {"status": "skip", "reason": "off"},
            "tempest.api.compute.m.test_b.D.test_1": {"status": "fail", "reason": "E: `x`*"},
        },
        "excluded": {"tempest.api.compute.m.test_b.D.test_2": "no Cinder"},
    }
    assert report.counts(results) == {
        "compute.m.test_a": Counter({"pass": 1, "skip": 1}),
        "compute.m.test_b": Counter({"fail": 1, "excluded": 1}),
    }
    run = {**results, "tempest": "47.0.0", "guideline": "2020.06", "interop": []}
    text = report.rst(run | {"server_errors": []})
    assert r"E: \`x\`\*" in text  # a reason's markup characters are escaped


def test_each_user_is_listed_several_times_under_distinct_hashes() -> None:
    """Tempest tells accounts apart by their user and project fields: no two alike."""
    settings = load_settings()
    ids = {p: f"id-{p}" for p in settings.projects}
    entries = config.accounts(settings, ids)
    keys = [tuple(sorted((k, v) for k, v in e.items() if k != "roles")) for e in entries]
    assert len(set(keys)) == len(keys)
    per_user = Counter(e["username"] for e in entries)
    assert set(per_user.values()) == {config.ENTRIES_PER_USER}


def test_alt_accounts_come_first_and_only_the_primary_user_is_a_member() -> None:
    """``alt`` takes the first free non-admin entry and ``primary`` one with ``member``."""
    settings = load_settings()
    entries = config.accounts(settings, {p: p for p in settings.projects})
    first = entries[0]
    members = {e["username"] for e in entries if "member" in e.get("roles", [])}
    admins = {e["username"] for e in entries if "admin" in e.get("roles", [])}
    assert "roles" not in first
    assert len(members) == 1 and first["username"] not in members | admins


def test_the_project_manager_is_a_user_of_its_own_in_the_primarys_project() -> None:
    """Tempest's ``project_manager`` is the user the runner provisions: listed with the role it
    holds (``manager``) in the primary's project, and no other entry claims that role."""
    settings = load_settings()
    entries = config.accounts(settings, {p: p for p in settings.projects})
    (primary,) = {
        (e["username"], e["project_name"])
        for e in entries
        if "member" in e.get("roles", []) and "project_name" in e
    }
    managers = [e for e in entries if config.MANAGER in e.get("roles", [])]
    manager = config.manager_user(settings)
    assert {e["username"] for e in managers} == {manager.name} != {primary[0]}
    assert {e["roles"] == [config.MANAGER] for e in managers} == {True}
    assert manager.project == primary[1]
    assert manager.name not in {u.name for u in settings.users}
