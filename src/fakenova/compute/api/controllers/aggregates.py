"""``os-aggregates``: host aggregates, admin-only by default.

As in Nova, every route checks its body (or, from 2.102, its query), then policy, then that
the path's id is an integer (a uuid is refused too, even from 2.41), before it reads the
aggregate. ``POST .../action`` dispatches on the body's one key (``add_host``,
``remove_host``, ``set_metadata``); 2.81's ``POST .../images`` answers 202.
"""

from __future__ import annotations

from oslo_utils import strutils

from fakenova.compute.api.controllers.base import Call, Reply, finds_its_method
from fakenova.compute.api.controllers.server_actions import action_name
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.policy import AGGREGATE_IMAGES, AGGREGATES
from fakenova.compute.api.schemas import aggregates as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import aggregates as view
from fakenova.compute.models.errors import NotFound


def _integer(aggregate_id: str) -> None:
    try:
        strutils.validate_integer(aggregate_id, "id")
    except ValueError:
        raise bad_request("Invalid input received: id must be an integer") from None


def _query(call: Call) -> None:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)


def index(call: Call) -> Reply:
    _query(call)
    call.authorize(AGGREGATES + "index")
    return Reply(view.listed(call.compute.aggregates(), call.version))


def create(call: Call) -> Reply:
    """Answers 200, not 201, as Nova does."""
    validate(schemas.CREATE, call.body)
    call.authorize(AGGREGATES + "create")
    wanted = call.body["aggregate"]
    zone = wanted.get("availability_zone")
    created = call.compute.create_aggregate(wanted["name"].strip(), zone.strip() if zone else zone)
    return Reply(view.created(created, call.version))


def show(call: Call, aggregate_id: str) -> Reply:
    _query(call)
    call.authorize(AGGREGATES + "show")
    _integer(aggregate_id)
    return Reply(view.shown(call.compute.aggregate(aggregate_id), call.version))


def update(call: Call, aggregate_id: str) -> Reply:
    validate(schemas.UPDATE, call.body)
    call.authorize(AGGREGATES + "update")
    _integer(aggregate_id)
    changes = dict(call.body["aggregate"])
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    updated = call.compute.update_aggregate(aggregate_id, changes)
    return Reply(view.shown(updated, call.version))


def delete(call: Call, aggregate_id: str) -> Reply:
    """Answers 200 with no body, as Nova does."""
    call.authorize(AGGREGATES + "delete")
    _integer(aggregate_id)
    call.compute.delete_aggregate(aggregate_id)
    return Reply(None)


@finds_its_method
def action(call: Call, aggregate_id: str) -> Reply:
    name = action_name(call)
    handler = {
        "add_host": _add_host,
        "remove_host": _remove_host,
        "set_metadata": _set_metadata,
    }.get(name)
    if handler is None:
        raise bad_request(f"There is no such action: {name}")
    call.check_url_project()
    return handler(call, aggregate_id)


def _add_host(call: Call, aggregate_id: str) -> Reply:
    validate(schemas.ADD_HOST, call.body)
    call.authorize(AGGREGATES + "add_host")
    _integer(aggregate_id)
    host = call.body["add_host"]["host"]
    return Reply(view.shown(call.compute.add_aggregate_host(aggregate_id, host), call.version))


def _remove_host(call: Call, aggregate_id: str) -> Reply:
    """Nova words every "not found" of a removal alike, naming the host and the path's id."""
    validate(schemas.REMOVE_HOST, call.body)
    call.authorize(AGGREGATES + "remove_host")
    _integer(aggregate_id)
    host = call.body["remove_host"]["host"]
    try:
        removed = call.compute.remove_aggregate_host(aggregate_id, host)
    except NotFound:
        raise not_found(f"Cannot remove host {host} in aggregate {aggregate_id}") from None
    return Reply(view.shown(removed, call.version))


def _set_metadata(call: Call, aggregate_id: str) -> Reply:
    validate(schemas.SET_METADATA, call.body)
    call.authorize(AGGREGATES + "set_metadata")
    _integer(aggregate_id)
    metadata = call.body["set_metadata"]["metadata"]
    updated = call.compute.set_aggregate_metadata(aggregate_id, metadata)
    return Reply(view.shown(updated, call.version))


def images(call: Call, aggregate_id: str) -> Reply:
    """2.81: each image once; the aggregate and then each image must exist."""
    if not call.version.at_least("2.81"):
        raise not_found("The resource could not be found.")
    validate(schemas.IMAGES, call.body)
    call.authorize(AGGREGATE_IMAGES)
    _integer(aggregate_id)
    image_ids = [item["id"] for item in call.body["cache"]]
    if len(set(image_ids)) != len(image_ids):
        raise bad_request("Duplicate images in request")
    call.compute.cache_images(call.actor, aggregate_id, image_ids)
    return Reply(None, 202)
