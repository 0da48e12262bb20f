"""The identity model: Keystone's bootstrap, role implication, scoping, revocation and the
rules of its resource, identity and assignment managers (Keystone 30)."""

from __future__ import annotations

import pytest

from fakenova.cloud import build_cloud
from fakenova.identity.entities import BOOTSTRAP_ROLES, Grant
from fakenova.identity.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized
from fakenova.identity.models import IdentityBackend


@pytest.fixture
def identity() -> IdentityBackend:
    return build_cloud().identity


def _grant(identity: IdentityBackend, user, project, role: str) -> Grant:
    grant = Grant(user.id, "project", project.id, identity.role_id(role))
    identity.grant(grant)
    return grant


def test_bootstrap_roles_and_the_roles_they_imply(identity):
    assert [r.name for r in identity.roles.values()] == list(BOOTSTRAP_ROLES)
    implied = {r.name: [i.name for i in identity.implied(r)] for r in identity.roles.values()}
    assert implied == {
        "reader": [],
        "member": ["reader"],
        "manager": ["member", "reader"],
        "admin": ["manager", "member", "reader"],
        "service": [],
    }
    assert all(r.immutable for r in identity.roles.values())


def test_conf_users_hold_their_roles_on_their_project_and_admin_on_the_system(identity):
    admin = identity.users["admin"]
    assert identity.roles_on(admin, "project", admin.project.id) == (
        "reader",
        "member",
        "manager",
        "admin",
    )
    assert identity.roles_on(admin, "system", "all") == ("reader", "member", "manager", "admin")
    demo = identity.users["demo"]
    assert identity.roles_on(demo, "project", demo.project.id) == ("reader", "member")
    assert identity.roles_on(demo, "system", "all") == ()


def test_a_token_carries_the_roles_of_its_project_among_several(identity):
    project_a = identity.create_project("a")
    project_b = identity.create_project("b")
    user = identity.create_user("u", "pw")
    _grant(identity, user, project_a, "member")
    _grant(identity, user, project_b, "reader")
    token_a = identity.login(user, "pw", ("project", project_a.id))
    token_b = identity.login(user, "pw", ("project", project_b.id))
    assert token_a.roles == ("reader", "member")
    assert token_b.roles == ("reader",)
    assert identity.validate(token_a.id).project is project_a
    assert [p.name for p in identity.projects_of(user)] == ["a", "b"]
    # no role on a project: the same 401 as a wrong password
    with pytest.raises(Unauthorized):
        identity.login(user, "pw", ("project", identity.projects["demo"].id))
    with pytest.raises(Unauthorized):
        identity.login(user, "wrong", ("project", project_a.id))


def test_token_roles_follow_the_assignments(identity):
    project = identity.create_project("p")
    user = identity.create_user("u", "pw")
    member = _grant(identity, user, project, "member")
    token = identity.login(user, "pw", ("project", project.id))
    admin = _grant(identity, user, project, "admin")
    assert identity.validate(token.id).is_admin
    identity.revoke(admin)
    assert identity.validate(token.id).roles == ("reader", "member")
    identity.revoke(member)
    assert identity.validate(token.id) is None


def test_unscoped_login_uses_the_default_project_when_the_user_holds_a_role_there(identity):
    project = identity.create_project("p")
    user = identity.create_user("u", "pw", default_project_id=project.id)
    assert identity.login(user, "pw", None).project is None
    _grant(identity, user, project, "member")
    assert identity.login(user, "pw", None).project is project


def test_domain_and_system_tokens_are_not_for_the_project_services(identity):
    admin = identity.users["admin"]
    system = identity.login(admin, "secret", ("system", "all"))
    assert system.system and system.is_admin
    assert identity.token(system.id) is not None
    assert identity.validate(system.id) is None
    domain = identity.create_domain("d")
    user = identity.create_user("du", "pw", domain_id=domain.id)
    identity.grant(Grant(user.id, "domain", domain.id, identity.role_id("manager")))
    token = identity.login(user, "pw", ("domain", domain.id))
    assert token.domain is domain and token.roles == ("reader", "member", "manager")
    assert identity.validate(token.id) is None


@pytest.mark.parametrize(
    "revoke",
    [
        lambda i, u, p: i.delete_user(u),
        lambda i, u, p: i.update_user(u, {"enabled": False}),
        lambda i, u, p: i.update_user(u, {"password": "new"}),
        lambda i, u, p: i.change_password(u, "pw", "new"),
        lambda i, u, p: i.delete_project(p),
        lambda i, u, p: i.update_project(p, {"enabled": False}),
        lambda i, u, p: i.revoke_token(next(iter(i.tokens))),
    ],
    ids=[
        "user-deleted",
        "user-disabled",
        "password-set",
        "password-changed",
        "project-deleted",
        "project-disabled",
        "token-revoked",
    ],
)
def test_revocation_events_invalidate_tokens(revoke):
    identity = build_cloud().identity
    identity.tokens.clear()
    project = identity.create_project("p")
    user = identity.create_user("u", "pw")
    _grant(identity, user, project, "member")
    token = identity.login(user, "pw", ("project", project.id))
    revoke(identity, user, project)
    assert identity.validate(token.id) is None


