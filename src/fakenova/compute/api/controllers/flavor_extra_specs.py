"""``/flavors/{id}/os-extra_specs``: reading a flavor's extra specs.

``openstack flavor show`` reads them this way below microversion 2.61, so the page samples
that show a flavor need it. Writing extra specs is an admin task that comes later.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.models.resources.flavors import Flavor

POLICY = "os_compute_api:os-flavor-extra-specs:"


def _flavor(call: Call, flavor_id: str) -> Flavor:
    flavor = call.compute.flavor(flavor_id)
    if flavor is None:
        raise not_found(f"Flavor {flavor_id} could not be found.")
    return flavor


def index(call: Call, flavor_id: str) -> Reply:
    call.authorize(POLICY + "index", call.context.project_id)
    return Reply({"extra_specs": dict(_flavor(call, flavor_id).extra_specs)})


def show(call: Call, flavor_id: str, key: str) -> Reply:
    call.authorize(POLICY + "show", call.context.project_id)
    specs = _flavor(call, flavor_id).extra_specs
    if key not in specs:
        raise not_found(f"Flavor {flavor_id} has no extra specs with key {key}.")
    return Reply({key: specs[key]})
