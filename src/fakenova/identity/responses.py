"""The Identity v3 app: Keystone's JSON gate and fault body, discovery, tokens; the admin API
comes from :mod:`.resources`, :mod:`.identities` and :mod:`.assignments`."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import webob

from fakenova.http import RoutedApp, json_response, not_found_html, read_json
from fakenova.identity import policy
from fakenova.identity.assignments import AssignmentHandlers
from fakenova.identity.catalog import Catalog
from fakenova.identity.catalog_api import CatalogHandlers
from fakenova.identity.entities import SYSTEM, UNSCOPED, UNSCOPED_REQUEST, Domain, Token, User
from fakenova.identity.errors import (
    BadRequest,
    Forbidden,
    IdentityError,
    Unauthorized,
    expecting,
    not_found,
)
from fakenova.identity.identities import IdentityHandlers
from fakenova.identity.inferences import InferenceHandlers
from fakenova.identity.models import IdentityBackend
from fakenova.identity.resources import ResourceHandlers
from fakenova.identity.urls import ROUTES
from fakenova.sizelimit import too_large

MEDIA_TYPES = [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]


def keystone_error(request: webob.Request, code: int, title: str, message: str) -> webob.Response:
    """Keystone's error body; a 401 also says where to authenticate (``.../identity/v3``)."""
    response = json_response({"error": {"code": code, "message": message, "title": title}}, code)
    if code == 401:
        response.headers["WWW-Authenticate"] = f'Keystone uri="{request.application_url}/v3"'
    return response


def _read_query_as_flask_does(request: webob.Request) -> None:
    """Werkzeug decodes a query's bytes with replacement characters where they are not UTF-8,
    so Keystone never refuses such a query: it reads an odd parameter name or value."""
    try:
        request.GET  # noqa: B018 - webob decodes strictly, and caches what it decoded
    except UnicodeDecodeError:
        pairs = parse_qsl(request.query_string, keep_blank_values=True, errors="replace")
        request.query_string = urlencode(pairs)


