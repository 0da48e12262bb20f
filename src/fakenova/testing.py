"""A tiny in-process client for unit tests: ``Client(app).as_user("demo").get(path)``.

It authenticates the way every OpenStack client does (a password token from
``POST /identity/v3/auth/tokens``) and calls the WSGI app through :meth:`webob.Request.blank`,
so each test sees exactly the status, headers and body a real client would.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import webob

PASSWORD = "secret"


def settings_with_reader(**nova: Any) -> Any:
    """``conf/`` plus a ``reader`` user (reader role in demo) and nova.conf overrides: the
    deployment the action and update tests need to check reader-vs-member policies."""
    from fakenova.settings import UserSettings, load_settings

    settings = load_settings()
    reader = UserSettings("reader", PASSWORD, "demo", ("reader",))
    return dataclasses.replace(
        settings, users=(*settings.users, reader), nova={**settings.nova, **nova}
    )


class Client:
    """Requests against one fake cloud, optionally carrying one user's token."""

    def __init__(self, app: Any, token: str | None = None, host: str = "localhost") -> None:
        self.app = app
        self.token = token
        self.host = host

    def token_for(self, user: str, password: str = PASSWORD, project: str | None = None) -> str:
        """A fresh token for ``user`` scoped to ``project`` (the user's own by default)."""
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": user,
                            "domain": {"id": "default"},
                            "password": password,
                        }
                    },
                },
                "scope": {"project": {"name": project or user, "domain": {"id": "default"}}},
            }
        }
        response = self.request("POST", "/identity/v3/auth/tokens", body=body, auth=False)
        if response.status_int != 201:
            raise AssertionError(f"no token for {user}: {response.status} {response.text}")
        return response.headers["X-Subject-Token"]

    def as_user(self, user: str) -> Client:
        """A client carrying ``user``'s token (users admin, demo, alt_demo)."""
        return Client(self.app, self.token_for(user), self.host)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        microversion: str | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> webob.Response:
        """Send one request; ``microversion`` sets ``OpenStack-API-Version: compute X``."""
        request = webob.Request.blank(path, method=method, headers={"Host": self.host})
        if body is not None:
            request.body = json.dumps(body).encode()
            request.content_type = "application/json"
        if auth and self.token is not None:
            request.headers["X-Auth-Token"] = self.token
        if microversion is not None:
            request.headers["OpenStack-API-Version"] = f"compute {microversion}"
        for name, value in (headers or {}).items():
            request.headers[name] = value
        return request.get_response(self.app)

    def get(self, path: str, **kwargs: Any) -> webob.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> webob.Response:
        return self.request("POST", path, body=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> webob.Response:
        return self.request("PUT", path, body=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> webob.Response:
        return self.request("DELETE", path, **kwargs)


def _fields(obj: Any) -> Any:
    """A deep, comparable copy of a dataclass (or a plain value)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return copy.deepcopy(obj)


def snapshot(cloud: Any) -> dict[str, Any]:
    """Everything a request could change in ``cloud``, as plain data to compare with ``==``.

    A refused request (400, 403, 404, 409 ...) must leave this unchanged: servers with every
    field, API records, server groups, images, instance actions and their events, migrations,
    pending work, allocation counters, held fixed addresses, the scenario clock and the number
    of issued tokens.
    Request ids are left out on purpose: every request, refused or not, derives one.
    """
    compute = cloud.compute
    return {
        "servers": {uuid: _fields(s) for uuid, s in compute.servers.items()},
        "records": {uuid: _fields(r) for uuid, r in compute.records.items()},
        "server_groups": {uuid: _fields(g) for uuid, g in compute.server_groups.items()},
        "images": {uuid: _fields(i) for uuid, i in cloud.images.images.items()},
        "instance_actions": {
            uuid: [_fields(a) for a in compute.actions.for_server(uuid)] for uuid in compute.records
        },
        "migrations": [_fields(m) for m in compute.migrations],
        "tasks": [(t.due, t.sequence, t.label) for t in compute.tasks.pending],
        "instance_ids": dict(compute._instance_ids),
        "addresses": compute.address_pools.snapshot(),
        "cells": {name: c.reachable for name, c in compute.cells.items()},
        "clock": compute.clock.now,
        "tokens": len(cloud.identity.tokens),
    }
