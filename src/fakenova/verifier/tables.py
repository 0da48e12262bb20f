"""Verified tables: each row of an at-a-glance table is checked against the fake.

A ``csv-table`` after a ``.. fakenova-table: KIND`` comment is read here, row by row, and every
claim a row makes is acted out on a server of its own (a new one per row, in a cloud made for
the table, so rows never depend on each other): the server, demo's, is brought to the row's
starting status through the API, then the row's request is sent. Columns are found by
their header, so their order is free.

``actions`` (one server action per row)
    *Request body* (the JSON body, in literal markup), *Answer* (the status code),
    *From* (the status the server starts in; ``ACTIVE, locked`` for a server locked by its
    owner), *Leads to* (the status once the work is done, or ``(deleted)``), *By default*
    (``owner or admin``: another project's member gets a 404; ``admin``: the owner gets a
    403), *Microversions* (``all``, ``2.17 and later``, ``2.1 to 2.43``: the nearest
    microversion outside the range is refused with a 4xx).
``statuses`` (one resting status per row)
    *Status*, *vm_state*, *Reached with* (a body sent from ``ACTIVE``), *Left with* (a body
    that ends it) and *Back to* (the status that follows). A body followed by ``(admin)``
    is sent by an administrator, any other by the owner.
``instance-actions`` (one recorded action name per row)
    *Action* (the ``action`` the server's ``os-instance-actions`` shows), *Request* (a body
    sent to ``/action``, or ``METHOD /servers/{server_id}...`` with an optional body;
    ``POST /servers`` is the row's own server being created; ``(admin)`` as above) and
    *From* (the starting status). The request, sent at the newest microversion, must be
    accepted and be the newest action, under the request id it was answered with.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from fakenova.verifier.blocks import Block
from fakenova.verifier.page import SampleFailure

# How a row's starting status is reached from ACTIVE: nova.conf options, then (user, body)s.
_START: dict[str, tuple[dict[str, Any], list[tuple[str, Any]]]] = {
    "ACTIVE": ({}, []),
    "ACTIVE, locked": ({}, [("demo", {"lock": None})]),
    "SHUTOFF": ({}, [("demo", {"os-stop": None})]),
    "PAUSED": ({}, [("demo", {"pause": None})]),
    "SUSPENDED": ({}, [("demo", {"suspend": None})]),
    "RESCUE": ({}, [("demo", {"rescue": None})]),
    "SHELVED": ({"shelved_offload_time": -1}, [("demo", {"shelve": None})]),
    "SHELVED_OFFLOADED": ({}, [("demo", {"shelve": None})]),
    "VERIFY_RESIZE": ({}, [("demo", {"resize": {"flavorRef": "2"}})]),
    "ERROR": ({}, [("admin", {"os-resetState": {"state": "error"}})]),
    "SOFT_DELETED": ({"reclaim_instance_interval": 3600}, [("demo", None)]),
}
_RANGE = re.compile(r"^(?:all|(2\.\d+) and later|(2\.\d+) to (2\.\d+))$")
_ADMIN = " (admin)"
_API = "/compute/v2.1"


def _cell(text: str) -> str:
    """A cell's text without the literal markup around it."""
    text = text.strip()
    return text[2:-2] if text.startswith("``") and text.endswith("``") else text


def _rows(block: Block) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's names (lower case) and each row with its line in the block's text."""
    delimiter = block.options.get("delim", ",")
    quote = block.options.get("quote", '"')

    def read(text: str) -> list[str]:
        return next(csv.reader([text], delimiter=delimiter, quotechar=quote))

    header = [_cell(name).lower() for name in read(block.options.get("header", ""))]
    rows = [
        (index + 1, [_cell(value) for value in read(line)])
        for index, line in enumerate(block.text.splitlines())
        if line.strip()
    ]
    return header, rows


class _Row:
    """One row: its values by column, and failures that name its line."""

    def __init__(
        self,
        block: Block,
        header: list[str],
        line: int,
        values: list[str],
        clouds: dict[str, Any],
    ) -> None:
        if len(values) != len(header):
            raise SampleFailure(block.where(line), f"{len(values)} cells for {len(header)} columns")
        self.block, self.line, self.clouds = block, line, clouds
        self.values = dict(zip(header, values, strict=True))

    def __getitem__(self, column: str) -> str:
        if column not in self.values:
            known = ", ".join(self.values)
            raise SampleFailure(self.block.where(), f"no column {column!r} (columns: {known})")
        return self.values[column]

    def fail(self, what: str) -> SampleFailure:
        return SampleFailure(self.block.where(self.line), what)

    def body(self, column: str) -> tuple[str, Any]:
        """A body cell: who sends it (``(admin)`` or the owner) and the JSON."""
        text, user = self[column], "demo"
        if text.endswith(_ADMIN):
            text, user = _cell(text.removesuffix(_ADMIN)), "admin"
        try:
            return user, json.loads(text)
        except ValueError:
            raise self.fail(f"{column}: not a JSON body: {text}") from None


@functools.cache
def _settings() -> Any:
    """``conf/`` read once: every row's cloud starts from a copy of the same settings."""
    from fakenova.settings import load_settings

    return load_settings()


