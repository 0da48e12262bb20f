"""Neutron's list filters and ``fields`` projection, shared by every collection."""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response

# Query parameters that page, sort or project a list rather than filter it.
NOT_FILTERS = {"fields", "limit", "marker", "sort_key", "sort_dir", "page_reverse"}


def _wants(params: Any, body: dict[str, Any]) -> bool:
    """Neutron's list filters: every filter given must match; several values of one filter
    match any of them (booleans compare without case)."""
    for key in set(params.keys()) - NOT_FILTERS:
        if key not in body:
            continue
        wanted = {v.lower() if v in ("True", "False") else v for v in params.getall(key)}
        value = body[key]
        values = value if isinstance(value, list) else [value]
        texts = {str(v).lower() if isinstance(v, bool) else str(v) for v in values}
        if isinstance(value, list) and key == "fixed_ips":
            texts = {f"ip_address={f['ip_address']}" for f in value} | {
                f"subnet_id={f['subnet_id']}" for f in value
            }
        if not wanted & texts:
            return False
    return True


def listing(request: webob.Request, key: str, bodies: list[dict[str, Any]]) -> webob.Response:
    """A collection after Neutron's filters and ``fields`` projection."""
    chosen = [b for b in bodies if _wants(request.GET, b)]
    fields = [f for f in request.GET.getall("fields") if f]
    if fields:
        chosen = [{k: v for k, v in b.items() if k in fields} for b in chosen]
    return json_response({key: chosen})


def project(request: webob.Request, body: dict[str, Any]) -> dict[str, Any]:
    """One resource, cut to the ``fields`` asked for (all when none)."""
    wanted = [f for f in request.GET.getall("fields") if f]
    return {k: v for k, v in body.items() if k in wanted} if wanted else body
