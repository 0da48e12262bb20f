"""The Compute version documents (``GET /`` and ``GET /v2.1``), never microversioned."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.microversions import MAX_VERSION, MIN_VERSION

DOCS = [{"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}]
VERSIONS: dict[str, dict[str, Any]] = {
    "v2.0": {
        "id": "v2.0",
        "status": "DEPRECATED",
        "version": "",
        "min_version": "",
        "updated": "2025-07-04T12:00:00Z",
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2"}
        ],
    },
    "v2.1": {
        "id": "v2.1",
        "status": "CURRENT",
        "version": MAX_VERSION,
        "min_version": MIN_VERSION,
        "updated": "2013-07-23T11:33:21Z",
        "media-types": [
            {
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2.1",
            }
        ],
    },
}


def versions_document(root: str) -> dict[str, Any]:
    """``GET /compute/``: every version with a self link."""
    values = []
    for key in sorted(VERSIONS):
        v = VERSIONS[key]
        href = f"{root}/v2.1/" if key == "v2.1" else f"{root}/v2/"
        values.append(
            {k: v[k] for k in ("id", "status", "version", "min_version", "updated")}
            | {"links": [{"rel": "self", "href": href}]}
        )
    return {"versions": values}


def version_document(root: str, key: str = "v2.1") -> dict[str, Any]:
    """``GET /compute/v2.1/``: one version with its self and docs links."""
    v = VERSIONS[key]
    links = [{"rel": "self", "href": f"{root}/{key.replace('v2.0', 'v2')}/"}, *DOCS]
    return {"version": {**v, "links": links}}
