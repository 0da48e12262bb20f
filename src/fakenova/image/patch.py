"""``PATCH /v2/images/{id}``: Glance's JSON-patch media types, the parsing of the operations
(``RequestDeserializer.update``) and their application (``ImagesController._do_add``,
``_do_replace``, ``_do_remove``), all or nothing as Glance saves only once at the end.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from fakenova.image import rules, schema
from fakenova.image.errors import ImageError, not_authorized
from fakenova.image.models import Image, ImageBackend, Viewer

MEDIA_TYPES = {
    "application/openstack-images-v2.0-json-patch": 4,
    "application/openstack-images-v2.1-json-patch": 10,
}
OPERATIONS = ("add", "remove", "replace")
READONLY = (
    "created_at", "updated_at", "status", "checksum", "size", "virtual_size", "direct_url",
    "self", "file", "schema", "id", "os_hash_algo", "os_hash_value",
)  # fmt: skip
# The attributes of Glance's image object (the rest are extra properties).
ATTRIBUTES = (
    "name", "visibility", "os_hidden", "min_disk", "min_ram", "protected", "owner",
    "disk_format", "container_format", "tags", "locations", "status", "checksum", "size",
)  # fmt: skip
ARRAYS = ("tags", "locations")


def media_type_error(content_type: str) -> ImageError | None:
    if content_type in MEDIA_TYPES:
        return None
    allowed = ", ".join(sorted(MEDIA_TYPES))
    return ImageError(
        415,
        detail=f"Image PATCH expects Content-Type one of: {allowed}",
        headers={"Accept-Patch": allowed},
    )


def _pointer(pointer: Any) -> list[str]:
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise ImageError(400, f'Pointer `{pointer}` does not start with "/".')
    if re.search(r"/\s*?/", pointer[1:]):
        raise ImageError(400, f'Pointer `{pointer}` contains adjacent "/".')
    if len(pointer) > 1 and pointer.endswith("/"):
        raise ImageError(400, f'Pointer `{pointer}` end with "/".')
    if pointer[1:].strip() == "/":
        raise ImageError(400, f"Pointer `{pointer}` does not contains valid token.")
    if re.search("~[^01]", pointer) or pointer.endswith("~"):
        raise ImageError(
            400, f'Pointer `{pointer}` contains "~" not part of a recognized escape sequence.'
        )
    return [p.replace("~1", "/").replace("~0", "~").strip() for p in pointer[1:].split("/")]


def _operation(raw: dict[str, Any], draft: int) -> tuple[str, Any]:
    if draft == 10:
        op = raw.get("op")
        if op is None:
            raise ImageError(
                400,
                "Unable to find `op` in JSON Schema change. It must be one of the following: "
                + ", ".join(OPERATIONS)
                + ".",
            )
        if op not in OPERATIONS:
            raise ImageError(
                400,
                f"Invalid operation: `{op}`. It must be one of the following: "
                + ", ".join(OPERATIONS)
                + ".",
            )
        if "path" not in raw:
            raise ImageError(400, "Unable to find 'path' in JSON Schema change")
        return op, raw["path"]
    found = [key for key in OPERATIONS if key in raw]
    if len(found) != 1:
        count = "only" if found else "exactly"
        raise ImageError(
            400,
            f'Operation objects must contain {count} one member named "add", "remove", or '
            '"replace".',
        )
    return found[0], raw[found[0]]


def parse(body: Any, draft: int) -> list[dict[str, Any]]:
    if not isinstance(body, list):
        raise ImageError(400, "Request body must be a JSON array of operation objects.")
    changes = []
    for raw in body:
        if not isinstance(raw, dict):
            raise ImageError(400, "Operations must be JSON objects.")
        op, pointer = _operation(raw, draft)
        path = _pointer(pointer)
        depth = {"add": 2, "remove": 2, "replace": 1}[op] if path[0] == "locations" else 1
        if len(path) != depth:
            raise ImageError(400, f"Invalid JSON pointer for this resource: '/{'/'.join(path)}'")
        change: dict[str, Any] = {"op": op, "path": path}
        if op != "remove":
            if "value" not in raw:
                raise ImageError(400, f'Operation "{op}" requires a member named "value".')
            change["value"] = raw["value"]
        _validate(change)
        changes.append(change)
    return changes


def _validate(change: dict[str, Any]) -> None:
    root = change["path"][0]
    if root in READONLY:
        raise ImageError(403, f"Attribute '{root}' is read-only.")
    if root in rules.RESERVED or root.startswith(rules.RESERVED_NAMESPACE):
        raise ImageError(403, f"Attribute '{root}' is reserved.")
    if change["op"] == "remove":
        return
    partial = None
    if len(change["path"]) == 1:
        partial = {root: change["value"]}
    elif root in ARRAYS:
        partial = {root: [change["value"]]}
    if partial is not None:
        refused = schema.schema_error(partial)
        if refused is not None:
            raise ImageError(400, refused)


def update(
    backend: ImageBackend, viewer: Viewer, image_id: str, changes: list[dict[str, Any]], draft: int
) -> Image:
    image = rules.visible(backend, viewer, image_id)
    work = copy.deepcopy(image)
    for change in changes:
        _apply(work, viewer, change, draft)
    if changes:
        for name in ("name", "visibility", "os_hidden", "min_disk", "min_ram", "protected",
                     "owner", "disk_format", "container_format", "tags", "properties"):  # fmt: skip
            setattr(image, name, getattr(work, name))
        backend.touch(image)
    return image


def _modify(viewer: Viewer, image: Image) -> None:
    if not rules.may_change(viewer, image):
        raise not_authorized("modify_image")


def _apply(image: Image, viewer: Viewer, change: dict[str, Any], draft: int) -> None:
    op, root = change["op"], change["path"][0]
    if root == "locations":
        if op == "replace" and not change["value"]:
            raise ImageError(403, detail="Cannot set locations to empty list.")
        if op == "remove":
            if not viewer.is_admin:
                raise not_authorized("delete_image_location")
        else:
            _modify(viewer, image)
        verb = {"add": "add", "replace": "update", "remove": "remove"}[op]
        raise ImageError(403, f"It's not allowed to {verb} locations if locations are invisible.")
    if op == "replace" and root == "owner" and not viewer.is_admin:
        raise ImageError(403, detail="Owner can't be updated by non admin.")
    if op != "remove" and root == "visibility":
        rules.check_visibility(viewer, change["value"], image.owner)
    _modify(viewer, image)
    if op == "remove":
        if root in ATTRIBUTES:
            raise ImageError(403, detail=f"Property {root} may not be removed.")
        if root not in image.properties:
            raise ImageError(409, detail=f"Property {root} does not exist.")
        del image.properties[root]
        return
    value = change["value"]
    present = root in ATTRIBUTES or root in image.properties
    if op == "replace" and not present:
        raise ImageError(409, detail=f"Property {root} does not exist.")
    if op == "add" and present and draft == 4:
        raise ImageError(409, detail=f"Property {root} already present.")
    if root in ATTRIBUTES:
        _set_attribute(image, root, value)
    else:
        image.properties[root] = value


def _set_attribute(image: Image, name: str, value: Any) -> None:
    if name in ("disk_format", "container_format") and image.status not in ("queued", "importing"):
        raise ImageError(403, f"Attribute {name} can be only replaced for a queued image.")
    if name in ("min_disk", "min_ram"):
        rules.check_min(name, value)
    if name == "tags":
        value = list(dict.fromkeys(value))
    setattr(image, name, value)
