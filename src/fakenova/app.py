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
from fakenova.identity.responses import IdentityApp
from fakenova.image.responses import ImageApp
from fakenova.network.responses import NetworkApp

PREFIXES = {
    "identity": "/identity",
    "image": "/image",
    "networking": "/networking",
    "compute": "/compute",
}


def catalog(cloud: Cloud, ids: dict[str, tuple[str, str]], base_url: str) -> list[dict[str, Any]]:
    """The service catalog a token carries, pointing back at whatever host the client used.
    ``ids`` maps a service type to its (service id, endpoint id), fixed when the app is built."""
    entries = [
        ("compute", "nova", f"{base_url}/compute/v2.1"),
        ("image", "glance", f"{base_url}/image"),
        ("network", "neutron", f"{base_url}/networking"),
        ("identity", "keystone", f"{base_url}/identity"),
    ]
    return [
        {
            "type": kind,
            "name": name,
            "id": ids[kind][0],
            "endpoints": [
                {
                    "id": ids[kind][1],
                    "interface": "public",
                    "region_id": cloud.settings.region,
                    "region": cloud.settings.region,
                    "url": url,
                }
            ],
        }
        for kind, name, url in entries
    ]


class FakeCloudApp:
    """Dispatch on the first path segment, like devstack's Apache in front of uwsgi apps."""

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        ids = {
            kind: (cloud.ids.hex("service", kind), cloud.ids.hex("endpoint", kind))
            for kind in ("compute", "image", "identity", "network")
        }
        self.apps = {
            "identity": IdentityApp(cloud.identity, lambda base: catalog(cloud, ids, base)),
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


def make_app(cloud: Cloud) -> FakeCloudApp:
    return FakeCloudApp(cloud)
