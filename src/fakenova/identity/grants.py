"""Roles and role assignments (Keystone's assignment manager), as
:class:`~fakenova.identity.models.IdentityBackend` holds them."""

from __future__ import annotations

from typing import Any

from fakenova.determinism import IdSource
from fakenova.identity.entities import (
    BOOTSTRAP_ROLES,
    PROHIBITED_IMPLIED_ROLES,
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
    NotFound,
    not_found_assignment,
)


class RoleAssignments:
    """Roles, the roles they imply, and who holds which role where."""

    ids: IdSource
    roles: dict[str, Role]
    groups: dict[str, Group]
    grants: set[Grant]
    # (prior role id, implied role id), in the order they were made (Keystone's table order)
    implications: list[tuple[str, str]]
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
        # the implication table's keys cascade, as Keystone's foreign keys do
        self.implications = [i for i in self.implications if role.id not in i]
        del self.roles[role.id]

    def implied(self, role: Role) -> list[Role]:
        """The roles ``role`` implies, transitively, nearest first; a loop of implications
        ends where it meets a role already found, as Keystone's expansion does."""
        found: list[Role] = []
        seen = {role.id}
        frontier = [role.id]
        while frontier:
            nearer = [i for p in frontier for q, i in self.implications if q == p]
            frontier = [i for i in dict.fromkeys(nearer) if i not in seen]
            seen.update(frontier)
            found.extend(self.roles[i] for i in frontier)
        return found

    def implies(self, prior: Role) -> list[Role]:
        """The roles ``prior`` implies directly (``GET /v3/roles/{prior}/implies``)."""
        return [self.roles[i] for p, i in self.implications if p == prior.id]

    def implication(self, prior: Role, implied: Role) -> tuple[str, str]:
        if (prior.id, implied.id) not in self.implications:
            raise NotFound(f"{prior.id} does not imply {implied.id}.")
        return prior.id, implied.id

    def add_implication(self, prior: Role, implied: Role) -> None:
        """Keystone's ``create_implied_role``: ``admin`` may never be implied
        (``[assignment] prohibited_implied_role``), and a pair is stored once."""
        if implied.name in PROHIBITED_IMPLIED_ROLES:
            raise Forbidden(f"{implied.id} cannot be an implied roles.")
        if (prior.id, implied.id) in self.implications:
            raise Conflict("implied_role", "Duplicate entry")
        self.implications.append((prior.id, implied.id))

    def remove_implication(self, prior: Role, implied: Role) -> None:
        self.implications.remove(self.implication(prior, implied))

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
