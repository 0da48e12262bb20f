"""The Nova side of :mod:`fidelity.hostile`: ``python -m fidelity.hostile_nova SCRIPT OUT``.

Sends the bad requests of ``tests/hostile/hostile_rows.py`` to the deployment of
:mod:`fidelity.nova_run` (cells, hosts, flavors and image of ``conf/cloud.yaml``) and writes
``{label: {status, body}}``, the ids of the servers it booted put back as ``{vm1}`` and the
like, since each run's differ. A process of its own, as ``nova_run``: Nova patches the
interpreter with eventlet on import.

SCRIPT is ``{"image": IMAGE, "setup": SETUP, "rows": R}`` (see ``hostile_rows``); a row's body
is ``body`` (JSON), ``raw`` (text), ``rawhex`` (bytes) or ``repeat`` ([text, times]), with
optional extra ``headers``.
"""

from __future__ import annotations

# nova_run imports Nova's functional package, which must patch (eventlet) before the rest.
from fidelity import nova_run

# isort: split
import json
import sys
from pathlib import Path
from typing import Any

import requests
from nova.tests.functional.api import client

from fidelity import steps as fsteps

CUSTOM = ("raw", "rawhex", "repeat", "headers")


def body_of(row: dict[str, Any]) -> bytes | None:
    if "body" in row:
        return json.dumps(row["body"]).encode()
    if "raw" in row:
        return row["raw"].encode()
    if "rawhex" in row:
        return bytes.fromhex(row["rawhex"])
    if "repeat" in row:
        text, times = row["repeat"]
        return (text * times).encode()
    return None


def send(api: client.TestOpenStackClient, row: dict[str, Any]) -> requests.Response:
    """The request as the answers were first recorded (and as tests/hostile sends it to the
    fake): JSON bodies as Nova's test client sends them (``Accept: */*``, which gets the
    router's 404 in HTML), the others with ``Accept: application/json``; both version
    headers."""
    headers = {**nova_run.stub_auth(api), "Content-Type": "application/json"}
    headers["Accept"] = "application/json" if any(k in row for k in CUSTOM) else "*/*"
    if row.get("microversion"):
        headers["OpenStack-API-Version"] = f"compute {row['microversion']}"
        headers["X-OpenStack-Nova-API-Version"] = row["microversion"]
    headers |= row.get("headers") or {}
    return requests.request(
        row["method"],
        api.base_url + row["path"],
        data=body_of(row),
        headers=headers,
        allow_redirects=False,
    )


def unfill(body: Any, servers: dict[str, str]) -> Any:
    """``body`` with each booted server's id replaced by its ``{name}``."""
    text = json.dumps(body)
    for name, server_id in servers.items():
        text = text.replace(server_id, "{" + name + "}")
    return json.loads(text)


class Hostile(nova_run.Deployment):
    """The fidelity deployment, asked the hostile rows by their three callers."""

    script: Path

    @staticmethod
    def callers(users: dict[str, Any]) -> dict[str, client.TestOpenStackClient]:
        """The callers of tests/hostile's fake world: member is demo, other alt_demo (another
        project), admin the cloud admin (a project of its own)."""
        return {"member": users["demo"], "admin": users["admin"], "other": users["alt_demo"]}

    def set_up(
        self, script: dict[str, Any], callers: dict[str, Any], servers: dict[str, str]
    ) -> None:
        """The servers the rows name, in the states they expect (``hostile_rows.SETUP``)."""
        for step in script["setup"]:
            step = fsteps.fill(step, servers)
            api = callers[step.get("as", "member")]
            if "boot" in step:
                name = step["boot"]
                server = {"name": name, "imageRef": script["image"], "flavorRef": "1"}
                created = api.post_server({"server": server})
                servers[name] = self._wait_for_state_change(created, "ACTIVE")["id"]
            elif "wait" in step:
                self._wait_for_state_change({"id": step["wait"]}, step["status"])
            else:
                response = send(api, step)
                assert response.status_code < 300, (step, response.text)

    def test_hostile(self) -> None:
        script = json.loads(self.script.read_text())
        users = self.clients()
        self.empty(users)
        callers = self.callers(users)
        # The callers' projects, named in paths and answers as servers are.
        servers = {
            "member_project": nova_run.PROJECTS["demo"],
            "other_project": nova_run.PROJECTS["alt_demo"],
        }
        self.set_up(script, callers, servers)
        answers = {}
        for row in script["rows"]:
            response = send(callers[row["as"]], fsteps.fill(row, servers))
            body = unfill(fsteps.decode(response.content), servers)
            answers[row["label"]] = {"status": response.status_code, "body": body}
        self.finish({"answers": answers})


def main(argv: list[str]) -> int:
    script, out = argv
    case = Hostile("test_hostile")
    case.script, case.out = Path(script), Path(out)
    return nova_run.run(case)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
