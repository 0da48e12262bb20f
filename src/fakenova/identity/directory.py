"""The directory's rules (Keystone's resource and identity managers): domains, projects,
users and groups, as :class:`~fakenova.identity.models.IdentityBackend` holds them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fakenova.determinism import IdSource
from fakenova.identity.entities import (
    DEFAULT_DOMAIN_ID,
    Domain,
    Grant,
    Group,
    Project,
    Token,
    User,
)
from fakenova.identity.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    not_found,
)


class Directory:
    """Domains, projects, users and groups: names unique per domain, a domain deleted only
    once disabled, and the revocations each change implies."""

    ids: IdSource
    domains: dict[str, Domain]
    project_records: dict[str, Project]
    user_records: dict[str, User]
    groups: dict[str, Group]
    grants: set[Grant]
    _drop_tokens: Callable[[Callable[[Token], bool]], None]

    # -- domains --------------------------------------------------------------------------------

    def create_domain(
        self, name: str, description: str = "", enabled: bool = True, tags: Iterable[str] = ()
    ) -> Domain:
        if any(d.name == name for d in self.domains.values()):
            raise Conflict(
                "project",
                "it is not permitted to have two projects acting as domains with the same "
                f"name: {name}",
            )
        domain = Domain(self.ids.hex("domain", name), name, description, enabled, list(tags))
        self.domains[domain.id] = domain
        return domain

    def update_domain(self, domain: Domain, changes: dict[str, Any]) -> Domain:
        name = changes.get("name", domain.name)
        if name != domain.name and any(d.name == name for d in self.domains.values()):
            raise Conflict(
                "project",
                "it is not permitted to have two projects acting as domains with the same "
                f"name: {name}",
            )
        for key, value in changes.items():
            setattr(domain, key, value)
        if not domain.enabled:
            self._drop_tokens(lambda t: self._domain_of(t) == domain.id)
        return domain

    def delete_domain(self, domain: Domain) -> None:
        """A domain must be disabled first, so nobody deletes the domain they are logged in
        to; its projects and users go with it."""
        if domain.enabled:
            raise Forbidden("Cannot delete a domain that is enabled, please disable it first.")
        for project in [p for p in self.project_records.values() if p.domain_id == domain.id]:
            self._forget_project(project)
        for user in [u for u in self.user_records.values() if u.domain_id == domain.id]:
            self._forget_user(user)
        for group in [g for g in self.groups.values() if g.domain_id == domain.id]:
            self.delete_group(group)
        self.grants = {g for g in self.grants if not (g.kind == "domain" and g.target == domain.id)}
        self._drop_tokens(lambda t: t.domain is domain)
        del self.domains[domain.id]

    def _domain_of(self, token: Token) -> str | None:
        if token.project is not None:
            return token.project.domain_id
        if token.domain is not None:
            return token.domain.id
        return token.user.domain_id

    # -- projects -------------------------------------------------------------------------------

    def _project_name_taken(self, name: str, domain_id: str, but: Project | None = None) -> bool:
        return any(
            p.name == name and p.domain_id == domain_id and p is not but
            for p in self.project_records.values()
        )

    def create_project(
        self,
        name: str,
        domain_id: str = DEFAULT_DOMAIN_ID,
        description: str = "",
        enabled: bool = True,
        parent_id: str | None = None,
        tags: Iterable[str] = (),
        extra: dict[str, Any] | None = None,
    ) -> Project:
        """Keystone's ``create_project``: the domain (and a parent, if any) must exist and be
        in the same domain, and the name be free in the domain."""
        if domain_id not in self.domains:
            raise BadRequest(f"Could not find domain: {domain_id}.")
        if parent_id is not None and parent_id != domain_id:
            parent = self.project_records.get(parent_id)
            if parent is None:
                raise BadRequest(f"Could not find project: {parent_id}.")
            if parent.domain_id != domain_id:
                raise BadRequest(
                    f"Cannot create project, since it specifies its domain_id {domain_id}, "
                    f"but specifies a parent in a different domain ({parent.domain_id})."
                )
            if not parent.enabled:
                raise BadRequest(
                    "cannot create a project in a branch containing a disabled project: "
                    f"{parent.id}"
                )
        else:
            parent_id = None
        project_id = self.ids.hex("project", name)
        if self._project_name_taken(name, domain_id):
            raise Conflict(
                "project",
                "it is not permitted to have two projects with either the same name or same "
                f"id in the same domain: name is {name}, project id {project_id}",
            )
        project = Project(
            project_id, name, domain_id, description, enabled, parent_id, list(tags), extra or {}
        )
        self.project_records[project.id] = project
        return project

    def update_project(self, project: Project, changes: dict[str, Any]) -> Project:
        name = changes.get("name", project.name)
        if name != project.name and self._project_name_taken(name, project.domain_id, project):
            raise Conflict(
                "project",
                "it is not permitted to have two projects with either the same name or same "
                f"id in the same domain: name is {name}, project id {project.id}",
            )
        disabling = changes.get("enabled") is False and project.enabled
        if disabling and any(c.enabled for c in self._children(project)):
            raise Forbidden(
                f"Cannot disable project {project.id} since its subtree contains enabled projects."
            )
        for key, value in changes.items():
            if key == "extra":
                project.extra.update(value)
            else:
                setattr(project, key, value)
        if not project.enabled:
            self._drop_tokens(lambda t: t.project is project)
        return project

    def _children(self, project: Project) -> list[Project]:
        return [p for p in self.project_records.values() if p.parent_id == project.id]

    def delete_project(self, project: Project) -> None:
        if self._children(project):
            raise Forbidden(
                f"Cannot delete the project {project.id} since it is not a leaf in the "
                "hierarchy. Use the cascade option if you want to delete a whole subtree."
            )
        self._forget_project(project)

    def _forget_project(self, project: Project) -> None:
        """The project, its assignments, the tokens scoped to it, and its place as anyone's
        default project."""
        for user in self.user_records.values():
            if user.project is project:
                user.project = None
        self.grants = {
            g for g in self.grants if not (g.kind == "project" and g.target == project.id)
        }
        self._drop_tokens(lambda t: t.project is project)
        del self.project_records[project.id]

    # -- users ----------------------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        password: str | None = None,
        domain_id: str = DEFAULT_DOMAIN_ID,
        default_project_id: str | None = None,
        enabled: bool = True,
        extra: dict[str, Any] | None = None,
    ) -> User:
        if domain_id not in self.domains:
            raise not_found("domain", domain_id)
        if any(u.name == name and u.domain_id == domain_id for u in self.user_records.values()):
            raise Conflict(
                "user", f"Duplicate entry found with name {name} at domain ID {domain_id}"
            )
        user = User(self.ids.hex("user", name), name, password, None, domain_id, enabled)
        user.extra.update(extra or {})
        self._set_default_project(user, default_project_id)
        self.user_records[user.id] = user
        return user

    def _set_default_project(self, user: User, project_id: str | None) -> None:
        """A default project that does not exist is kept as given (Keystone does not check
        it: it grants nothing); one that exists is followed, and unset when it is deleted."""
        user.extra.pop("default_project_id", None)
        user.project = self.project_records.get(project_id or "")
        if project_id and user.project is None:
            user.extra["default_project_id"] = project_id

    def update_user(self, user: User, changes: dict[str, Any]) -> User:
        name = changes.get("name", user.name)
        if name != user.name and any(
            u.name == name and u.domain_id == user.domain_id for u in self.user_records.values()
        ):
            raise Conflict(
                "user", f"Duplicate entry found with name {name} at domain ID {user.domain_id}"
            )
        if "default_project_id" in changes:
            self._set_default_project(user, changes.pop("default_project_id"))
        for key, value in changes.items():
            if key == "extra":
                user.extra.update(value)
            else:
                setattr(user, key, value)
        if "password" in changes or not user.enabled:
            self._drop_tokens(lambda t: t.user is user)
        return user

    def change_password(self, user: User, original: str, new: str) -> None:
        """``POST /v3/users/{id}/password``: the original must be right; every token of the
        user is revoked."""
        if user.password is None or user.password != original or not user.enabled:
            raise Unauthorized()
        user.password = new
        self._drop_tokens(lambda t: t.user is user)

    def delete_user(self, user: User) -> None:
        self._forget_user(user)

    def _forget_user(self, user: User) -> None:
        self.grants = {g for g in self.grants if g.group or g.actor_id != user.id}
        for group in self.groups.values():
            group.members.discard(user.id)
        self._drop_tokens(lambda t: t.user is user)
        del self.user_records[user.id]

    # -- groups ---------------------------------------------------------------------------------

    def group(self, group_id: str) -> Group:
        found = self.groups.get(group_id)
        if found is None:
            raise not_found("group", group_id)
        return found

    def create_group(
        self, name: str, domain_id: str = DEFAULT_DOMAIN_ID, description: str = ""
    ) -> Group:
        if domain_id not in self.domains:
            raise not_found("domain", domain_id)
        if any(g.name == name and g.domain_id == domain_id for g in self.groups.values()):
            raise Conflict(
                "group", f"Duplicate entry found with name {name} at domain ID {domain_id}"
            )
        group = Group(self.ids.hex("group", name), name, domain_id, description)
        self.groups[group.id] = group
        return group

    def update_group(self, group: Group, changes: dict[str, Any]) -> Group:
        name = changes.get("name", group.name)
        if name != group.name and any(
            g.name == name and g.domain_id == group.domain_id for g in self.groups.values()
        ):
            raise Conflict(
                "group", f"Duplicate entry found with name {name} at domain ID {group.domain_id}"
            )
        for key, value in changes.items():
            setattr(group, key, value)
        return group

    def delete_group(self, group: Group) -> None:
        self.grants = {g for g in self.grants if not (g.group and g.actor_id == group.id)}
        del self.groups[group.id]

    def add_member(self, group: Group, user: User) -> None:
        group.members.add(user.id)

    def remove_member(self, group: Group, user: User) -> None:
        """Leaving a group takes its roles away from the user's tokens at once."""
        self.check_member(group, user)
        group.members.discard(user.id)

    def check_member(self, group: Group, user: User) -> None:
        if user.id not in group.members:
            raise NotFound(f"User '{user.id}' not found in group '{group.id}'")
