"""``GET /v2/images``: Glance's checks of the query (``RequestDeserializer.index``, then
``ImagesController.index``), its filters (``glance/db/sqlalchemy/api.py``
``_make_conditions_from_filters``), sorting and ``limit``/``marker`` pages with a ``next``
link (``ResponseSerializer.index``).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from fakenova.image.errors import ImageError, not_found
from fakenova.image.models import Image, ImageBackend, Viewer, can_see, listed

SORT_KEYS = (
    "name", "status", "container_format", "disk_format", "size", "id", "created_at",
    "updated_at",
)  # fmt: skip
LIMIT_DEFAULT = 25  # [DEFAULT] limit_param_default
LIMIT_MAX = 1000  # [DEFAULT] api_limit_max
IN_FILTERS = ("name", "id", "status", "container_format", "disk_format")
# Query keys Glance consumes itself; any other key filters on an extra property.
OWN_KEYS = (
    "limit", "marker", "member_status", "tag", "sort", "sort_key", "sort_dir", "visibility",
    "os_hidden", "protected", "checksum", "os_hash_value", "owner", "size_min", "size_max",
    "created_at", "updated_at", "min_ram", "min_disk", "virtual_size", "deleted", "size",
    *IN_FILTERS,
)  # fmt: skip
# Other columns of Glance's image table: a query key naming one filters on equality with it
# (``_make_conditions_from_filters``), the number compared as the database compares it.
COLUMN_FILTERS = (
    "owner", "checksum", "os_hash_value", "size", "virtual_size", "min_ram", "min_disk",
)  # fmt: skip


def _bad_sort_key(key: str) -> ImageError:
    keys = ", ".join(SORT_KEYS)
    return ImageError(400, f"Invalid sort key: {key}. It must be one of the following: {keys}.")


def _sorting(params: Any) -> list[tuple[str, str]]:
    keys = [k.strip() for k in params.getall("sort_key")]
    dirs = [d.strip() for d in params.getall("sort_dir")]
    if "sort" in params:
        if keys or dirs:
            raise ImageError(400, "Old and new sorting syntax cannot be combined")
        pairs = []
        for item in params["sort"].strip().split(","):
            key, _, direction = item.partition(":")
            pairs.append((key.strip(), (direction or "desc").strip()))
        for key, direction in pairs:
            if key not in SORT_KEYS:
                raise _bad_sort_key(key)
            if direction not in ("asc", "desc"):
                raise ImageError(400, f"Invalid sort direction: {direction}")
        return pairs
    for key in keys:
        if key not in SORT_KEYS:
            raise _bad_sort_key(key)
    for direction in dirs:
        if direction not in ("asc", "desc"):
            raise ImageError(400, f"Invalid sort direction: {direction}")
    if len(dirs) > 1 and len(dirs) != len(keys):
        raise ImageError(400, "Number of sort dirs does not match the number of sort keys")
    keys = keys or ["created_at"]
    dirs = dirs or ["desc"]
    if len(dirs) == 1:
        dirs = dirs * len(keys)
    return list(zip(keys, dirs, strict=True))


def check(params: Any) -> tuple[int | None, list[tuple[str, str]]]:
    """The deserializer's refusals in its order; the limit and the sort pairs."""
    visibility = params.get("visibility")
    if visibility and visibility not in ("community", "public", "private", "shared", "all"):
        raise ImageError(400, f"Invalid visibility value: {visibility}")
    if params.get("changes-since"):
        raise ImageError(400, 'The "changes-since" filter is no longer available on v2.')
    member_status = params.get("member_status", "accepted")
    if member_status not in ("pending", "accepted", "rejected", "all"):
        raise ImageError(400, f"Invalid status: {member_status}")
    limit = None
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError:
            raise ImageError(400, "limit param must be an integer") from None
        if limit < 0:
            raise ImageError(400, "limit param must be positive")
    return limit, _sorting(params)


def _flag(params: Any, name: str, default: str | None) -> bool | None:
    """``os_hidden`` (case-insensitive, false by default) and ``protected`` (exact)."""
    value = params.get(name, default)
    if value is None:
        return None
    if name == "os_hidden":
        value = value.lower()
    if value not in ("true", "false"):
        raise ImageError(
            400, f"Invalid value '{value}' for '{name}' filter. Valid values are 'true' or 'false'."
        )
    return value == "true"


def _quoted_values(value: str) -> list[str]:
    """``split_filter_value_for_quotes``: comma-separated, double quotes allowed."""
    opened = True
    for i, char in enumerate(value):
        if char != '"' or (i and value[i - 1] == "\\"):
            continue
        if opened and i and value[i - 1] != ",":
            raise ImageError(
                400,
                f"Invalid filter value {value}. There is no comma before opening quotation mark.",
            )
        if not opened and i + 1 != len(value) and value[i + 1] != ",":
            raise ImageError(
                400,
                f"Invalid filter value {value}. There is no comma after closing quotation mark.",
            )
        opened = not opened
    if not opened:
        raise ImageError(400, f"Invalid filter value {value}. The quote is not closed.")
    pattern = r'"([^\"\\]*(?:\\.[^\"\\]*)*)",?|([^,]+),?|,'
    return [a or b for a, b in re.findall(pattern, value)]