def test_a_domain_is_deleted_only_once_disabled_and_takes_its_contents(identity):
    domain = identity.create_domain("d")
    project = identity.create_project("p", domain.id)
    user = identity.create_user("u", "pw", domain_id=domain.id)
    _grant(identity, user, project, "member")
    with pytest.raises(Forbidden, match="Cannot delete a domain that is enabled"):
        identity.delete_domain(domain)
    identity.update_domain(domain, {"enabled": False})
    identity.delete_domain(domain)
    assert domain.id not in identity.domains
    assert project.id not in identity.project_records
    assert user.id not in identity.user_records
    assert not any(g.actor_id == user.id for g in identity.grants)


def test_names_are_unique_per_domain(identity):
    domain = identity.create_domain("d")
    identity.create_project("p")
    identity.create_project("p", domain.id)  # another domain: fine
    with pytest.raises(Conflict) as caught:
        identity.create_project("p")
    assert caught.value.message.startswith(
        "Conflict occurred attempting to store project - it is not permitted to have two "
        "projects with either the same name or same id in the same domain: name is p, "
        "project id "
    )
    identity.create_user("u")
    with pytest.raises(Conflict) as user_conflict:
        identity.create_user("u")
    assert user_conflict.value.message == (
        "Conflict occurred attempting to store user - Duplicate entry found with name u at "
        "domain ID default."
    )
    with pytest.raises(Conflict, match="Duplicate entry found with name member"):
        identity.create_role("member")
    with pytest.raises(Conflict, match="acting as domains with the same name: d"):
        identity.create_domain("d")


def test_model_refusals(identity):
    with pytest.raises(BadRequest, match="Could not find domain: nope"):
        identity.create_project("p", "nope")
    parent = identity.create_project("parent")
    identity.create_project("child", parent_id=parent.id)
    with pytest.raises(Forbidden, match="since it is not a leaf"):
        identity.delete_project(parent)
    with pytest.raises(Forbidden, match="Unable to delete immutable role resource"):
        identity.delete_role(identity.role_by_name("admin"))
    user = identity.create_user("u")
    grant = Grant(user.id, "project", parent.id, identity.role_id("member"))
    with pytest.raises(NotFound) as missing:
        identity.revoke(grant)
    assert missing.value.message == (
        f"Could not find role assignment with role: {grant.role_id}, user or group: "
        f"{user.id}, project, domain, or system: {parent.id}."
    )


def test_effective_assignments_add_implied_roles_and_leave_the_system_out(identity):
    demo = identity.users["demo"]
    direct = [a for a in identity.assignments() if a.grant.actor_id == demo.id]
    effective = [a for a in identity.assignments(effective=True) if a.grant.actor_id == demo.id]
    names = {r.id: r.name for r in identity.roles.values()}
    assert sorted(names[a.role_id] for a in direct) == ["member", "reader"]
    # member (direct) implies reader again: Keystone lists it twice
    assert sorted(names[a.role_id] for a in effective) == ["member", "reader", "reader"]
    admin = identity.users["admin"]
    assert any(
        a.grant.kind == "system" for a in identity.assignments() if a.grant.actor_id == admin.id
    )
    assert not any(a.grant.kind == "system" for a in identity.assignments(effective=True))


def test_created_ids_come_from_the_seed():
    first, second = build_cloud().identity, build_cloud().identity
    for identity in (first, second):
        identity.create_domain("d")
        identity.create_project("p")
        identity.create_user("u")
        identity.create_role("r")
    for attribute in ("domains", "project_records", "user_records", "roles"):
        assert list(getattr(first, attribute)) == list(getattr(second, attribute))
    assert build_cloud(seed="other").identity.projects["demo"].id != first.projects["demo"].id


def test_roles_held_through_a_group(identity):
    project = identity.create_project("p")
    user = identity.create_user("u", "pw")
    group = identity.create_group("g")
    grant = Grant(group.id, "project", project.id, identity.role_id("member"), group=True)
    identity.grant(grant)
    with pytest.raises(Unauthorized):
        identity.login(user, "pw", ("project", project.id))
    identity.add_member(group, user)
    token = identity.login(user, "pw", ("project", project.id))
    assert token.roles == ("reader", "member")
    rows = [a for a in identity.assignments(effective=True) if a.grant == grant]
    assert [(a.holder, a.via_group) for a in rows] == [(user.id, True), (user.id, True)]
    assert [a.holder for a in identity.assignments() if a.grant == grant] == [None]
    identity.remove_member(group, user)
    assert identity.validate(token.id) is None
    with pytest.raises(NotFound, match=f"User '{user.id}' not found in group '{group.id}'"):
        identity.remove_member(group, user)
    identity.delete_group(group)
    assert grant not in identity.grants


def test_roles_are_renamed_unless_immutable(identity):
    role = identity.create_role("custom")
    identity.update_role(role, {"name": "renamed", "description": "d"})
    assert (role.name, role.description) == ("renamed", "d")
    with pytest.raises(Conflict):
        identity.update_role(role, {"name": "member"})
    with pytest.raises(Forbidden, match="Unable to update immutable role resource"):
        identity.update_role(identity.role_by_name("member"), {"description": "x"})


def test_a_default_project_is_kept_as_given_and_unset_when_deleted(identity):
    project = identity.create_project("p")
    user = identity.create_user("u", default_project_id=project.id)
    ghost = identity.create_user("g", default_project_id="nowhere")
    assert ghost.project is None and ghost.extra == {"default_project_id": "nowhere"}
    identity.delete_project(project)
    assert user.project is None
