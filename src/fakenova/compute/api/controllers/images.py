"""The compute API's image proxy: ``/images``, ``/images/detail``, ``/images/{id}`` (GET,
DELETE) up to microversion 2.35, and ``/images/{id}/metadata`` (and one key: read, merge,
replace, delete) up to 2.38, whose bodies are the server metadata API's.

Nova asks Glance with the caller's token (no compute policy): what Glance lets the caller
see and delete decides. From 2.36 (2.39 for the metadata) the routes are gone: Nova's
router answers its plain 404.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.schemas.server_metadata import SET_ALL, SET_ONE
from fakenova.compute.api.schemas.small_routes import IMAGES_QUERY
from fakenova.compute.api.validation import empty_query_schema, validate
from fakenova.compute.api.views import images as view

GONE = "The resource could not be found."
# Nova's filters of the old image API, by the name Glance knows them under.
_FILTERS = {
    "name": "name",
    "status": "status",
    "server": "property-instance_uuid",
    "type": "property-image_type",
    "minRam": "min_ram",
    "minDisk": "min_disk",
}


def _available(call: Call, until: str = "2.36") -> None:
    if call.version.at_least(until):
        raise not_found(GONE)


def _filters(call: Call) -> dict[str, str]:
    filters: dict[str, str] = {}
    for name, value in call.request.GET.items():
        if name in _FILTERS or name.startswith("property-"):
            filters[_FILTERS.get(name, name)] = value
    if "property-instance_uuid" in filters:
        filters["property-instance_uuid"] = filters["property-instance_uuid"].rsplit("/", 1)[-1]
    if "status" in filters:
        filters["status"] = filters["status"].lower()
    return filters


def _listed(call: Call, *, detail: bool) -> Reply:
    _available(call)
    query = call.request.GET
    validate(IMAGES_QUERY, query.dict_of_lists(), query=True)
    images = call.compute.proxy_images(call.actor, _filters(call))
    marker = query.get("marker")
    if marker:
        ids = [i.id for i in images]
        images = images[ids.index(marker) + 1 :] if marker in ids else []
    limit = int(query.get("limit") or query.get("page_size") or 0)
    if limit:
        images = images[:limit]
    collection = "images/detail" if detail else "images"
    last = images[-1].id if images else None
    next_link = call.links.collection(images, collection, last, call.compute.max_limit)
    return Reply(view.listed(call.links, images, detail=detail, next_link=next_link))


def index(call: Call) -> Reply:
    return _listed(call, detail=False)


def detail(call: Call) -> Reply:
    return _listed(call, detail=True)


def show(call: Call, image_id: str) -> Reply:
    _available(call)
    return Reply(
        {"image": view.detailed(call.links, call.compute.proxy_image(call.actor, image_id))}
    )


def delete(call: Call, image_id: str) -> Reply:
    _available(call)
    call.compute.proxy_delete_image(call.actor, image_id)
    return Reply(None, 204)


def _metadata(call: Call, image_id: str) -> dict[str, object]:
    _available(call, "2.39")
    empty_query_schema(call.request.GET)
    return dict(call.compute.proxy_image(call.actor, image_id).properties)


def metadata(call: Call, image_id: str) -> Reply:
    return Reply({"metadata": _metadata(call, image_id)})


def metadata_item(call: Call, image_id: str, key: str) -> Reply:
    found = _metadata(call, image_id)
    if key not in found:
        raise not_found(GONE)
    return Reply({"meta": {key: found[key]}})


def _properties(call: Call, image_id: str) -> dict[str, str]:
    """The image's properties as Nova reads them before a write (after the body's check)."""
    return dict(call.compute.proxy_image(call.actor, image_id).properties)


def _write(call: Call, image_id: str, properties: dict[str, str]) -> dict[str, str]:
    return call.compute.proxy_set_image_properties(call.actor, image_id, properties)


def metadata_create(call: Call, image_id: str) -> Reply:
    """``POST``: merge into the image's properties; the answer is all of them."""
    _available(call, "2.39")
    validate(SET_ALL, call.body)
    merged = _properties(call, image_id) | call.body["metadata"]
    return Reply({"metadata": _write(call, image_id, merged)})


def metadata_update_all(call: Call, image_id: str) -> Reply:
    """``PUT``: the body becomes the image's properties; the answer is the body's."""
    _available(call, "2.39")
    validate(SET_ALL, call.body)
    _properties(call, image_id)
    _write(call, image_id, call.body["metadata"])
    return Reply({"metadata": call.body["metadata"]})


def metadata_update(call: Call, image_id: str, key: str) -> Reply:
    """``PUT /metadata/{key}`` with ``{"meta": {key: value}}``."""
    _available(call, "2.39")
    validate(SET_ONE, call.body)
    item = call.body["meta"]
    if key not in item:
        raise bad_request("Request body and URI mismatch")
    _write(call, image_id, _properties(call, image_id) | item)
    return Reply({"meta": item})


def metadata_delete(call: Call, image_id: str, key: str) -> Reply:
    _available(call, "2.39")
    found = _properties(call, image_id)
    if key not in found:
        raise not_found("Invalid metadata key")
    del found[key]
    _write(call, image_id, found)
    return Reply(None, 204)
