"""Shared fixtures for unit tests: a fresh fake cloud and a one-call request helper."""

from __future__ import annotations

import json
from typing import Any

import pytest
import webob

from fakenova.cloud import Cloud, build_cloud


@pytest.fixture
def cloud() -> Cloud:
    return build_cloud()


def call(
    app: Any,
    method: str,
    path: str,
    user: str = "demo",
    project: str | None = None,
    microversion: str | None = None,
) -> webob.Response:
    """Send one request as ``user`` (password ``secret``, scoped to ``project`` or the user's
    own); ``path`` is below the host, e.g. ``/compute/v2.1/servers``."""
    auth = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "domain": {"id": "default"}, "password": "secret"}
                },
            },
            "scope": {"project": {"name": project or user, "domain": {"id": "default"}}},
        }
    }
    login = webob.Request.blank("/identity/v3/auth/tokens", method="POST")
    login.body = json.dumps(auth).encode()
    login.content_type = "application/json"
    answer = login.get_response(app)
    assert answer.status_int == 201, answer.text
    token = answer.headers["X-Subject-Token"]
    request = webob.Request.blank(path, method=method, headers={"X-Auth-Token": token})
    if microversion is not None:
        request.headers["OpenStack-API-Version"] = f"compute {microversion}"
    return request.get_response(app)
