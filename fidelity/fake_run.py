"""Replay scenarios against fakenova: the guide's own cloud, called in-process through WebOb.

The fake serves the Compute API under ``/compute`` as devstack does; the comparison maps its
link prefix onto Nova's, so the paths in a scenario are the API's own (``/servers``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from fakenova import scenarios
from fakenova.app import make_app
from fakenova.cloud import Cloud, build_cloud
from fakenova.manage import archive_in
from fakenova.settings import load_settings
from fakenova.testing import PASSWORD, Client
from fakenova.verifier.provenance import conditions, kind_of
from fidelity import steps as fsteps

ROOT = "/compute"
PREFIX = ROOT + "/v2.1"


def deployment_values(cloud: Cloud) -> dict[str, str]:
    """What a scenario may name: servers and server groups by name, the image, projects and
    users."""
    values = {s.name: uuid for uuid, s in cloud.compute.servers.items()}
    values |= {g.name: uuid for uuid, g in cloud.compute.server_groups.items()}
    values["image"] = str(cloud.settings.images[0]["id"])
    for user in fsteps.USERS:
        values[f"{user}_project"] = cloud.project_id(user)
        values[f"{user}_user"] = cloud.user_id(user)
    return values


def provision(admin: Client, cloud: Cloud, name: str) -> str:
    """A user of :data:`fidelity.steps.PROVISIONED`, made as a deployer makes one: created
    in its project through Keystone's admin API and granted its role there. Its id."""
    project, role, _ = fsteps.PROVISIONED[name]
    project_id = cloud.project_id(project)
    body = {"name": name, "password": PASSWORD, "default_project_id": project_id}
    user = admin.post("/identity/v3/users", {"user": body}).json["user"]["id"]
    (found,) = admin.get(f"/identity/v3/roles?name={role}").json["roles"]
    grant = f"/identity/v3/projects/{project_id}/users/{user}/roles/{found['id']}"
    assert admin.put(grant).status_int == 204
    return str(user)


# Each scope of :data:`fidelity.steps.SCOPES` as Keystone's ``auth.scope`` asks for it.
SCOPE_REQUESTS: dict[str, dict[str, Any] | str] = {
    "system": {"system": {"all": True}},
    "domain": {"domain": {"id": "default"}},
    "unscoped": "unscoped",
}


def grant_domain_admin(admin: Client, cloud: Cloud) -> None:
    """The admin role for admin on the ``Default`` domain, as a deployer grants it (Keystone's
    bootstrap grants none on a domain)."""
    user = cloud.user_id("admin")
    (role,) = admin.get("/identity/v3/roles?name=admin").json["roles"]
    grant = f"/identity/v3/domains/default/users/{user}/roles/{role['id']}"
    assert admin.put(grant).status_int == 204


def replay(path: Path) -> dict[str, Any]:
    scenario = fsteps.load(path)
    settings = load_settings()
    nova = fsteps.fake_nova_settings(settings.nova, scenario["nova_conf"])
    cloud = build_cloud(dataclasses.replace(settings, nova=nova))
    scenarios.apply(cloud, scenario["deployment"])
    app = make_app(cloud)
    users = {name: Client(app).as_user(name) for name in fsteps.USERS}
    saved = deployment_values(cloud)
    for name in sorted({step.get("as") for step in scenario["steps"]} & fsteps.PROVISIONED.keys()):
        saved[f"{name}_user"] = provision(users["admin"], cloud, name)
        users[name] = Client(app).as_user(name, fsteps.PROVISIONED[name][0])
    scoped = {(s["as"], s["scope"]) for s in scenario["steps"] if "scope" in s}
    if any(scope == "domain" for _, scope in scoped):
        grant_domain_admin(users["admin"], cloud)
    for name, scope in sorted(scoped):
        project = fsteps.PROVISIONED[name][0] if name in fsteps.PROVISIONED else None
        users[f"{name}@{scope}"] = Client(app).as_user(name, project, SCOPE_REQUESTS[scope])
    answers, skipped, replayed = [], [], set()
    # The conditions a request ran under, for the site's provenance marks.
    conf = {
        (name if group == "DEFAULT" else f"{group}.{name}"): value
        for group, options in scenario["nova_conf"].items()
        for name, value in options.items()
    }
    unreachable: list[str] = []
    policy: dict[str, str] = {}
    for step in scenario["steps"]:
        if "not_replayable" in step:
            skipped.append({"request": step["not_replayable"], "reason": step["reason"]})
            continue
        if "policy" in step:
            rules = step["policy"]
            scenarios.operate(cloud, {"policy": ";".join(f"{r}={c}" for r, c in rules.items())})
            policy = {r: c for r, c in (policy | rules).items() if c != scenarios.POLICY_DEFAULT}
            continue
        step = fsteps.fill(step, saved)
        if "unreachable" in step or "reachable" in step:
            for cell in step.get("unreachable", []):
                cloud.compute.set_cell_reachable(cell, False)
                unreachable.append(cell)
            for cell in step.get("reachable", []):
                cloud.compute.set_cell_reachable(cell, True)
                unreachable.remove(cell)
            continue
        if "wait" in step:
            continue  # the fake settles work before the next request: nothing to wait for
        if "archive" in step:
            archived = archive_in(cloud, **step["archive"])
            answers.append(fsteps.archive_answer(step, archived.exit_code, archived.tables))
            continue
        client = users[step["as"] + (f"@{step['scope']}" if "scope" in step else "")]
        headers = {"Content-Type": "application/json", **fsteps.headers_for(step)}
        path = (ROOT if step.get("root") else PREFIX) + step["path"]
        response = client.request(step["method"], path, body=step.get("body"), headers=headers)
        where = conditions(conf, policy, unreachable)
        kind = kind_of(step["as"], step["method"], path, headers, step.get("body"), None, where)
        # A kind names its user, not the token's scope: a step with a scope of its own is
        # no replay of what that user's project token does.
        if kind is not None and "scope" not in step:
            replayed.add(kind)
        body = fsteps.decode(response.body)
        for name, dotted in step.get("save", {}).items():
            saved[name] = fsteps.dig(body, dotted)
        answers.append(fsteps.record(step, response.status_int, response.headers, body))
    page = scenario.get("page", "").removeprefix("doc/source/").removesuffix(".rst")
    return {
        "name": scenario["name"],
        "about": scenario["about"],
        "page": page,
        "saved": saved,
        "answers": answers,
        "not_replayable": skipped,
        # What the site's provenance marks read (fakenova.verifier.provenance).
        "replayed": [kind.as_dict() for kind in sorted(replayed)],
    }


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    import sys

    print(json.dumps([replay(Path(p)) for p in sys.argv[1:]], indent=1))
