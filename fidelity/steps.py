"""The scenario format both runners read, and the answer record both runners write.

A scenario is a YAML mapping: ``deployment`` (a fakenova scenario name, which
:mod:`fidelity.nova_run` rebuilds in the real Nova), optionally ``casts: async`` (Nova's RPC
casts stay casts, as in production, rather than the test base's calls), optionally
``nova_conf`` (nova.conf options both clouds run with, by group: ``{quota: {metadata_items:
-1}}``, ``DEFAULT`` for the default group) and ``steps``, a list of:

* a request: ``{label, as, method, path, microversion, headers, body}``; ``as`` is ``demo``,
  ``alt_demo``, ``admin`` or a user of :data:`PROVISIONED`; ``{name}`` in a path or body is a
  value of the deployment (``{vm1}``, ``{db-group}``) or one saved by an earlier step
  (``save: {name: dotted.path}``); with ``root: true`` the path starts at the endpoint's root
  (the version documents: ``/``, ``/v2.1/``), the fake's ``/compute`` and the test Nova's host,
  instead of at ``/v2.1``; ``scope`` (:data:`SCOPES`) sends a token of that scope instead of
  one scoped to the user's project: ``system`` and ``domain`` (the ``Default`` domain) for
  ``admin``, who holds ``admin`` there, ``unscoped`` for anyone (Keystone's explicit
  ``"scope": "unscoped"``);
* ``{unreachable: [cell2]}`` / ``{reachable: [cell2]}``: break or mend cells;
* ``{policy: {RULE: CHECK}}``: an operator's ``policy.yaml`` override from then on, as a
  page's ``policy`` option; ``CHECK`` ``default`` takes it back (Nova's default rule);
* ``{wait: "{vm4}", status: ACTIVE}``: poll until a server has a status, as ``--wait`` does
  (Nova builds in the background; the fake settles before the next request);
  ``{wait: "{vm1}", action: resize, event: conductor_migrate_server, result: Error}`` polls
  the server's instance actions until that event has that result (an action that fails
  without changing the server's status); ``{wait: "{t1}", migration: completed}`` polls
  ``os-migrations`` until one of the server's migrations has that status (a live migration's
  record is completed after the server is ACTIVE again);
* ``{not_replayable: "GET /servers?changes-since=...", reason: ...}``: a request of the page
  that is not replayed (neither run sends it); the report lists it with its reason;
* ``{archive: {max_rows: 1000, all_cells: true, ...}, label: ...}``: an operator's
  ``nova-manage db archive_deleted_rows`` with those options (Nova's own command in the
  harness, :mod:`fakenova.manage` in the fake); its answer is the exit code as ``status`` and
  the rows archived of the tables both model as ``body`` (:func:`archive_answer`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
USERS = ("demo", "alt_demo", "admin")
# Users a deployer adds to a project for the roles ``conf/`` gives no one, as the users page
# and Tempest's runner do: name -> (project, the role granted, the roles a token carries with
# Keystone's implied roles). The fake's run creates them through Keystone's admin API, and
# only for a scenario that acts as them; Nova's test authentication takes the token's roles.
PROVISIONED = {
    "demo_reader": ("demo", "reader", ("reader",)),
    "demo_manager": ("demo", "manager", ("manager", "member", "reader")),
}
# Token scopes a step may ask for (see the module's docstring); a step without one carries a
# token scoped to its user's project. The roles a non-project token carries, with Keystone's
# implied ones: the admin role the user holds on the system or the domain, or none.
SCOPES = {
    "system": ("admin", "manager", "member", "reader"),
    "domain": ("admin", "manager", "member", "reader"),
    "unscoped": (),
}
# The response headers worth comparing; request ids are compared too, through the id mapping.
HEADERS = (
    "openstack-api-version",
    "x-openstack-nova-api-version",
    "vary",
    "location",
    "content-type",
    "x-openstack-request-id",
    "x-compute-request-id",
)


def about(text: str) -> str:
    """What a scenario replays: the comment it opens with, as one paragraph (the fidelity
    page lists it, so the description lives, and changes, with the scenario)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def load(path: Path) -> dict[str, Any]:
    """A scenario file, checked enough that a typo fails before Nova is started."""
    text = path.read_text()
    scenario = yaml.safe_load(text)
    scenario.setdefault("name", path.stem)
    scenario["about"] = about(text)
    for group, options in scenario.setdefault("nova_conf", {}).items():
        if not isinstance(options, dict):
            raise ValueError(f"{path.name}: nova_conf: [{group}] is not a mapping of options")
    for index, step in enumerate(scenario["steps"]):
        if "archive" in step:
            step.setdefault("label", f"step {index}")
            continue
        if {"unreachable", "reachable", "wait", "not_replayable", "policy"} & step.keys():
            continue
        step.setdefault("label", f"step {index}")
        step.setdefault("method", "GET")
        if step.setdefault("as", "demo") not in (*USERS, *PROVISIONED):
            raise ValueError(f"{path.name}: {step['label']}: unknown user {step['as']!r}")
        if "scope" in step and step["scope"] not in SCOPES:
            raise ValueError(f"{path.name}: {step['label']}: unknown scope {step['scope']!r}")
        if step.get("scope") in ("system", "domain") and step["as"] != "admin":
            raise ValueError(f"{path.name}: {step['label']}: only admin holds {step['scope']}")
    return scenario


