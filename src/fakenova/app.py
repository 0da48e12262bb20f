"""The root WSGI application: devstack's layout, one host, one path prefix per service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import webob
import webob.dec

from fakenova import manage
from fakenova.cloud import Cloud
from fakenova.compute.api.app import ComputeApp
from fakenova.http import not_found_html
from fakenova.identity.catalog import Catalog, Service
from fakenova.identity.responses import IdentityApp
from fakenova.image.responses import ImageApp
from fakenova.network.responses import NetworkApp

PREFIXES = {
    "identity": "/identity",
    "image": "/image",
    "networking": "/networking",
    "compute": "/compute",
}


# devstack's services (lib/nova, lib/glance, lib/neutron; keystone-manage bootstrap for
# identity, which gives it no description): type, name, description, path of its endpoint.
SERVICES = (
    ("compute", "nova", "Nova Compute Service", "/compute/v2.1"),
    ("image", "glance", "Glance Image Service", "/image"),
    ("network", "neutron", "Neutron Service", "/networking"),
    ("identity", "keystone", None, "/identity"),
)


def catalog(cloud: Cloud) -> Catalog:
    """The cloud's service catalog; its ids are fixed when the app is built."""
    return Catalog(
        cloud.settings.region,
        (
            Service(
                kind,
                name,
                description,
                path,
                cloud.ids.hex("service", kind),
                cloud.ids.hex("endpoint", kind),
            )
            for kind, name, description, path in SERVICES
        ),
    )


class FakeCloudApp:
    """Dispatch on the first path segment, like devstack's Apache in front of uwsgi apps."""

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.apps = {
            "identity": IdentityApp(cloud.identity, catalog(cloud)),
            "image": ImageApp(cloud.images, cloud.identity),
            "networking": NetworkApp(cloud.network, cloud.identity),
            "compute": ComputeApp(cloud.compute, cloud.identity, cloud.policy, cloud.ids),
        }
        # Set by the verifier to learn which routes the guide's samples exercise: called as
        # recorder(service, request, response) with the service-relative request.
        self.recorder: Callable[[str, webob.Request, webob.Response], None] | None = None
        # The cloud's state is plain Python objects, not thread-safe, and waitress answers
        # from several threads: the fake serialises requests, like a single-worker nova-api.
        # Every response body is built in full before the lock is released.
        self._lock = threading.Lock()

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> Any:
        with self._lock:
            return self._route(request)

    def _route(self, request: webob.Request) -> Any:
        try:
            segment = request.path_info_peek()
        except UnicodeDecodeError:
            _read_path_as_routes_does(request)
            segment = request.path_info_peek()
        if segment == manage.PREFIX:  # the operator's nova-manage, not an OpenStack API
            return manage.endpoint(self.cloud, request)
        if segment not in self.apps:
            return not_found_html()
        request.path_info_pop()
        # Each service is a ``wsgify`` app: called with the request (not as WSGI), it hands
        # back its response object instead of a second round of WSGI conversion.
        response = self.apps[segment](request)
        if self.recorder is not None:
            self.recorder(segment, request, response)
        return response


def _read_path_as_routes_does(request: webob.Request) -> None:
    """A path that is not UTF-8 (``/servers/%C0%AF``), which webob cannot decode, is read one
    character per byte, as the Routes mapper in front of Nova and Glance reads the WSGI string:
    Nova then answers that ``Instance À¯`` could not be found."""
    request.environ["PATH_INFO"] = request.environ["PATH_INFO"].encode().decode("latin-1")


def make_app(cloud: Cloud) -> FakeCloudApp:
    return FakeCloudApp(cloud)
