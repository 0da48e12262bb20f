"""Identity v3 HTTP handlers: parse Keystone requests, check Keystone's policy, render bodies.

The order of checks is Keystone's: the JSON gate, then the token (401), then the body schema
(400), then the lookups a rule's target needs (404), then the policy (403), then the lookups
Keystone defers until after the policy (404) and the model's own rules (400/403/409).
"""

from __future__ import annotations

import json
from typing import Any

import webob

from fakenova.http import RoutedApp, json_response, not_found_html, read_json
from fakenova.identity import policy, schemas
from fakenova.identity.errors import (
    BadRequest,
    IdentityError,
    Unauthorized,
    expecting,
    not_found,
    not_found_assignment,
)
from fakenova.identity.models import (
    DEFAULT_DOMAIN_ID,
    SYSTEM,
    Domain,
    Grant,
    Group,
    IdentityBackend,
    Project,
    Token,
    User,
)
from fakenova.identity.urls import ROUTES
from fakenova.identity.views import Views
from fakenova.sizelimit import too_large

MEDIA_TYPES = [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]


def keystone_error(request: webob.Request, code: int, title: str, message: str) -> webob.Response:
    """Keystone's error body; a 401 also says where to authenticate (``.../identity/v3``)."""
    response = json_response({"error": {"code": code, "message": message, "title": title}}, code)
    if code == 401:
        response.headers["WWW-Authenticate"] = f'Keystone uri="{request.application_url}/v3"'
    return response


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


