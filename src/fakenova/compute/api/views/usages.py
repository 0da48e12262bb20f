"""Usage reports as Nova renders them: times with microseconds and no zone, hours and the
totals as floats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fakenova.compute.api.views.links import Links
from fakenova.compute.models.resources.usage_records import ServerUsage, TenantUsage


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def server(used: ServerUsage) -> dict[str, Any]:
    flavor = used.server.flavor
    return {
        "ended_at": _time(used.ended_at) if used.ended_at else None,
        "flavor": flavor.name,
        "hours": used.hours,
        "instance_id": used.server.uuid,
        "local_gb": used.local_gb,
        "memory_mb": flavor.memory_mb,
        "name": used.server.name,
        "started_at": _time(used.started_at),
        "state": used.state,
        "tenant_id": used.server.project_id,
        "uptime": used.uptime,
        "vcpus": flavor.vcpus,
    }


def tenant(usage: TenantUsage, detailed: bool) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if detailed:
        body["server_usages"] = [server(s) for s in usage.servers]
    body.update(
        {
            "start": _time(usage.window.start),
            "stop": _time(usage.window.stop),
            "tenant_id": usage.tenant_id,
            "total_hours": usage.total_hours,
            "total_local_gb_usage": usage.total_local_gb_usage,
            "total_memory_mb_usage": usage.total_memory_mb_usage,
            "total_vcpus_usage": usage.total_vcpus_usage,
        }
    )
    return body


def next_links(
    links: Links, page: list[ServerUsage], collection: str, max_limit: int
) -> list[dict[str, str]]:
    """The ``next`` link of a full page (it names the caller's project when the request's URL
    does, as every link does: :class:`Links`)."""
    last = page[-1].server.uuid if page else None
    return links.collection(page, collection, last, max_limit)
