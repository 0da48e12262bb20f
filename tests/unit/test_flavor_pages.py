"""A flavor page is the one a full sort gives: the bounded-heap listing against a reference.

``flavor_rules.listed`` picks a page with ``heapq`` (and a member's default filter inline)
instead of sorting every flavor the caller sees. Here the reference is the plain reading of
Nova's query (filter, sort by the key then the row id, skip to the marker, cut at the limit),
compared on random clouds and queries: every sort key and direction, markers, limits, filters,
members and admins.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.resources import flavor_rules
from fakenova.compute.models.resources.flavors import SORT_KEYS, Flavor, FlavorQuery


def _reference(flavors: list[Flavor], actor: Actor, query: FlavorQuery) -> list[Flavor]:
    attr = SORT_KEYS[query.sort_key]

    def key(f: Flavor) -> tuple[Any, ...]:
        value = None if attr is None else getattr(f, attr)
        return (value is not None, value if value is not None else 0, f.id)

    seen = [
        f for f in flavors if flavor_rules.sees(actor, f) and flavor_rules._matches(actor, f, query)
    ]
    ordered = sorted(seen, key=key, reverse=query.sort_dir == "desc")
    if query.marker is not None:
        marker = next(f for f in flavors if f.flavorid == query.marker)
        ordered = [
            f
            for f in ordered
            if (key(f) < key(marker) if query.sort_dir == "desc" else key(f) > key(marker))
        ]
    return ordered if query.limit is None else ordered[: query.limit]


flavor_sets = st.lists(
    st.tuples(
        st.integers(0, 4),  # vcpus
        st.sampled_from([64, 128, 512, 2048]),  # ram
        st.integers(0, 3),  # disk
        st.booleans(),  # public
        st.booleans(),  # shared with p1
        st.booleans(),  # disabled
        st.sampled_from([None, "a", "b"]),  # description
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(
    rows=flavor_sets,
    admin=st.booleans(),
    sort_key=st.sampled_from(sorted(SORT_KEYS)),
    sort_dir=st.sampled_from(["asc", "desc"]),
    limit=st.one_of(st.none(), st.integers(0, 30)),
    marker_at=st.one_of(st.none(), st.integers(0, 24)),
    is_public=st.sampled_from([True, False, None]),
    disabled=st.sampled_from([None, False]),
    min_ram=st.one_of(st.none(), st.sampled_from([100, 600])),
    name=st.sampled_from([None, "f1", "^f[0-9]$"]),
)
def test_a_page_is_the_sorted_page(
    rows: list[tuple[Any, ...]],
    admin: bool,
    sort_key: str,
    sort_dir: str,
    limit: int | None,
    marker_at: int | None,
    is_public: bool | None,
    disabled: bool | None,
    min_ram: int | None,
    name: str | None,
) -> None:
    backend = ComputeBackend.__new__(ComputeBackend)
    flavors = [
        Flavor(
            flavorid=f"{(i * 7) % 31}",
            name=f"f{i}",
            vcpus=vcpus,
            memory_mb=ram,
            root_gb=disk,
            is_public=public,
            projects=("p1",) if shared else (),
            disabled=off,
            description=description,
            id=i + 1,
        )
        for i, (vcpus, ram, disk, public, shared, off, description) in enumerate(rows)
    ]
    backend.flavors = {f.flavorid: f for f in flavors}
    actor = Actor("req", "u1", "p1", is_admin=admin)
    marker = None
    if marker_at is not None and flavors:
        candidate = flavors[marker_at % len(flavors)]
        marker = candidate.flavorid if flavor_rules.sees(actor, candidate) else None
    query = FlavorQuery(
        is_public=is_public if admin else True,
        disabled=disabled if admin else False,
        min_memory_mb=min_ram,
        name=name,
        sort_key=sort_key,
        sort_dir=sort_dir,
        limit=limit,
        marker=marker,
    )
    assert flavor_rules.listed(backend, actor, query) == _reference(flavors, actor, query)
