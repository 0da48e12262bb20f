"""Roles and role assignments (Keystone's assignment manager), as
:class:`~fakenova.identity.models.IdentityBackend` holds them."""

from __future__ import annotations

from typing import Any

from fakenova.determinism import IdSource
from fakenova.identity.entities import (
    BOOTSTRAP_ROLES,
    IMPLIES,
    Assignment,
    Domain,
    Grant,
    Group,
    Project,
    Role,
    User,
)
from fakenova.identity.errors import (
    Conflict,
    Forbidden,
    not_found_assignment,
)


class RoleAssignments:
    """Roles, the roles they imply, and who holds which role where."""

    ids: IdSource
    roles: dict[str, Role]
    groups: dict[str, Group]
    grants: set[Grant]
    project_records: dict[str, Project]
    domains: dict[str, Domain]

    # -- roles and assignments ------------------------------------------------------------------

    def create_role(self, name: str, description: str | None = None) -> Role:
        if any(r.name == name for r in self.roles.values()):
            raise Conflict("role", f"Duplicate entry found with name {name}")
        role = Role(self.ids.hex("role", name), name, description)
        self.roles[role.id] = role
        return role

    def update_role(self, role: Role, changes: dict[str, Any]) -> Role:
        if role.immutable:
            raise Forbidden(
                f"Unable to update immutable role resource: `{role.id}. Set resource option "
                '"immutable" to false first.'
            )
        name = changes.get("name", role.name)
        if name != role.name and any(r.name == name for r in self.roles.values()):
            raise Conflict("role", f"Duplicate entry found with name {name}")
        for key, value in changes.items():
            setattr(role, key, value)
        return role

    def delete_role(self, role: Role) -> None:
        if role.immutable:
            raise Forbidden(
                f"Unable to delete immutable role resource: `{role.id}. Set resource option "
                '"immutable" to false first.'
            )
        self.grants = {g for g in self.grants if g.role_id != role.id}
        del self.roles[role.id]

    def implied(self, role: Role) -> list[Role]:
        """The roles ``role`` implies, transitively (bootstrap's chain)."""
        found = []
        name = IMPLIES.get(role.name)
        while name is not None:
            implied = next((r for r in self.roles.values() if r.name == name), None)
            if implied is None:
                break
            found.append(implied)
            name = IMPLIES.get(name)
        return found

    def grant(self, grant: Grant) -> None:
        """``PUT .../roles/{role_id}``: granting twice is no error."""
        self.grants.add(grant)

    def revoke(self, grant: Grant) -> None:
        """``DELETE .../roles/{role_id}``: the user's tokens on that target lose the role at
        once (a token's roles are read at validation), and a token left with none is no
        longer valid."""
        if grant not in self.grants:
            target = "system" if grant.kind == "system" else grant.target
            raise not_found_assignment(grant.role_id, grant.actor_id, target)
        self.grants.discard(grant)

    def assignments(self, *, effective: bool = False) -> list[Assignment]:
        """Every assignment; ``effective`` gives a group's grants to each member and adds the
        roles each grant implies, and leaves the system's out, as Keystone's
        ``list_role_assignments`` does."""
        rows: list[Assignment] = []
        for grant in sorted(self.grants, key=self._grant_order):
            if not effective:
                rows.append(Assignment(grant, grant.role_id))
                continue
            if grant.kind == "system":
                continue
            holders = sorted(self.groups[grant.actor_id].members) if grant.group else [None]
            for holder in holders:
                user_id = holder if grant.group else grant.actor_id
                rows.append(Assignment(grant, grant.role_id, None, user_id))
                rows.extend(
                    Assignment(grant, r.id, grant.role_id, user_id)
                    for r in self.implied(self.roles[grant.role_id])
                )
        return rows

    def _grant_order(self, grant: Grant) -> tuple[int, str, bool, str, str]:
        kinds = {"project": 0, "domain": 1, "system": 2}
        role = self.roles[grant.role_id].name
        return (kinds[grant.kind], grant.target, grant.group, grant.actor_id, role)

    def _actors(self, user: User) -> set[tuple[str, bool]]:
        """The user and the groups they belong to, as grants name their holders."""
        return {(user.id, False)} | {
            (g.id, True) for g in self.groups.values() if user.id in g.members
        }

    def _held(self, user: User) -> list[Grant]:
        actors = self._actors(user)
        return [g for g in self.grants if (g.actor_id, g.group) in actors]

    def roles_on(self, user: User, kind: str, target: str) -> tuple[str, ...]:
        """The names of the roles ``user`` holds on a target, through their groups and
        implied ones included."""
        names: list[str] = []
        for grant in self._held(user):
            if grant.kind == kind and grant.target == target:
                role = self.roles[grant.role_id]
                for r in (role, *self.implied(role)):
                    if r.name not in names:
                        names.append(r.name)
        order = {name: i for i, name in enumerate(BOOTSTRAP_ROLES)}
        return tuple(sorted(names, key=lambda n: (order.get(n, len(order)), n)))

    def projects_of(self, user: User) -> list[Project]:
        """The enabled projects ``user`` holds a role on (``GET /v3/auth/projects``)."""
        held = {g.target for g in self._held(user) if g.kind == "project"}
        return [
            p
            for p in self.project_records.values()
            if p.id in held and p.enabled and self.domains[p.domain_id].enabled
        ]

    def domains_of(self, user: User) -> list[Domain]:
        held = {g.target for g in self._held(user) if g.kind == "domain"}
        return [d for d in self.domains.values() if d.id in held and d.enabled]
