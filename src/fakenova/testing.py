"""Test helpers: a fake cloud per test (:class:`World`) and an in-process :class:`Client`.

``World()`` builds a fresh cloud from ``conf/`` (optionally a scenario, nova.conf and policy
overrides, a seed), serves it with :func:`fakenova.app.make_app` and hands out a :class:`Client`
per user::

    w = World(vm="vm1")                       # demo's vm1, ACTIVE on compute1
    w.demo.get(w.path).json["server"]["name"]  # "vm1"
    w.act({"pause": None}, who="admin")        # POST {w.path}/action as admin

The client authenticates the way every OpenStack client does (a password token from
``POST /identity/v3/auth/tokens``) and calls the WSGI app through :meth:`webob.Request.blank`,
so each test sees exactly the status, headers and body a real client would.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import TYPE_CHECKING, Any

import webob

from fakenova import scenarios
from fakenova.app import FakeCloudApp, make_app
from fakenova.cloud import Cloud, build_cloud
from fakenova.compute.models.backend import ComputeBackend
from fakenova.settings import Settings, UserSettings, load_settings

if TYPE_CHECKING:
    from fakenova.compute.models.servers.records import Server

PASSWORD = "secret"
API = "/compute/v2.1"
# ``who`` and :meth:`World.client` take a user's name; ``alt`` is short for ``alt_demo``.
ALIASES = {"alt": "alt_demo"}


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

    def as_user(self, user: str, project: str | None = None) -> Client:
        """A client carrying ``user``'s token (users admin, demo, alt_demo)."""
        return Client(self.app, self.token_for(user, project=project), self.host)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: bytes | None = None,
        microversion: str | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> webob.Response:
        """Send one request; ``body`` is sent as JSON, ``raw`` as it is (with the JSON content
        type); ``microversion`` sets ``OpenStack-API-Version: compute X``."""
        request = webob.Request.blank(path, method=method, headers={"Host": self.host})
        if body is not None:
            raw = json.dumps(body).encode()
        if raw is not None:
            request.body = raw
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


class World:
    """One fresh fake cloud for a test: the :class:`~fakenova.cloud.Cloud`, its WSGI app, and a
    :class:`Client` per user, made on first use and kept.

    ``scenario`` starts from one of :mod:`fakenova.scenarios` (as a page's scenario does);
    ``nova`` overrides nova.conf options (a section given as a dict is merged into the
    section: ``nova={"api": {"max_limit": 2}}``); ``policy`` adds rules as policy.yaml
    would (``{"os_compute_api:os-services:list": "@"}``); ``seed`` replaces the id seed; ``reader``
    adds a ``reader`` user with the reader role in demo; ``vm`` boots demo's server of that
    name on compute1 (:meth:`boot`) as :attr:`vm`, at :attr:`path`.

    Tests add what only they need by subclassing: a subclass's ``__init__`` calls this one,
    then sets up its starting state; its methods are the module's own helpers.
    """

    vm: Server  # only with ``vm=``, or set by the test

    def __init__(
        self,
        scenario: str | None = None,
        *,
        nova: dict[str, Any] | None = None,
        policy: dict[str, str] | None = None,
        seed: str | None = None,
        reader: bool = False,
        vm: str | None = None,
    ) -> None:
        self.cloud: Cloud = build_cloud(_settings(nova or {}, policy or {}, reader), seed=seed)
        if scenario is not None:
            scenarios.apply(self.cloud, scenario)
        self.app: FakeCloudApp = make_app(self.cloud)
        self._clients: dict[tuple[str | None, str | None], Client] = {}
        if vm is not None:
            self.vm = self.boot(vm)

    @property
    def compute(self) -> ComputeBackend:
        return self.cloud.compute

    # -- callers ------------------------------------------------------------------------------

    def client(self, user: str | None = None, project: str | None = None) -> Client:
        """``user``'s client, scoped to ``project`` (the user's own by default); no token
        without a user. ``alt`` is short for ``alt_demo``."""
        key = (ALIASES.get(user, user) if user else None, project)
        if key not in self._clients:
            anonymous = Client(self.app)
            name, scope = key
            if name is None:
                self._clients[key] = anonymous
            else:
                scope = scope or self.cloud.identity.users[name].project.name
                self._clients[key] = anonymous.as_user(name, scope)
        return self._clients[key]

    @property
    def demo(self) -> Client:
        return self.client("demo")

    @property
    def alt(self) -> Client:
        return self.client("alt_demo")

    @property
    def admin(self) -> Client:
        return self.client("admin")

    @property
    def reader(self) -> Client:
        """demo's reader (only with ``reader=True``)."""
        return self.client("reader")

    # -- servers ------------------------------------------------------------------------------

    def boot(self, name: str, owner: str = "demo", **kwargs: Any) -> Server:
        """``owner``'s ACTIVE server, placed without the API; ``kwargs`` (``host``, ``flavor``
        ...) as :meth:`~fakenova.compute.models.ComputeBackend.boot_directly` takes them."""
        user = self.cloud.identity.users[ALIASES.get(owner, owner)]
        return self.compute.boot_directly(
            name, project_id=user.project.id, user_id=user.id, **kwargs
        )

    def create_server(
        self,
        name: str,
        who: str = "demo",
        *,
        mv: str | None = None,
        hints: dict[str, Any] | None = None,
        **fields: Any,
    ) -> webob.Response:
        """``POST /servers`` as ``who``: ``name``, the first image, flavor 1, then ``fields``."""
        server = {"name": name, "imageRef": self.cloud.settings.images[0]["id"], "flavorRef": "1"}
        body: dict[str, Any] = {"server": {**server, **fields}}
        if hints is not None:
            body["os:scheduler_hints"] = hints
        return self.client(who).post(f"{API}/servers", body, microversion=mv)

    @property
    def path(self) -> str:
        """:attr:`vm`'s URL path, ``/compute/v2.1/servers/{uuid}``."""
        return f"{API}/servers/{self.vm.uuid}"

    def act(
        self, body: Any, who: str = "demo", mv: str | None = None, server: str | None = None
    ) -> webob.Response:
        """``POST .../action`` on :attr:`vm` (or the server ``server``, a uuid) as ``who``."""
        path = self.path if server is None else f"{API}/servers/{server}"
        return self.client(who).post(path + "/action", body, microversion=mv)

    def show(
        self, who: str = "admin", mv: str | None = None, server: str | None = None
    ) -> dict[str, Any]:
        """``GET`` :attr:`vm` (or ``server``) as ``who``: the 200 answer's ``server``."""
        path = self.path if server is None else f"{API}/servers/{server}"
        answer = self.client(who).get(path, microversion=mv)
        assert answer.status_int == 200, answer.text
        return answer.json["server"]

    def settle(self) -> None:
        """Finish the work Nova's compute hosts do after the API answered."""
        self.compute.tasks.settle()