class _Cloud:
    """A cloud of the ``empty`` scenario for one table (per set of nova.conf options), and
    the row's own server of demo's, booted through the API: the parts of
    :class:`fakenova.testing.World` a row needs, without building a cloud per row."""

    def __init__(self, nova: dict[str, Any]) -> None:
        from fakenova import scenarios
        from fakenova.app import make_app
        from fakenova.cloud import build_cloud
        from fakenova.testing import Client

        settings = copy.deepcopy(_settings())
        cloud = build_cloud(dataclasses.replace(settings, nova={**settings.nova, **nova}))
        scenarios.apply(cloud, "empty")
        self._app = make_app(cloud)
        self._client = Client
        self._clients: dict[str, Any] = {}
        self._image = str(settings.images[0]["id"])
        self.path = ""
        self.created: Any = None  # the answer that created the row's server

    def new_server(self) -> None:
        """A new ACTIVE server for the next row; the last row's is deleted (quota)."""
        if self.path:
            self.admin.delete(self.path)
            self.admin.post(self.path + "/action", {"forceDelete": None})
        server = {"name": "vm", "imageRef": self._image, "flavorRef": "1", "networks": "none"}
        created = self.client("demo").post(
            f"{_API}/servers", {"server": server}, microversion="2.37"
        )
        if created.status_int != 202:
            raise AssertionError(f"a table's server was not created: {created.text}")
        self.path = f"{_API}/servers/{created.json['server']['id']}"
        self.created = created

    def client(self, user: str) -> Any:
        if user not in self._clients:
            self._clients[user] = self._client(self._app).as_user(user)
        return self._clients[user]

    @property
    def admin(self) -> Any:
        return self.client("admin")


def _world(row: _Row, start: str) -> _Cloud:
    """The table's cloud with a new server of demo's in the status ``start``."""
    if start not in _START:
        raise row.fail(f"no way to start from {start!r}; known: {', '.join(_START)}")
    nova, steps = _START[start]
    key = json.dumps(nova, sort_keys=True)
    if key not in row.clouds:
        row.clouds[key] = _Cloud(nova)
    world = row.clouds[key]
    world.new_server()
    for user, body in steps:
        client = world.client(user)
        answer = (
            client.delete(world.path) if body is None else client.post(world.path + "/action", body)
        )
        if answer.status_int >= 400:
            raise row.fail(f"could not bring the server to {start}: {answer.status}")
    _expect_status(row, world, start.split(",")[0], f"the starting status {start}")
    return world


def _status(world: Any) -> str:
    answer = world.admin.get(world.path)
    return "(deleted)" if answer.status_int == 404 else answer.json["server"]["status"]


def _expect_status(row: _Row, world: Any, expected: str, what: str) -> None:
    shown = _status(world)
    if shown != expected:
        raise row.fail(f"{what}: the server is {shown}, the table says {expected}")


def _send(world: Any, user: str, body: Any, microversion: str) -> int:
    client = world.client(user)
    return int(client.post(world.path + "/action", body, microversion=microversion).status_int)


def _neighbour(version: str, step: int) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) + step}"


