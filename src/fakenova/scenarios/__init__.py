"""Named starting states for the guide's pages.

A page picks one with its scenario directive; ``fakenova serve --scenario NAME`` serves the same
state to a reader. Scenarios only *use* the cloud (boot servers, break things): they never
change ``conf/``.
"""

from __future__ import annotations

from collections.abc import Callable

from fakenova.cloud import Cloud

Scenario = Callable[[Cloud], None]


def empty(cloud: Cloud) -> None:
    """The deployment as configured, with no servers."""


def down_cells(cloud: Cloud) -> None:
    """Servers spread over two cells, all healthy; the page then makes ``cell2`` unreachable.

    ``demo`` owns vm1 (cell1) and vm2 (cell2, in an affinity group); ``alt_demo`` owns vm3
    (cell2), so an admin's all-projects listing differs from a member's.
    """
    compute = cloud.compute
    demo, demo_user = cloud.project_id("demo"), cloud.user_id("demo")
    alt, alt_user = cloud.project_id("alt_demo"), cloud.user_id("alt_demo")
    group = compute.create_server_group("db-group", "affinity", demo, demo_user)
    compute.boot_directly("vm1", project_id=demo, user_id=demo_user, host="compute1")
    compute.boot_directly(
        "vm2", project_id=demo, user_id=demo_user, host="compute3", server_group=group
    )
    compute.boot_directly("vm3", project_id=alt, user_id=alt_user, host="compute3", flavor="2")


SCENARIOS: dict[str, Scenario] = {"empty": empty, "down-cells": down_cells}


def apply(cloud: Cloud, name: str) -> None:
    try:
        scenario = SCENARIOS[name]
    except KeyError:
        known = ", ".join(sorted(SCENARIOS))
        raise KeyError(f"unknown scenario {name!r}; known: {known}") from None
    scenario(cloud)
    cloud.notes["scenario"] = name
