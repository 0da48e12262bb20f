"""Identity state: projects, users, role assignments and issued tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from fakenova.determinism import IdSource
from fakenova.settings import Settings

DEFAULT_DOMAIN = {"id": "default", "name": "Default"}
TOKEN_LIFETIME = dt.timedelta(hours=1)


class AuthenticationFailed(Exception):
    """Wrong user, password or scope: Keystone answers 401 without saying which."""


@dataclass(frozen=True)
class Project:
    id: str
    name: str


@dataclass(frozen=True)
class User:
    id: str
    name: str
    password: str
    project: Project
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Token:
    id: str
    user: User
    project: Project
    roles: tuple[str, ...]
    issued_at: dt.datetime
    expires_at: dt.datetime
    audit_id: str

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class IdentityBackend:
    """Who may call the cloud. Tokens expire on the wall clock: clients check expiry against
    real time, and tokens never appear in the guide, so this costs no determinism."""

    settings: Settings
    ids: IdSource
    now: Callable[[], dt.datetime] = wall_clock
    projects: dict[str, Project] = field(init=False)
    users: dict[str, User] = field(init=False)
    tokens: dict[str, Token] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.projects = {
            name: Project(self.ids.hex("project", name), name) for name in self.settings.projects
        }
        self.users = {
            u.name: User(
                self.ids.hex("user", u.name), u.name, u.password, self.projects[u.project], u.roles
            )
            for u in self.settings.users
        }

    def role_id(self, name: str) -> str:
        return self.ids.hex("role", name)

    def project_by_name(self, name: str) -> Project:
        return self.projects[name]

    def authenticate(self, user_name: str, password: str, project_name: str | None) -> Token:
        user = self.users.get(user_name)
        if user is None or user.password != password:
            raise AuthenticationFailed()
        project = user.project if project_name is None else self.projects.get(project_name)
        if project is None or project != user.project:
            raise AuthenticationFailed()
        return self.issue(user)

    def issue(self, user: User) -> Token:
        issued = self.now().replace(microsecond=0)
        token = Token(
            id="gAAAA" + self.ids.hex("token", user.name) + self.ids.hex("token-tail", user.name),
            user=user,
            project=user.project,
            roles=user.roles,
            issued_at=issued,
            expires_at=issued + TOKEN_LIFETIME,
            audit_id=self.ids.token("audit", user.name, 22, _AUDIT_ALPHABET),
        )
        self.tokens[token.id] = token
        return token

    def validate(self, token_id: str | None) -> Token | None:
        """The live token with this id, or ``None`` (unknown or expired)."""
        token = self.tokens.get(token_id or "")
        if token is None or token.expires_at <= self.now():
            return None
        return token


_AUDIT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
