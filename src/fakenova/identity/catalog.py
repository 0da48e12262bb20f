"""The service catalog: devstack's services, one public endpoint each, in one region.

Keystone keeps the catalog in its database and hands it out two ways: inside every
project-scoped token (and ``GET /v3/auth/catalog``), and through its admin API
(``/v3/services``, ``/v3/endpoints``, ``/v3/regions``). Both are read from this one object,
so that ``openstack endpoint list`` names the endpoints a token points at. Every URL is on the
host the client used, as a devstack's ``SERVICE_HOST`` would be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Service:
    """A catalog entry: devstack's ``get_or_create_service NAME TYPE DESCRIPTION`` and its
    public endpoint (``keystone-manage bootstrap`` makes identity's, with no description)."""

    type: str
    name: str
    description: str | None
    path: str  # below the host, e.g. ``/compute/v2.1``
    id: str
    endpoint_id: str


class Catalog:
    def __init__(self, region: str, services: Iterable[Service]) -> None:
        self.region = region
        self.services = tuple(services)

    def for_token(self, base_url: str) -> list[dict[str, Any]]:
        """The catalog a token carries, in the catalog's order."""
        return [
            {
                "type": service.type,
                "name": service.name,
                "id": service.id,
                "endpoints": [
                    {
                        "id": service.endpoint_id,
                        "interface": "public",
                        "region_id": self.region,
                        "region": self.region,
                        "url": base_url + service.path,
                    }
                ],
            }
            for service in self.services
        ]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def endpoint(self, endpoint_id: str) -> Service | None:
        """The service whose (one) endpoint has this id."""
        return next((s for s in self.services if s.endpoint_id == endpoint_id), None)
