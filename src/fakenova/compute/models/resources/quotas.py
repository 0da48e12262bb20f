"""Nova's quotas: the limits (nova.conf ``[quota]``), what a project uses, and every check.

Each limit is Nova 34's default (``nova/conf/quota.py``) unless ``conf/`` overrides it under
``nova.quota``; :func:`limits` is the only place that reads them. As in Nova, ``-1`` means
unlimited for every quota and every path, and a check refuses only when the total it would
reach is *more* than a limit of 0 or more (:func:`allows`).

What counts is what Nova counts with its default ``count_usage_from_placement = False``: a
project's instances, cores and RAM are summed from the cell databases over the servers not
deleted and not SOFT_DELETED (a server in ERROR counts, with its flavor), skipping cells that
cannot be reached; server group members are counted per user from the API database (instance
mappings not queued for deletion, whatever their cell); key pairs per user, server groups
per project.

Every refusal is one :class:`~fakenova.compute.models.errors.QuotaExceeded` (a 403) carrying
Nova's sentence for that path. The checks raise before anything changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from fakenova.compute.models.errors import QuotaExceeded
from fakenova.compute.models.servers.states import SOFT_DELETED

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend, ServerGroup
    from fakenova.compute.models.resources.flavors import Flavor
    from fakenova.settings import Settings

__all__ = [
    "DEFAULTS",
    "UNLIMITED",
    "QuotaExceeded",
    "allows",
    "check_group_members",
    "check_key_pairs",
    "check_metadata",
    "check_personality",
    "check_server_groups",
    "check_servers",
    "group_members",
    "limit",
    "limits",
    "usage",
]

UNLIMITED = -1
# Nova 34's defaults, by option name (nova/conf/quota.py).
DEFAULTS: Mapping[str, int] = {
    "instances": 10,
    "cores": 20,
    "ram": 50 * 1024,
    "metadata_items": 128,
    "injected_files": 5,
    "injected_file_content_bytes": 10 * 1024,
    "injected_file_path_length": 255,
    "key_pairs": 100,
    "server_groups": 10,
    "server_group_members": 10,
}
# The resources a server uses, in the order Nova names them when it refuses (sorted).
SERVER_RESOURCES = ("cores", "instances", "ram")


def limits(settings: Settings) -> dict[str, int]:
    """Every limit: Nova's defaults, overridden by ``nova.quota`` in the settings."""
    overrides = settings.nova.get("quota") or {}
    return {name: int(overrides.get(name, default)) for name, default in DEFAULTS.items()}


def limit(backend: ComputeBackend, name: str) -> int:
    """One limit (``-1``: unlimited)."""
    return limits(backend.settings)[name]


def allows(allowed: int, total: int) -> bool:
    """Whether ``total`` is within ``allowed``, where ``-1`` allows anything."""
    return allowed < 0 or total <= allowed


# -- usage ------------------------------------------------------------------------------------


def usage(backend: ComputeBackend, project_id: str) -> dict[str, int]:
    """The project's ``instances``, ``cores`` and ``ram`` as Nova counts them from the cell
    databases: servers not deleted and not SOFT_DELETED, in cells that answer."""
    used = dict.fromkeys(SERVER_RESOURCES, 0)
    for server in backend.servers.values():
        if server.project_id != project_id or server.deleted or server.vm_state == SOFT_DELETED:
            continue
        if not server.cell.reachable:
            continue  # Nova's count skips a cell that does not answer
        used["instances"] += 1
        used["cores"] += server.flavor.vcpus
        used["ram"] += server.flavor.memory_mb
    return used


def group_members(backend: ComputeBackend, group: ServerGroup, user_id: str) -> int:
    """The group's members that count against ``user_id``'s quota: that user's servers whose
    mapping is not queued for deletion (deleted and SOFT_DELETED ones drop out)."""
    count = 0
    for uuid in set(group.members):
        record = backend.records.get(uuid)
        if record is not None and record.user_id == user_id and not record.queued_for_delete:
            count += 1
    return count


# -- the checks -------------------------------------------------------------------------------


