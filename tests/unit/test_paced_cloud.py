"""A paced cloud (``fakenova serve --pace SECONDS``): each step of pending work takes that
long on the wall clock, so a client that polls sees the states a real Nova goes through.

The wall clock is the test's own here (no sleeping); ``tests/test_serve_paced.py`` runs the
same against a real ``fakenova serve`` process. The 409 texts were seen on the real Nova
(the oracle, right after a ``createImage``: ``image_snapshot`` and its refusals).
"""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.tasks import TaskQueue
from fakenova.determinism import Clock
from fakenova.testing import fault

V = "/compute/v2.1"
PACE = 5.0


class Paced(testing.World):
    """demo's ``vm1``, ACTIVE, on a cloud paced from now on, with a hand-moved wall clock."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")
        self.now = 100.0
        tasks = self.compute.tasks
        tasks.pace, tasks.wall = PACE, lambda: self.now

    def wait(self, seconds: float = PACE) -> None:
        self.now += seconds

    def states(self, server: str | None = None) -> tuple[str, str | None]:
        shown = self.show(server=server)
        return shown["status"], shown["OS-EXT-STS:task_state"]


@pytest.fixture
def w() -> Paced:
    return Paced()


def test_the_default_settles_everything_at_the_next_request() -> None:
    w = testing.World()
    answer = w.create_server("b1")
    uuid = answer.json["server"]["id"]
    assert w.compute.tasks.pace == 0
    assert w.show(server=uuid)["status"] == "ACTIVE"


def test_a_build_shows_build_and_the_host_s_task_states(w: Paced) -> None:
    uuid = w.create_server("b1").json["server"]["id"]
    assert w.states(uuid) == ("BUILD", "scheduling")
    w.wait(PACE - 0.5)
    assert w.states(uuid) == ("BUILD", "scheduling")
    seen = []
    for _ in range(4):
        w.wait(PACE if seen else 0.5)
        seen.append(w.states(uuid))
    assert seen == [
        ("BUILD", "networking"),
        ("BUILD", "block_device_mapping"),
        ("BUILD", "spawning"),
        ("ACTIVE", None),
    ]
    # The scenario's clock still shows the build taking its usual time.
    shown = w.show(server=uuid)
    assert shown["created"] < shown["updated"]


def test_a_snapshot_goes_through_the_hosts_task_states(w: Paced) -> None:
    assert w.act({"createImage": {"name": "s1"}}, mv="2.45").status_int == 202
    seen = [w.states()]
    for _ in range(4):
        w.wait()
        seen.append(w.states())
    assert seen == [
        ("ACTIVE", "image_snapshot_pending"),
        ("ACTIVE", "image_snapshot"),
        ("ACTIVE", "image_pending_upload"),
        ("ACTIVE", "image_uploading"),
        ("ACTIVE", None),
    ]


def test_a_second_snapshot_while_one_is_saved_is_nova_s_409(w: Paced) -> None:
    assert w.act({"createImage": {"name": "s1"}}, mv="2.45").status_int == 202
    w.wait()
    w.settle()  # what the next request would do first
    before = testing.snapshot(w.cloud)
    answer = w.act({"createImage": {"name": "s2"}}, mv="2.45")
    assert fault(answer, 409) == (
        f"Cannot 'createImage' instance {w.vm.uuid} while it is in task_state image_snapshot"
    )
    resize = w.act({"resize": {"flavorRef": "2"}})
    assert fault(resize, 409) == (
        f"Cannot 'resize' instance {w.vm.uuid} while it is in task_state image_snapshot"
    )
    assert testing.snapshot(w.cloud) == before
    w.wait(3 * PACE)
    assert w.act({"createImage": {"name": "s2"}}, mv="2.45").status_int == 202


def _migration(w: Paced) -> str:
    (migration,) = w.admin.get(f"{V}/os-migrations").json["migrations"]
    return migration["status"]


def test_a_resize_shows_each_task_state_and_its_migration(w: Paced) -> None:
    assert w.act({"resize": {"flavorRef": "2"}}).status_int == 202
    seen: list[Any] = [w.states()]
    for _ in range(5):
        w.wait()
        seen.append((*w.states(), _migration(w)))
    assert seen == [
        ("RESIZE", "resize_prep"),
        ("RESIZE", "resize_prep", "migrating"),
        ("RESIZE", "resize_migrating", "migrating"),
        ("RESIZE", "resize_migrated", "post-migrating"),
        ("RESIZE", "resize_finish", "post-migrating"),
        ("VERIFY_RESIZE", None, "finished"),
    ]


def test_a_late_poll_catches_up_on_every_step_at_once(w: Paced) -> None:
    assert w.act({"resize": {"flavorRef": "2"}}).status_int == 202
    w.wait(10 * PACE)
    assert w.states() == ("VERIFY_RESIZE", None)


def test_a_server_deleted_while_it_builds_stays_deleted(w: Paced) -> None:
    uuid = w.create_server("b1").json["server"]["id"]
    assert w.demo.delete(f"{V}/servers/{uuid}").status_int == 204
    w.wait(10 * PACE)
    assert w.demo.get(f"{V}/servers/{uuid}").status_int == 404


def test_a_paced_queue_runs_follow_up_steps_from_when_the_first_was_done() -> None:
    now = [0.0]
    queue = TaskQueue(Clock(), pace=2, wall=lambda: now[0])
    ran: list[str] = []
    queue.defer(1, "first", lambda: (ran.append("first"), queue.defer(1, "next", nxt)))

    def nxt() -> None:
        ran.append("next")

    now[0] = 3.0  # the first was due at 2: the next is due at 4, not at 5
    assert (queue.settle(), ran) == (1, ["first"])
    now[0] = 4.0
    assert (queue.settle(), ran) == (1, ["first", "next"])