def json_gate(request: webob.Request) -> webob.Response | None:
    """Keystone's ``json_body_before_request``: any request with a body, on any path, must
    carry a JSON object (Content-Type JSON or none). JSON nested too deep for the parser
    crashes Keystone (a generic 500); bad input never gets a 500 from this fake, so it gets
    the 400 any other invalid JSON gets."""
    if not request.body:
        return None
    mimetype = request.content_type
    if mimetype and not (
        mimetype == "application/json"
        or (mimetype.startswith("application/") and mimetype.endswith("+json"))
    ):
        error = expecting("application/json", "Content-Type header")
        return keystone_error(request, 400, error.title, error.message)
    try:
        decoded = json.loads(request.body)
    except (RecursionError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        error = expecting("valid JSON", "request body")
        return keystone_error(request, 400, error.title, error.message)
    return None


class IdentityApp(
    ResourceHandlers, IdentityHandlers, AssignmentHandlers, CatalogHandlers, InferenceHandlers
):
    """The WSGI app mounted at ``/identity``: discovery and tokens here, the admin API in the
    handler classes it joins."""

    def __init__(self, backend: IdentityBackend, catalog: Catalog) -> None:
        super().__init__(backend, catalog)
        self.router = RoutedApp(ROUTES)

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        refused = too_large(request) or json_gate(request)
        if refused is not None:
            return refused
        _read_query_as_flask_does(request)
        head = request.method == "HEAD"
        if head:  # Flask answers HEAD with the GET handler, body dropped
            request.method = "GET"
        matched = self.router.match(request)
        if head:
            request.method = "HEAD"
        if matched is None:
            return not_found_html()
        handler, params = matched
        try:
            response: webob.Response = getattr(self, handler)(request, **params)
        except IdentityError as error:
            return keystone_error(request, error.status, error.title, error.message)
        if head:
            response.body = b""
        return response

    # -- discovery ------------------------------------------------------------------------------

    def _v3(self, request: webob.Request) -> dict[str, Any]:
        return {
            "id": "v3.14",
            "status": "stable",
            "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": request.application_url + "/v3/"}],
            "media-types": MEDIA_TYPES,
        }

    def versions(self, request: webob.Request) -> webob.Response:
        """300 Multiple Choices, with the preferred (only) version in ``Location``."""
        return json_response(
            {"versions": {"values": [self._v3(request)]}},
            300,
            {"Location": request.application_url + "/v3/"},
        )

    def version(self, request: webob.Request) -> webob.Response:
        return json_response({"version": self._v3(request)})

    # -- tokens ---------------------------------------------------------------------------------

    def create_token(self, request: webob.Request) -> webob.Response:
        """``password`` or ``token`` (rescoping) authentication, scoped as asked."""
        try:
            auth = read_json(request)["auth"]
            identity = auth["identity"]
            methods = identity.get("methods", [])
            scope = self._auth_scope(auth.get("scope"))
            if "token" in methods:
                wanted = identity["token"]["id"]
                original = self.backend.token(wanted)
                if original is None:
                    raise not_found("token", wanted)
                token = self.backend.rescope(original, scope)
            elif "password" in methods:
                password = identity["password"]["user"]
                user = self._auth_user(password)
                token = self.backend.login(user, password["password"], scope)
            else:
                raise Unauthorized("Attempted to authenticate with an unsupported method.")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadRequest("Malformed authentication request.") from None
        body = self._views(request).token(token, self.catalog.for_token(request.host_url))
        return json_response(body, 201, {"X-Subject-Token": token.id})

    def _auth_domain(self, ref: dict[str, Any], target: str) -> Domain:
        """A domain named by ``id`` or ``name``; an unknown one is a 401."""
        if not isinstance(ref, dict) or not ({"id", "name"} & set(ref)):
            raise expecting("domain", target)
        try:
            if "id" in ref:
                return self.backend.domain(ref["id"])
            return self.backend.domain_by_name(ref["name"])
        except IdentityError:
            raise Unauthorized() from None

    def _auth_user(self, ref: dict[str, Any]) -> User:
        if "id" not in ref and "name" not in ref:
            raise expecting("id or name", "user")
        try:
            if "id" in ref:
                return self.backend.user(ref["id"])
            if "domain" not in ref:
                raise expecting("domain", "user")
            domain = self._auth_domain(ref["domain"], "user")
            return self.backend.user_by_name(ref["name"], domain.id)
        except (Unauthorized, BadRequest):
            raise
        except IdentityError:
            raise Unauthorized() from None

    def _auth_scope(self, scope: dict[str, Any] | None) -> tuple[str, str] | None:
        """``(kind, target)`` of the scope asked for; an unknown target is a 401."""
        if not scope:
            return None
        if scope == UNSCOPED_REQUEST or (isinstance(scope, dict) and UNSCOPED_REQUEST in scope):
            # Keystone's explicit request for an unscoped token (keystoneauth's ``unscoped``):
            # none even where the user has a default project.
            return UNSCOPED
        try:
            if "project" in scope:
                ref = scope["project"]
                if "id" in ref:
                    return ("project", self.backend.project(ref["id"]).id)
                if "domain" not in ref:
                    raise expecting("domain", "project")
                domain = self._auth_domain(ref["domain"], "project")
                return ("project", self.backend.project_by_name(ref["name"], domain.id).id)
            if "domain" in scope:
                return ("domain", self._auth_domain(scope["domain"], "domain").id)
            if "system" in scope:
                return ("system", SYSTEM)
        except (Unauthorized, BadRequest):
            raise
        except IdentityError:
            raise Unauthorized() from None
        raise BadRequest("Malformed authentication request.")

    def _subject(self, request: webob.Request) -> Token:
        wanted = request.headers.get("X-Subject-Token", "")
        subject = self.backend.token(wanted)
        if subject is None:
            raise not_found("token", wanted)
        return subject

    def validate_token(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        subject = self._subject(request)
        action = "identity:check_token" if request.method == "HEAD" else "identity:validate_token"
        policy.enforce(action, caller, {"token": subject})
        catalog = [] if "nocatalog" in request.GET else self.catalog.for_token(request.host_url)
        body = self._views(request).token(subject, catalog)
        if "nocatalog" in request.GET:
            body["token"].pop("catalog", None)
        return json_response(body, 200, {"X-Subject-Token": subject.id})

    def revoke_token(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        subject = self._subject(request)
        policy.enforce("identity:revoke_token", caller, {"token": subject})
        self.backend.revoke_token(subject.id)
        return json_response(None, 204)

    def auth_projects(self, request: webob.Request) -> webob.Response:
        """``GET /v3/auth/projects``: the projects the caller may scope a token to."""
        caller = self._caller(request)
        views = self._views(request)
        rows = [views.project(p) for p in self.backend.projects_of(caller.user)]
        return json_response(views.collection("projects", rows, self._self_url(request)))

    def auth_catalog(self, request: webob.Request) -> webob.Response:
        """``GET /v3/auth/catalog``: the catalog a project-scoped token carries; Keystone has
        none to give for a token of any other scope."""
        caller = self._caller(request)
        if caller.project is None:
            raise Forbidden("A project-scoped token is required to produce a service catalog.")
        links = {"self": request.application_url + "/v3/auth/catalog"}
        return json_response({"catalog": self.catalog.for_token(request.host_url), "links": links})

    def auth_domains(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        views = self._views(request)
        rows = [views.domain(d) for d in self.backend.domains_of(caller.user)]
        return json_response(views.collection("domains", rows, self._self_url(request)))
