"""Identity v3 HTTP handlers: parse Keystone requests, render Keystone bodies."""

from __future__ import annotations

import json
from typing import Any

import webob

from fakenova.http import RoutedApp, json_response, not_found_html, read_json
from fakenova.identity.models import (
    DEFAULT_DOMAIN,
    AuthenticationFailed,
    IdentityBackend,
    Project,
    Token,
)
from fakenova.identity.urls import ROUTES
from fakenova.sizelimit import too_large

MEDIA_TYPES = [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]
UNAUTHORIZED = "The request you have made requires authentication."
UNEXPECTED = "An unexpected error prevented the server from fulfilling your request."


def keystone_error(request: webob.Request, code: int, title: str, message: str) -> webob.Response:
    """Keystone's error body; a 401 also says where to authenticate (``.../identity/v3``)."""
    response = json_response({"error": {"code": code, "message": message, "title": title}}, code)
    if code == 401:
        response.headers["WWW-Authenticate"] = f'Keystone uri="{request.application_url}/v3"'
    return response


def _expecting(attribute: str, target: str) -> str:
    """Keystone's ``ValidationError`` sentence."""
    return (
        f"Expecting to find {attribute} in {target}. The server could not comply with the "
        "request since it is either malformed or otherwise incorrect. The client is assumed "
        "to be in error."
    )


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
        return keystone_error(
            request, 400, "Bad Request", _expecting("application/json", "Content-Type header")
        )
    try:
        decoded = json.loads(request.body)
    except (RecursionError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        return keystone_error(request, 400, "Bad Request", _expecting("valid JSON", "request body"))
    return None


def _time(value: Any) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


class IdentityApp:
    """The WSGI app mounted at ``/identity``."""

    def __init__(self, backend: IdentityBackend, catalog: Any) -> None:
        self.backend = backend
        self.catalog = catalog  # callable(base_url) -> catalog list
        self.router = RoutedApp(ROUTES)

    @webob.dec.wsgify
    def __call__(self, request: webob.Request) -> webob.Response:
        refused = too_large(request) or json_gate(request)
        if refused is not None:
            return refused
        matched = self.router.match(request)
        if matched is None:
            return not_found_html()
        handler, params = matched
        return getattr(self, handler)(request, **params)

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

    def create_token(self, request: webob.Request) -> webob.Response:
        try:
            auth = read_json(request)["auth"]
            password = auth["identity"]["password"]["user"]
            scope = (auth.get("scope") or {}).get("project") or {}
            token = self.backend.authenticate(
                password["name"], password["password"], scope.get("name")
            )
        except (ValueError, KeyError, TypeError):
            return keystone_error(request, 400, "Bad Request", "Malformed authentication request.")
        except AuthenticationFailed:
            return keystone_error(request, 401, "Unauthorized", UNAUTHORIZED)
        body = self._token_body(request, token)
        return json_response(body, 201, {"X-Subject-Token": token.id})

    def validate_token(self, request: webob.Request) -> webob.Response:
        caller = self.backend.validate(request.headers.get("X-Auth-Token"))
        subject = self.backend.validate(request.headers.get("X-Subject-Token"))
        if caller is None:
            return keystone_error(request, 401, "Unauthorized", UNAUTHORIZED)
        if subject is None:
            wanted = request.headers.get("X-Subject-Token", "")
            return keystone_error(request, 404, "Not Found", f"Could not find token: {wanted}.")
        return json_response(
            self._token_body(request, subject), 200, {"X-Subject-Token": subject.id}
        )

    def _token_body(self, request: webob.Request, token: Token) -> dict[str, Any]:
        base = request.host_url
        return {
            "token": {
                "methods": ["password"],
                "user": {
                    "domain": DEFAULT_DOMAIN,
                    "id": token.user.id,
                    "name": token.user.name,
                    "password_expires_at": None,
                },
                "audit_ids": [token.audit_id],
                "expires_at": _time(token.expires_at),
                "issued_at": _time(token.issued_at),
                "project": {
                    "domain": DEFAULT_DOMAIN,
                    "id": token.project.id,
                    "name": token.project.name,
                },
                "is_domain": False,
                "roles": [{"id": self.backend.role_id(r), "name": r} for r in token.roles],
                "catalog": self.catalog(base),
            }
        }

    # -- projects (what clients look a project up with) --------------------------------------

    def _project(self, request: webob.Request, project: Project) -> dict[str, Any]:
        """A project as Keystone shows one of devstack's: top level in the default domain."""
        return {
            "id": project.id,
            "name": project.name,
            "domain_id": DEFAULT_DOMAIN["id"],
            "description": "",
            "enabled": True,
            "parent_id": DEFAULT_DOMAIN["id"],
            "is_domain": False,
            "tags": [],
            "options": {},
            "links": {"self": f"{request.application_url}/v3/projects/{project.id}"},
        }

    def _forbidden(self, request: webob.Request, action: str) -> webob.Response:
        message = f"You are not authorized to perform the requested action: {action}."
        return keystone_error(request, 403, "Forbidden", message)

    def show_project(self, request: webob.Request, project_id: str) -> webob.Response:
        """``identity:get_project``: an admin reads any project, anyone their own; an unknown
        one is a 404 to an admin and, lacking a target, a 403 to anyone else."""
        caller = self.backend.validate(request.headers.get("X-Auth-Token"))
        if caller is None:
            return keystone_error(request, 401, "Unauthorized", UNAUTHORIZED)
        found = next((p for p in self.backend.projects.values() if p.id == project_id), None)
        if not caller.is_admin and (found is None or found != caller.project):
            return self._forbidden(request, "identity:get_project")
        if found is None:
            message = f"Could not find project: {project_id}."
            return keystone_error(request, 404, "Not Found", message)
        return json_response({"project": self._project(request, found)})

    def list_projects(self, request: webob.Request) -> webob.Response:
        """``identity:list_projects`` (admin), filtered by exact ``name`` and ``id``-less
        attributes as Keystone filters them."""
        caller = self.backend.validate(request.headers.get("X-Auth-Token"))
        if caller is None:
            return keystone_error(request, 401, "Unauthorized", UNAUTHORIZED)
        if not caller.is_admin:
            return self._forbidden(request, "identity:list_projects")
        projects = list(self.backend.projects.values())
        if "name" in request.GET:
            projects = [p for p in projects if p.name == request.GET["name"]]
        if request.GET.get("domain_id", DEFAULT_DOMAIN["id"]) != DEFAULT_DOMAIN["id"]:
            projects = []
        self_url = request.application_url + request.path_info
        if request.query_string:
            self_url += "?" + request.query_string
        return json_response(
            {
                "links": {"next": None, "self": self_url, "previous": None},
                "projects": [self._project(request, p) for p in projects],
            }
        )
