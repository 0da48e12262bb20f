"""Identity state of one cloud: domains, projects, users, roles, role assignments and tokens.

As ``keystone-manage bootstrap`` leaves a deployment: the ``Default`` domain, the roles
``reader``, ``member``, ``manager``, ``admin`` and ``service`` (``member`` implies ``reader``,
``manager`` implies ``member``, ``admin`` implies ``manager``), and the admin user also holding
``admin`` on the system. ``conf/`` adds its projects and users with their roles on their own
project. Everything created through the API gets its id from the cloud's
:class:`~fakenova.determinism.IdSource`, so the same requests always make the same ids.

A token carries the roles its user holds on its scope *now* (Keystone's Fernet tokens are
validated the same way): Compute, Image and Network read a token's project and roles from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from fakenova.determinism import IdSource
from fakenova.identity.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    not_found,
    not_found_assignment,
)
from fakenova.settings import Settings

DEFAULT_DOMAIN_ID = "default"
TOKEN_LIFETIME = dt.timedelta(hours=1)
# keystone-manage bootstrap's roles, and the role each one implies.
BOOTSTRAP_ROLES = ("reader", "member", "manager", "admin", "service")
IMPLIES = {"member": "reader", "manager": "member", "admin": "manager"}
SYSTEM = "all"

AuthenticationFailed = Unauthorized


@dataclass
class Domain:
    id: str
    name: str
    description: str = ""
    enabled: bool = True
    tags: list[str] = field(default_factory=list)


@dataclass
class Project:
    id: str
    name: str
    domain_id: str = DEFAULT_DOMAIN_ID
    description: str = ""
    enabled: bool = True
    parent_id: str | None = None  # None: top level (its parent is the domain)
    tags: list[str] = field(default_factory=list)
    # attributes Keystone stores as given (``project create --property``)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class User:
    id: str
    name: str
    password: str | None
    project: Project | None  # the default project (Keystone's ``default_project_id``)
    domain_id: str = DEFAULT_DOMAIN_ID
    enabled: bool = True
    # attributes Keystone stores as given (``email``, ``description`` ...)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Role:
    id: str
    name: str
    description: str | None = None
    immutable: bool = False


@dataclass
class Group:
    id: str
    name: str
    domain_id: str = DEFAULT_DOMAIN_ID
    description: str = ""
    members: set[str] = field(default_factory=set)  # user ids


@dataclass(frozen=True)
class Grant:
    """A role assignment: ``role_id`` held by a user (or, with ``group``, by every member of
    a group) on a project, a domain or the system (``kind`` ``project``, ``domain`` or
    ``system``; ``target`` is ``all`` for the system)."""

    actor_id: str
    kind: str
    target: str
    role_id: str
    group: bool = False


@dataclass(frozen=True)
class Token:
    id: str
    user: User
    project: Project | None
    roles: tuple[str, ...]
    issued_at: dt.datetime
    expires_at: dt.datetime
    audit_id: str
    domain: Domain | None = None
    system: bool = False
    methods: tuple[str, ...] = ("password",)
    parent_audit_id: str | None = None  # the token a rescoped one was made from

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def scope(self) -> tuple[str, str] | None:
        """``(kind, target)`` as a :class:`Grant` names it, ``None`` when unscoped."""
        if self.project is not None:
            return ("project", self.project.id)
        if self.domain is not None:
            return ("domain", self.domain.id)
        if self.system:
            return ("system", SYSTEM)
        return None


@dataclass(frozen=True)
class Assignment:
    """One row of ``GET /v3/role_assignments``: a grant, or (effective) a role it implies or
    a group's grant as one member holds it (``user_id``)."""

    grant: Grant
    role_id: str
    implied_by: str | None = None
    user_id: str | None = None

    @property
    def via_group(self) -> bool:
        return self.grant.group and self.user_id is not None

    @property
    def holder(self) -> str | None:
        """The user the row is for; ``None`` for a group's own grant."""
        if self.grant.group:
            return self.user_id
        return self.grant.actor_id


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class IdentityBackend:
    """Who may call the cloud. Tokens expire on the wall clock: clients check expiry against
    real time, and tokens never appear in the guide, so this costs no determinism."""

    settings: Settings
    ids: IdSource
    now: Callable[[], dt.datetime] = wall_clock
    domains: dict[str, Domain] = field(init=False, default_factory=dict)
    project_records: dict[str, Project] = field(init=False, default_factory=dict)
    user_records: dict[str, User] = field(init=False, default_factory=dict)
    roles: dict[str, Role] = field(init=False, default_factory=dict)
    groups: dict[str, Group] = field(init=False, default_factory=dict)
    grants: set[Grant] = field(init=False, default_factory=set)
    tokens: dict[str, Token] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.domains[DEFAULT_DOMAIN_ID] = Domain(
            DEFAULT_DOMAIN_ID, self.settings.domain, "The default domain"
        )
        for name in BOOTSTRAP_ROLES:
            role = Role(self.ids.hex("role", name), name, immutable=True)
            self.roles[role.id] = role
        for name in self.settings.projects:
            project = Project(self.ids.hex("project", name), name)
            self.project_records[project.id] = project
        for u in self.settings.users:
            home = self.project_by_name(u.project)
            user = User(self.ids.hex("user", u.name), u.name, u.password, home)
            self.user_records[user.id] = user
            for role in u.roles:
                self.grants.add(Grant(user.id, "project", home.id, self.role_by_name(role).id))
            if "admin" in u.roles and u.name == "admin":
                # bootstrap also gives its admin the admin role on the system
                self.grants.add(Grant(user.id, "system", SYSTEM, self.role_by_name("admin").id))

    # -- lookups --------------------------------------------------------------------------------

    @property
    def projects(self) -> dict[str, Project]:
        """The default domain's projects by name (how ``conf/`` and the tests name them)."""
        return {
            p.name: p for p in self.project_records.values() if p.domain_id == DEFAULT_DOMAIN_ID
        }

    @property
    def users(self) -> dict[str, User]:
        """The default domain's users by name (how ``conf/`` and the tests name them)."""
        return {u.name: u for u in self.user_records.values() if u.domain_id == DEFAULT_DOMAIN_ID}

    def project_by_name(self, name: str, domain_id: str = DEFAULT_DOMAIN_ID) -> Project:
        for project in self.project_records.values():
            if project.name == name and project.domain_id == domain_id:
                return project
        raise not_found("project", name)

    def domain(self, domain_id: str) -> Domain:
        found = self.domains.get(domain_id)
        if found is None:
            raise not_found("domain", domain_id)
        return found

    def domain_by_name(self, name: str) -> Domain:
        for domain in self.domains.values():
            if domain.name == name:
                return domain
        raise not_found("domain", name)

    def project(self, project_id: str) -> Project:
        found = self.project_records.get(project_id)
        if found is None:
            raise not_found("project", project_id)
        return found

    def user(self, user_id: str) -> User:
        found = self.user_records.get(user_id)
        if found is None:
            raise not_found("user", user_id)
        return found

    def user_by_name(self, name: str, domain_id: str) -> User:
        for user in self.user_records.values():
            if user.name == name and user.domain_id == domain_id:
                return user
        raise not_found("user", name)

    def role(self, role_id: str) -> Role:
        found = self.roles.get(role_id)
        if found is None:
            raise not_found("role", role_id)
        return found

    def role_by_name(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise not_found("role", name)

    def role_id(self, name: str) -> str:
        return self.role_by_name(name).id

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

    # -- tokens ---------------------------------------------------------------------------------

    def authenticate(
        self,
        user_name: str,
        password: str,
        project_name: str | None,
        domain_id: str = DEFAULT_DOMAIN_ID,
    ) -> Token:
        """A project-scoped token for a user and project of ``domain_id``, named."""
        try:
            user = self.user_by_name(user_name, domain_id)
            project = None if project_name is None else self.project_by_name(project_name)
        except Exception as error:
            raise Unauthorized() from error
        return self.login(user, password, ("project", project.id) if project else None)

    def login(self, user: User, password: str, scope: tuple[str, str] | None) -> Token:
        """Password authentication. Without a scope the token is scoped to the user's default
        project if they hold a role there, else unscoped; a scope the user holds no role on,
        or a disabled one, is the same 401 as a wrong password."""
        if user.password is None or user.password != password:
            raise Unauthorized()
        if scope is None and user.project is not None:
            default = ("project", user.project.id)
            if self.roles_on(user, *default) and user.project.enabled:
                scope = default
        return self.issue(user, scope)

    def rescope(self, token: Token, scope: tuple[str, str] | None) -> Token:
        """The ``token`` method: a new token for the same user on ``scope`` (the same one when
        none is asked for), expiring with the original and remembering its audit id."""
        return self.issue(token.user, scope or token.scope, parent=token)

    def issue(
        self, user: User, scope: tuple[str, str] | None, *, parent: Token | None = None
    ) -> Token:
        if not user.enabled or not self.domains[user.domain_id].enabled:
            raise Unauthorized()
        project = domain = None
        if scope is not None:
            kind, target = scope
            if not self.roles_on(user, kind, target):
                raise Unauthorized()
            if kind == "project":
                project = self.project_records[target]
                if not project.enabled or not self.domains[project.domain_id].enabled:
                    raise Unauthorized()
            elif kind == "domain":
                domain = self.domains[target]
                if not domain.enabled:
                    raise Unauthorized()
        issued = self.now().replace(microsecond=0)
        token = Token(
            id="gAAAA" + self.ids.hex("token", user.name) + self.ids.hex("token-tail", user.name),
            user=user,
            project=project,
            roles=(),
            issued_at=issued,
            expires_at=issued + TOKEN_LIFETIME if parent is None else parent.expires_at,
            audit_id=self.ids.token("audit", user.name, 22, _AUDIT_ALPHABET),
            domain=domain,
            system=scope == ("system", SYSTEM),
            methods=("password",) if parent is None else ("token", *parent.methods),
            parent_audit_id=None if parent is None else parent.audit_id,
        )
        self.tokens[token.id] = token
        return self._live(token)

    def _live(self, token: Token) -> Token:
        scope = token.scope
        roles = () if scope is None else self.roles_on(token.user, *scope)
        return replace(token, roles=roles)

    def token(self, token_id: str | None) -> Token | None:
        """The live token with this id, whatever its scope, or ``None`` (unknown, revoked or
        expired)."""
        token = self.tokens.get(token_id or "")
        if token is None or token.expires_at <= self.now():
            return None
        live = self._live(token)
        if token.scope is not None and not live.roles:
            return None
        return live

    def validate(self, token_id: str | None) -> Token | None:
        """The live project-scoped token with this id, or ``None``: Compute, Image and Network
        act for a project, so an unscoped, domain- or system-scoped token is refused there as an
        unknown one is."""
        token = self.token(token_id)
        if token is None or token.project is None:
            return None
        return token

    def revoke_token(self, token_id: str) -> None:
        if self.token(token_id) is None:
            raise not_found("token", token_id)
        del self.tokens[token_id]

    def _drop_tokens(self, doomed: Callable[[Token], bool]) -> None:
        """Keystone's revocation events: tokens matching them are no longer valid."""
        for token_id in [i for i, t in self.tokens.items() if doomed(t)]:
            del self.tokens[token_id]


_AUDIT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
