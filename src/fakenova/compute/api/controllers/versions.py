"""Version discovery; reachable without a token."""

from __future__ import annotations

import webob

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.views.versions import version_document, versions_document


def root_url(request: webob.Request) -> str:
    return request.host_url + request.script_name.rstrip("/")


def versions(request: webob.Request) -> tuple[int, dict]:
    return 200, versions_document(root_url(request))


def version_v21(request: webob.Request) -> tuple[int, dict]:
    return 200, version_document(root_url(request), "v2.1")


def show(call: Call) -> Reply:
    """The version document as an API resource: ``/v2.1/{project_id}/``, behind the token and
    the project check like any route, and linking to the plain ``/v2.1/`` as Nova's does."""
    return Reply(version_document(root_url(call.request), "v2.1"))
