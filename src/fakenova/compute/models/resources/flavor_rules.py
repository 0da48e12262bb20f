"""Flavors as Nova's API database keeps them: who sees which, lists, and the admin's changes.

A member sees the public flavors and the private ones shared with its project; an admin sees
every flavor, though its lists show the public ones (and those shared with its project) unless
``is_public`` says otherwise. A list is sorted by its key, then by the row id, both in the
asked direction, and a marker must name a flavor the caller sees.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import replace
from typing import Any

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.errors import (
    FlavorAccessExists,
    FlavorAccessNotFound,
    FlavorAccessPublic,
    FlavorAccessToPublic,
    FlavorExtraSpecNotFound,
    FlavorIdExists,
    FlavorIdNotFound,
    FlavorMarkerNotFound,
    FlavorNameExists,
)
from fakenova.compute.models.resources.flavors import SORT_KEYS, Flavor, FlavorQuery, NewFlavor


def sees(actor: Actor, flavor: Flavor) -> bool:
    return actor.is_admin or flavor.is_public or actor.project_id in flavor.projects


def get(backend: ComputeBackend, actor: Actor, flavor_id: str) -> Flavor:
    flavor = backend.flavors.get(flavor_id)
    if flavor is None or not sees(actor, flavor):
        raise FlavorIdNotFound(flavor_id)
    return flavor


def _matches(actor: Actor, flavor: Flavor, query: FlavorQuery) -> bool:
    if query.min_memory_mb is not None and flavor.memory_mb < query.min_memory_mb:
        return False
    if query.min_root_gb is not None and flavor.root_gb < query.min_root_gb:
        return False
    if query.disabled is not None and flavor.disabled != query.disabled:
        return False
    if query.name is not None:
        try:
            if not re.search(query.name, flavor.name):
                return False
        except re.error:
            return False
    if query.is_public is True:
        return flavor.is_public or actor.project_id in flavor.projects
    if query.is_public is False:
        return not flavor.is_public
    return True


def _key(flavor: Flavor, attr: str | None) -> tuple[Any, ...]:
    """SQL's order: NULL before any value; then the row id."""
    value = None if attr is None else getattr(flavor, attr)
    return (value is not None, value if value is not None else 0, flavor.id)


def listed(backend: ComputeBackend, actor: Actor, query: FlavorQuery) -> list[Flavor]:
    """One page: the flavors the caller sees and the query matches, past the marker, in order.

    Keys are unique (the row id ends each), so the page is the ``limit`` smallest (or, in
    descending order, greatest) keys beyond the marker's: a bounded heap finds them without
    sorting the rest (``heapq.nsmallest`` is ``sorted(...)[:n]``), and a page of 100 from
    1,000 flavors costs one pass over them."""
    attr = SORT_KEYS[query.sort_key]
    marker_key = None
    if query.marker is not None:
        marker = backend.flavors.get(query.marker)
        if marker is None or not sees(actor, marker):
            raise FlavorMarkerNotFound(query.marker)
        marker_key = _key(marker, attr)

    def key(flavor: Flavor) -> tuple[Any, ...]:
        return _key(flavor, attr)

    filtered = query.min_memory_mb, query.min_root_gb, query.disabled, query.name
    plain_member = (
        query.is_public is True
        and not actor.is_admin
        and filtered
        == (
            None,
            None,
            False,
            None,
        )
    )
    if plain_member:  # a member's default list: what it sees, enabled (the same test, inline)
        project = actor.project_id
        found = [
            f
            for f in backend.flavors.values()
            if (f.is_public or project in f.projects) and not f.disabled
        ]
    else:
        found = [
            f for f in backend.flavors.values() if sees(actor, f) and _matches(actor, f, query)
        ]
    descending = query.sort_dir == "desc"
    if marker_key is not None:
        found = [f for f in found if (key(f) < marker_key if descending else key(f) > marker_key)]
    if query.limit is None or query.limit >= len(found):
        return sorted(found, key=key, reverse=descending)
    pick = heapq.nlargest if descending else heapq.nsmallest
    return pick(query.limit, found, key=key)


def create(backend: ComputeBackend, new: NewFlavor) -> Flavor:
    flavorid = new.flavorid or backend.ids.uuid("flavor", str(backend.flavor_serial + 1))
    name = new.name.strip()
    if flavorid in backend.flavors:
        raise FlavorIdExists(flavorid)
    if any(f.name == name for f in backend.flavors.values()):
        raise FlavorNameExists(name)
    backend.flavor_serial += 1
    flavor = Flavor(
        flavorid=flavorid,
        name=name,
        vcpus=new.vcpus,
        memory_mb=new.memory_mb,
        root_gb=new.root_gb,
        ephemeral_gb=new.ephemeral_gb,
        swap=new.swap,
        rxtx_factor=new.rxtx_factor,
        is_public=new.is_public,
        description=new.description,
        id=backend.flavor_serial,
    )
    backend.flavors[flavorid] = flavor
    return flavor


def delete(backend: ComputeBackend, actor: Actor, flavor_id: str) -> None:
    get(backend, actor, flavor_id)
    del backend.flavors[flavor_id]


def describe(
    backend: ComputeBackend, actor: Actor, flavor_id: str, description: str | None
) -> Flavor:
    flavor = replace(get(backend, actor, flavor_id), description=description)
    backend.flavors[flavor_id] = flavor
    return flavor


def access(backend: ComputeBackend, actor: Actor, flavor_id: str) -> Flavor:
    flavor = get(backend, actor, flavor_id)
    if flavor.is_public:
        raise FlavorAccessPublic()
    return flavor


def add_access(
    backend: ComputeBackend, actor: Actor, flavor_id: str, project_id: str, public_refused: bool
) -> Flavor:
    """Share a flavor with a project (from 2.7, a public flavor refuses it)."""
    flavor = get(backend, actor, flavor_id)
    if public_refused and flavor.is_public:
        raise FlavorAccessToPublic()
    if project_id in flavor.projects:
        raise FlavorAccessExists(flavor.id, project_id)
    flavor = replace(flavor, projects=(*flavor.projects, project_id))
    backend.flavors[flavor_id] = flavor
    return flavor


def remove_access(backend: ComputeBackend, actor: Actor, flavor_id: str, project_id: str) -> Flavor:
    flavor = get(backend, actor, flavor_id)
    if project_id not in flavor.projects:
        raise FlavorAccessNotFound(flavor.id, project_id)
    flavor = replace(flavor, projects=tuple(p for p in flavor.projects if p != project_id))
    backend.flavors[flavor_id] = flavor
    return flavor


def set_extra_specs(
    backend: ComputeBackend, actor: Actor, flavor_id: str, specs: dict[str, Any]
) -> Flavor:
    """Add or replace extra specs; numbers are kept as the strings Nova's database holds."""
    flavor = get(backend, actor, flavor_id)
    stored = {k: v if isinstance(v, str) else str(v) for k, v in specs.items()}
    flavor = replace(flavor, extra_specs={**flavor.extra_specs, **stored})
    backend.flavors[flavor_id] = flavor
    return flavor


def delete_extra_spec(backend: ComputeBackend, actor: Actor, flavor_id: str, key: str) -> None:
    flavor = get(backend, actor, flavor_id)
    if key not in flavor.extra_specs:
        raise FlavorExtraSpecNotFound(flavor_id, key)
    specs = {k: v for k, v in flavor.extra_specs.items() if k != key}
    backend.flavors[flavor_id] = replace(flavor, extra_specs=specs)
