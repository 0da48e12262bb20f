"""The Compute WSGI application: authentication, microversions, faults and headers.

Everything that Nova does around a controller happens here, once, in the order of Nova's paste
pipeline: the path is placed as Nova's urlmap places it (version root, ``/v2.1`` and ``/v2``
documents, or the API), the token is checked before any routing (as keystonemiddleware would),
the route matched, the microversion negotiated, the controller called, its answer or fault
rendered, and the version and request-id headers added.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

import webob
import webob.dec
from webob.request import PATH_SAFE

from fakenova.compute.api import envelope
from fakenova.compute.api import microversions as mv
from fakenova.compute.api.controllers import versions
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import ApiFault, bad_request, from_error, unexpected
from fakenova.compute.api.policy import PROJECT_SCOPE, Policy, RequestContext
from fakenova.compute.api.views.links import Links
from fakenova.compute.api.views.versions import VERSIONS, version_document
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.errors import ComputeError
from fakenova.compute.urls import URL_PROJECT, VERSION_DOCUMENT, VERSIONED, with_project_id
from fakenova.determinism import IdSource
from fakenova.http import RoutedApp, keystone_unauthorized, not_found_html
from fakenova.identity.models import IdentityBackend, Token
from fakenova.sizelimit import too_large

LOG = logging.getLogger(__name__)
JSON = "application/json"
# nova/api/validation: webob cannot decode the query, so the query schema is never reached
QUERY_NOT_UTF8 = "Query string is not UTF-8 encoded"


class ComputeApp:
    """The WSGI app mounted at ``/compute``."""

    def __init__(
        self, backend: ComputeBackend, identity: IdentityBackend, policy: Policy, ids: IdSource
    ) -> None:
        self.backend = backend
        self.compute = ComputeAPI(backend)
        self.identity = identity
        self.policy = policy
        self.ids = ids
        self.versioned = RoutedApp(VERSIONED + with_project_id([*VERSIONED, VERSION_DOCUMENT]))

    def request_id(self, request: webob.Request) -> str:
        """Stable per (method, path, occurrence): one more GET elsewhere shifts nothing here."""
        return "req-" + self.ids.uuid("request", f"{request.method} {_path_qs(request)}")

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        # Nova's urlmap: ``/`` and anything it cannot place go to the version root, which runs
        # without the request-id middleware; ``/v2.1``, ``/v2`` and the API below them have it.
        path = request.path_info or "/"
        if not _under(path, "/v2.1") and not _under(path, "/v2"):
            mount = media_type_mount(request)
            if mount is None:
                if path == "/":
                    return _in_media_type(request, _json(200, versions.versions(request)[1]))
                return _in_media_type(request, _json(300, version_choices(request)))
            path = mount  # that version's document answers, whatever the path asked for
        # Work answered earlier (a build, a reboot ...) finishes before this request is seen.
        self.backend.tasks.settle()
        request_id = self.request_id(request)
        # oslo.middleware's sizelimit runs inside the request-id middleware, before the token.
        response = too_large(request)
        if response is None:
            response = self._dispatch(request, path, request_id)
        response.headers["x-openstack-request-id"] = request_id
        response.headers["x-compute-request-id"] = request_id
        return _in_media_type(request, response)

    def _dispatch(self, request: webob.Request, path: str, request_id: str) -> webob.Response:
        if path in ("/v2.1", "/v2.1/"):
            # The version document is a microversioned resource, reachable without a token.
            try:
                version = mv.negotiate(_version_headers(request))
            except mv.MalformedVersion as e:
                return _fault(ApiFault(400, str(e)), None)
            except mv.UnsupportedVersion as e:
                return _fault(ApiFault(406, str(e)), e.version)
            response = _json(*versions.version_v21(request))
            _add_version_headers(response, version)
            return response
        if path in ("/v2", "/v2/"):
            return _json(200, version_document(versions.root_url(request), "v2.0"))
        if not path.startswith("/v2.1/"):
            return not_found_html()  # the legacy v2 API is not part of the fake
        # keystonemiddleware sits in front of Nova's router: no token, no 404 either. It takes
        # any valid token, whatever its scope; Nova's policy decides what it may do.
        token = self.identity.token(request.headers.get("X-Auth-Token"))
        if token is None:
            return keystone_unauthorized(request)
        matched = self.versioned.match(request)
        if matched is None:
            return not_found_html()
        try:
            version = mv.negotiate(_version_headers(request))
        except mv.MalformedVersion as e:
            return _fault(ApiFault(400, str(e)), None)
        except mv.UnsupportedVersion as e:
            return _fault(ApiFault(406, str(e)), e.version)
        context = request_context(token, request_id)
        handler, params = matched
        url_project = params.pop(URL_PROJECT, None)
        try:
            body = envelope.read(request)
        except ApiFault as fault:
            return _fault(fault, version)
        try:
            query: tuple[tuple[str, str], ...] | None = tuple(request.GET.items())
        except UnicodeDecodeError:
            query = None
        call = Call(
            request=request,
            version=version,
            context=context,
            policy=self.policy,
            compute=self.compute,
            links=Links(
                request.host_url + request.script_name + "/v2.1",
                query or (),
                _link_project(request, context),
            ),
            body=body,
            url_project=url_project,
        )
        try:
            if not getattr(handler, "finds_its_method", False):
                call.check_url_project()
            if query is None and request.method == "GET":
                # Nova's query-schema validation, which every GET has, before the policy
                raise bad_request(QUERY_NOT_UTF8)
            reply: Reply = handler(call, **params)
        except ApiFault as fault:
            return _fault(fault, version)
        except UnicodeDecodeError:  # another method whose query Nova validates
            return _fault(bad_request(QUERY_NOT_UTF8), version)
        except ComputeError as error:
            return _fault(from_error(error), version)
        except Exception:  # a bug in the fake must still answer like Nova, never a traceback
            LOG.exception("unexpected error in %s", handler.__name__)
            return _fault(unexpected(), version)
        response = _json(reply.status, reply.body)
        response.headers.update(reply.headers)
        _add_version_headers(response, version)
        return response


def request_context(token: Token, request_id: str) -> RequestContext:
    """Nova's context from what keystonemiddleware tells it of ``token``: the project of a
    project-scoped token (none for another), its roles, and the scope oslo.policy reads."""
    scope = token.scope[0] if token.scope is not None else PROJECT_SCOPE
    project_id = token.project.id if token.project is not None else None
    return RequestContext(token.user.id, project_id, token.roles, request_id, scope)


def _link_project(request: webob.Request, context: RequestContext) -> str:
    """The project id links carry: the caller's, when the request's URL contains it
    anywhere (Nova's test, made on the whole URL, query string included). Read from the URL's
    parts as received: a project id is hex digits and dashes, which quoting leaves alone, and
    building ``request.url`` for every request would cost more than the rest of this."""
    project_id = context.project_id
    if not project_id:
        return ""
    environ = request.environ
    for part in ("PATH_INFO", "QUERY_STRING", "SCRIPT_NAME", "HTTP_HOST"):
        if project_id in environ.get(part, ""):
            return project_id
    return ""


def _version_headers(request: webob.Request) -> dict[str, str]:
    """The two headers a microversion is read from (what the server folded of each); handing
    microversion-parse these instead of every header spares it lower-casing them all."""
    headers = request.headers
    return {name: value for name in mv.VARY if (value := headers.get(name)) is not None}


def _path_qs(request: webob.Request) -> str:
    """``request.path_qs``, quoted as WebOb quotes it; for an ASCII path without WebOb's
    round trip of each part through the URL encoding (a sixth of a ``server show``)."""
    environ = request.environ
    script, path = environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", "")
    if not (script.isascii() and path.isascii()):
        return request.path_qs
    quoted = quote(script.encode(), PATH_SAFE) + quote(path.encode(), PATH_SAFE)
    query = environ.get("QUERY_STRING")
    return f"{quoted}?{query}" if query else quoted


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def media_type_mount(request: webob.Request) -> str | None:
    """The version a path outside ``/v2.1`` and ``/v2`` names by media type, as Nova's urlmap
    reads it: a ``version`` parameter of ``Content-Type``, else of the ``Accept`` entry that best
    matches a supported type (``application/json;version=2.1``). Only ``2.1`` and ``2`` name
    a mount (their version document); anything else leaves the request to the version root."""
    params = _media_params(request.headers.get("Content-Type", ""))[1]
    if "version" not in params:
        params = _best_accept(request.headers.get("Accept", ""))[1]
    return {"2.1": "/v2.1", "2": "/v2"}.get(params.get("version", ""))


def _in_media_type(request: webob.Request, response: webob.Response) -> webob.Response:
    """Nova's answers (documents, resources) in the supported type ``Accept`` prefers:
    ``application/vnd.openstack.compute+json`` when a client asks for it. Nova's faults are
    JSON whatever the client asks, as are the errors answered before Nova."""
    accept = request.headers.get("Accept", "")
    if accept in ("", JSON) or response.status_int >= 400 or response.content_type != JSON:
        return response
    chosen = _best_accept(accept)[0]
    if chosen is not None and chosen != JSON:
        response.content_type = chosen
    return response


def _media_params(value: str) -> tuple[str, dict[str, str]]:
    mask, *pieces = (piece.strip() for piece in value.split(";"))
    params = {}
    for piece in pieces:
        name, _, param = piece.partition("=")
        params[name.strip()] = param.strip().strip('"')
    return mask, params


def _best_accept(value: str) -> tuple[str | None, dict[str, str]]:
    """The supported type ``Accept`` prefers and the parameters of the entry that chose it,
    decided as Nova's urlmap decides: the types in the order Nova lists them, the highest
    quality, and at equal quality only a less wildcarded entry takes over."""
    entries = [_media_params(entry) for entry in value.split(",") if entry.strip()]
    quality, chosen, params, best_mask = -1.0, None, {}, "*/*"
    for offered in envelope.SUPPORTED_CONTENT_TYPES:
        for mask, entry_params in entries:
            try:
                q = float(entry_params.get("q", 1))
            except ValueError:
                continue
            if q < quality or (q == quality and best_mask.count("*") <= mask.count("*")):
                continue
            if _matches(mask, offered):
                quality, chosen, params, best_mask = q, offered, entry_params, mask
    return chosen, params


def _matches(mask: str, offered: str) -> bool:
    if "*" not in mask:
        return mask == offered
    return mask == "*/*" or offered.split("/", 1)[0] == mask[:-2]


def version_choices(request: webob.Request) -> dict[str, Any]:
    """Nova's ``300 Multiple Choices``: each version's link to the path that was asked for."""
    root = versions.root_url(request)
    choices = []
    for key in sorted(VERSIONS):
        v = VERSIONS[key]
        number = "v2.1" if key.startswith("v2.1") else "v2"
        href = "/".join([root.rstrip("/"), number, request.path.strip("/")])
        choices.append(
            {
                "id": v["id"],
                "status": v["status"],
                "links": [{"rel": "self", "href": href}],
                "media-types": v["media-types"],
            }
        )
    return {"choices": choices}


def _json(status: int, body: Any) -> webob.Response:
    # A body is a tree, never cyclic: without the encoder's cycle check the bytes are the same
    # and a 1,000-server detail page's JSON takes ~1 ms less (of ~15).
    data = b"" if body is None else json.dumps(body, check_circular=False).encode()
    # The headers as WebOb would set them (length, then type), handed over whole: half the
    # calls of building them one by one. A 204 carries the JSON content type too, as Nova's do.
    headers = [("Content-Length", str(len(data))), ("Content-Type", "application/json")]
    return webob.Response(status=status, headerlist=headers, app_iter=[data])


def _add_version_headers(response: webob.Response, version: mv.Version) -> None:
    response.headers.update(mv.version_headers(version))
    for name in mv.VARY:  # two Vary headers, one per name, as Nova adds them
        response.headers.add("Vary", name)


def _fault(fault: ApiFault, version: mv.Version | None) -> webob.Response:
    response = webob.Response(status=fault.code, content_type="application/json")
    response.charset = "UTF-8"  # set afterwards, as Nova does: the header then names it
    response.body = json.dumps(fault.body()).encode()
    if version is not None:
        _add_version_headers(response, version)
    return response
