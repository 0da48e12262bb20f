"""Which servers a list filter keeps, and in what order: Nova's cell database query, in memory.

The API layer hands over Nova's database-level filters (after ``compute.API.get_all`` renamed
``name`` to ``display_name``, ``image`` to ``image_ref`` and ``flavor`` to the flavor's id).
What each one means is decided here, the way ``instance_get_all_by_filters_sort`` decides:

* a fixed list of columns matches exactly (a list value means "any of");
* every other filter named after an instance column is a regular expression searched in the
  column's text, so ``name=web`` finds ``my-web-1``; a filter naming no column (``description``,
  ``soft_deleted`` alone) is ignored, silently, as the database layer ignores it;
* ``deleted``/``soft_deleted``, ``changes-since``/``changes-before`` and the four tag filters
  are special; ``ip``/``ip6`` are answered by the network service (see :func:`_ip_matches`).

Regex matching follows Python's ``re.search`` (Nova's SQLite and PostgreSQL behaviour:
case-sensitive, ``|`` is alternation); a column that is NULL never matches (MySQL and
PostgreSQL; only SQLite, in Nova's own tests, compares the text ``"None"``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import SOFT_DELETED

# Nova's exact-match columns (``exact_match_filter_names``), minus the joined tables the API
# refuses and ``hidden``, which the API never sets.
EXACT = frozenset(
    {"project_id", "user_id", "image_ref", "vm_state", "instance_type_id", "uuid", "host"}
    | {"task_state", "locked"}
)
# Instance columns a query parameter can name; any of them not in EXACT is a regex filter.
REGEX = frozenset(
    {
        "kernel_id",
        "ramdisk_id",
        "hostname",
        "launch_index",
        "key_name",
        "power_state",
        "node",
        "reservation_id",
        "launched_at",
        "terminated_at",
        "availability_zone",
        "display_name",
        "display_description",
        "locked_by",
        "root_device_name",
        "config_drive",
        "access_ip_v4",
        "access_ip_v6",
        "auto_disk_config",
        "progress",
        "created_at",
        "updated_at",
    }
)
TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")

ZoneOf = Callable[[Server], str | None]


def column(server: Server, key: str, zone_of: ZoneOf) -> Any:
    """The value of instance column ``key`` for ``server`` (None for SQL NULL)."""
    if key == "id":
        return server.instance_id
    if key == "availability_zone":
        # Nova stores the zone of the host the scheduler picked, not the requested one.
        return zone_of(server)
    if key in ("access_ip_v4", "access_ip_v6"):
        return getattr(server, key) or None  # shown as "" but stored as NULL
    aliases: dict[str, Any] = {
        "display_name": server.name,
        "display_description": server.description,
        "uuid": server.uuid,
        "project_id": server.project_id,
        "user_id": server.user_id,
        "image_ref": server.image_ref,
        "instance_type_id": server.flavor.flavorid,
        "locked": server.locked_by is not None,
    }
    if key in aliases:
        return aliases[key]
    return getattr(server, key, None)


def column_text(value: Any) -> str | None:
    """A column as the database's REGEXP sees it: datetimes as stored, booleans as 0/1."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return str(value)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _deleted_matches(server: Server, filters: Mapping[str, Any]) -> bool:
    """``deleted`` and ``soft_deleted``: any non-empty ``soft_deleted`` value counts as true
    (Nova tests the raw string), so ``soft_deleted=false`` still includes soft-deleted ones."""
    if "deleted" not in filters:
        return True  # changes-since/changes-before list deleted servers too
    soft = server.vm_state == SOFT_DELETED
    if filters["deleted"]:
        return server.deleted or (bool(filters.get("soft_deleted", True)) and soft)
    return not server.deleted and (bool(filters.get("soft_deleted", False)) or not soft)


def _changes_match(server: Server, filters: Mapping[str, Any]) -> bool:
    updated = server.updated_at or server.created_at
    since, before = filters.get("changes-since"), filters.get("changes-before")
    if since is not None and _utc(updated) < _utc(since):
        return False
    return before is None or _utc(updated) <= _utc(before)


def _tags_match(server: Server, filters: Mapping[str, Any]) -> bool:
    tags = set(server.tags)
    if "tags" in filters and not set(filters["tags"]) <= tags:
        return False
    if "tags-any" in filters and not set(filters["tags-any"]) & tags:
        return False
    if "not-tags" in filters and set(filters["not-tags"]) <= tags:
        return False
    return not ("not-tags-any" in filters and set(filters["not-tags-any"]) & tags)


def _ip_matches(server: Server, filters: Mapping[str, Any]) -> bool:
    """``ip`` and ``ip6`` with Neutron's ``ip-substring-filtering`` (on in every ML2
    deployment): Nova asks Neutron for the ports whose fixed IP *contains* each value and keeps
    their servers; either value may match an address of either version. A deleted server has
    no ports left."""
    wanted = [filters[k] for k in ("ip", "ip6") if filters.get(k)]
    if server.deleted:
        return False
    return any(value in a.addr for value in wanted for a in server.addresses)


def _exact_matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, (list, tuple, set, frozenset)):
        return value in wanted
    return value == wanted


def matches(server: Server, filters: Mapping[str, Any], zone_of: ZoneOf) -> bool:
    """Whether ``server`` passes every filter (project scoping is the caller's)."""
    if not _deleted_matches(server, filters) or not _changes_match(server, filters):
        return False
    if not _tags_match(server, filters):
        return False
    if "ip" in filters or "ip6" in filters:
        # Nova turns the ports it found into a uuid list, *adding* any uuid filter given.
        requested = filters.get("uuid")
        if not (_ip_matches(server, filters) or (requested and server.uuid == requested)):
            return False
    for key, wanted in filters.items():
        if key in EXACT:
            if key == "uuid" and ("ip" in filters or "ip6" in filters):
                continue
            if not _exact_matches(column(server, key, zone_of), wanted):
                return False
        elif key in REGEX:
            text = column_text(column(server, key, zone_of))
            if text is None or re.search(str(wanted), text) is None:
                return False
    return True


def _sql_cmp(x: Any, y: Any) -> int:
    """SQL ordering of two column values: NULL sorts before any value."""
    if x is None or y is None:
        return (x is not None) - (y is not None)
    return (x > y) - (x < y)


def compare(a: Server, b: Server, sort: tuple[tuple[str, str], ...], zone_of: ZoneOf) -> int:
    """The order of two servers under ``sort`` (``desc`` reverses a key)."""
    for key, direction in sort:
        result = _sql_cmp(column(a, key, zone_of), column(b, key, zone_of))
        if result:
            return -result if direction == "desc" else result
    return 0
