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
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from fakenova.determinism import IdSource
from fakenova.identity.directory import Directory
from fakenova.identity.entities import (
    BOOTSTRAP_ROLES,
    DEFAULT_DOMAIN_ID,
    IMPLIES,
    SYSTEM,
    TOKEN_LIFETIME,
    UNSCOPED,
    Domain,
    Grant,
    Group,
    Project,
    Role,
    Token,
    User,
)
from fakenova.identity.errors import Unauthorized, not_found
from fakenova.identity.grants import RoleAssignments
from fakenova.settings import Settings

__all__ = ["DEFAULT_DOMAIN_ID", "SYSTEM", "TOKEN_LIFETIME", "IdentityBackend", "Token"]


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class IdentityBackend(Directory, RoleAssignments):
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
    implications: list[tuple[str, str]] = field(init=False, default_factory=list)
    tokens: dict[str, Token] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.domains[DEFAULT_DOMAIN_ID] = Domain(
            DEFAULT_DOMAIN_ID, self.settings.domain, "The default domain"
        )
        for name in BOOTSTRAP_ROLES:
            role = Role(self.ids.hex("role", name), name, immutable=True)
            self.roles[role.id] = role
        for prior, implied in IMPLIES.items():
            self.implications.append((self.role_by_name(prior).id, self.role_by_name(implied).id))
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
        return self.issue(user, None if scope == UNSCOPED else scope)

    def rescope(self, token: Token, scope: tuple[str, str] | None) -> Token:
        """The ``token`` method: a new token for the same user on ``scope`` (the same one when
        none is asked for), expiring with the original and remembering its audit id."""
        if scope == UNSCOPED:
            return self.issue(token.user, None, parent=token)
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
        """The live project-scoped token with this id, or ``None``: Image and Network act for
        a project, so an unscoped, domain- or system-scoped token is refused there as an
        unknown one is. (Compute takes any live token, :meth:`token`, and leaves the refusal
        to Nova's policy.)"""
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
