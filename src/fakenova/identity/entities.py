"""The identity entities: domains, projects, users, groups, roles, grants (role
assignments), tokens, and the rows of ``GET /v3/role_assignments``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

DEFAULT_DOMAIN_ID = "default"
TOKEN_LIFETIME = dt.timedelta(hours=1)
# keystone-manage bootstrap's roles, and the role each one implies.
BOOTSTRAP_ROLES = ("reader", "member", "manager", "admin", "service")
IMPLIES = {"member": "reader", "manager": "member", "admin": "manager"}
# keystone.conf [assignment] prohibited_implied_role: roles no role may imply
PROHIBITED_IMPLIED_ROLES = ("admin",)
SYSTEM = "all"
# Keystone's explicit request for no scope (``"scope": "unscoped"``), and the scope a login
# then asks for: unlike no scope at all, it never falls back on the user's default project.
UNSCOPED_REQUEST = "unscoped"
UNSCOPED = ("unscoped", "")


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
