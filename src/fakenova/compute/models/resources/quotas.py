"""Nova's quotas: the limits, what a project uses, and every check.

A limit is found as Nova's database driver finds it: a user's own limit (set through
``os-quota-sets?user_id=``), else the project's, else the ``default`` quota class's
(``os-quota-class-sets/default``), else nova.conf ``[quota]`` (Nova 34's defaults,
``nova/conf/quota.py``, unless ``conf/`` overrides them under ``nova.quota``). The limits set
through the API live in the backend's :class:`QuotaTables`; this module is the only place
that reads them or the settings. As in Nova, ``-1`` means unlimited for every quota and every
path, and a check refuses only when the total it would reach is *more* than a limit of 0 or
more (:func:`allows`).

The checks compare with the limits of the caller's project and user, as Nova's
``limit_check`` and ``check_deltas`` do: a user's own ``instances``, ``cores`` or ``ram`` limit
is checked against that user's servers (and the project's against the project's); the
server groups against both the project's and the user's; key pairs, group members and the
per-request limits (metadata, injected files) against the lower of the project's and the
user's limits.

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakenova.compute.models.errors import (
    DatabaseForbidden,
    QuotaAboveMaximum,
    QuotaBelowUsage,
    QuotaClassNameTooLong,
    QuotaExceeded,
    Uncaught,
)
from fakenova.compute.models.servers.states import SOFT_DELETED

if TYPE_CHECKING:
    from fakenova.compute.models.actor import Actor
    from fakenova.compute.models.backend import ComputeBackend, ServerGroup
    from fakenova.compute.models.resources.flavors import Flavor
    from fakenova.compute.models.servers.records import Server
    from fakenova.settings import Settings

__all__ = [
    "DEFAULTS",
    "RESOURCES",
    "UNLIMITED",
    "QuotaExceeded",
    "QuotaSet",
    "QuotaTables",
    "allows",
    "check_group_members",
    "check_key_pairs",
    "check_metadata",
    "check_personality",
    "check_resize",
    "check_revert",
    "check_server_groups",
    "check_servers",
    "class_limits",
    "defaults",
    "delete_limits",
    "group_members",
    "in_use",
    "limits",
    "quota_set",
    "set_class_limits",
    "set_limits",
    "settable",
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
# Nova's quota resources in the order its API lists them (sorted), each with the nova.conf
# option it defaults to; the network ones have none (unlimited) and remain only in answers.
RESOURCES: Mapping[str, str | None] = {
    "cores": "cores",
    "fixed_ips": None,
    "floating_ips": None,
    "injected_file_content_bytes": "injected_file_content_bytes",
    "injected_file_path_bytes": "injected_file_path_length",
    "injected_files": "injected_files",
    "instances": "instances",
    "key_pairs": "key_pairs",
    "metadata_items": "metadata_items",
    "ram": "ram",
    "security_group_rules": None,
    "security_groups": None,
    "server_group_members": "server_group_members",
    "server_groups": "server_groups",
}
# The resources a server uses, in the order Nova names them when it refuses (sorted).
SERVER_RESOURCES = ("cores", "instances", "ram")
DEFAULT_CLASS = "default"
# What escapes Nova's revertResize handler when the revert would go over quota.
TOO_MANY_INSTANCES = "nova.exception.TooManyInstances"


@dataclass
class QuotaTables:
    """The limits set through the API, by resource: per quota class, per project and per
    (project, user) — Nova's ``quota_classes``, ``quotas`` and ``project_user_quotas``."""

    classes: dict[str, dict[str, int]] = field(default_factory=dict)
    projects: dict[str, dict[str, int]] = field(default_factory=dict)
    users: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class QuotaSet:
    """A project's (or its user's) limits and what it uses, by resource name."""

    limits: dict[str, int]
    in_use: dict[str, int]