def fault(response: webob.Response, code: int) -> str:
    """The message of a compute fault answered with ``code``; its body has one key (the
    fault's name) and repeats the code."""
    assert response.status_int == code, response.text
    (body,) = response.json.values()
    assert body["code"] == code
    return body["message"]


def _settings(nova: dict[str, Any], policy: dict[str, str], reader: bool) -> Settings:
    """``conf/`` with ``nova`` merged into its nova.conf options, ``policy`` into its policy
    overrides, and a reader in demo if asked."""
    settings = load_settings()
    merged = dict(settings.nova)
    for key, value in nova.items():
        old = merged.get(key)
        both = isinstance(old, dict) and isinstance(value, dict)
        merged[key] = {**old, **value} if both else value
    users = settings.users
    if reader:
        users = (*users, UserSettings("reader", PASSWORD, "demo", ("reader",)))
    overrides = {**settings.policy_overrides, **policy}
    return dataclasses.replace(settings, nova=merged, policy_overrides=overrides, users=users)


def _fields(obj: Any) -> Any:
    """A deep, comparable copy of a dataclass (or a plain value)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return copy.deepcopy(obj)


def snapshot(cloud: Any) -> dict[str, Any]:
    """Everything a request could change in ``cloud``, as plain data to compare with ``==``.

    A refused request (400, 403, 404, 409 ...) must leave this unchanged: servers with every
    field, API records, server groups, flavors, images, instance actions and their events,
    migrations, pending work, allocation counters, held fixed addresses, the scenario clock and
    the number of issued tokens.
    Request ids are left out on purpose: every request, refused or not, derives one.
    """
    compute = cloud.compute
    return {
        "servers": {uuid: _fields(s) for uuid, s in compute.servers.items()},
        "records": {uuid: _fields(r) for uuid, r in compute.records.items()},
        "server_groups": {uuid: _fields(g) for uuid, g in compute.server_groups.items()},
        "flavors": {fid: _fields(f) for fid, f in compute.flavors.items()},
        "flavor_serial": compute.flavor_serial,
        "images": {uuid: _fields(i) for uuid, i in cloud.images.images.items()},
        "instance_actions": {
            uuid: [_fields(a) for a in compute.actions.for_server(uuid)] for uuid in compute.records
        },
        "migrations": [_fields(m) for m in compute.migrations],
        "tasks": [(t.due, t.sequence, t.label) for t in compute.tasks.pending],
        "instance_ids": dict(compute.instance_ids),
        "addresses": compute.address_pools.snapshot(),
        "cells": {name: c.reachable for name, c in compute.cells.items()},
        "clock": compute.clock.now,
        "tokens": len(cloud.identity.tokens),
    }
