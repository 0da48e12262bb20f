"""The per-cell listing index must list exactly what a stable sort of every server listed."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import random

import pytest

from fakenova.cloud import Cloud
from fakenova.compute.models.backend import DEFAULT_SORT, ServerQuery
from fakenova.compute.models.servers.filters import compare
from fakenova.compute.models.servers.indexes import ServerTable
from fakenova.compute.models.servers.records import ApiRecord, Server

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _server(cloud: Cloud, n: int, cell: str, created: int, instance_id: int) -> Server:
    """A server created ``created`` seconds after T0: small ranges give many ties."""
    compute = cloud.compute
    record = ApiRecord(
        uuid=f"00000000-0000-0000-0000-{n:012d}",
        project_id=cloud.project_id("demo" if n % 2 else "alt_demo"),
        user_id=cloud.user_id("demo"),
        cell=compute.cells[cell],
        created_at=T0 + dt.timedelta(seconds=created),
        flavor=compute.flavors["1"].snapshot(),
        image_ref="",
    )
    return Server(
        record=record,
        name=f"s{n}",
        host=None,
        node=None,
        instance_id=instance_id,
        reservation_id="r-0",
        hostname=f"s{n}",
        created_at=record.created_at,
    )


def _cmp(sort: tuple[tuple[str, str], ...]) -> functools.partial[int]:
    """The order the API sorts in (the zone plays no part in these keys)."""
    return functools.partial(compare, sort=sort, zone_of=lambda server: None)


def _reference(servers: list[Server], sort: tuple[tuple[str, str], ...]) -> list[Server]:
    """What a stable sort of everything gives, which the index must reproduce."""
    return sorted(servers, key=functools.cmp_to_key(_cmp(sort)))


def _random_table(cloud: Cloud, count: int, seed: int) -> tuple[ServerTable, list[Server]]:
    """Servers in two cells, numbered per cell as cell databases do, with many ties on
    ``created_at`` and some on ``(created_at, id)`` across cells; two such ties for sure."""
    rng = random.Random(seed)
    table, inserted = ServerTable(), []
    next_id = {"cell1": 0, "cell2": 0}
    for n in range(count):
        cell = ["cell1", "cell2"][n % 2] if n < 4 else rng.choice(["cell1", "cell2"])
        next_id[cell] += 1
        created = 5 if n < 4 else rng.randrange(20)
        server = _server(cloud, n, cell, created, next_id[cell])
        table[server.uuid] = server
        inserted.append(server)
    return table, inserted


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("direction", ["desc", "asc"])
def test_ordered_matches_a_stable_full_sort_with_and_without_a_marker(
    cloud: Cloud, seed: int, direction: str
) -> None:
    table, inserted = _random_table(cloud, 60, seed)
    sort = (("created_at", direction), ("id", direction))
    expected = _reference(inserted, sort)
    cells = ["cell1", "cell2"]
    assert list(table.ordered(cells, descending=direction == "desc")) == expected
    cmp = _cmp(sort)
    for marker in random.Random(seed).sample(inserted, 10):
        past = [s for s in expected if cmp(s, marker) > 0]
        got = table.ordered(cells, descending=direction == "desc", after=marker)
        assert list(got) == past


def test_ordered_reads_only_the_cells_it_is_given(cloud: Cloud) -> None:
    table, inserted = _random_table(cloud, 30, 7)
    only = [s for s in _reference(inserted, DEFAULT_SORT) if s.cell.name == "cell2"]
    assert list(table.ordered(["cell2"])) == only


def test_deleting_popping_and_storing_again_keep_the_index_in_step(cloud: Cloud) -> None:
    table, inserted = _random_table(cloud, 40, 3)
    del table[inserted[0].uuid]
    assert table.pop(inserted[1].uuid) is inserted[1]
    assert table.pop("missing", None) is None
    moved = inserted[2]
    moved.created_at = T0 + dt.timedelta(days=1)  # newest of all once stored again
    table[moved.uuid] = moved
    table.update({inserted[3].uuid: inserted[3]})
    remaining = [s for s in inserted if s not in inserted[:2]]
    listed = list(table.ordered(["cell1", "cell2"]))
    assert listed[0] is moved
    assert listed == _reference(remaining, DEFAULT_SORT)
    assert list(table) == [s.uuid for s in remaining]  # dict order is insertion order still


def test_a_deep_copy_is_an_independent_consistent_table(cloud: Cloud) -> None:
    table, inserted = _random_table(cloud, 20, 5)
    clone = copy.deepcopy(table)
    del clone[next(iter(clone))]
    assert list(table.ordered(["cell1", "cell2"])) == _reference(inserted, DEFAULT_SORT)
    assert [s.uuid for s in clone.ordered(["cell1", "cell2"])] == [
        s.uuid for s in _reference(inserted[1:], DEFAULT_SORT)
    ]
    clone.clear()
    assert list(clone.ordered(["cell1", "cell2"])) == []


@pytest.mark.parametrize("limit", [1, 7, 1000])
def test_list_servers_pages_through_the_index_as_the_full_sort_did(
    cloud: Cloud, limit: int
) -> None:
    compute = cloud.compute
    _, inserted = _random_table(cloud, 50, 11)
    for server in inserted:
        compute.records[server.uuid] = server.record
        compute.servers[server.uuid] = server
    demo = cloud.project_id("demo")
    cmp = _cmp(DEFAULT_SORT)
    for project in (None, demo):
        everything = [
            s for s in _reference(inserted, DEFAULT_SORT) if project in (None, s.project_id)
        ]
        marker: Server | None = None
        while True:
            query = ServerQuery(
                project, {"deleted": False}, limit=limit, marker=marker and marker.uuid
            )
            page = compute.list_servers(query)
            # The full sort's paging: strictly past the marker (ties with it are skipped).
            expected = [s for s in everything if marker is None or cmp(s, marker) > 0]
            assert page == expected[:limit]
            if len(page) < limit:
                break
            marker = page[-1]
