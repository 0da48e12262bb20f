"""Flavor bodies per microversion (2.55 description, 2.61 extra_specs, 2.75 swap 0, 2.102)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.views.links import Links
from fakenova.compute.models.resources.flavors import Flavor


@dataclass
class FlavorView:
    version: Version
    links: Links
    max_limit: int

    def __post_init__(self) -> None:
        # What the microversion decides, asked once per view rather than per flavor of a page.
        self._description = self.version.at_least("2.55")
        self._swap_zero = self.version.at_least("2.75")
        self._disabled_and_rxtx = not self.version.at_least("2.102")
        self._self_prefix = f"{self.links.versioned}/flavors/"
        self._bookmark_prefix = f"{self.links.unversioned}/flavors/"

    def basic(self, flavor: Flavor) -> dict[str, Any]:
        flavorid = flavor.flavorid
        body: dict[str, Any] = {
            "id": flavorid,
            "name": flavor.name,
            "links": [  # Links.self_and_bookmark, with the prefixes built once
                {"rel": "self", "href": self._self_prefix + flavorid},
                {"rel": "bookmark", "href": self._bookmark_prefix + flavorid},
            ],
        }
        if self._description:
            body["description"] = flavor.description
        return body

    def show(self, flavor: Flavor, extra_specs: bool) -> dict[str, Any]:
        body: dict[str, Any] = self.basic(flavor)
        body["ram"] = flavor.memory_mb
        body["disk"] = flavor.root_gb
        body["swap"] = (flavor.swap or 0) if self._swap_zero else (flavor.swap or "")
        body["OS-FLV-EXT-DATA:ephemeral"] = flavor.ephemeral_gb
        body["vcpus"] = flavor.vcpus
        body["os-flavor-access:is_public"] = flavor.is_public
        if self._disabled_and_rxtx:
            body["OS-FLV-DISABLED:disabled"] = flavor.disabled
            body["rxtx_factor"] = flavor.rxtx_factor or ""
        if extra_specs:
            body["extra_specs"] = dict(flavor.extra_specs)
        return body

    def listed(
        self, flavors: list[Flavor], detail: bool, extra_specs: bool, query_limit: bool
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "flavors": [self.show(f, extra_specs) if detail else self.basic(f) for f in flavors]
        }
        collection = "flavors/detail" if detail else "flavors"
        last = flavors[-1].flavorid if flavors else None
        if links := self.links.collection(flavors, collection, last, self.max_limit):
            body["flavors_links"] = links
        return body


def access_list(flavor: Flavor) -> dict[str, Any]:
    """A private flavor's projects, as ``os-flavor-access`` lists them."""
    return {
        "flavor_access": [
            {"flavor_id": flavor.flavorid, "tenant_id": project} for project in flavor.projects
        ]
    }