def _action(row: _Row) -> None:
    found = _RANGE.match(row["microversions"])
    if found is None:
        raise row.fail(
            f"microversions: {row['microversions']!r} is not 'all', '2.N and later' or '2.N to 2.M'"
        )
    low = found.group(1) or found.group(2) or "2.1"
    high = found.group(3)
    who = row["by default"]
    if who not in ("owner or admin", "admin"):
        raise row.fail(f"by default: {who!r} is not 'owner or admin' or 'admin'")
    actor = "admin" if who == "admin" else "demo"
    _, body = row.body("request body")
    world = _world(row, row["from"])
    outside = ([_neighbour(low, -1)] if low != "2.1" else []) + (
        [_neighbour(high, 1)] if high else []
    )
    for version in outside:
        code = _send(world, actor, body, version)
        if not 400 <= code < 500:
            raise row.fail(f"at {version}, outside the microversions, the answer is {code}")
    stranger, refused = ("demo", 403) if actor == "admin" else ("alt_demo", 404)
    code = _send(world, stranger, body, low)
    if code != refused:
        raise row.fail(f"by default: {stranger} gets {code}, not {refused}")
    code = _send(world, actor, body, low)
    if str(code) != row["answer"]:
        raise row.fail(f"answer: the fake answers {code}, the table says {row['answer']}")
    _expect_status(row, world, row["leads to"], "leads to")


def _status_row(row: _Row) -> None:
    world = _world(row, "ACTIVE")
    user, body = row.body("reached with")
    code = _send(world, user, body, "2.1")
    if code >= 400:
        raise row.fail(f"reached with: the fake answers {code}")
    _expect_status(row, world, row["status"], "reached with")
    state = world.admin.get(world.path).json["server"].get("OS-EXT-STS:vm_state")
    if state != row["vm_state"]:
        raise row.fail(f"vm_state: the server shows {state}, the table says {row['vm_state']}")
    user, body = row.body("left with")
    code = _send(world, user, body, "2.1")
    if code >= 400:
        raise row.fail(f"left with: the fake answers {code}")
    _expect_status(row, world, row["back to"], "back to")


def _recorded_request(row: _Row, world: _Cloud) -> Any:
    """Send the row's *Request* (nothing for ``POST /servers``: the row's server is that
    request) and return the answer, which must be a success."""
    user, text = "demo", row["request"]
    if text.endswith(_ADMIN):
        text, user = _cell(text.removesuffix(_ADMIN)), "admin"
    if text == "POST /servers":
        return world.created
    method, path, body = "POST", "/servers/{server_id}/action", text
    if not text.startswith("{"):
        method, _, rest = text.partition(" ")
        path, _, body = rest.partition(" ")
    if not path.startswith("/servers/{server_id}") or method not in ("POST", "PUT", "DELETE"):
        raise row.fail(f"request: {text!r} is not a body or METHOD /servers/{{server_id}}...")
    try:
        payload = json.loads(body) if body.strip() else None
    except ValueError:
        raise row.fail(f"request: not a JSON body: {body}") from None
    url = world.path + path.removeprefix("/servers/{server_id}")
    client = world.client(user)
    if method == "DELETE":
        answer = client.delete(url, microversion="latest")
    else:
        answer = getattr(client, method.lower())(url, payload, microversion="latest")
    if answer.status_int >= 400:
        raise row.fail(f"request: the fake answers {answer.status}")
    return answer


def _instance_action(row: _Row) -> None:
    world = _world(row, "ACTIVE" if row["request"] == "POST /servers" else row["from"])
    answer = _recorded_request(row, world)
    listed = world.admin.get(world.path + "/os-instance-actions", microversion="2.21")
    newest = listed.json["instanceActions"][0]
    if newest["action"] != row["action"]:
        raise row.fail(f"action: the newest action is {newest['action']!r}, not {row['action']!r}")
    request_id = answer.headers["x-openstack-request-id"]
    if newest["request_id"] != request_id:
        raise row.fail(f"action: recorded under {newest['request_id']}, not {request_id}")


CHECKS: dict[str, Callable[[_Row], None]] = {
    "actions": _action,
    "statuses": _status_row,
    "instance-actions": _instance_action,
}


def check(block: Block) -> None:
    """Check every row of a verified table; the first wrong row fails, naming its line."""
    checker = CHECKS.get(block.arguments)
    if checker is None:
        raise SampleFailure(
            block.where(), f"unknown table {block.arguments!r}; known: {', '.join(CHECKS)}"
        )
    header, rows = _rows(block)
    if not rows:
        raise SampleFailure(block.where(), "a verified table without rows")
    clouds: dict[str, Any] = {}  # the table's clouds, by nova.conf options
    for line, values in rows:
        checker(_Row(block, header, line, values, clouds))
