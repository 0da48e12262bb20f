"""The Compute WSGI application: authentication, microversions, faults and headers.

Everything that Nova does around a controller happens here, once: the token is checked (as
keystonemiddleware would), the microversion negotiated, the controller called, its answer or
fault rendered, and the version and request-id headers added to every response.
"""

from __future__ import annotations

import json
import logging
from importlib import import_module
from typing import Any

import webob
import webob.dec

from fakenova.compute.api import microversions as mv
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import ApiFault, unexpected
from fakenova.compute.api.policy import Policy, RequestContext
from fakenova.compute.api.views.links import Links
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.urls import UNVERSIONED, VERSIONED
from fakenova.determinism import IdSource
from fakenova.http import RoutedApp, not_found_html
from fakenova.identity.models import IdentityBackend

LOG = logging.getLogger(__name__)
CONTROLLERS = "fakenova.compute.api.controllers."


def _handler(dotted: str) -> Any:
    module, name = dotted.rsplit(".", 1)
    return getattr(import_module(CONTROLLERS + module), name)


class ComputeApp:
    """The WSGI app mounted at ``/compute``."""

    def __init__(
        self, backend: ComputeBackend, identity: IdentityBackend, policy: Policy, ids: IdSource
    ) -> None:
        self.backend = backend
        self.identity = identity
        self.policy = policy
        self.ids = ids
        self.unversioned = RoutedApp(UNVERSIONED)
        self.versioned = RoutedApp(VERSIONED)

    def request_id(self, request: webob.Request) -> str:
        """Stable per (method, path, occurrence): one more GET elsewhere shifts nothing here."""
        return "req-" + self.ids.uuid("request", f"{request.method} {request.path_qs}")

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        request_id = self.request_id(request)
        response = self._dispatch(request, request_id)
        response.headers["x-openstack-request-id"] = request_id
        response.headers["x-compute-request-id"] = request_id
        return response

    def _dispatch(self, request: webob.Request, request_id: str) -> webob.Response:
        matched = self.unversioned.match(request)
        if matched is not None:
            status, body = _handler(matched[0])(request)
            return _json(status, body)
        matched = self.versioned.match(request)
        if matched is None:
            return not_found_html()
        token = self.identity.validate(request.headers.get("X-Auth-Token"))
        if token is None:
            return _unauthenticated(request)
        try:
            version = mv.negotiate(dict(request.headers))
        except mv.MalformedVersion as e:
            return _fault(ApiFault(400, str(e)), None)
        except mv.UnsupportedVersion as e:
            return _fault(ApiFault(406, str(e)), e.version)
        context = RequestContext(token.user.id, token.project.id, token.roles, request_id)
        call = Call(
            request=request,
            version=version,
            context=context,
            policy=self.policy,
            backend=self.backend,
            links=Links(request.host_url + request.script_name + "/v2.1",
                        tuple(request.GET.items())),
        )
        handler, params = matched
        try:
            reply: Reply = _handler(handler)(call, **params)
        except ApiFault as fault:
            return _fault(fault, version)
        except Exception:  # a bug in the fake must still answer like Nova, never a traceback
            LOG.exception("unexpected error in %s", handler)
            return _fault(unexpected(), version)
        response = _json(reply.status, reply.body)
        _add_version_headers(response, version)
        return response


def _json(status: int, body: Any) -> webob.Response:
    response = webob.Response(status=status, content_type="application/json", charset=None)
    response.body = b"" if body is None else json.dumps(body).encode()
    return response


def _add_version_headers(response: webob.Response, version: mv.Version) -> None:
    response.headers.update(mv.version_headers(version))
    response.headers["Vary"] = mv.VARY


def _fault(fault: ApiFault, version: mv.Version | None) -> webob.Response:
    response = webob.Response(status=fault.code, content_type="application/json", charset="UTF-8")
    response.body = json.dumps(fault.body()).encode()
    if version is not None:
        _add_version_headers(response, version)
    return response


def _unauthenticated(request: webob.Request) -> webob.Response:
    """keystonemiddleware's answer to a missing, unknown or expired token."""
    body = {
        "error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "The request you have made requires authentication.",
        }
    }
    response = webob.Response(status=401, content_type="application/json", charset=None)
    response.body = json.dumps(body).encode()
    response.headers["WWW-Authenticate"] = f'Keystone uri="{request.host_url}/identity"'
    return response