def quota_set(backend: ComputeBackend, project_id: str, user_id: str | None = None) -> QuotaSet:
    return QuotaSet(limits(backend, project_id, user_id), in_use(backend, project_id, user_id))


def conf_limits(settings: Settings) -> dict[str, int]:
    """nova.conf ``[quota]``: Nova's defaults, overridden by ``nova.quota`` in the settings,
    by resource name."""
    overrides = settings.nova.get("quota") or {}
    return {
        name: UNLIMITED if option is None else int(overrides.get(option, DEFAULTS[option]))
        for name, option in RESOURCES.items()
    }


def defaults(backend: ComputeBackend) -> dict[str, int]:
    """The default limits: the ``default`` quota class over nova.conf."""
    return {**conf_limits(backend.settings), **backend.quotas.classes.get(DEFAULT_CLASS, {})}


def class_limits(backend: ComputeBackend, name: str) -> dict[str, int]:
    """A quota class's limits: what was set for it over nova.conf (any name is a class)."""
    return {**conf_limits(backend.settings), **backend.quotas.classes.get(name, {})}


def project_limits(backend: ComputeBackend, project_id: str) -> dict[str, int]:
    """The project's limits: what was set for it over the defaults."""
    return {**defaults(backend), **backend.quotas.projects.get(project_id, {})}


def user_limits(backend: ComputeBackend, project_id: str, user_id: str) -> dict[str, int]:
    """A user's limits in a project: the user's own over the project's."""
    own = backend.quotas.users.get((project_id, user_id), {})
    return {**project_limits(backend, project_id), **own}


def limits(backend: ComputeBackend, project_id: str, user_id: str | None = None) -> dict[str, int]:
    """The project's limits, or with ``user_id`` that user's."""
    if user_id is None:
        return project_limits(backend, project_id)
    return user_limits(backend, project_id, user_id)


def allows(allowed: int, total: int) -> bool:
    """Whether ``total`` is within ``allowed``, where ``-1`` allows anything."""
    return allowed < 0 or total <= allowed


# -- usage ------------------------------------------------------------------------------------


def usage(backend: ComputeBackend, project_id: str, user_id: str | None = None) -> dict[str, int]:
    """The project's (or its user's) ``instances``, ``cores`` and ``ram`` as Nova counts them
    from the cell databases: servers not deleted and not SOFT_DELETED, in cells that answer."""
    used = dict.fromkeys(SERVER_RESOURCES, 0)
    for server in backend.servers.values():
        if server.project_id != project_id or server.deleted or server.vm_state == SOFT_DELETED:
            continue
        if user_id is not None and server.user_id != user_id:
            continue
        if not server.cell.reachable:
            continue  # Nova's count skips a cell that does not answer
        used["instances"] += 1
        used["cores"] += server.flavor.vcpus
        used["ram"] += server.flavor.memory_mb
    return used


def server_groups_used(backend: ComputeBackend, project_id: str, user_id: str | None = None) -> int:
    return sum(
        1
        for g in backend.server_groups.values()
        if g.project_id == project_id and (user_id is None or g.user_id == user_id)
    )


def in_use(backend: ComputeBackend, project_id: str, user_id: str | None = None) -> dict[str, int]:
    """Every resource's usage as Nova's quota API shows it (``os-quota-sets/detail``,
    ``/limits``): servers, cores, RAM and server groups counted; key pairs and group members
    always 0 there (Nova counts them only when checking); the others are not counted."""
    used = dict.fromkeys(RESOURCES, 0)
    used.update(usage(backend, project_id, user_id))
    used["server_groups"] = server_groups_used(backend, project_id, user_id)
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


# -- setting limits (os-quota-sets, os-quota-class-sets) --------------------------------------


def _unlimited(value: int) -> bool:
    return value <= UNLIMITED


def _inf(value: int) -> float:
    return float("inf") if value == UNLIMITED else value


