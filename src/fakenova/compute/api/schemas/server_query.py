"""The query-string schema of ``GET /servers`` and ``/servers/detail``, per microversion.

Nova validates the query (every value of every parameter, as a list of strings) before the
controller runs and reports the *first* error, walking the schema's properties in their
declared order; only then does it look at parameters the schema does not name: stripped
silently before 2.75, a 400 from 2.75. The order below is therefore Nova's, and it matters.

A value can fail in four ways: a ``regex`` parameter that does not compile (or is empty), a
``date-time`` that ISO 8601 parsing refuses, a ``sort_key`` outside the microversion's list,
or a ``limit`` that is not a non-negative integer.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable, Mapping

import webob
from oslo_utils import timeutils

from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.microversions import Version

# Sort keys that are accepted but ignored (they were valid before schemas existed).
IGNORED_SORT_KEYS = (
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
)
IGNORED_SORT_KEYS_V273 = tuple(k for k in IGNORED_SORT_KEYS if k != "locked")
_SORTABLE = (
    "access_ip_v4",
    "access_ip_v6",
    "auto_disk_config",
    "availability_zone",
    "config_drive",
    "created_at",
    "display_description",
    "display_name",
    "host",
    "hostname",
    "image_ref",
    "instance_type_id",
    "kernel_id",
    "key_name",
    "launch_index",
    "launched_at",
    "locked_by",
    "node",
    "power_state",
    "progress",
    "project_id",
    "ramdisk_id",
    "root_device_name",
    "task_state",
    "terminated_at",
    "updated_at",
    "user_id",
    "uuid",
    "vm_state",
)
SORT_KEYS_V21 = _SORTABLE + IGNORED_SORT_KEYS
# From 2.73 Nova builds the list from a Python set, so its order in the 400 message depends
# on the API process's string hashing and changes from one nova-api start to the next. This
# is the order one real nova-api printed (oracle run); the set of names is exact.
_SORTABLE_V273_AS_SEEN = (
    "task_state",
    "ramdisk_id",
    "node",
    "power_state",
    "vm_state",
    "auto_disk_config",
    "root_device_name",
    "locked_by",
    "access_ip_v4",
    "display_name",
    "key_name",
    "image_ref",
    "created_at",
    "project_id",
    "host",
    "launch_index",
    "access_ip_v6",
    "instance_type_id",
    "terminated_at",
    "availability_zone",
    "uuid",
    "kernel_id",
    "user_id",
    "hostname",
    "display_description",
    "progress",
    "updated_at",
    "config_drive",
    "launched_at",
)
SORT_KEYS_V273 = ("locked", *_SORTABLE_V273_AS_SEEN, *IGNORED_SORT_KEYS_V273)
SORT_KEYS_V275 = (*_SORTABLE_V273_AS_SEEN[:5], "locked", *_SORTABLE_V273_AS_SEEN[5:])

JOINED_TABLES = (
    "block_device_mapping",
    "services",
    "metadata",
    "system_metadata",
    "info_cache",
    "security_groups",
    "pci_devices",
)
TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")

Check = Callable[[str], str | None]  # a value's error message, or None when it is valid


def _any(value: str) -> str | None:
    return None


def _regex(value: str) -> str | None:
    try:
        re.compile(value)
    except re.error:
        return f"{value!r} is not a 'regex'"
    return None if value else f"{value!r} is not a 'regex'"


def _date_time(value: str) -> str | None:
    try:
        timeutils.parse_isotime(value)
    except ValueError:
        return f"{value!r} is not a 'date-time'"
    return None


def _limit(value: str) -> str | None:
    if not all(c in "0123456789" for c in value):
        return f"{value!r} does not match '^[0-9]*$'"
    return None if value else f"{value!r} should be non-empty"


def _one_of(names: tuple[str, ...]) -> Check:
    def check(value: str) -> str | None:
        return None if value in names else f"{value!r} is not one of {list(names)!r}"

    return check


def _v21(sort_keys: tuple[str, ...]) -> dict[str, Check]:
    regex, plain = _regex, _any
    return {
        "user_id": plain,
        "project_id": plain,
        "tenant_id": plain,
        "launch_index": plain,
        "image_ref": plain,
        "image": plain,
        "kernel_id": regex,
        "ramdisk_id": regex,
        "hostname": regex,
        "key_name": regex,
        "power_state": regex,
        "vm_state": plain,
        "task_state": plain,
        "host": plain,
        "node": regex,
        "flavor": regex,
        "reservation_id": regex,
        "launched_at": regex,
        "terminated_at": regex,
        "availability_zone": regex,
        "name": regex,
        "display_name": regex,
        "description": regex,
        "display_description": regex,
        "locked_by": regex,
        "uuid": plain,
        "root_device_name": regex,
        "config_drive": regex,
        "access_ip_v4": regex,
        "access_ip_v6": regex,
        "auto_disk_config": regex,
        "progress": regex,
        "sort_key": _one_of(sort_keys),
        "sort_dir": plain,
        "all_tenants": plain,
        "soft_deleted": plain,
        "deleted": plain,
        "status": plain,
        "changes-since": _date_time,
        "ip": regex,
        "ip6": regex,
        "created_at": regex,
        **dict.fromkeys(JOINED_TABLES, plain),
        "limit": _limit,
        "marker": plain,
    }


def properties(version: Version) -> Mapping[str, Check]:
    """The parameters the schema of ``version`` names, in Nova's order, with their checks."""
    return _properties(*(version.at_least(v) for v in ("2.26", "2.66", "2.73", "2.75")))


@functools.cache
def _properties(tags: bool, before: bool, locked: bool, v275: bool) -> Mapping[str, Check]:
    """One schema per set of the microversions that change it (built once each: every
    listing is checked against one)."""
    if v275:
        sort_keys = SORT_KEYS_V275
    elif locked:
        sort_keys = SORT_KEYS_V273
    else:
        sort_keys = SORT_KEYS_V21
    props = _v21(sort_keys)
    if tags:
        props.update(dict.fromkeys(TAG_FILTERS, _regex))
    if before:
        props["changes-before"] = _date_time
    if locked:
        props["locked"] = _any
    return types.MappingProxyType(props)


def validate(request: webob.Request, version: Version) -> None:
    """Nova's query schema: 400 on the first bad value, then strip (< 2.75) or refuse
    (>= 2.75) unknown parameters. Stripping edits the request's query in place, as Nova
    does, so nothing later (filters, next links) ever sees them. Names starting with ``_``
    pass the schema; the controller refuses them."""
    props = properties(version)
    query = request.GET
    given = set(query)
    for name, check in props.items():
        if name not in given:
            continue
        for value in query.getall(name):
            if (error := check(value)) is not None:
                raise bad_request(
                    f"Invalid input for query parameters {name}. Value: {value}. {error}"
                )
    unknown = sorted({k for k in given if k not in props and not k.startswith("_")})
    if not unknown:
        return
    if version.at_least("2.75"):
        verb = "does" if len(unknown) == 1 else "do"
        names = ", ".join(repr(k) for k in unknown)
        raise bad_request(f"{names} {verb} not match any of the regexes: '^_'")
    for key in unknown:
        del query[key]
