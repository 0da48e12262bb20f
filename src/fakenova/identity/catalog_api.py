"""Keystone's catalog API, read-only: ``/v3/services``, ``/v3/endpoints``, ``/v3/regions``
(``keystone/api/services.py``, ``endpoints.py``, ``regions.py``).

The order is Keystone's: the token (401), the query schema (400), the policy (403), then the
lookup (404).
Services and endpoints are for admins and system readers; any token may read the regions.
Writes are not served: the catalog is the deployment's, as devstack left it.
"""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response
from fakenova.identity import policy, schemas
from fakenova.identity.catalog import Service
from fakenova.identity.errors import not_found
from fakenova.identity.handlers import Handlers

# keystone/catalog/schema.py: the endpoints' filters are checked, others let through; the
# regions' query takes its one filter only.
ENDPOINT_QUERY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "interface": {"type": "string", "enum": ["admin", "internal", "public"]},
        "region_id": {"type": ["string", "null"]},
        "service_id": {"type": "string"},
    },
    "additionalProperties": True,
}
REGION_QUERY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "parent_region_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 255}
    },
    "additionalProperties": False,
}


def _query(request: webob.Request, schema: dict[str, Any] | None = None) -> dict[str, str]:
    """The query as Keystone's Flask reads it (the first of repeated values), checked."""
    query = {key: request.GET.getall(key)[0] for key in request.GET}
    return schemas.validate(schema, query) if schema is not None else query


def _matches(row: dict[str, Any], query: dict[str, str], filters: tuple[str, ...]) -> bool:
    """Keystone's driver hints: an exact match on each filter the list takes (a column that
    is empty matches no value)."""
    return all(
        row.get(key) is not None and str(row[key]) == query[key] for key in filters if key in query
    )


class CatalogHandlers(Handlers):
    def list_services(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        query = _query(request)
        policy.enforce("identity:list_services", caller)
        views = self._views(request)
        rows = [views.service(s) for s in self.catalog.services]
        rows = [r for r in rows if _matches(r, query, ("type", "name"))]
        return json_response(views.collection("services", rows, self._self_url(request)))

    def show_service(self, request: webob.Request, service_id: str) -> webob.Response:
        policy.enforce("identity:get_service", self._caller(request))
        found = self.catalog.service(service_id)
        if found is None:
            raise not_found("service", service_id)
        return json_response({"service": self._views(request).service(found)})

    def list_endpoints(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        query = _query(request, ENDPOINT_QUERY)
        policy.enforce("identity:list_endpoints", caller)
        rows = [self._endpoint(request, s) for s in self.catalog.services]
        rows = [r for r in rows if _matches(r, query, ("interface", "service_id", "region_id"))]
        views = self._views(request)
        return json_response(views.collection("endpoints", rows, self._self_url(request)))

    def show_endpoint(self, request: webob.Request, endpoint_id: str) -> webob.Response:
        policy.enforce("identity:get_endpoint", self._caller(request))
        found = self.catalog.endpoint(endpoint_id)
        if found is None:
            raise not_found("endpoint", endpoint_id)
        return json_response({"endpoint": self._endpoint(request, found)})

    def list_regions(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        query = _query(request, REGION_QUERY)
        policy.enforce("identity:list_regions", caller)
        views = self._views(request)
        rows = [views.region(self.catalog.region)]
        rows = [r for r in rows if _matches(r, query, ("parent_region_id",))]
        return json_response(views.collection("regions", rows, self._self_url(request)))

    def show_region(self, request: webob.Request, region_id: str) -> webob.Response:
        policy.enforce("identity:get_region", self._caller(request))
        if region_id != self.catalog.region:
            raise not_found("region", region_id)
        return json_response({"region": self._views(request).region(region_id)})

    def _endpoint(self, request: webob.Request, service: Service) -> dict[str, Any]:
        return self._views(request).endpoint(service, self.catalog.region, request.host_url)
