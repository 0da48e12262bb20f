"""Turn ``GET /servers[/detail]`` query strings into a :class:`ServerQuery`, as Nova does.

The steps and their order are Nova's (``ServersController._get_servers`` then
``compute.API.get_all``), because the order decides which error a request with several
problems gets: validate the schema, drop the options the caller may not use, decide whether
minimal constructs are possible, refuse internal fields, translate status, times, deleted,
tags, ``all_tenants`` and ``locked``, then paging and sorting, and finally rename the options
into the database filters :mod:`fakenova.compute.models.servers.filters` understands.

Every option takes its *last* value when repeated (``sort_key`` and ``sort_dir`` excepted);
the schema has checked all of them.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils, timeutils

from fakenova.compute.api.controllers.base import Call
from fakenova.compute.api.faults import bad_request, forbidden
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.schemas import server_query as schema
from fakenova.compute.models.backend import DEFAULT_SORT, ServerQuery
from fakenova.compute.models.servers.states import states_for_status

PAGING_SORTING = ("sort_key", "sort_dir", "limit", "marker")
# compute.API.get_all's renames from API options to instance columns.
RENAMED = {"image": "image_ref", "name": "display_name", "tenant_id": "project_id"}


def member_options(call: Call) -> tuple[str, ...]:
    """The options a caller without ``allow_all_filters`` may use (others are dropped)."""
    v = call.version
    options: tuple[str, ...] = (
        "reservation_id",
        "name",
        "status",
        "image",
        "flavor",
        "ip",
        "changes-since",
        "all_tenants",  # only to be refused by policy a few steps later
    )
    if v.at_least("2.5"):
        options += ("ip6",)
    if v.at_least("2.26"):
        options += schema.TAG_FILTERS
    if v.at_least("2.66"):
        options += ("changes-before",)
    if v.at_least("2.73"):
        options += ("locked",)
    if v.at_least("2.83"):
        options += (
            "availability_zone",
            "config_drive",
            "key_name",
            "created_at",
            "launched_at",
            "terminated_at",
            "power_state",
            "task_state",
            "vm_state",
            "progress",
            "user_id",
        )
    if v.at_least("2.90"):
        options += ("hostname",)
    return options


def _strict_bool(value: str) -> bool:
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as e:
        raise bad_request(str(e)) from e


def _status(call: Call, opts: dict[str, Any]) -> bool:
    """``status`` becomes vm_state (and task_state) filters; False: answer an empty list."""
    vm_states: list[str] = []
    task_states: list[str | None] = []
    for status in call.request.GET.getall("status"):
        vms, tasks = states_for_status(status)
        vm_states += vms
        task_states += tasks
    if not vm_states:
        if call.version.at_least("2.38"):
            raise bad_request("Invalid status value")
        return False
    opts["vm_state"] = sorted(set(vm_states))
    if "default" not in task_states:
        opts["task_state"] = sorted(set(task_states), key=str)
    return True


def _times(opts: dict[str, Any]) -> None:
    for key in ("changes-since", "changes-before"):
        if key in opts:
            opts[key] = timeutils.parse_isotime(opts[key])
    since, before = opts.get("changes-since"), opts.get("changes-before")
    if since is not None and before is not None and before < since:
        raise bad_request(
            "The value of changes-since must be less than or equal to changes-before."
        )


def _deleted(call: Call, opts: dict[str, Any]) -> None:
    """Deleted servers are hidden unless asked for, or unless listing changes."""
    if "deleted" in opts:
        opts["deleted"] = strutils.bool_from_string(opts["deleted"], default=False)
    elif "changes-since" not in opts and "changes-before" not in opts:
        opts["deleted"] = False
    if opts.get("vm_state") == ["deleted"]:
        if not call.context.is_admin:
            raise forbidden("Only administrators may list deleted instances")
        opts["deleted"] = True


def _all_tenants(opts: dict[str, Any]) -> bool:
    """``all_tenants`` with no value (or an empty one) means yes; otherwise a strict bool."""
    value = opts.pop("all_tenants", None)
    if value:
        return _strict_bool(value)
    return value is not None


def _limit(call: Call) -> int:
    max_limit = call.compute.max_limit
    raw = call.request.GET.get("limit")
    return max_limit if raw is None else min(int(raw), max_limit)


def _sort(call: Call) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """Nova's sort order: the request's keys and directions, minus ignored keys, completed
    as the cell database completes them (``uuid``, then ``created_at`` and ``id``, in the
    first direction given); and the database's complaint about the directions, if any."""
    keys = [k.strip() for k in call.request.GET.getall("sort_key")]
    dirs = [d.strip() for d in call.request.GET.getall("sort_dir")]
    if not keys and not dirs:
        return DEFAULT_SORT, None
    keys = keys or ["created_at"]
    dirs = dirs or ["desc"]
    ignored = (
        schema.IGNORED_SORT_KEYS_V273 if call.version.at_least("2.73") else schema.IGNORED_SORT_KEYS
    )
    for key in list(keys):
        if key in ignored:
            if len(dirs) > keys.index(key):
                dirs.pop(keys.index(key))
            keys.remove(key)
        elif key in ("host", "node") and not call.context.is_admin:
            raise forbidden(f"Only administrators can sort servers by {key}")
    if not keys:
        keys, dirs = ["created_at", "id"], ["desc", "desc"]
    if "uuid" not in keys:  # the cell lister's tie-breaker, ascending
        keys, dirs = [*keys, "uuid"], [*dirs, "asc"]
    if any(d not in ("asc", "desc") for d in dirs):
        return (), "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'"
    if len(dirs) > len(keys):
        return (), "Invalid input received: Sort direction size exceeds sort key size"
    dirs += [dirs[0]] * (len(keys) - len(dirs))
    order = list(zip(keys, dirs, strict=True))
    order += [(k, dirs[0]) for k in ("created_at", "id") if k not in keys]
    return tuple(order), None


