"""``/flavors``: list, detail and show; create, description update (2.55) and delete (admin).

A member sees the public flavors and the private ones shared with its project; an admin's
list shows the same unless ``is_public`` asks for the private ones (``false``) or all
(``none``). The query is parsed as Nova parses it: ``minRam`` and ``minDisk`` are integers,
``is_public`` a strict boolean (only an admin's is read), and a list is sorted by
``sort_key`` then by the row id. A create answers 200, a delete 202.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.schemas import flavors as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views.flavors import FlavorView
from fakenova.compute.models.resources.flavors import FlavorQuery, NewFlavor

EXTRA_SPECS = "os_compute_api:os-flavor-extra-specs:index"
MANAGE = "os_compute_api:os-flavor-manage:"
TRUE = ("1", "t", "true", "on", "y", "yes")
FALSE = ("0", "f", "false", "off", "n", "no")


def _view(call: Call) -> FlavorView:
    max_limit = call.compute.max_limit
    return FlavorView(call.version, call.links, max_limit)


def _extra_specs(call: Call) -> bool:
    return call.version.at_least("2.61") and call.policy.allows(call.context, EXTRA_SPECS)


def _strict_bool(value: Any) -> bool | None:
    """oslo's strict boolean: True, False, or None when it is neither."""
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


def _is_public(call: Call) -> bool | None:
    """Only an admin chooses: absent, public (and shared); ``none``, all; else a boolean."""
    if not call.context.is_admin:
        return True
    value = call.request.GET.get("is_public")
    if value is None:
        return True
    if value.lower() == "none":
        return None
    parsed = _strict_bool(value)
    if parsed is None:
        raise bad_request(f"Invalid is_public filter [{value}]")
    return parsed


def _minimum(call: Call, name: str) -> int | None:
    value = call.request.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise bad_request(f"Invalid {name} filter [{value}]") from None


def _query(call: Call) -> FlavorQuery:
    params = call.request.GET
    validate(pick(schemas.INDEX_QUERIES, call.version), params.dict_of_lists(), query=True)
    max_limit = call.compute.max_limit
    limit = min(max_limit, int(params["limit"])) if "limit" in params else max_limit
    is_public = _is_public(call)
    return FlavorQuery(
        is_public=is_public,
        disabled=None if call.context.is_admin else False,
        min_memory_mb=_minimum(call, "minRam"),
        min_root_gb=_minimum(call, "minDisk"),
        # Below 2.102 the query schema has no ``name``: Nova strips it before the list reads it.
        name=params.get("name") if call.version.at_least("2.102") else None,
        sort_key=params.get("sort_key") or "flavorid",
        sort_dir=params.get("sort_dir") or "asc",
        limit=limit,
        marker=params.get("marker"),
    )


def _listed(call: Call, detail: bool) -> Reply:
    flavors = call.compute.list_flavors(call.actor, _query(call))
    extra_specs = detail and _extra_specs(call)
    return Reply(_view(call).listed(flavors, detail, extra_specs, False))


def index(call: Call) -> Reply:
    return _listed(call, detail=False)


def detail(call: Call) -> Reply:
    return _listed(call, detail=True)


def show(call: Call, flavor_id: str) -> Reply:
    validate(pick(schemas.READ_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    flavor = call.compute.visible_flavor(call.actor, flavor_id)
    return Reply({"flavor": _view(call).show(flavor, _extra_specs(call))})


def create(call: Call) -> Reply:
    validate(pick(schemas.CREATE, call.version), call.body)
    call.authorize(MANAGE + "create", call.context.project_id)
    fields: dict[str, Any] = call.body["flavor"]
    flavorid = fields.get("id")
    new = NewFlavor(
        name=fields["name"],
        memory_mb=int(fields["ram"]),
        vcpus=int(fields["vcpus"]),
        root_gb=int(fields["disk"]),
        ephemeral_gb=int(fields.get("OS-FLV-EXT-DATA:ephemeral", 0)),
        swap=int(fields.get("swap", 0)),
        rxtx_factor=float(fields.get("rxtx_factor", 1.0)),
        is_public=bool(_strict_bool(fields.get("os-flavor-access:is_public", True))),
        description=fields.get("description") if call.version.at_least("2.55") else None,
        flavorid=str(flavorid) if flavorid else None,
    )
    flavor = call.compute.create_flavor(call.actor, new)
    return Reply({"flavor": _view(call).show(flavor, _extra_specs(call))})


def update(call: Call, flavor_id: str) -> Reply:
    """The description (2.55); below, Nova has no such method."""
    if not call.version.at_least("2.55"):
        raise not_found("The resource could not be found.")
    validate(schemas.UPDATE, call.body)
    call.authorize(MANAGE + "update", call.context.project_id)
    description = call.body["flavor"]["description"]
    flavor = call.compute.describe_flavor(call.actor, flavor_id, description)
    return Reply({"flavor": _view(call).show(flavor, _extra_specs(call))})


def delete(call: Call, flavor_id: str) -> Reply:
    call.authorize(MANAGE + "delete", call.context.project_id)
    call.compute.delete_flavor(call.actor, flavor_id)
    return Reply(None, 202)
