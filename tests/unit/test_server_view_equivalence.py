"""Server bodies, byte for byte, against a snapshot recorded from the view before it was tuned.

A characterisation test for :mod:`fakenova.compute.api.views.servers` (and what feeds it: the
links, the servers controller, the JSON the app writes). Four clouds hold servers in many states
(faults with and without details, 500 and 400 codes, BUILD without a host, resize progress,
shelved, soft deleted, no ports, no image, extra specs, server groups, locks, tags, volumes,
non-ASCII text) on hosts that are UP, in MAINTENANCE, UNKNOWN or DOWN, one of them with
``cell2`` unreachable. Each is read through the public API by an admin and by a member, under
the default policy and two host_status/extra-specs overrides, at every microversion from 2.1 to
2.104: ``/servers/detail`` (whole and paged), ``/servers``, every ``/servers/{id}`` and a
``PUT /servers/{id}`` that changes nothing.

The snapshot, ``fixtures/server_views.json``, keeps each response's status and the SHA-256 of
its exact bytes, plus its JSON with every server body stored once (most microversions render
the same body) so a mismatch shows which keys changed. Regenerate it only when a body is meant
to change, and review the diff::

    PYTHONPATH=src python tests/unit/test_server_view_equivalence.py

"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fakenova import scenarios
from fakenova.compute.api.views.servers import isotime, naive
from fakenova.compute.models.servers.records import Fault
from fakenova.compute.models.servers.states import (
    BUILDING,
    DELETED,
    ERROR,
    SHELVED_OFFLOADED,
    STOPPED,
    PowerState,
)
from fakenova.testing import World

FIXTURE = Path(__file__).parent / "fixtures" / "server_views.json"
V = "/compute/v2.1"
VERSIONS = [f"2.{minor}" for minor in range(1, 105)]
EXTRA_SPECS_FOR_ADMINS = "os_compute_api:servers:show:flavor-extra-specs=rule:context_is_admin"
UNKNOWN_ONLY = "os_compute_api:servers:show:host_status:unknown-only=rule:project_reader_or_admin"
NFV = "os_compute_api:servers:show:host_status=rule:project_reader_or_admin"


# -- the clouds ------------------------------------------------------------------------------


def _fault(w: World, code: int, message: str, details: str | None) -> Fault:
    return Fault(code, message, details, w.cloud.clock.now.replace(microsecond=0))


def _varied(w: World) -> None:
    """Servers of demo and alt_demo in many states; compute2 disabled, compute3 UNKNOWN."""
    cloud, compute = w.cloud, w.compute
    group = compute.create_server_group(
        "web-group", "anti-affinity", cloud.project_id("demo"), cloud.user_id("demo")
    )
    full = w.boot("vm-full", metadata={"role": "web", "lang": "d\u00e9j\u00e0 vu"})
    full.tags = ["web", "db", "a-tag"]
    full.description = "a described server, caf\u00e9"
    full.key_name = "mykey"
    full.access_ip_v4, full.access_ip_v6 = "203.0.113.7", "2001:db8::7"
    full.auto_disk_config = True
    full.locked_by, full.locked_reason = "owner", "maintenance window"
    full.trusted_certs = ["cert-one", "cert-two"]
    full.user_data = "aGVsbG8="
    full.volumes_attached = [
        {"id": "vol-a", "delete_on_termination": True},
        {"id": "vol-b", "delete_on_termination": False},
    ]
    full.launched_at = full.launched_at.replace(microsecond=123456)
    full.config_drive = "True"

    reboot = w.boot("vm-reboot", host="compute2")
    reboot.task_state = "rebooting"

    resize = w.boot("vm-resize", host="compute3", flavor="2")
    resize.task_state, resize.progress = "resize_migrating", 40

    w.boot("vm-in-group", server_group=group, requested_az="nova")
    w.boot("vm-extra-specs", flavor="42")
    w.boot("vm-no-image", image="")
    w.boot("vm-\u00fcn\u00efc\u00f6d\u00e9", host="compute2")

    build = w.boot("vm-build")
    build.vm_state, build.task_state, build.power_state = BUILDING, "spawning", PowerState.NOSTATE
    build.host = build.node = None
    build.launched_at = None
    build.progress = 10

    no_host = w.boot("vm-no-valid-host")
    no_host.vm_state, no_host.power_state = ERROR, PowerState.NOSTATE
    no_host.host = no_host.node = None
    no_host.launched_at = None
    no_host.addresses = []
    no_host.fault = _fault(w, 500, "No valid host was found. ", "Traceback (most recent...")

    bad = w.boot("vm-error-400", host="compute2")
    bad.vm_state = ERROR
    bad.fault = _fault(w, 400, "Bad things", "the details of the bad things")

    bare = w.boot("vm-error-bare", host="compute3")
    bare.vm_state = ERROR
    bare.fault = _fault(w, 500, "Something went wrong", None)

    stopped = w.boot("vm-stopped-no-ports", host="compute2")
    stopped.vm_state, stopped.power_state = STOPPED, PowerState.SHUTDOWN
    stopped.addresses = []

    shelved = w.boot("vm-shelved")
    shelved.vm_state, shelved.power_state = SHELVED_OFFLOADED, PowerState.SHUTDOWN
    shelved.host = shelved.node = None

    gone = w.boot("vm-deleted", host="compute3")
    gone.vm_state, gone.deleted = DELETED, True
    gone.deleted_at = gone.terminated_at = cloud.clock.advance(5)
    gone.fault = _fault(w, 500, "Deleted after a failure", "details of it")

    w.boot("alt-vm", owner="alt_demo", host="compute3", flavor="2")
    alt_error = w.boot("alt-error", owner="alt_demo")
    alt_error.vm_state = ERROR
    alt_error.fault = _fault(w, 500, "Alt failed", "alt details")

    compute.service_by_host("compute2").disabled = True
    scenarios.operate(cloud, {"stopped": "compute3", "advance": "70"})


def _cells_down(w: World) -> None:
    """down-cells plus a few more; compute1 forced down, compute2 disabled, cell2 unreachable."""
    cloud = w.cloud
    scenarios.apply(cloud, "down-cells")
    error = w.boot("vm-error", host="compute2")
    error.vm_state = ERROR
    error.fault = _fault(w, 500, "Broken", "broken details")
    w.boot("vm-cell2-az", host="compute3", requested_az="nova", flavor="42")
    unported = w.boot("vm-cell2-no-ports", owner="alt_demo", host="compute3")
    unported.addresses = []
    cloud.compute.service_by_host("compute1").forced_down = True
    cloud.compute.service_by_host("compute2").disabled = True
    cloud.compute.set_cell_reachable("cell2", False)


def _policy(rules: str) -> Callable[[World], None]:
    def build(w: World) -> None:
        _varied(w)
        scenarios.operate(w.cloud, {"policy": rules})

    return build


WORLDS: dict[str, Callable[[World], None]] = {
    "varied": _varied,
    "unknown-only": _policy(UNKNOWN_ONLY),
    "nfv": _policy(f"{NFV};{EXTRA_SPECS_FOR_ADMINS}"),
    "cells-down": _cells_down,
}
CASES = [
    ("varied", "admin"),
    ("varied", "demo"),
    ("unknown-only", "demo"),
    ("nfv", "demo"),
    ("cells-down", "admin"),
    ("cells-down", "demo"),
]


# -- reading them ----------------------------------------------------------------------------


def responses(world: str, caller: str) -> Iterator[tuple[str, str, int, bytes]]:
    """``(microversion, request, status, body bytes)`` for one world and caller, in order."""
    w = World()
    WORLDS[world](w)
    names = {uuid: s.name for uuid, s in w.compute.servers.items()}
    client = w.client(caller)
    everyone = "all_tenants=1&" if caller == "admin" else ""
    # A server of demo's that every caller here may update (admins any, demo its own).
    own = next(uuid for uuid, name in names.items() if name in ("vm-full", "vm1"))
    requests: list[tuple[str, str, Any]] = [
        ("GET", f"/servers/detail?{everyone}", None),
        ("GET", f"/servers/detail?{everyone}limit=3", None),
        ("GET", f"/servers/detail?{everyone}deleted=True", None),
        ("GET", f"/servers?{everyone}", None),
        *(("GET", f"/servers/{uuid}", None) for uuid in names),
        ("PUT", f"/servers/{own}", {"server": {"name": names[own]}}),
    ]
    for mv in VERSIONS:
        for method, path, body in requests:
            answer = client.request(method, V + path, body=body, microversion=mv)
            shown = path
            for uuid, name in names.items():
                shown = shown.replace(uuid, "{" + name + "}")
            yield mv, f"{method} {shown}", answer.status_int, answer.body


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _split(data: bytes, bodies: dict[str, Any]) -> Any:
    """The response's JSON with each server body replaced by its key in ``bodies``."""
    if not data:
        return None
    decoded = json.loads(data)

    def ref(server: Any) -> str:
        key = _digest(json.dumps(server).encode())[:12]
        bodies[key] = server
        return key

    if isinstance(decoded, dict):
        if isinstance(decoded.get("servers"), list):
            decoded["servers"] = [ref(s) for s in decoded["servers"]]
        if isinstance(decoded.get("server"), dict):
            decoded["server"] = ref(decoded["server"])
    return decoded