def _database_filters(call: Call, opts: dict[str, Any]) -> dict[str, Any] | None:
    """compute.API.get_all's renames; None when a flavor that does not exist is asked for."""
    filters: dict[str, Any] = {}
    for key, value in opts.items():
        if key == "flavor":
            if call.compute.flavor_for(call.actor, value) is None:
                return None
            filters["instance_type_id"] = value
        else:
            filters[RENAMED.get(key, key)] = value
    return filters


def build_query(call: Call, detail: bool) -> ServerQuery | None:
    """A :class:`ServerQuery`, or ``None`` when Nova answers an empty list without looking
    (a status no server can have before 2.38, a flavor that does not exist)."""
    schema.validate(call.request, call.version)
    request, context = call.request, call.context
    opts: dict[str, Any] = {k: request.GET[k] for k in request.GET}
    if call.policy.allows(context, SERVERS + "allow_all_filters"):
        for key in PAGING_SORTING:
            opts.pop(key, None)
    else:
        allowed = member_options(call)
        opts = {k: v for k, v in opts.items() if k in allowed}

    paging_or_sorting = any(k in request.GET for k in PAGING_SORTING)
    cell_down_support = (
        call.version.at_least("2.69")
        and not paging_or_sorting
        and list(opts) in ([], ["all_tenants"])
    )
    for key in opts:
        if key in schema.JOINED_TABLES or key.startswith("_"):
            raise bad_request(f"Invalid filter field: {key}.")

    opts.pop("status", None)
    if "status" in request.GET and not _status(call, opts):
        return None
    _times(opts)
    _deleted(call, opts)
    if call.version.at_least("2.26"):
        for key in schema.TAG_FILTERS:
            if key in opts:
                opts[key] = opts[key].split(",")
    all_tenants = _all_tenants(opts)
    if "locked" in opts:
        opts["locked"] = _strict_bool(opts["locked"])

    if all_tenants:
        call.authorize(SERVERS + ("detail:get_all_tenants" if detail else "index:get_all_tenants"))
    else:
        opts.pop("tenant_id", None)  # ignored without all_tenants (lp:#1185290)
        opts["project_id"] = context.project_id
    limit, marker = _limit(call), request.GET.get("marker")
    sort, sort_error = _sort(call)
    if sort_error is not None:
        if limit == 0:  # the database answers an empty page before it reads the directions
            sort = DEFAULT_SORT
        else:
            raise bad_request(sort_error)

    filters = _database_filters(call, opts)
    if filters is None:
        return None
    return ServerQuery(
        project_id=filters.pop("project_id", None),
        filters=filters,
        sort=sort,
        limit=limit,
        marker=marker,
        cell_down_support=cell_down_support,
    )
