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

import contextlib
import copy
import dataclasses
import inspect
import json
import threading
import urllib.parse
import warnings
from typing import TYPE_CHECKING, Any

import webob

from fakenova import scenarios
from fakenova.app import FakeCloudApp, make_app
from fakenova.cloud import Cloud, build_cloud
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers.archive import Archived
from fakenova.manage import archive_in
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

    def token_for(
        self,
        user: str,
        password: str = PASSWORD,
        project: str | None = None,
        scope: dict[str, Any] | str | None = None,
    ) -> str:
        """A fresh token for ``user`` scoped to ``project`` (the user's own by default), or to
        ``scope`` as Keystone's ``auth.scope`` names one (``{"system": {"all": True}}``,
        ``{"domain": {"id": "default"}}``, ``"unscoped"``)."""
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
                "scope": scope
                or {"project": {"name": project or user, "domain": {"id": "default"}}},
            }
        }
        response = self.request("POST", "/identity/v3/auth/tokens", body=body, auth=False)
        if response.status_int != 201:
            raise AssertionError(f"no token for {user}: {response.status} {response.text}")
        return response.headers["X-Subject-Token"]

    def as_user(
        self, user: str, project: str | None = None, scope: dict[str, Any] | str | None = None
    ) -> Client:
        """A client carrying ``user``'s token (users admin, demo, alt_demo); ``scope`` as for
        :meth:`token_for`."""
        return Client(self.app, self.token_for(user, project=project, scope=scope), self.host)

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

    def archive_deleted_rows(self, **options: Any) -> Archived:
        """What an operator's ``nova-manage db archive_deleted_rows`` does to this cloud:
        deleted servers (not soft-deleted ones) leave every listing, and their instance
        actions answer 404. ``options`` are nova-manage's, by name: ``max_rows`` (1000),
        ``before`` (a datetime or a date string), ``all_cells``, ``until_complete``,
        ``purge``. The result has ``tables`` (rows per table, as ``--verbose`` prints them),
        ``instances`` (the archived servers' ids) and ``exit_code``."""
        return archive_in(self.cloud, **options)


def network_id(cloud: Cloud, name: str = "private") -> str:
    """The id of the deployment's network called ``name``."""
    return next(n.id for n in cloud.network.networks.values() if n.name == name)


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
    migrations, pending work, allocation counters, held fixed addresses, the scenario clock,
    the number of issued tokens, the quota limits set through the API, host aggregates and
    the hosts' zones.
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
        "network": cloud.network.snapshot(),
        "cells": {name: c.reachable for name, c in compute.cells.items()},
        "clock": compute.clock.now,
        "tokens": len(cloud.identity.tokens),
        "quotas": _fields(compute.quotas),
        "aggregates": _fields(compute.aggregates),
        "zones": {name: host.zone for name, host in compute.hosts.items()},
    }


# -- mock_cloud(): a cloud for anyone's tests, reached by the real clients ----------------------

DEFAULT_URL = "http://fakenova.test"
# conf/clouds.yaml's cloud names, per user.
CLOUD_NAMES = {"demo": "fakenova", "alt_demo": "fakenova-alt", "admin": "fakenova-admin"}

_active: list[MockCloud] = []
_active_lock = threading.Lock()


