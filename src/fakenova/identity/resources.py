"""Identity v3 handlers for domains, projects (and their tags) and roles."""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response, read_json
from fakenova.identity import policy, schemas
from fakenova.identity.entities import DEFAULT_DOMAIN_ID, Project
from fakenova.identity.errors import BadRequest, not_found
from fakenova.identity.handlers import Handlers


class ResourceHandlers(Handlers):
    """Domains, projects, project tags and roles."""

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
