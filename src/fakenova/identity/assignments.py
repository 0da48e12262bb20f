"""Identity v3 handlers for role assignments: grants on projects, domains and the system, and
``GET /v3/role_assignments``."""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response
from fakenova.identity import policy
from fakenova.identity.entities import SYSTEM, Grant
from fakenova.identity.errors import BadRequest, not_found_assignment
from fakenova.identity.handlers import Handlers, boolean_query


class AssignmentHandlers(Handlers):
    """Grants to users and groups, and the list of role assignments."""

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
        effective = boolean_query(request, "effective")
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
        names = boolean_query(request, "include_names")
        views = self._views(request)
        shown = [views.assignment(r, names) for r in rows]
        return json_response(views.collection("role_assignments", shown, self._self_url(request)))

    def _in_domain(self, grant: Grant, domain_id: str) -> bool:
        if grant.kind == "domain":
            return grant.target == domain_id
        if grant.kind == "project":
            return self.backend.project_records[grant.target].domain_id == domain_id
        return False
