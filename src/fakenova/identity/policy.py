"""Keystone's default policy (``keystone/common/policies/``, new defaults, scope enforced) for
the identity API this fake serves.

Each rule is the default's check string read as Python: ``admin_required`` is ``role:admin``
in any scope (so a project admin is a cloud admin, as in Keystone); *system reader* is
``role:reader`` on a system-scoped token; *domain reader* and *domain manager* are
``role:reader`` / ``role:manager`` on a token scoped to the target's domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakenova.identity.entities import Token
from fakenova.identity.errors import forbidden_action

# ``keystone/common/policies/base.py``: the roles a domain manager may hand out
DOMAIN_MANAGED_ROLES = ("manager", "member", "reader")


@dataclass(frozen=True)
class Caller:
    """The facts of a token the rules look at."""

    token: Token

    def has(self, role: str) -> bool:
        return role in self.token.roles

    @property
    def admin(self) -> bool:
        return self.has("admin")

    @property
    def system_reader(self) -> bool:
        return self.token.system and self.has("reader")

    @property
    def domain_id(self) -> str | None:
        """The domain a domain-scoped token is scoped to (``domain_id`` in a check string)."""
        return self.token.domain.id if self.token.domain is not None else None

    def domain_reader(self, domain_id: str | None) -> bool:
        return domain_id is not None and self.has("reader") and self.domain_id == domain_id

    def domain_manager(self, domain_id: str | None) -> bool:
        return domain_id is not None and self.has("manager") and self.domain_id == domain_id


Target = dict[str, Any]
Rule = Callable[[Caller, Target], bool]


def _admin(c: Caller, t: Target) -> bool:
    return c.admin


def _anyone(c: Caller, t: Target) -> bool:
    """An empty check string: any valid token, whatever its roles."""
    return True


def _admin_or_system_reader(c: Caller, t: Target) -> bool:
    return c.admin or c.system_reader


def _domain_of(t: Target, key: str) -> str | None:
    entity = t.get(key)
    return getattr(entity, "domain_id", None) if entity is not None else None


def _get_project(c: Caller, t: Target) -> bool:
    project = t.get("project")
    return (
        c.admin
        or c.system_reader
        or c.domain_reader(_domain_of(t, "project"))
        or (project is not None and c.token.project is not None and c.token.project is project)
    )


def _get_user(c: Caller, t: Target) -> bool:
    """Keystone's rule for reading a user, their projects and their groups alike: an admin,
    a system or domain reader, or the user themselves."""
    user = t.get("user")
    return (
        c.admin
        or c.system_reader
        or c.domain_reader(_domain_of(t, "user"))
        or (user is not None and c.token.user.id == user.id)
    )


def _get_domain(c: Caller, t: Target) -> bool:
    domain = t.get("domain")
    if domain is None:
        return c.admin or c.system_reader
    project = c.token.project
    return (
        c.admin
        or c.system_reader
        or c.domain_id == domain.id
        or (project is not None and project.domain_id == domain.id)
    )


def _in_callers_domain(c: Caller, t: Target) -> bool:
    """Lists a domain-scoped token may read (filtered to its domain by the API)."""
    return c.admin or c.system_reader or c.domain_reader(c.domain_id)


def _manage_project(c: Caller, t: Target) -> bool:
    return c.admin or c.domain_manager(_domain_of(t, "project"))


def _manage_user(c: Caller, t: Target) -> bool:
    return c.admin or c.domain_manager(_domain_of(t, "user"))


def _read_group(c: Caller, t: Target) -> bool:
    return c.admin or c.system_reader or c.domain_reader(_domain_of(t, "group"))


def _manage_group(c: Caller, t: Target) -> bool:
    return c.admin or c.domain_manager(_domain_of(t, "group"))


def _check_member(c: Caller, t: Target) -> bool:
    domain = _domain_of(t, "group")
    return (
        c.admin or c.system_reader or (c.domain_reader(domain) and _domain_of(t, "user") == domain)
    )


def _manage_member(c: Caller, t: Target) -> bool:
    domain = _domain_of(t, "group")
    return c.admin or (c.domain_manager(domain) and _domain_of(t, "user") == domain)


def _grant_target_domain(t: Target) -> str | None:
    return _domain_of(t, "project") or getattr(t.get("domain"), "id", None)


def _check_grant(c: Caller, t: Target) -> bool:
    domain = _grant_target_domain(t)
    return (
        c.admin or c.system_reader or (c.domain_reader(domain) and _domain_of(t, "user") == domain)
    )


def _manage_grant(c: Caller, t: Target) -> bool:
    domain = _grant_target_domain(t)
    role = t.get("role")
    managed = role is not None and role.name in DOMAIN_MANAGED_ROLES
    return c.admin or (c.domain_manager(domain) and _domain_of(t, "user") == domain and managed)


def _get_role(c: Caller, t: Target) -> bool:
    role = t.get("role")
    return (
        c.admin
        or c.system_reader
        or (c.has("manager") and role is not None and role.name in DOMAIN_MANAGED_ROLES)
    )


def _list_roles(c: Caller, t: Target) -> bool:
    return c.admin or c.system_reader or (c.has("manager") and c.domain_id is not None)


def _token_subject(c: Caller, t: Target) -> bool:
    subject = t.get("token")
    return subject is not None and subject.user.id == c.token.user.id


def _validate_token(c: Caller, t: Target) -> bool:
    return (
        c.admin or (c.token.system and c.has("reader")) or c.has("service") or _token_subject(c, t)
    )


def _revoke_token(c: Caller, t: Target) -> bool:
    return c.admin or _token_subject(c, t)


RULES: dict[str, Rule] = {
    "identity:list_domains": _in_callers_domain,
    "identity:get_domain": _get_domain,
    "identity:create_domain": _admin,
    "identity:update_domain": _admin,
    "identity:delete_domain": _admin,
    "identity:list_projects": _in_callers_domain,
    "identity:get_project": _get_project,
    "identity:create_project": _manage_project,
    "identity:update_project": _manage_project,
    "identity:delete_project": _manage_project,
    "identity:list_user_projects": _get_user,
    "identity:list_project_tags": _get_project,
    "identity:get_project_tag": _get_project,
    "identity:update_project_tags": _manage_project,
    "identity:create_project_tag": _manage_project,
    "identity:delete_project_tags": _manage_project,
    "identity:delete_project_tag": _manage_project,
    "identity:list_users": _in_callers_domain,
    "identity:get_user": _get_user,
    "identity:create_user": _manage_user,
    "identity:update_user": _manage_user,
    "identity:delete_user": _manage_user,
    "identity:list_roles": _list_roles,
    "identity:get_role": _get_role,
    "identity:create_role": _admin,
    "identity:update_role": _admin,
    "identity:delete_role": _admin,
    "identity:check_grant": _check_grant,
    "identity:list_grants": _check_grant,
    "identity:create_grant": _manage_grant,
    "identity:revoke_grant": _manage_grant,
    "identity:list_system_grants_for_user": _admin_or_system_reader,
    "identity:check_system_grant_for_user": _admin_or_system_reader,
    "identity:create_system_grant_for_user": _admin,
    "identity:revoke_system_grant_for_user": _admin,
    "identity:list_system_grants_for_group": _admin_or_system_reader,
    "identity:check_system_grant_for_group": _admin_or_system_reader,
    "identity:create_system_grant_for_group": _admin,
    "identity:revoke_system_grant_for_group": _admin,
    "identity:list_groups": _in_callers_domain,
    "identity:get_group": _read_group,
    "identity:create_group": _manage_group,
    "identity:update_group": _manage_group,
    "identity:delete_group": _manage_group,
    "identity:list_users_in_group": _read_group,
    "identity:check_user_in_group": _check_member,
    "identity:add_user_to_group": _manage_member,
    "identity:remove_user_from_group": _manage_member,
    "identity:list_groups_for_user": _get_user,
    "identity:list_role_assignments": _in_callers_domain,
    "identity:list_role_inference_rules": _admin_or_system_reader,
    "identity:list_implied_roles": _admin_or_system_reader,
    "identity:get_implied_role": _admin_or_system_reader,
    "identity:check_implied_role": _admin_or_system_reader,
    "identity:create_implied_role": _admin,
    "identity:delete_implied_role": _admin,
    "identity:list_services": _admin_or_system_reader,
    "identity:get_service": _admin_or_system_reader,
    "identity:list_endpoints": _admin_or_system_reader,
    "identity:get_endpoint": _admin_or_system_reader,
    "identity:list_regions": _anyone,
    "identity:get_region": _anyone,
    "identity:check_token": _validate_token,
    "identity:validate_token": _validate_token,
    "identity:revoke_token": _revoke_token,
}

# Rules whose scope_types leave the domain out: a domain-scoped token is refused whatever its
# roles (Keystone enforces scope).
NOT_FOR_DOMAIN_SCOPE = frozenset(
    {
        "identity:create_domain",
        "identity:update_domain",
        "identity:delete_domain",
        "identity:create_role",
        "identity:update_role",
        "identity:delete_role",
        "identity:list_system_grants_for_user",
        "identity:check_system_grant_for_user",
        "identity:create_system_grant_for_user",
        "identity:revoke_system_grant_for_user",
        "identity:list_system_grants_for_group",
        "identity:check_system_grant_for_group",
        "identity:create_system_grant_for_group",
        "identity:revoke_system_grant_for_group",
        "identity:list_role_inference_rules",
        "identity:list_implied_roles",
        "identity:get_implied_role",
        "identity:check_implied_role",
        "identity:create_implied_role",
        "identity:delete_implied_role",
        "identity:list_services",
        "identity:get_service",
        "identity:list_endpoints",
        "identity:get_endpoint",
    }
)


def enforce(action: str, token: Token, target: Target | None = None) -> None:
    """Keystone's ``enforce_call``: a 403 naming the action unless the rule allows it."""
    if token.domain is not None and action in NOT_FOR_DOMAIN_SCOPE:
        raise forbidden_action(action)
    if not RULES[action](Caller(token), target or {}):
        raise forbidden_action(action)