def _field_filter(name: str, expression: str) -> set[str]:
    op, sep, rest = expression.partition(":")
    if not sep:
        return {expression}
    if op == "in":
        return set(_quoted_values(rest))
    if op == "eq":
        return {rest}
    raise ImageError(400, f"Unable to filter by unknown operator '{op}'.")


def _range(params: Any, name: str) -> int | None:
    if name not in params:
        return None
    try:
        return int(params[name])
    except ValueError:
        raise ImageError(400, "Unable to filter on a range with a non-numeric value.") from None


def _filters(params: Any) -> dict[str, Any]:
    """The query's filters, parsed once (a bad one is refused even when nothing is listed)."""
    return {
        "os_hidden": _flag(params, "os_hidden", "false"),
        "protected": _flag(params, "protected", None),
        "sets": {n: _field_filter(n, params[n]) for n in IN_FILTERS if n in params},
        "size_min": _range(params, "size_min"),
        "size_max": _range(params, "size_max"),
        "exact": {n: params[n] for n in COLUMN_FILTERS if n in params},
        "tags": [tag.strip() for tag in params.getall("tag")],
        "properties": {k: v for k, v in params.items() if k not in OWN_KEYS},
    }


def _matches(image: Image, wanted: dict[str, Any]) -> bool:
    if image.os_hidden != wanted["os_hidden"]:
        return False
    if wanted["protected"] is not None and image.protected != wanted["protected"]:
        return False
    if any(getattr(image, n) not in values for n, values in wanted["sets"].items()):
        return False
    size = image.size
    if wanted["size_min"] is not None and (size is None or size < wanted["size_min"]):
        return False
    if wanted["size_max"] is not None and (size is None or size > wanted["size_max"]):
        return False
    if any(str(getattr(image, n)) != v for n, v in wanted["exact"].items()):
        return False
    if any(tag not in image.tags for tag in wanted["tags"]):
        return False
    return all(
        key in image.properties and str(image.properties[key]) == value
        for key, value in wanted["properties"].items()
    )


def _order(images: list[Image], sort: list[tuple[str, str]]) -> list[Image]:
    pairs = list(sort)
    default_dir = pairs[-1][1] if len({d for _, d in pairs}) == 1 else "desc"
    for key in ("created_at", "id"):
        if key not in [k for k, _ in pairs]:
            pairs.append((key, default_dir))
    for key, direction in reversed(pairs):
        present = [i for i in images if getattr(i, key) is not None]
        absent = [i for i in images if getattr(i, key) is None]
        present.sort(key=lambda i, k=key: getattr(i, k), reverse=direction == "desc")
        # SQL sorts NULL first ascending, last descending (MySQL)
        images = absent + present if direction == "asc" else present + absent
    return images


def page(backend: ImageBackend, viewer: Viewer, params: Any) -> dict[str, Any]:
    """The images one ``GET /v2/images`` returns, and the marker of the next page if the page
    came out full."""
    limit, sort = check(params)
    limit = min(LIMIT_MAX, LIMIT_DEFAULT if limit is None else limit)
    visibility = params.get("visibility") or None
    member_status = params.get("member_status", "accepted")
    wanted = _filters(params)
    found = [
        i
        for i in backend.images.values()
        if listed(viewer, i, visibility, member_status) and _matches(i, wanted)
    ]
    found = _order(found, sort)
    marker = params.get("marker")
    if marker is not None:
        image = backend.get(marker)
        if image is None or not can_see(viewer, image):
            raise ImageError(400, not_found(marker).explanation)
        position = next((n for n, i in enumerate(found) if i.id == marker), None)
        if position is None:
            found = _order([*found, image], sort)
            position = next(n for n, i in enumerate(found) if i.id == marker)
            found.pop(position)
            found = found[position:]
        else:
            found = found[position + 1 :]
    shown = found[:limit]
    result: dict[str, Any] = {"images": shown}
    if shown and len(shown) == limit:
        result["next_marker"] = shown[-1].id
    return result


def links(query: list[tuple[str, str]], next_marker: str | None) -> dict[str, str]:
    """``first`` and ``next`` as Glance builds them from the request's parameters."""
    params = dict(query)
    params.pop("marker", None)
    encoded = urllib.parse.urlencode(params)
    out = {"first": "/v2/images" + (f"?{encoded}" if encoded else "")}
    if next_marker is not None:
        params["marker"] = next_marker
        out["next"] = "/v2/images?" + urllib.parse.urlencode(params)
    return out
