"""Turn ``GET /servers[/detail]`` query strings into a :class:`ServerQuery`, as Nova does.

Order matters and follows Nova's: drop the options the caller may not use, decide whether
minimal constructs are possible, validate, then translate status, times, deleted and tenancy.
"""

from __future__ import annotations

import datetime as dt

from fakenova.compute.api.controllers.base import Call
from fakenova.compute.api.faults import bad_request, forbidden
from fakenova.compute.api.policy import SERVERS
from fakenova.compute.models.backend import ServerQuery
from fakenova.compute.models.states import states_for_status

PAGING_SORTING = ("sort_key", "sort_dir", "limit", "marker")
JOINED_TABLES = (
    "block_device_mapping",
    "services",
    "metadata",
    "system_metadata",
    "info_cache",
    "security_groups",
    "pci_devices",
)
IGNORED_SORT_KEYS = {
    "architecture",
    "cell_name",
    "cleaned",
    "default_ephemeral_device",
    "default_swap_device",
    "deleted",
    "deleted_at",
    "disable_terminate",
    "ephemeral_gb",
    "ephemeral_key_uuid",
    "id",
    "key_data",
    "launched_on",
    "locked",
    "memory_mb",
    "os_type",
    "reservation_id",
    "root_gb",
    "shutdown_terminate",
    "user_data",
    "vcpus",
    "vm_mode",
}
# The query parameters Nova's list schema names (``schemas/servers.py``). Below 2.75 any other
# parameter is silently stripped from the request before the controller sees it (so it neither
# filters nor disables minimal constructs); from 2.75 it is a 400. Names starting with ``_``
# always pass the schema and are refused later.
QUERY_PARAMS = frozenset(
    {
        "user_id",
        "project_id",
        "tenant_id",
        "launch_index",
        "image_ref",
        "image",
        "kernel_id",
        "ramdisk_id",
        "hostname",
        "key_name",
        "power_state",
        "vm_state",
        "task_state",
        "host",
        "node",
        "flavor",
        "reservation_id",
        "launched_at",
        "terminated_at",
        "availability_zone",
        "name",
        "display_name",
        "description",
        "display_description",
        "locked_by",
        "uuid",
        "root_device_name",
        "config_drive",
        "access_ip_v4",
        "access_ip_v6",
        "auto_disk_config",
        "progress",
        "sort_key",
        "sort_dir",
        "all_tenants",
        "soft_deleted",
        "deleted",
        "status",
        "changes-since",
        "ip",
        "ip6",
        "created_at",
        "limit",
        "marker",
        *JOINED_TABLES,
    }
)
QUERY_PARAMS_V226 = QUERY_PARAMS | {"tags", "tags-any", "not-tags", "not-tags-any"}
QUERY_PARAMS_V266 = QUERY_PARAMS_V226 | {"changes-before"}
QUERY_PARAMS_V273 = QUERY_PARAMS_V266 | {"locked"}
_TRUE = {"1", "t", "true", "on", "y", "yes"}
_FALSE = {"0", "f", "false", "off", "n", "no"}


def member_options(call: Call) -> tuple[str, ...]:
    """The filters a non-admin may use at this microversion (others are silently dropped)."""
    v = call.version
    options: tuple[str, ...] = (
        "reservation_id",
        "name",
        "status",
        "image",
        "flavor",
        "ip",
        "changes-since",
        "all_tenants",
    )
    if v.at_least("2.5"):
        options += ("ip6",)
    if v.at_least("2.26"):
        options += ("tags", "tags-any", "not-tags", "not-tags-any")
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


def known_query_params(call: Call) -> frozenset[str]:
    v = call.version
    if v.at_least("2.73"):
        return QUERY_PARAMS_V273
    if v.at_least("2.66"):
        return QUERY_PARAMS_V266
    if v.at_least("2.26"):
        return QUERY_PARAMS_V226
    return QUERY_PARAMS


def check_query_params(call: Call) -> None:
    """Nova's query schema: strip unknown parameters (< 2.75) or refuse them (>= 2.75).

    Stripping edits the request's query string in place, as Nova does, so nothing after this
    (filters, the paging check that decides on minimal constructs) ever sees them.
    """
    known = known_query_params(call)
    unknown = sorted({k for k in call.request.GET if k not in known and not k.startswith("_")})
    if not unknown:
        return
    if call.version.at_least("2.75"):
        verb = "does" if len(unknown) == 1 else "do"
        names = ", ".join(repr(k) for k in unknown)
        raise bad_request(f"{names} {verb} not match any of the regexes: '^_'")
    for key in unknown:
        del call.request.GET[key]


