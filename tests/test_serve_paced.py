"""``fakenova serve --pace SECONDS`` with real clients: work takes wall-clock time, as on a
real cloud, so a client that polls sees BUILD, the snapshot's and the resize's task states,
and Nova's 409 when it asks for more while the server is busy.

Each step of pending work takes PACE seconds; no assertion needs a step to last less than
that (the machine may be slow), only at least that (the fake holds it). The exact sequence
of states, step by step, is ``tests/unit/test_paced_cloud.py``'s (on a hand-moved clock).
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from test_serve import ROOT, _client_env, _free_port, _session, _start, _stop, cli_exit

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]

PACE = 1.5
IMAGE = "cirros-0.6.3-x86_64-disk"


@pytest.fixture(scope="module")
def paced() -> Iterator[str]:
    port = _free_port()
    server, banner = _start(port, "--pace", str(PACE))
    assert f"  paced: each step of a build, snapshot, resize ... takes {PACE:g}s\n" in banner
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        assert _stop(server)[0] == 0


def _connect(base: str) -> Any:
    import openstack

    return openstack.connection.Connection(
        session=_session(base, "demo"), region_name="RegionOne", compute_api_version="2.45"
    )


def _states(conn: Any, uuid: str) -> tuple[str, str | None]:
    server = conn.compute.get_server(uuid)
    return server.status, server.task_state


def _poll(conn: Any, uuid: str, until: set[tuple[str, str | None]]) -> list[Any]:
    """The states seen, polling until one of ``until`` (bounded: a minute at most)."""
    seen = [_states(conn, uuid)]
    deadline = time.monotonic() + 60
    while seen[-1] not in until and time.monotonic() < deadline:
        time.sleep(0.1)
        if (states := _states(conn, uuid)) != seen[-1]:
            seen.append(states)
    return seen


SCENARIOS: list[Callable[[str], None]] = []


def _scenario(check: Callable[[str], None]) -> Callable[[str], None]:
    """A check that runs beside the others (``outcomes``); its test reports how it went."""
    SCENARIOS.append(check)
    return check


@pytest.fixture(scope="module")
def outcomes(paced: str) -> dict[str, BaseException | None]:
    """Every scenario of this module, each in its own thread against the one paced server.

    Each mostly waits for paced steps (PACE seconds each, on the wall clock), and the steps
    of different servers run side by side, as on a real cloud: run one after the other, the
    waits added up to most of this module's time. Every check is the same as run alone; a
    scenario's failure is raised again by its own test.
    """
    import openstack  # noqa: F401 - imported once here, not by four threads at once

    found: dict[str, BaseException | None] = {}

    def run(check: Callable[[str], None]) -> None:
        try:
            check(paced)
        except BaseException as error:  # raised again by the scenario's test
            found[check.__name__] = error
        else:
            found[check.__name__] = None

    threads = [threading.Thread(target=run, args=(check,)) for check in SCENARIOS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return found


def _outcome(outcomes: dict[str, BaseException | None], check: Callable[[str], None]) -> None:
    error = outcomes.get(check.__name__, RuntimeError(f"{check.__name__} did not finish"))
    if error is not None:
        raise error


@_scenario
def _openstack_server_create_wait_sees_the_build_take_time(paced: str) -> None:
    """``server create --wait`` polls (every 5 s) until ACTIVE; with the build paced, its
    first poll sees BUILD, so the command takes at least one pace."""
    env = _client_env(FAKENOVA_URL=paced)
    started = time.monotonic()
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"source {ROOT / 'conf' / 'openrc'} demo demo && openstack server create "
            f"--image {IMAGE} --flavor m1.tiny --wait -f json w1",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["name"], shown["status"], shown["OS-EXT-STS:vm_state"]) == (
        "w1",
        "ACTIVE",
        "active",
    )
    assert took >= PACE


@_scenario
def _a_poll_right_after_create_sees_build(paced: str) -> None:
    conn = _connect(paced)
    image = conn.image.find_image(IMAGE)
    server = conn.compute.create_server(
        name="p1", image_id=image.id, flavor_id="1", networks="auto"
    )
    seen = _poll(conn, server.id, {("ACTIVE", None), ("ERROR", None)})
    order = [
        ("BUILD", "scheduling"),
        ("BUILD", "networking"),
        ("BUILD", "block_device_mapping"),
        ("BUILD", "spawning"),
        ("ACTIVE", None),
    ]
    assert seen[0] == ("BUILD", "scheduling") and seen[-1] == ("ACTIVE", None)
    assert seen == sorted(seen, key=order.index)  # each known, none out of order


@_scenario
def _a_second_snapshot_while_the_first_is_saved_gets_nova_s_409(paced: str) -> None:
    from openstack import exceptions

    conn = _connect(paced)
    image = conn.image.find_image(IMAGE)
    server = conn.compute.create_server(
        name="s1", image_id=image.id, flavor_id="1", networks="auto"
    )
    conn.compute.wait_for_server(server, interval=0.2, wait=60)
    conn.compute.create_server_image(server, "snap1")
    seen = _poll(conn, server.id, {("ACTIVE", "image_snapshot"), ("ACTIVE", None)})
    assert seen[-1] == ("ACTIVE", "image_snapshot")
    with pytest.raises(exceptions.ConflictException) as refused:
        conn.compute.create_server_image(server, "snap2")
    assert refused.value.details == (
        f"Cannot 'createImage' instance {server.id} while it is in task_state image_snapshot"
    )
    rest = _poll(conn, server.id, {("ACTIVE", None)})
    assert rest[-1] == ("ACTIVE", None)
    snapshots = [i.name for i in conn.image.images() if i.name.startswith("snap")]
    assert snapshots == ["snap1"]


@_scenario
def _a_resize_shows_its_task_states_in_order(paced: str) -> None:
    conn = _connect(paced)
    image = conn.image.find_image(IMAGE)
    server = conn.compute.create_server(
        name="r1", image_id=image.id, flavor_id="1", networks="auto"
    )
    conn.compute.wait_for_server(server, interval=0.2, wait=60)
    conn.compute.resize_server(server, "2")
    seen = _poll(conn, server.id, {("VERIFY_RESIZE", None)})
    order = [
        ("RESIZE", "resize_prep"),
        ("RESIZE", "resize_migrating"),
        ("RESIZE", "resize_migrated"),
        ("RESIZE", "resize_finish"),
        ("VERIFY_RESIZE", None),
    ]
    assert seen == sorted(seen, key=order.index)  # each known, none out of order
    assert seen[0] == ("RESIZE", "resize_prep") and len(seen) >= 3


def test_openstack_server_create_wait_sees_the_build_take_time(
    outcomes: dict[str, BaseException | None],
) -> None:
    _outcome(outcomes, _openstack_server_create_wait_sees_the_build_take_time)


def test_a_poll_right_after_create_sees_build(outcomes: dict[str, BaseException | None]) -> None:
    _outcome(outcomes, _a_poll_right_after_create_sees_build)


def test_a_second_snapshot_while_the_first_is_saved_gets_nova_s_409(
    outcomes: dict[str, BaseException | None],
) -> None:
    _outcome(outcomes, _a_second_snapshot_while_the_first_is_saved_gets_nova_s_409)


def test_a_resize_shows_its_task_states_in_order(outcomes: dict[str, BaseException | None]) -> None:
    _outcome(outcomes, _a_resize_shows_its_task_states_in_order)


def test_serve_help_shows_pace_and_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli_exit(capsys, "serve", "--help")
    shown = " ".join(out.split())
    assert status == 0
    assert "--pace SECONDS" in shown and "(default: 0)" in shown
    status, _, err = cli_exit(capsys, "serve", "--pace", "-1")
    assert status == 2
    assert "not a number of seconds >= 0: '-1'" in err


def test_pace_is_the_cloud_s_own_setting() -> None:
    """Two clouds in one process: pacing one leaves the other instant (no global)."""
    from fakenova.cli import build_app

    paced_app, instant_app = build_app("empty", pace=3), build_app("empty")
    assert paced_app.cloud.compute.tasks.pace == 3
    assert instant_app.cloud.compute.tasks.pace == 0


def test_wall_clock_follows_real_time_and_never_goes_back() -> None:
    """``serve --clock wall``: the cloud's now is real time plus whatever its work skipped."""
    import datetime as dt

    from fakenova.determinism import WallClock

    real = [dt.datetime(2030, 1, 1, tzinfo=dt.UTC)]
    clock = WallClock(lambda: real[0])
    assert clock.now == real[0]
    real[0] += dt.timedelta(seconds=5)
    assert clock.now == real[0]
    clock.advance(10)
    assert clock.now == real[0] + dt.timedelta(seconds=10)
    clock.now = real[0]  # a task due earlier than now does not move it back
    assert clock.now == real[0] + dt.timedelta(seconds=10)


def test_served_usage_covers_the_last_day_of_the_client_s_clock() -> None:
    """Tempest asks a served cloud for usage from a day ago to a day ahead of its own clock:
    on the wall clock a server booted now is in that window; on the scenario's it is not."""
    import datetime as dt

    from fakenova.cli import build_app
    from fakenova.testing import Client

    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    window = f"start={(now - day):%Y-%m-%dT%H:%M:%S}&end={(now + day):%Y-%m-%dT%H:%M:%S}"
    for clock, counted in (("wall", 1), ("scenario", 0)):
        app = build_app("empty", clock=clock)
        image = app.cloud.settings.images[0]["id"]
        demo, admin = Client(app).as_user("demo"), Client(app).as_user("admin")
        server = {"name": "vm", "imageRef": image, "flavorRef": "1"}
        created = demo.post("/compute/v2.1/servers", {"server": server})
        assert created.status_int == 202, created.text
        answer = admin.get(f"/compute/v2.1/os-simple-tenant-usage?{window}")
        assert answer.status_int == 200, answer.text
        assert len(answer.json["tenant_usages"]) == counted, clock
