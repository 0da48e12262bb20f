"""``os-aggregates`` bodies: from 2.41 each carries its ``uuid``; a create's answer has neither
``hosts`` nor ``metadata`` (Nova drops them there, whatever the microversion)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.views.services import service_time
from fakenova.compute.models.deployment.aggregates import Aggregate


def _time(value: Any) -> str | None:
    return None if value is None else service_time(value)


def one(aggregate: Aggregate, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {"id": aggregate.id}
    if version.at_least("2.41"):
        body["uuid"] = aggregate.uuid
    body |= {
        "name": aggregate.name,
        "hosts": list(aggregate.hosts),
        "metadata": dict(aggregate.metadata),
        "created_at": _time(aggregate.created_at),
        "updated_at": _time(aggregate.updated_at),
        "deleted_at": None,
        "deleted": False,
        "availability_zone": aggregate.availability_zone,
    }
    return body


def created(aggregate: Aggregate, version: Version) -> dict[str, Any]:
    body = one(aggregate, version)
    del body["hosts"], body["metadata"]
    return {"aggregate": body}


def shown(aggregate: Aggregate, version: Version) -> dict[str, Any]:
    return {"aggregate": one(aggregate, version)}


def listed(aggregates: list[Aggregate], version: Version) -> dict[str, Any]:
    return {"aggregates": [one(a, version) for a in aggregates]}