def settable(
    backend: ComputeBackend, project_id: str, user_id: str | None = None
) -> dict[str, tuple[int, int]]:
    """The lowest and highest limit each resource may be set to, as Nova's driver works them
    out: a project's limit no lower than its usage nor than the sum of its users' own limits;
    a user's no lower than the user's usage and no higher than what the project's limit
    leaves after the other users' own limits (plus the user's current own one)."""
    project = project_limits(backend, project_id)
    remains = dict(project)
    for (project_of, _user), own in backend.quotas.users.items():
        if project_of == project_id:
            for name, value in own.items():
                remains[name] -= value
    ranges: dict[str, tuple[int, int]] = {}
    if user_id is not None:
        own = backend.quotas.users.get((project_id, user_id), {})
        used = in_use(backend, project_id, user_id)
        for name in RESOURCES:
            current = own.get(name, 0)
            most = (
                UNLIMITED
                if _unlimited(remains[name]) or _unlimited(current)
                else remains[name] + current
            )
            ranges[name] = (used[name], most)
        return ranges
    used = in_use(backend, project_id)
    for name in RESOURCES:
        given = (
            UNLIMITED
            if _unlimited(project[name]) or _unlimited(remains[name])
            else project[name] - remains[name]
        )
        ranges[name] = (max(given, used[name]), UNLIMITED)
    return ranges


def set_limits(
    backend: ComputeBackend,
    project_id: str,
    user_id: str | None,
    values: Mapping[str, int],
    *,
    force: bool,
) -> None:
    """Set a project's (or its user's) limits, all or none: unless forced, each must lie
    within :func:`settable`, checked in the order given (the first one out is refused)."""
    if not force:
        ranges = settable(backend, project_id, user_id)
        for name, value in values.items():
            lowest, highest = ranges[name]
            if _inf(value) < _inf(lowest):
                raise QuotaBelowUsage(value, name, lowest)
            if _inf(value) > _inf(highest):
                raise QuotaAboveMaximum(value, name, highest)
    tables = backend.quotas
    table = tables.projects if user_id is None else tables.users
    key: Any = project_id if user_id is None else (project_id, user_id)
    table.setdefault(key, {}).update(values)


def delete_limits(backend: ComputeBackend, project_id: str, user_id: str | None) -> None:
    """Back to the defaults: a user's own limits, or the project's and all its users'."""
    tables = backend.quotas
    if user_id is not None:
        tables.users.pop((project_id, user_id), None)
        return
    tables.projects.pop(project_id, None)
    for key in [k for k in tables.users if k[0] == project_id]:
        del tables.users[key]


def set_class_limits(backend: ComputeBackend, name: str, values: Mapping[str, int]) -> None:
    if len(name) > 255:
        raise QuotaClassNameTooLong(len(name))
    backend.quotas.classes.setdefault(name, {}).update(values)


# -- the checks -------------------------------------------------------------------------------


def _merged(backend: ComputeBackend, project_id: str, user_id: str) -> dict[str, int]:
    """What Nova checks a per-user or per-request resource against: for each, the lower of
    the project's and the user's limit (taken as numbers, so an unlimited -1 on either side
    wins, as in Nova)."""
    project = project_limits(backend, project_id)
    user = user_limits(backend, project_id, user_id)
    return {name: min(project[name], user[name]) for name in RESOURCES}