def _boolean_query(request: webob.Request, name: str) -> bool:
    """Keystone's ``query_filter_is_true``: present with no value, or not ``0``/false."""
    if name not in request.GET:
        return False
    value = request.GET[name]
    return value == "" or value.lower() not in ("0", "false", "f", "no", "n", "off")


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

    # -- plumbing -------------------------------------------------------------------------------

    def _caller(self, request: webob.Request) -> Token:
        token = self.backend.token(request.headers.get("X-Auth-Token"))
        if token is None:
            raise Unauthorized()
        return token

    def _views(self, request: webob.Request) -> Views:
        return Views(self.backend, request.application_url + "/v3")

    def _self_url(self, request: webob.Request) -> str:
        url = request.application_url + request.path_info
        return url + ("?" + request.query_string if request.query_string else "")

    def _body(self, request: webob.Request, schema: dict[str, Any], key: str) -> dict[str, Any]:
        return dict(schemas.validate(schema, read_json(request))[key])

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
        body = self._views(request).token(token, self.catalog(request.host_url))
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
        catalog = [] if "nocatalog" in request.GET else self.catalog(request.host_url)
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

    def auth_domains(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        views = self._views(request)
        rows = [views.domain(d) for d in self.backend.domains_of(caller.user)]
        return json_response(views.collection("domains", rows, self._self_url(request)))

    # -- domains --------------------------------------------------------------------------------

    def list_domains(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:list_domains", caller)
        domains = list(self.backend.domains.values())
        if caller.domain is not None:
            domains = [d for d in domains if d.id == caller.domain.id]
        if "name" in request.GET:
            domains = [d for d in domains if d.name == request.GET["name"]]
        if "enabled" in request.GET:
            wanted = schemas.boolean(request.GET["enabled"])
            domains = [d for d in domains if d.enabled == wanted]
        views = self._views(request)
        rows = [views.domain(d) for d in domains]
        return json_response(views.collection("domains", rows, self._self_url(request)))

    def show_domain(self, request: webob.Request, domain_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.domains.get(domain_id)
        policy.enforce("identity:get_domain", caller, {"domain": found} if found else {})
        domain = self.backend.domain(domain_id)
        return json_response({"domain": self._views(request).domain(domain)})

    def create_domain(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.DOMAIN_CREATE, "domain")
        policy.enforce("identity:create_domain", caller)
        domain = self.backend.create_domain(
            body["name"].strip(),
            body.get("description") or "",
            schemas.boolean(body.get("enabled", True)),
            body.get("tags") or (),
        )
        return json_response({"domain": self._views(request).domain(domain)}, 201)

    def update_domain(self, request: webob.Request, domain_id: str) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.DOMAIN_UPDATE, "domain")
        policy.enforce("identity:update_domain", caller)
        changes = {k: v for k, v in body.items() if k in ("name", "description", "tags")}
        if "enabled" in body:
            changes["enabled"] = schemas.boolean(body["enabled"])
        domain = self.backend.update_domain(self.backend.domain(domain_id), changes)
        return json_response({"domain": self._views(request).domain(domain)})

    def delete_domain(self, request: webob.Request, domain_id: str) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:delete_domain", caller)
        self.backend.delete_domain(self.backend.domain(domain_id))
        return json_response(None, 204)

    # -- projects -------------------------------------------------------------------------------

    def list_projects(self, request: webob.Request) -> webob.Response:
        """``identity:list_projects``, filtered by exact ``name``, ``domain_id``, ``enabled``
        and ``parent_id``; a domain-scoped caller sees its domain's only."""
        caller = self._caller(request)
        policy.enforce("identity:list_projects", caller)
        projects = list(self.backend.project_records.values())
        if caller.domain is not None:
            projects = [p for p in projects if p.domain_id == caller.domain.id]
        query = request.GET
        if "name" in query:
            projects = [p for p in projects if p.name == query["name"]]
        if "domain_id" in query:
            projects = [p for p in projects if p.domain_id == query["domain_id"]]
        if "parent_id" in query:
            projects = [p for p in projects if (p.parent_id or p.domain_id) == query["parent_id"]]
        if "enabled" in query:
            wanted = schemas.boolean(query["enabled"])
            projects = [p for p in projects if p.enabled == wanted]
        if "is_domain" in query and schemas.boolean(query["is_domain"]):
            projects = []
        views = self._views(request)
        rows = [views.project(p) for p in projects]
        return json_response(views.collection("projects", rows, self._self_url(request)))

    def show_project(self, request: webob.Request, project_id: str) -> webob.Response:
        """``identity:get_project``: an admin reads any project, anyone their own; an unknown
        one is a 404 to an admin and, lacking a target, a 403 to anyone else."""
        caller = self._caller(request)
        found = self.backend.project_records.get(project_id)
        policy.enforce("identity:get_project", caller, {"project": found} if found else {})
        project = self.backend.project(project_id)
        return json_response({"project": self._views(request).project(project)})

    def create_project(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.PROJECT_CREATE, "project")
        domain_id = body.get("domain_id") or (
            caller.project.domain_id if caller.project is not None else DEFAULT_DOMAIN_ID
        )
        if caller.domain is not None and not body.get("domain_id"):
            domain_id = caller.domain.id
        target = Project("", body["name"], domain_id)
        policy.enforce("identity:create_project", caller, {"project": target})
        known = set(schemas._PROJECT)
        project = self.backend.create_project(
            body["name"].strip(),
            domain_id,
            body.get("description") or "",
            schemas.boolean(body.get("enabled", True)),
            body.get("parent_id"),
            body.get("tags") or (),
            {k: v for k, v in body.items() if k not in known and k not in ("id", "options")},
        )
        return json_response({"project": self._views(request).project(project)}, 201)

    def update_project(self, request: webob.Request, project_id: str) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.PROJECT_UPDATE, "project")
        found = self.backend.project_records.get(project_id)
        policy.enforce("identity:update_project", caller, {"project": found} if found else {})
        project = self.backend.project(project_id)
        changes: dict[str, Any] = {
            k: v for k, v in body.items() if k in ("name", "description", "tags")
        }
        if "enabled" in body:
            changes["enabled"] = schemas.boolean(body["enabled"])
        extra = {k: v for k, v in body.items() if k not in schemas._PROJECT and k != "options"}
        if extra:
            changes["extra"] = extra
        project = self.backend.update_project(project, changes)
        return json_response({"project": self._views(request).project(project)})

    def delete_project(self, request: webob.Request, project_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.project_records.get(project_id)
        policy.enforce("identity:delete_project", caller, {"project": found} if found else {})
        self.backend.delete_project(self.backend.project(project_id))
        return json_response(None, 204)

    # -- project tags ---------------------------------------------------------------------------

    def _tagged(self, request: webob.Request, project_id: str, action: str) -> Project:
        """The project, once ``identity:ACTION`` allows (the 404 comes after the policy)."""
        caller = self._caller(request)
        found = self.backend.project_records.get(project_id)
        policy.enforce(f"identity:{action}", caller, {"project": found} if found else {})
        return self.backend.project(project_id)

    def _tags_body(self, request: webob.Request, tags: list[str]) -> dict[str, Any]:
        return {"links": {"self": self._self_url(request)}, "tags": list(tags)}

    def list_project_tags(self, request: webob.Request, project_id: str) -> webob.Response:
        project = self._tagged(request, project_id, "list_project_tags")
        return json_response(self._tags_body(request, project.tags))

    def replace_project_tags(self, request: webob.Request, project_id: str) -> webob.Response:
        self._caller(request)
        body = schemas.validate(schemas.TAGS_UPDATE, read_json(request))
        project = self._tagged(request, project_id, "update_project_tags")
        tags = body.get("tags", {})
        schemas.validate_value(schemas.TAGS, tags)
        self.backend.update_project(project, {"tags": [t.strip() for t in tags]})
        return json_response(self._tags_body(request, project.tags))

    def clear_project_tags(self, request: webob.Request, project_id: str) -> webob.Response:
        project = self._tagged(request, project_id, "delete_project_tags")
        self.backend.update_project(project, {"tags": []})
        return json_response(None, 204)

    def show_project_tag(self, request: webob.Request, project_id: str, tag: str) -> webob.Response:
        project = self._tagged(request, project_id, "get_project_tag")
        if tag not in project.tags:
            raise not_found("project tag", tag)
        return json_response(None, 204)

    def add_project_tag(self, request: webob.Request, project_id: str, tag: str) -> webob.Response:
        """``PUT .../tags/{tag}``: 201 with a ``Location`` Keystone builds without the
        ``projects/`` part of the path."""
        project = self._tagged(request, project_id, "create_project_tag")
        schemas.validate_value(schemas.TAG, tag)
        schemas.validate_value(schemas.TAGS, [*project.tags, tag])
        self.backend.update_project(project, {"tags": [*project.tags, tag.strip()]})
        location = f"{request.application_url}/v3/{project_id}/tags/{tag}"
        return json_response(None, 201, {"Location": location})

    def delete_project_tag(
        self, request: webob.Request, project_id: str, tag: str
    ) -> webob.Response:
        project = self._tagged(request, project_id, "delete_project_tag")
        if tag not in project.tags:
            raise not_found("project tag", tag)
        self.backend.update_project(project, {"tags": [t for t in project.tags if t != tag]})
        return json_response(None, 204)

    # -- users ----------------------------------------------------------------------------------

    def list_users(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:list_users", caller)
        users = list(self.backend.user_records.values())
        if caller.domain is not None:
            users = [u for u in users if u.domain_id == caller.domain.id]
        query = request.GET
        if "name" in query:
            users = [u for u in users if u.name == query["name"]]
        if "domain_id" in query:
            users = [u for u in users if u.domain_id == query["domain_id"]]
        if "enabled" in query:
            wanted = schemas.boolean(query["enabled"])
            users = [u for u in users if u.enabled == wanted]
        views = self._views(request)
        rows = [views.user(u) for u in users]
        return json_response(views.collection("users", rows, self._self_url(request)))

    def show_user(self, request: webob.Request, user_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.user_records.get(user_id)
        policy.enforce("identity:get_user", caller, {"user": found} if found else {})
        return json_response({"user": self._views(request).user(self.backend.user(user_id))})

    def create_user(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.USER_CREATE, "user")
        domain_id = body.get("domain_id") or (
            caller.domain.id if caller.domain is not None else DEFAULT_DOMAIN_ID
        )
        target = User("", body["name"], None, None, domain_id)
        policy.enforce("identity:create_user", caller, {"user": target})
        extra = {k: v for k, v in body.items() if k not in schemas._USER or k == "description"}
        user = self.backend.create_user(
            body["name"],
            body.get("password"),
            domain_id,
            body.get("default_project_id"),
            schemas.boolean(body.get("enabled", True)),
            {k: v for k, v in extra.items() if k not in ("id", "options", "federated")},
        )
        return json_response({"user": self._views(request).user(user)}, 201)

    def update_user(self, request: webob.Request, user_id: str) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.USER_UPDATE, "user")
        found = self.backend.user_records.get(user_id)
        policy.enforce("identity:update_user", caller, {"user": found} if found else {})
        user = self.backend.user(user_id)
        if body.get("domain_id", user.domain_id) != user.domain_id:
            raise BadRequest("Cannot change Domain ID")
        changes: dict[str, Any] = {k: v for k, v in body.items() if k in ("name", "password")}
        if "enabled" in body:
            changes["enabled"] = schemas.boolean(body["enabled"])
        if "default_project_id" in body:
            changes["default_project_id"] = body["default_project_id"]
        extra = {
            k: v
            for k, v in body.items()
            if (k not in schemas._USER or k == "description") and k not in ("id", "options")
        }
        if extra:
            changes["extra"] = extra
        user = self.backend.update_user(user, changes)
        return json_response({"user": self._views(request).user(user)})

    def delete_user(self, request: webob.Request, user_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.user_records.get(user_id)
        policy.enforce("identity:delete_user", caller, {"user": found} if found else {})
        self.backend.delete_user(self.backend.user(user_id))
        return json_response(None, 204)

    def change_password(self, request: webob.Request, user_id: str) -> webob.Response:
        """Unenforced in Keystone: knowing the original password is the check."""
        self._caller(request)
        body = self._body(request, schemas.PASSWORD_CHANGE, "user")
        user = self.backend.user_records.get(user_id)
        if user is None:
            raise Unauthorized()
        self.backend.change_password(user, body["original_password"], body["password"])
        return json_response(None, 204)

    def user_projects(self, request: webob.Request, user_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.user_records.get(user_id)
        policy.enforce("identity:list_user_projects", caller, {"user": found} if found else {})
        user = self.backend.user(user_id)
        projects = self.backend.projects_of(user)
        if "name" in request.GET:
            projects = [p for p in projects if p.name == request.GET["name"]]
        if "domain_id" in request.GET:
            projects = [p for p in projects if p.domain_id == request.GET["domain_id"]]
        views = self._views(request)
        rows = [views.project(p) for p in projects]
        return json_response(views.collection("projects", rows, self._self_url(request)))

    # -- roles ----------------------------------------------------------------------------------

    def list_roles(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:list_roles", caller)
        # this fake has no domain-specific roles: every role is global
        roles = [] if request.GET.get("domain_id") else list(self.backend.roles.values())
        if "name" in request.GET:
            roles = [r for r in roles if r.name == request.GET["name"]]
        views = self._views(request)
        rows = [views.role(r) for r in roles]
        return json_response(views.collection("roles", rows, self._self_url(request)))

    def show_role(self, request: webob.Request, role_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.roles.get(role_id)
        policy.enforce("identity:get_role", caller, {"role": found} if found else {})
        return json_response({"role": self._views(request).role(self.backend.role(role_id))})

    def create_role(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.ROLE_CREATE, "role")
        policy.enforce("identity:create_role", caller)
        role = self.backend.create_role(body["name"], body.get("description"))
        return json_response({"role": self._views(request).role(role)}, 201)

    def update_role(self, request: webob.Request, role_id: str) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.ROLE_UPDATE, "role")
        policy.enforce("identity:update_role", caller)
        role = self.backend.role(role_id)
        if body.get("domain_id"):
            raise BadRequest("Update of `domain_id` is not allowed.")
        changes = {k: v for k, v in body.items() if k in ("name", "description")}
        role = self.backend.update_role(role, changes)
        return json_response({"role": self._views(request).role(role)})

    def delete_role(self, request: webob.Request, role_id: str) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:delete_role", caller)
        self.backend.delete_role(self.backend.role(role_id))
        return json_response(None, 204)

    # -- role assignments -----------------------------------------------------------------------

    def _grant_target(
        self, role_id: str | None, actor: tuple[str, bool], kind: str, target_id: str
    ) -> dict[str, Any]:
        """Keystone builds a grant's policy target first: an unknown role, user (group),
        project or domain is a 404 before any policy check."""
        target: dict[str, Any] = {}
        if role_id is not None:
            target["role"] = self.backend.role(role_id)
        actor_id, group = actor
        if group:
            target["group"] = self.backend.group(actor_id)
        else:
            target["user"] = self.backend.user(actor_id)
        if kind == "project":
            target["project"] = self.backend.project(target_id)
        elif kind == "domain":
            target["domain"] = self.backend.domain(target_id)
        return target

    def _grant(
        self,
        request: webob.Request,
        kind: str,
        target_id: str,
        role_id: str,
        user_id: str | None,
        group_id: str | None,
    ) -> webob.Response:
        caller = self._caller(request)
        actor = (group_id, True) if group_id else (user_id or "", False)
        target = self._grant_target(role_id, actor, kind, target_id)
        grant = Grant(actor[0], kind, target_id, role_id, actor[1])
        suffix = f"system_grant_for_{'group' if actor[1] else 'user'}"
        if request.method in ("GET", "HEAD"):
            action = f"check_{suffix}" if kind == "system" else "check_grant"
            policy.enforce(f"identity:{action}", caller, target)
            if grant not in self.backend.grants:
                shown = "system" if kind == "system" else target_id
                raise not_found_assignment(role_id, actor[0], shown)
        elif request.method == "PUT":
            action = f"create_{suffix}" if kind == "system" else "create_grant"
            policy.enforce(f"identity:{action}", caller, target)
            self.backend.grant(grant)
        else:
            action = f"revoke_{suffix}" if kind == "system" else "revoke_grant"
            policy.enforce(f"identity:{action}", caller, target)
            self.backend.revoke(grant)
        return json_response(None, 204)

    def project_grant(
        self,
        request: webob.Request,
        project_id: str,
        role_id: str,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> webob.Response:
        return self._grant(request, "project", project_id, role_id, user_id, group_id)

    def domain_grant(
        self,
        request: webob.Request,
        domain_id: str,
        role_id: str,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> webob.Response:
        return self._grant(request, "domain", domain_id, role_id, user_id, group_id)

    def system_grant(
        self,
        request: webob.Request,
        role_id: str,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> webob.Response:
        return self._grant(request, "system", SYSTEM, role_id, user_id, group_id)

    def _grants_of(
        self,
        request: webob.Request,
        kind: str,
        target_id: str,
        user_id: str | None,
        group_id: str | None,
    ) -> webob.Response:
        caller = self._caller(request)
        actor = (group_id, True) if group_id else (user_id or "", False)
        target = self._grant_target(None, actor, kind, target_id)
        holder = "group" if actor[1] else "user"
        action = f"list_system_grants_for_{holder}" if kind == "system" else "list_grants"
        policy.enforce(f"identity:{action}", caller, target)
        views = self._views(request)
        rows = [
            views.role(self.backend.roles[g.role_id])
            for g in self.backend.grants
            if (g.actor_id, g.group) == actor and g.kind == kind and g.target == target_id
        ]
        return json_response(views.collection("roles", rows, self._self_url(request)))

    def project_grants(
        self,
        request: webob.Request,
        project_id: str,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> webob.Response:
        return self._grants_of(request, "project", project_id, user_id, group_id)

    def domain_grants(
        self,
        request: webob.Request,
        domain_id: str,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> webob.Response:
        return self._grants_of(request, "domain", domain_id, user_id, group_id)

    def system_grants(
        self, request: webob.Request, user_id: str | None = None, group_id: str | None = None
    ) -> webob.Response:
        return self._grants_of(request, "system", SYSTEM, user_id, group_id)

    # -- groups ---------------------------------------------------------------------------------

    def list_groups(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        policy.enforce("identity:list_groups", caller)
        groups = list(self.backend.groups.values())
        if caller.domain is not None:
            groups = [g for g in groups if g.domain_id == caller.domain.id]
        for key in ("name", "domain_id"):
            if key in request.GET:
                groups = [g for g in groups if getattr(g, key) == request.GET[key]]
        views = self._views(request)
        rows = [views.group(g) for g in groups]
        return json_response(views.collection("groups", rows, self._self_url(request)))

    def _group_target(self, request: webob.Request, group_id: str, action: str) -> Any:
        caller = self._caller(request)
        found = self.backend.groups.get(group_id)
        policy.enforce(f"identity:{action}", caller, {"group": found} if found else {})
        return self.backend.group(group_id)

    def show_group(self, request: webob.Request, group_id: str) -> webob.Response:
        group = self._group_target(request, group_id, "get_group")
        return json_response({"group": self._views(request).group(group)})

    def create_group(self, request: webob.Request) -> webob.Response:
        caller = self._caller(request)
        body = self._body(request, schemas.GROUP_CREATE, "group")
        domain_id = body.get("domain_id") or (
            caller.domain.id if caller.domain is not None else DEFAULT_DOMAIN_ID
        )
        policy.enforce("identity:create_group", caller, {"group": Group("", "", domain_id)})
        group = self.backend.create_group(body["name"], domain_id, body.get("description") or "")
        return json_response({"group": self._views(request).group(group)}, 201)

    def update_group(self, request: webob.Request, group_id: str) -> webob.Response:
        self._caller(request)
        body = self._body(request, schemas.GROUP_UPDATE, "group")
        group = self._group_target(request, group_id, "update_group")
        if body.get("domain_id", group.domain_id) != group.domain_id:
            raise BadRequest("Cannot change Domain ID")
        changes = {k: v for k, v in body.items() if k in ("name", "description")}
        group = self.backend.update_group(group, changes)
        return json_response({"group": self._views(request).group(group)})

    def delete_group(self, request: webob.Request, group_id: str) -> webob.Response:
        self.backend.delete_group(self._group_target(request, group_id, "delete_group"))
        return json_response(None, 204)

    def group_users(self, request: webob.Request, group_id: str) -> webob.Response:
        group = self._group_target(request, group_id, "list_users_in_group")
        views = self._views(request)
        rows = [views.user(u) for u in self.backend.user_records.values() if u.id in group.members]
        return json_response(views.collection("users", rows, self._self_url(request)))

    def group_member(self, request: webob.Request, group_id: str, user_id: str) -> webob.Response:
        """``PUT``, ``HEAD``/``GET`` and ``DELETE`` of one membership: the group and the user
        are looked up for the rule's target first."""
        caller = self._caller(request)
        group, user = self.backend.group(group_id), self.backend.user(user_id)
        target = {"group": group, "user": user}
        if request.method == "PUT":
            policy.enforce("identity:add_user_to_group", caller, target)
            self.backend.add_member(group, user)
        elif request.method == "DELETE":
            policy.enforce("identity:remove_user_from_group", caller, target)
            self.backend.remove_member(group, user)
        else:
            policy.enforce("identity:check_user_in_group", caller, target)
            self.backend.check_member(group, user)
        return json_response(None, 204)

    def user_groups(self, request: webob.Request, user_id: str) -> webob.Response:
        caller = self._caller(request)
        found = self.backend.user_records.get(user_id)
        policy.enforce("identity:list_groups_for_user", caller, {"user": found} if found else {})
        user = self.backend.user(user_id)
        views = self._views(request)
        rows = [views.group(g) for g in self.backend.groups.values() if user.id in g.members]
        return json_response(views.collection("groups", rows, self._self_url(request)))

    def list_role_assignments(self, request: webob.Request) -> webob.Response:
        """``GET /v3/role_assignments`` with Keystone's filters; ``effective`` adds implied
        roles (and drops system assignments), ``include_names`` names everything."""
        caller = self._caller(request)
        policy.enforce("identity:list_role_assignments", caller)
        query = request.GET
        for first, second, message in (
            ("scope.domain.id", "scope.project.id", "Specify a domain or project, not both"),
            ("scope.domain.id", "scope.system", "Specify system or domain, not both"),
            ("scope.project.id", "scope.system", "Specify system or project, not both"),
            ("user.id", "group.id", "Specify a user or group, not both"),
        ):
            if query.get(first) and query.get(second):
                raise BadRequest(message)
        effective = _boolean_query(request, "effective")
        if effective and query.get("group.id"):
            raise BadRequest(
                "Combining effective and group filter will always result in an empty list."
            )
        rows = self.backend.assignments(effective=effective)
        if query.get("group.id"):
            wanted_group = (query["group.id"], True)
            rows = [r for r in rows if (r.grant.actor_id, r.grant.group) == wanted_group]
        if query.get("user.id"):
            rows = [r for r in rows if r.holder == query["user.id"]]
        if query.get("role.id"):
            rows = [r for r in rows if r.role_id == query["role.id"]]
        if query.get("scope.project.id"):
            wanted = ("project", query["scope.project.id"])
            rows = [r for r in rows if (r.grant.kind, r.grant.target) == wanted]
        if query.get("scope.domain.id"):
            wanted = ("domain", query["scope.domain.id"])
            rows = [r for r in rows if (r.grant.kind, r.grant.target) == wanted]
        if query.get("scope.system"):
            rows = [r for r in rows if r.grant.kind == "system"]
        if caller.domain is not None:
            rows = [r for r in rows if self._in_domain(r.grant, caller.domain.id)]
        names = _boolean_query(request, "include_names")
        views = self._views(request)
        shown = [views.assignment(r, names) for r in rows]
        return json_response(views.collection("role_assignments", shown, self._self_url(request)))

    def _in_domain(self, grant: Grant, domain_id: str) -> bool:
        if grant.kind == "domain":
            return grant.target == domain_id
        if grant.kind == "project":
            return self.backend.project_records[grant.target].domain_id == domain_id
        return False