def scenario_paths() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def fake_nova_settings(nova: dict[str, Any], conf: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The fake's ``nova`` settings with a scenario's ``nova_conf`` applied: options of the
    default group sit at the top, the others under their group's name."""
    merged = dict(nova)
    for group, options in conf.items():
        if group == "DEFAULT":
            merged.update(options)
        else:
            merged[group] = {**(merged.get(group) or {}), **options}
    return merged


def fill(value: Any, saved: dict[str, str]) -> Any:
    """Replace ``{name}`` placeholders with each run's own values."""
    if isinstance(value, str):
        return re.sub(r"\{([\w-]+)\}", lambda m: str(saved.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [fill(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, saved) for k, v in value.items()}
    return value


def dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def headers_for(step: dict[str, Any]) -> dict[str, str]:
    """The request headers a step sends, identical in both runs: what keystoneauth sends
    unless the step says otherwise (WebOb picks an error page's format from ``Accept``)."""
    headers = {"Accept": "application/json", **(step.get("headers") or {})}
    if step.get("microversion"):
        headers["OpenStack-API-Version"] = f"compute {step['microversion']}"
    return headers


def record(step: dict[str, Any], status: int, headers: Any, body: Any) -> dict[str, Any]:
    """One answer, as both runners write it. A header sent twice is joined as HTTP clients
    join it (``requests`` does so for Nova's answers; WebOb keeps the fake's separate)."""
    kept: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in HEADERS:
            earlier = kept.get(name.lower())
            kept[name.lower()] = value if earlier is None else f"{earlier}, {value}"
    return {"label": step["label"], "status": status, "headers": kept, "body": body}


def decode(content: bytes) -> Any:
    """JSON when the body is JSON, else its text (Nova's router answers some 404s in HTML)."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")


def archive_answer(step: dict[str, Any], exit_code: int, tables: dict[str, int]) -> dict[str, Any]:
    """An archive step's answer: the exit code, and the rows per table summed over the cells
    (``cell1.instances`` and ``cell2.instances`` are ``instances``: which cell a server lands
    in is the scheduler's choice, compared elsewhere); the API database's keep their prefix."""
    summed: dict[str, int] = {}
    for name, rows in tables.items():
        table = name if name.startswith("API_DB.") else name.split(".", 1)[-1]
        summed[table] = summed.get(table, 0) + rows
    body = {"tables": dict(sorted(summed.items()))}
    return {"label": step["label"], "status": exit_code, "headers": {}, "body": body}