def check_servers(
    backend: ComputeBackend,
    project_id: str,
    user_id: str,
    flavor: Flavor,
    min_count: int,
    max_count: int,
) -> int:
    """How many servers of ``flavor`` to build: ``max_count`` when the quotas allow it, else
    the most that fit if that is at least ``min_count``.

    The project's instances, cores and RAM are checked against its limits; when the user has
    limits of their own for any of them, the user's servers against those too (Nova counts
    per user only then). A refusal reports the limits of the side that was exceeded (the
    user's if any resource was over it) and that side's usage.

    The most that fit is Nova's headroom: the instances left, lowered by the cores and RAM
    left (an unlimited cores or RAM quota follows the instances left). With ``instances``
    unlimited and cores or RAM over, Nova's headroom comes out negative, so it refuses rather
    than building fewer; the fake does the same.
    """
    own = backend.quotas.users.get((project_id, user_id), {})
    per_user = any(name in own for name in SERVER_RESOURCES)
    project, used_project = project_limits(backend, project_id), usage(backend, project_id)
    user = user_limits(backend, project_id, user_id) if per_user else project
    used_user = usage(backend, project_id, user_id) if per_user else used_project
    each = {"cores": flavor.vcpus, "instances": 1, "ram": flavor.memory_mb}
    count = max_count
    while True:
        asked = {name: count * per for name, per in each.items()}
        overs: list[str] = []
        over_user = False
        for name in ("instances", "cores", "ram"):
            if not allows(project[name], used_project[name] + asked[name]):
                overs.append(name)
            elif per_user and not allows(user[name], used_user[name] + asked[name]):
                overs.append(name)
                over_user = True
        if not overs:
            return count
        allowed, used = (user, used_user) if over_user else (project, used_project)
        room = allowed["instances"] - used["instances"]
        for name in ("cores", "ram"):
            if allowed[name] != UNLIMITED and each[name]:
                room = min(room, (allowed[name] - used[name]) // each[name])
        if not min_count <= room < count:
            break
        count = room  # Nova tries again with the most that fit
    overs.sort()
    span = str(min_count) if min_count == count else f"{min_count}-{count}"
    requested = {"cores": str(asked["cores"]), "instances": span, "ram": str(asked["ram"])}
    names = ", ".join(overs)
    raise QuotaExceeded(
        f"Quota exceeded for {names}: Requested {', '.join(requested[n] for n in overs)}, "
        f"but already used {', '.join(str(used[n]) for n in overs)} of "
        f"{', '.join(str(allowed[n]) for n in overs)} {names}"
    )


def _over(backend: ComputeBackend, project_id: str, user_id: str, name: str, total: int) -> bool:
    """Nova's ``limit_check``: over the project's limit or over the user's."""
    return not allows(project_limits(backend, project_id)[name], total) or not allows(
        user_limits(backend, project_id, user_id)[name], total
    )


def check_metadata(
    backend: ComputeBackend, actor: Actor, metadata: Mapping[str, str] | None
) -> None:
    """A server's metadata as it would be (on create, or after a merge or replace): no more
    than the caller's ``metadata_items`` items (the project's and the user's); Nova's
    sentence names the project's limit. Empty metadata is never refused."""
    if not metadata:
        return
    project_id, user_id = _caller(actor)
    if _over(backend, project_id, user_id, "metadata_items", len(metadata)):
        allowed = project_limits(backend, project_id)["metadata_items"]
        raise QuotaExceeded(f"Maximum number of metadata items exceeds {allowed}")


def check_personality(
    backend: ComputeBackend, actor: Actor, files: Iterable[Mapping[str, str]]
) -> None:
    """Injected files: how many, then the longest path, then the longest contents (the
    base64 text as sent). A too-long path is reported before too-long contents."""
    files = list(files)
    if not files:
        return
    project_id, user_id = _caller(actor)
    if _over(backend, project_id, user_id, "injected_files", len(files)):
        raise QuotaExceeded("Personality file limit exceeded")
    allowed = project_limits(backend, project_id)
    longest_path = max(len(f.get("path", "")) for f in files)
    if _over(backend, project_id, user_id, "injected_file_path_bytes", longest_path):
        path_limit = allowed["injected_file_path_bytes"]
        raise QuotaExceeded(f"Personality file path exceeds maximum {path_limit}")
    longest = max(len(f.get("contents", "")) for f in files)
    if _over(backend, project_id, user_id, "injected_file_content_bytes", longest):
        content_limit = allowed["injected_file_content_bytes"]
        raise QuotaExceeded(f"Personality file content exceeds maximum {content_limit}")


def check_key_pairs(backend: ComputeBackend, actor: Actor, user_id: str) -> None:
    """One more key pair for ``user_id`` (key pairs are counted per user), within the
    caller's limits."""
    owned = sum(1 for k in backend.keypairs.values() if k.user_id == user_id)
    if not allows(_merged(backend, *_caller(actor))["key_pairs"], owned + 1):
        raise QuotaExceeded("Quota exceeded, too many key pairs.")


def check_server_groups(backend: ComputeBackend, project_id: str, user_id: str) -> None:
    """One more server group: the project's within its limit, the user's within theirs."""
    if not allows(
        project_limits(backend, project_id)["server_groups"],
        server_groups_used(backend, project_id) + 1,
    ) or not allows(
        user_limits(backend, project_id, user_id)["server_groups"],
        server_groups_used(backend, project_id, user_id) + 1,
    ):
        raise QuotaExceeded("Quota exceeded, too many server groups.")


def check_group_members(
    backend: ComputeBackend, actor: Actor, group: ServerGroup, adding: int
) -> None:
    """``adding`` more of the caller's servers in ``group`` (Nova checks them one by one, so
    the request fails as a whole when the last one would not fit)."""
    project_id, user_id = _caller(actor)
    total = group_members(backend, group, user_id) + adding
    if not allows(_merged(backend, project_id, user_id)["server_group_members"], total):
        raise QuotaExceeded("Quota exceeded, too many servers in group")


def _caller(actor: Actor) -> tuple[str, str]:
    """The caller's project and user, whose usage Nova counts through its database API (which
    refuses a caller it does not serve)."""
    if not actor.reads_database:
        raise DatabaseForbidden()
    assert actor.project_id is not None and actor.user_id is not None
    return actor.project_id, actor.user_id


def check_resize(backend: ComputeBackend, server: Server, new_flavor: Flavor) -> None:
    """An upsize's extra cores and RAM, within the server owner's project's limits and the
    owner's own (a downsize or a migration checks nothing). A refusal reports the side that
    was exceeded, as a create's does, with the increase as what was requested."""
    refusal = _upsize_refusal(backend, server, server.flavor, new_flavor)
    if refusal is not None:
        raise refusal


def check_revert(backend: ComputeBackend, server: Server, old_flavor: Flavor) -> None:
    """Reverting a downsize is an upsize back to ``old_flavor``: Nova checks it the same way,
    but its revert handler does not expect the refusal, which escapes as its generic 500."""
    if _upsize_refusal(backend, server, server.flavor, old_flavor) is not None:
        raise Uncaught(TOO_MANY_INSTANCES)


def _upsize_refusal(
    backend: ComputeBackend, server: Server, old: Flavor, new: Flavor
) -> QuotaExceeded | None:
    deltas = {
        "cores": max(new.vcpus - old.vcpus, 0),
        "ram": max(new.memory_mb - old.memory_mb, 0),
    }
    if not any(deltas.values()):
        return None
    sides = (
        (project_limits(backend, server.project_id), usage(backend, server.project_id)),
        (
            user_limits(backend, server.project_id, server.user_id),
            usage(backend, server.project_id, server.user_id),
        ),
    )
    overs: list[str] = []
    side = 0
    for name in ("cores", "ram"):
        for index, (allowed, used) in enumerate(sides):
            if not allows(allowed[name], used[name] + deltas[name]):
                overs.append(name)
                side = max(side, index)
                break
    if not overs:
        return None
    allowed, used = sides[side]
    names = ", ".join(overs)
    return QuotaExceeded(
        f"Quota exceeded for {names}: Requested {', '.join(str(deltas[n]) for n in overs)}, "
        f"but already used {', '.join(str(used[n]) for n in overs)} of "
        f"{', '.join(str(allowed[n]) for n in overs)} {names}"
    )
