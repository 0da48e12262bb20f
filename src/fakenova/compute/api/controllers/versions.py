"""Version discovery; reachable without a token."""

from __future__ import annotations

import webob

from fakenova.compute.api.views.versions import version_document, versions_document


def root_url(request: webob.Request) -> str:
    return request.host_url + request.script_name.rstrip("/")


def versions(request: webob.Request) -> tuple[int, dict]:
    return 200, versions_document(root_url(request))


def version_v21(request: webob.Request) -> tuple[int, dict]:
    return 200, version_document(root_url(request), "v2.1")