def parse_bool(value: str, strict: bool = False) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE or not strict:
        return False
    raise bad_request(
        f"Unrecognized value '{value}', acceptable values are: '0', '1', 'f', 'false', 'n', "
        "'no', 'off', 'on', 't', 'true', 'y', 'yes'"
    )


def parse_time(value: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise bad_request(f"Invalid filter field: {name}.") from e
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _limit(call: Call) -> int:
    max_limit = int(call.backend.settings.nova_option("api.max_limit"))
    raw = call.request.GET.get("limit")
    if raw is None:
        return max_limit
    if not raw.isdigit():
        raise bad_request("limit must be an integer")
    return min(int(raw), max_limit) if int(raw) else max_limit


def _sort(call: Call) -> tuple[tuple[str, str], ...]:
    keys = [k for k in call.request.GET.getall("sort_key") if k]
    dirs = [d for d in call.request.GET.getall("sort_dir") if d]
    pairs = [(k, dirs[i] if i < len(dirs) else "desc") for i, k in enumerate(keys)]
    kept = []
    for key, direction in pairs:
        if key in IGNORED_SORT_KEYS and not (key == "locked" and call.version.at_least("2.73")):
            continue
        if key in ("host", "node") and not call.context.is_admin:
            raise forbidden(f"Only administrators can sort servers by {key}")
        kept.append((key, direction))
    default_dir = kept[0][1] if kept else "desc"
    for key in ("created_at", "id"):
        if key not in {k for k, _ in kept}:
            kept.append((key, default_dir))
    return tuple(kept)


def build_query(call: Call, detail: bool) -> ServerQuery | None:
    """A :class:`ServerQuery`, or ``None`` when the answer is an empty list (old status rule)."""
    check_query_params(call)
    request, context = call.request, call.context
    opts = {k: request.GET.getall(k)[-1] for k in request.GET}
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
        and sorted(opts) in ([], ["all_tenants"])
    )

    for key in opts:
        if key in JOINED_TABLES or key.startswith("_"):
            raise bad_request(f"Invalid filter field: {key}.")

    filters: dict[str, object] = {}
    if "status" in request.GET and "status" in opts:
        vm_states: list[str] = []
        task_states: list[str | None] = []
        for status in request.GET.getall("status"):
            vms, tasks = states_for_status(status)
            vm_states += vms
            task_states += tasks
        if not vm_states:
            if call.version.at_least("2.38"):
                raise bad_request("Invalid status value")
            return None
        filters["vm_state"] = sorted(set(vm_states))
        if "default" not in task_states:
            filters["task_state"] = task_states
    for key in ("changes-since", "changes-before"):
        if key in opts:
            filters[key] = parse_time(opts[key], key)
    if (
        "changes-since" in filters
        and "changes-before" in filters
        and filters["changes-before"] < filters["changes-since"]  # type: ignore[operator]
    ):
        raise bad_request(
            "The value of changes-since must be less than or equal to changes-before."
        )
    if "deleted" in opts:
        filters["deleted"] = parse_bool(opts["deleted"])
    elif not {"changes-since", "changes-before"} & filters.keys():
        filters["deleted"] = False
    for key in (
        "name",
        "host",
        "node",
        "image",
        "flavor",
        "uuid",
        "user_id",
        "ip",
        "reservation_id",
    ):
        if key in opts:
            filters[key] = opts[key]

    all_tenants = "all_tenants" in opts and parse_bool(opts["all_tenants"] or "true", strict=True)
    project_id: str | None
    if all_tenants:
        call.authorize(SERVERS + ("detail:get_all_tenants" if detail else "index:get_all_tenants"))
        project_id = opts.get("project_id") or opts.get("tenant_id")
    else:
        project_id = context.project_id
    marker = request.GET.get("marker")
    return ServerQuery(
        project_id=project_id,
        filters=filters,
        sort=_sort(call),
        limit=_limit(call),
        marker=marker,
        cell_down_support=cell_down_support,
    )