def _join(split: Any, bodies: dict[str, Any]) -> Any:
    if isinstance(split, dict):
        split = dict(split)
        if isinstance(split.get("servers"), list):
            split["servers"] = [bodies[k] for k in split["servers"]]
        if isinstance(split.get("server"), str):
            split["server"] = bodies[split["server"]]
    return split


# -- the test --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


@pytest.mark.parametrize(("world", "caller"), CASES)
def test_bodies_match_the_snapshot(snapshot: dict[str, Any], world: str, caller: str) -> None:
    recorded = _by_version(snapshot["responses"][f"{world} {caller}"])
    bodies = snapshot["bodies"]
    seen = []
    for mv, request, status, data in responses(world, caller):
        seen.append((mv, request))
        key = f"{mv} {request}"
        assert (mv, request) in recorded, f"{key}: not in the snapshot"
        want_status, want_digest, want_json = recorded[mv, request]
        if status == want_status and _digest(data) == want_digest:
            continue
        assert status == want_status, f"{key}: status {status}, recorded {want_status}"
        actual = json.loads(data) if data else None
        assert actual == _join(want_json, bodies), f"{key}: different JSON"
        pytest.fail(f"{key}: same JSON values, different bytes (key order, spacing, escaping)")
    assert seen == list(recorded), "the requests differ from the recorded ones"