class MockCloud(contextlib.ContextDecorator):
    """A fresh fake cloud while a ``with`` block (or a decorated function) runs, answering the
    real clients at :attr:`url` in this process: see :func:`mock_cloud`.

    The cloud is built anew on every entry (a :class:`World` with the scenario and overrides
    given), so two blocks, or two calls of a decorated test, never share state; a ``world``
    given is served as it is instead. Only one mock cloud is active at a time in a process:
    entering a second one raises :class:`RuntimeError` (the clients' routing is
    process-wide).
    """

    def __init__(
        self,
        scenario: str | None = None,
        *,
        nova: dict[str, Any] | None = None,
        policy: dict[str, str] | None = None,
        seed: str | None = None,
        url: str = DEFAULT_URL,
        world: World | None = None,
    ) -> None:
        if world is not None and (scenario, nova, policy, seed) != (None, None, None, None):
            raise ValueError(
                "mock_cloud(world=...) serves that World as it is: no scenario, "
                "nova, policy or seed with it"
            )
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ValueError(f"mock_cloud(url=...) takes scheme://host[:port], not {url!r}")
        self.scenario, self.nova, self.policy, self.seed = scenario, nova, policy, seed
        self.url = f"{parts.scheme}://{parts.netloc}"
        self._address = (
            parts.hostname,
            parts.port or {"http": 80, "https": 443}[parts.scheme],
            parts.scheme,
        )
        self._given = world
        self._world: World | None = None
        self._route: contextlib.ExitStack | None = None

    # -- entering and leaving ----------------------------------------------------------------

    def __call__(self, func: Any) -> Any:
        """Decorate a (synchronous) test function: a new cloud for each call."""
        if inspect.isclass(func) or inspect.iscoroutinefunction(func):
            raise TypeError(
                "mock_cloud() decorates plain functions; in a class or a coroutine, use "
                "`with mock_cloud(...) as cloud:` (or a fixture) instead"
            )
        return super().__call__(func)

    def __enter__(self) -> MockCloud:
        from fakenova import transport  # needs requests (the ``verify`` extra)

        with _active_lock:
            if _active:
                raise RuntimeError(
                    "mock_cloud() is already active in this process (at "
                    f"{_active[0].url}): a test gets one mock cloud at a time; leave the "
                    "first one before entering another"
                )
            _active.append(self)
        try:
            world = self._given
            if world is None:
                world = World(self.scenario, nova=self.nova, policy=self.policy, seed=self.seed)
            host, port, scheme = self._address
            route = contextlib.ExitStack()
            route.enter_context(transport.routed(lambda: world.app, host, port, scheme))
        except BaseException:
            _active.clear()
            raise
        self._world, self._route = world, route
        return self

    def __exit__(self, *exc: object) -> None:
        route, self._route, self._world = self._route, None, None
        try:
            if route is not None:
                route.close()
        finally:
            with _active_lock:
                _active.clear()

    @property
    def active(self) -> bool:
        return self._world is not None

    # -- the cloud underneath ----------------------------------------------------------------

    @property
    def world(self) -> World:
        """The :class:`World` being served: its state (``world.cloud``, ``world.compute``)
        and its own WebOb clients (``world.demo.get(...)``)."""
        if self._world is None:
            raise RuntimeError("this mock_cloud() is not active: use it inside its with block")
        return self._world

    @property
    def compute(self) -> ComputeBackend:
        """The compute state (servers, migrations, services ...), for assertions."""
        return self.world.compute

    def settle(self) -> None:
        """Finish the work Nova's compute hosts do after the API answered (a building server
        becomes ACTIVE, a resize reaches VERIFY_RESIZE ...)."""
        self.world.settle()

    def archive_deleted_rows(self, **options: Any) -> Archived:
        """``nova-manage db archive_deleted_rows`` on this cloud (see
        :meth:`World.archive_deleted_rows`)."""
        return self.world.archive_deleted_rows(**options)

    # -- where and who -----------------------------------------------------------------------

    @property
    def auth_url(self) -> str:
        """Keystone's URL, as devstack lays it out: ``{url}/identity``."""
        return f"{self.url}/identity"

    @property
    def compute_url(self) -> str:
        """The compute endpoint of the catalog: ``{url}/compute/v2.1``."""
        return f"{self.url}{API}"

    @property
    def region(self) -> str:
        return self.world.cloud.settings.region

    @property
    def users(self) -> tuple[str, ...]:
        """The users of ``conf/``: ``demo``, ``alt_demo``, ``admin`` (password ``secret``)."""
        return tuple(self.world.cloud.identity.users)

    def auth(self, user: str = "demo", project: str | None = None) -> dict[str, str]:
        """``user``'s password credentials, scoped to ``project`` (the user's own by default):
        the ``auth`` section of a clouds.yaml cloud. ``alt`` is short for ``alt_demo``."""
        user = ALIASES.get(user, user)
        known = self.world.cloud.identity.users
        if user not in known:
            raise KeyError(f"no user {user!r} in this cloud (users: {', '.join(known)})")
        return {
            "auth_url": self.auth_url,
            "username": user,
            "password": PASSWORD,
            "project_name": project or known[user].project.name,
            "user_domain_id": "default",
            "project_domain_id": "default",
        }

    def cloud_config(self, user: str = "demo", project: str | None = None) -> dict[str, Any]:
        """One clouds.yaml cloud for ``user`` (what ``conf/clouds.yaml`` has, at :attr:`url`)."""
        return {
            "auth": self.auth(user, project),
            "region_name": self.region,
            "identity_api_version": 3,
        }

    @property
    def clouds_yaml(self) -> dict[str, Any]:
        """A clouds.yaml document (as a dict) with a cloud per user, named as in
        ``conf/clouds.yaml``: ``fakenova`` (demo), ``fakenova-alt``, ``fakenova-admin``."""
        return {"clouds": {name: self.cloud_config(user) for user, name in CLOUD_NAMES.items()}}

    def connect_kwargs(self, user: str = "demo", project: str | None = None) -> dict[str, Any]:
        """Keyword arguments for ``openstack.connect(**...)`` as ``user``: this cloud only,
        whatever clouds.yaml files or ``OS_*`` variables the machine has."""
        return {
            **self.cloud_config(user, project),
            "load_yaml_config": False,
            "load_envvars": False,
        }

    def connect(self, user: str = "demo", project: str | None = None, **options: Any) -> Any:
        """``openstack.connect(...)`` as ``user`` (``options`` added, e.g.
        ``compute_api_version="2.69"``): an openstacksdk ``Connection``."""
        import openstack
        from openstack.warnings import RemovedInSDK60Warning

        with warnings.catch_warnings():
            # openstacksdk 4.22 warns about InfluxDB on every connect(), configured or not.
            warnings.filterwarnings("ignore", "Support for InfluxDB", RemovedInSDK60Warning)
            return openstack.connect(**self.connect_kwargs(user, project), **options)

    def session(self, user: str = "demo", project: str | None = None) -> Any:
        """A keystoneauth ``Session`` logged in as ``user`` (for novaclient and friends)."""
        from keystoneauth1 import session
        from keystoneauth1.identity import v3

        return session.Session(auth=v3.Password(**self.auth(user, project)))

    def env(self, user: str = "demo", project: str | None = None) -> dict[str, str]:
        """What ``source conf/openrc USER PROJECT`` exports, pointed at this cloud."""
        from fakenova.verifier.openstack_cli import credentials_env

        auth = self.auth(user, project)
        return credentials_env(auth["username"], PASSWORD, auth["project_name"], self.url)

    def openstack(
        self,
        argv: list[str] | str,
        user: str = "demo",
        project: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Any:
        """Run ``openstack ARGV`` (python-openstackclient) in this process as ``user``, the way
        the guide's verifier runs it: a :class:`~fakenova.verifier.openstack_cli.CommandResult`
        with ``exit_code``, ``stdout`` and ``stderr``. ``env`` adds variables, e.g.
        ``{"OS_COMPUTE_API_VERSION": "2.69"}``."""
        from fakenova.verifier.openstack_cli import InProcessCLI

        world = self.world
        host, port, _ = self._address
        cli = InProcessCLI(lambda: world.app, host, port)
        return cli.run(argv, {**self.env(user, project), **(env or {})})


def mock_cloud(
    scenario: Any = None,
    *,
    nova: dict[str, Any] | None = None,
    policy: dict[str, str] | None = None,
    seed: str | None = None,
    url: str = DEFAULT_URL,
    world: World | None = None,
) -> Any:
    """A fake Nova cloud for a test, reached by the real clients with no server and no port.

    As a context manager::

        with mock_cloud(scenario="down-cells", nova={"api": {"max_limit": 2}}) as cloud:
            conn = openstack.connect(**cloud.connect_kwargs("admin"))
            ...

    or as a decorator of a test function (``@mock_cloud`` or ``@mock_cloud(...)``), where
    :func:`current_cloud` gives the cloud. Inside, ``requests`` to ``url``
    (``http://fakenova.test`` by default) are answered by the fake in this process: that is
    openstacksdk, python-openstackclient, novaclient, anything on a keystoneauth session and
    plain ``requests``. ``scenario``, ``nova``, ``policy`` and ``seed`` build the cloud as
    :class:`World` does; ``world`` serves a :class:`World` already built (a test's own
    subclass, in the state it set up) instead of a new one. Leaving the block removes the
    routing and the cloud.
    """
    if callable(scenario):  # bare @mock_cloud
        return MockCloud()(scenario)
    return MockCloud(scenario, nova=nova, policy=policy, seed=seed, url=url, world=world)


def current_cloud() -> MockCloud:
    """The active :func:`mock_cloud` (for a decorated test)."""
    if not _active:
        raise RuntimeError("no mock_cloud() is active")
    return _active[0]