def check_servers(
    backend: ComputeBackend, project_id: str, flavor: Flavor, min_count: int, max_count: int
) -> int:
    """How many servers of ``flavor`` to build: ``max_count`` when the project's instances,
    cores and RAM allow it, else the most that fit if that is at least ``min_count``.

    The most that fit is Nova's headroom: the instances left, lowered by the cores and RAM
    left (an unlimited cores or RAM quota follows the instances left). With ``instances``
    unlimited and cores or RAM over, Nova's headroom comes out negative, so it refuses rather
    than building fewer; the fake does the same.
    """
    allowed = limits(backend.settings)
    used = usage(backend, project_id)
    each = {"cores": flavor.vcpus, "instances": 1, "ram": flavor.memory_mb}
    asked = {name: max_count * per for name, per in each.items()}
    overs = [n for n in SERVER_RESOURCES if not allows(allowed[n], used[n] + asked[n])]
    if not overs:
        return max_count
    room = allowed["instances"] - used["instances"]
    for name in ("cores", "ram"):
        if allowed[name] != UNLIMITED and each[name]:
            room = min(room, (allowed[name] - used[name]) // each[name])
    if min_count <= room <= max_count:
        return room
    count = str(min_count) if min_count == max_count else f"{min_count}-{max_count}"
    requested = {"cores": str(asked["cores"]), "instances": count, "ram": str(asked["ram"])}
    names = ", ".join(overs)
    raise QuotaExceeded(
        f"Quota exceeded for {names}: Requested {', '.join(requested[n] for n in overs)}, "
        f"but already used {', '.join(str(used[n]) for n in overs)} of "
        f"{', '.join(str(allowed[n]) for n in overs)} {names}"
    )


def check_metadata(backend: ComputeBackend, metadata: Mapping[str, str] | None) -> None:
    """A server's metadata as it would be (on create, or after a merge or replace): no more
    than ``metadata_items`` items. Empty metadata is never refused."""
    allowed = limit(backend, "metadata_items")
    if metadata and not allows(allowed, len(metadata)):
        raise QuotaExceeded(f"Maximum number of metadata items exceeds {allowed}")


def check_personality(backend: ComputeBackend, files: Iterable[Mapping[str, str]]) -> None:
    """Injected files: how many, then the longest path, then the longest contents (the
    base64 text as sent). A too-long path is reported before too-long contents."""
    files = list(files)
    if not files:
        return
    allowed = limits(backend.settings)
    if not allows(allowed["injected_files"], len(files)):
        raise QuotaExceeded("Personality file limit exceeded")
    path_limit = allowed["injected_file_path_length"]
    if not allows(path_limit, max(len(f.get("path", "")) for f in files)):
        raise QuotaExceeded(f"Personality file path exceeds maximum {path_limit}")
    content_limit = allowed["injected_file_content_bytes"]
    if not allows(content_limit, max(len(f.get("contents", "")) for f in files)):
        raise QuotaExceeded(f"Personality file content exceeds maximum {content_limit}")


def check_key_pairs(backend: ComputeBackend, user_id: str) -> None:
    """One more key pair for ``user_id`` (key pairs are counted per user)."""
    owned = sum(1 for k in backend.keypairs.values() if k.user_id == user_id)
    if not allows(limit(backend, "key_pairs"), owned + 1):
        raise QuotaExceeded("Quota exceeded, too many key pairs.")


def check_server_groups(backend: ComputeBackend, project_id: str) -> None:
    """One more server group for ``project_id``."""
    owned = sum(1 for g in backend.server_groups.values() if g.project_id == project_id)
    if not allows(limit(backend, "server_groups"), owned + 1):
        raise QuotaExceeded("Quota exceeded, too many server groups.")


def check_group_members(
    backend: ComputeBackend, group: ServerGroup, user_id: str, adding: int
) -> None:
    """``adding`` more servers of ``user_id`` in ``group`` (Nova checks them one by one, so
    the request fails as a whole when the last one would not fit)."""
    total = group_members(backend, group, user_id) + adding
    if not allows(limit(backend, "server_group_members"), total):
        raise QuotaExceeded("Quota exceeded, too many servers in group")
