"""Identity v3 handlers for users and groups (and who belongs to which)."""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response
from fakenova.identity import policy, schemas
from fakenova.identity.entities import DEFAULT_DOMAIN_ID, Group, User
from fakenova.identity.errors import BadRequest, Unauthorized
from fakenova.identity.handlers import Handlers


class IdentityHandlers(Handlers):
    """Users, their password and projects, groups and their members."""

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