def _by_version(runs: dict[str, list[list[Any]]]) -> dict[tuple[str, str], list[Any]]:
    """Each request's runs (``[first microversion, status, sha256, json]``, a run lasting
    until the next one starts) expanded to one answer per microversion, in request order
    within each microversion."""
    answers: dict[tuple[str, str], list[Any]] = {}
    for mv in VERSIONS:
        for request, request_runs in runs.items():
            current = [run for run in request_runs if _minor(run[0]) <= _minor(mv)][-1]
            answers[mv, request] = current[1:]
    return answers


def _minor(mv: str) -> int:
    return int(mv.split(".")[1])


@pytest.mark.parametrize("year", [1, 999, 1000, 1970, 2026, 9999])
@pytest.mark.parametrize("microsecond", [0, 7, 123456])
@pytest.mark.parametrize("tz", [None, dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30))])
def test_time_formats_match_the_library_calls(
    year: int, microsecond: int, tz: dt.tzinfo | None
) -> None:
    """The view spells its two timestamp formats with ``%``; they must equal what Nova calls
    (``strftime`` and ``str()`` of a naive datetime) for any datetime, not only the ones the
    snapshot holds."""
    value = dt.datetime(year, 12, 31, 23, 5, 9, microsecond, tzinfo=tz)
    assert isotime(value) == value.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert naive(value) == value.replace(tzinfo=None).isoformat()
    assert naive(None) is None


def test_the_snapshot_covers_every_case(snapshot: dict[str, Any]) -> None:
    assert list(snapshot["responses"]) == [f"{w} {c}" for w, c in CASES]


def record() -> None:
    bodies: dict[str, Any] = {}
    recorded: dict[str, dict[str, list[list[Any]]]] = {}
    for world, caller in CASES:
        runs: dict[str, list[list[Any]]] = {}
        for mv, request, status, data in responses(world, caller):
            digest = _digest(data)
            request_runs = runs.setdefault(request, [])
            if not request_runs or request_runs[-1][1:3] != [status, digest]:
                request_runs.append([mv, status, digest, _split(data, bodies)])
        recorded[f"{world} {caller}"] = runs
    comment = (
        "Recorded by tests/unit/test_server_view_equivalence.py (see its docstring); "
        "regenerate with 'PYTHONPATH=src python tests/unit/test_server_view_equivalence.py' "
        "only when a server body is meant to change. responses: per world and caller, per "
        "request, the microversions where its answer changes: [from, status, sha256 of the "
        "bytes, JSON with server bodies by key]."
    )
    # One line per answer and per body: reviewable diffs, a modest file.
    cases = [
        f"  {json.dumps(case)}: {{\n"
        + ",\n".join(
            f"   {json.dumps(request)}: [\n"
            + ",\n".join(f"    {json.dumps(r)}" for r in rs)
            + "\n   ]"
            for request, rs in runs.items()
        )
        + "\n  }"
        for case, runs in recorded.items()
    ]
    stored = [f"  {json.dumps(key)}: {json.dumps(bodies[key])}" for key in sorted(bodies)]
    text = (
        f'{{\n "_comment": {json.dumps(comment)},\n "responses": {{\n'
        + ",\n".join(cases)
        + '\n },\n "bodies": {\n'
        + ",\n".join(stored)
        + "\n }\n}\n"
    )
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(text)
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes, {len(bodies)} bodies)")


if __name__ == "__main__":
    sys.exit(record())
