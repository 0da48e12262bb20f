"""``/flavors``: list, detail and show (public flavors; access lists come later)."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.views.flavors import FlavorView

EXTRA_SPECS = "os_compute_api:os-flavor-extra-specs:index"


def _view(call: Call) -> FlavorView:
    max_limit = call.compute.max_limit
    return FlavorView(call.version, call.links, max_limit)


def _extra_specs(call: Call) -> bool:
    return call.version.at_least("2.61") and call.policy.allows(call.context, EXTRA_SPECS)


def _listed(call: Call, detail: bool) -> Reply:
    flavors = call.compute.flavors()
    flavors = [f for f in flavors if f.is_public or call.context.is_admin]
    return Reply(_view(call).listed(flavors, detail, _extra_specs(call), False))


def index(call: Call) -> Reply:
    return _listed(call, detail=False)


def detail(call: Call) -> Reply:
    return _listed(call, detail=True)


def show(call: Call, flavor_id: str) -> Reply:
    flavor = call.compute.flavor(flavor_id)
    if flavor is None:
        raise not_found(f"Flavor {flavor_id} could not be found.")
    return Reply({"flavor": _view(call).show(flavor, _extra_specs(call))})
