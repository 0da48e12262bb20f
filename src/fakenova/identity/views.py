"""Keystone's JSON for domains, projects, users, roles, role assignments and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fakenova.identity.catalog import Service
from fakenova.identity.entities import Assignment, Domain, Group, Project, Role, Token, User
from fakenova.identity.models import IdentityBackend


def _time(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


class Views:
    """Renders entities with links under ``base`` (``.../identity/v3``)."""

    def __init__(self, backend: IdentityBackend, base: str) -> None:
        self.backend = backend
        self.base = base

    def _self(self, path: str) -> dict[str, str]:
        return {"self": f"{self.base}/{path}"}

    def collection(self, key: str, rows: list[dict[str, Any]], self_url: str) -> dict[str, Any]:
        return {key: rows, "links": {"next": None, "self": self_url, "previous": None}}

    def service(self, service: Service) -> dict[str, Any]:
        """Keystone's row: the attributes devstack gave (name, description) first."""
        given = {"name": service.name}
        if service.description is not None:
            given["description"] = service.description
        return given | {
            "id": service.id,
            "type": service.type,
            "enabled": True,
            "links": self._self(f"services/{service.id}"),
        }

    def endpoint(self, service: Service, region: str, base_url: str) -> dict[str, Any]:
        """A service's public endpoint; ``region`` repeats ``region_id`` for old clients."""
        return {
            "id": service.endpoint_id,
            "interface": "public",
            "region_id": region,
            "service_id": service.id,
            "url": base_url + service.path,
            "enabled": True,
            "region": region,
            "links": self._self(f"endpoints/{service.endpoint_id}"),
        }

    def region(self, region: str) -> dict[str, Any]:
        """``keystone-manage bootstrap``'s region: no description, no parent."""
        return {
            "id": region,
            "description": "",
            "parent_region_id": None,
            "links": self._self(f"regions/{region}"),
        }

    def domain(self, domain: Domain) -> dict[str, Any]:
        return {
            "id": domain.id,
            "name": domain.name,
            "description": domain.description,
            "enabled": domain.enabled,
            "tags": list(domain.tags),
            "options": {},
            "links": self._self(f"domains/{domain.id}"),
        }

    def project(self, project: Project) -> dict[str, Any]:
        return {
            "id": project.id,
            "name": project.name,
            "domain_id": project.domain_id,
            "description": project.description,
            "enabled": project.enabled,
            "parent_id": project.parent_id or project.domain_id,
            "is_domain": False,
            "tags": list(project.tags),
            "options": {},
            **project.extra,
            "links": self._self(f"projects/{project.id}"),
        }

    def user(self, user: User) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": user.id,
            "name": user.name,
            "domain_id": user.domain_id,
            "enabled": user.enabled,
            "password_expires_at": None,
            "options": {},
            **user.extra,
            "links": self._self(f"users/{user.id}"),
        }
        if user.project is not None:
            body["default_project_id"] = user.project.id
        return body

    def role(self, role: Role) -> dict[str, Any]:
        return {
            "id": role.id,
            "name": role.name,
            "domain_id": None,
            "description": role.description,
            "options": {"immutable": True} if role.immutable else {},
            "links": self._self(f"roles/{role.id}"),
        }

    def assignment(self, row: Assignment, include_names: bool) -> dict[str, Any]:
        """One ``role_assignments`` entry, its link naming the grant it comes from (and,
        for an implied role, the implication)."""
        grant = row.grant
        backend = self.backend
        role = backend.roles[row.role_id]
        if grant.kind == "project":
            project = backend.project_records[grant.target]
            scope: dict[str, Any] = {"project": {"id": project.id}}
            if include_names:
                domain = backend.domains[project.domain_id]
                scope["project"].update(
                    name=project.name, domain={"id": domain.id, "name": domain.name}
                )
            path = f"projects/{project.id}"
        elif grant.kind == "domain":
            domain = backend.domains[grant.target]
            scope = {"domain": {"id": domain.id}}
            if include_names:
                scope["domain"]["name"] = domain.name
            path = f"domains/{domain.id}"
        else:
            scope = {"system": {"all": True}}
            path = "system"
        shown_role: dict[str, Any] = {"id": role.id}
        if include_names:
            shown_role["name"] = role.name
        holder = "groups" if grant.group else "users"
        links = {
            "assignment": f"{self.base}/{path}/{holder}/{grant.actor_id}/roles/{grant.role_id}"
        }
        if row.implied_by is not None:
            links["prior_role"] = f"{self.base}/prior_role/{row.role_id}/implies/{row.implied_by}"
        body: dict[str, Any] = {"scope": scope}
        user_id = row.holder
        if user_id is None:
            body["group"] = self._actor(
                self.backend.groups.get(grant.actor_id), grant.actor_id, include_names
            )
        else:
            body["user"] = self._actor(backend.user_records.get(user_id), user_id, include_names)
            if row.via_group:
                links["membership"] = f"{self.base}/groups/{grant.actor_id}/users/{user_id}"
        body["role"] = shown_role
        body["links"] = links
        return body

    def _actor(
        self, entity: User | Group | None, actor_id: str, include_names: bool
    ) -> dict[str, Any]:
        """A user or group of an assignment; with names, one since deleted has empty ones."""
        actor: dict[str, Any] = {"id": actor_id}
        if include_names:
            if entity is None:
                actor.update(name="", domain={"id": "", "name": ""})
            else:
                domain = self.backend.domains[entity.domain_id]
                actor.update(name=entity.name, domain={"id": domain.id, "name": domain.name})
        return actor

    def group(self, group: Group) -> dict[str, Any]:
        return {
            "id": group.id,
            "name": group.name,
            "domain_id": group.domain_id,
            "description": group.description,
            "links": self._self(f"groups/{group.id}"),
        }

    def token(self, token: Token, catalog: list[dict[str, Any]]) -> dict[str, Any]:
        """As Keystone renders a token: the scope (project, domain or system), its roles and
        the catalog; an unscoped token has neither roles nor catalog."""
        user_domain = self.backend.domains[token.user.domain_id]
        body: dict[str, Any] = {
            "methods": list(token.methods),
            "user": {
                "domain": {"id": user_domain.id, "name": user_domain.name},
                "id": token.user.id,
                "name": token.user.name,
                "password_expires_at": None,
            },
            "audit_ids": [token.audit_id]
            + ([token.parent_audit_id] if token.parent_audit_id else []),
            "expires_at": _time(token.expires_at),
            "issued_at": _time(token.issued_at),
        }
        roles = [{"id": self.backend.role_id(r), "name": r} for r in token.roles]
        if token.system:
            body["roles"] = roles
            body["system"] = {"all": True}
        elif token.domain is not None:
            body["domain"] = {"id": token.domain.id, "name": token.domain.name}
            body["roles"] = roles
        elif token.project is not None:
            domain = self.backend.domains[token.project.domain_id]
            body["project"] = {
                "domain": {"id": domain.id, "name": domain.name},
                "id": token.project.id,
                "name": token.project.name,
            }
            body["is_domain"] = False
            body["roles"] = roles
        if token.scope is not None:
            body["catalog"] = catalog
        return {"token": body}
