"""The identity admin API through the real clients, in process: python-openstackclient's
``project/user/role/domain`` commands, openstacksdk's ``conn.identity`` and a keystoneauth
session of a user created a moment before."""

from __future__ import annotations

import openstack
import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from novaclient import client as nova_client

from fakenova.testing import mock_cloud

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]


def test_openstackclient_manages_projects_users_roles_and_domains() -> None:
    with mock_cloud() as cloud:

        def admin(argv: str) -> str:
            result = cloud.openstack(argv, user="admin")
            assert result.exit_code == 0, result.stderr
            return result.stdout

        admin("project create --domain default --description 'A team' team")
        admin("user create --domain default --password pw --project team --email a@b.c alice")
        admin("role add --user alice --project team member")
        rows = admin("role assignment list --user alice --project team --names -f value")
        assert rows.split() == ["member", "alice@Default", "team@Default", "False"]
        effective = admin("role assignment list --user alice --effective --names -f value -c Role")
        assert effective.split() == ["member", "reader"]
        assert admin("project list --user alice -f value -c Name").split() == ["team"]
        assert "team" in admin("project list -f value -c Name").split()
        assert admin("role list -f value -c Name").split() == [
            "reader",
            "member",
            "manager",
            "admin",
            "service",
        ]
        assert "alice" in admin("user show alice -f value -c name")
        assert admin("domain list -f value -c Name").split() == ["Default"]
        admin("domain create other")
        admin("domain set --disable other")
        admin("domain delete other")
        admin("role create custom")
        admin("role delete custom")
        admin("role remove --user alice --project team member")
        admin("user delete alice")
        admin("project delete team")
        assert "team" not in admin("project list -f value -c Name").split()

        refused = cloud.openstack("project create mine", user="demo")
        assert refused.exit_code == 1
        assert "identity:create_project" in refused.stderr


def test_openstacksdk_identity_and_the_new_users_own_connection() -> None:
    with mock_cloud() as cloud:
        conn = openstack.connect(**cloud.connect_kwargs("admin"))
        project = conn.identity.create_project(name="sdk", domain_id="default")
        user = conn.identity.create_user(
            name="bob", password="pw", domain_id="default", default_project_id=project.id
        )
        member = conn.identity.find_role("member")
        conn.identity.assign_project_role_to_user(project, user, member)
        assert conn.identity.validate_user_has_project_role(project, user, member)
        assert [p.name for p in conn.identity.user_projects(user)] == ["sdk"]
        (assignment,) = conn.identity.role_assignments(user_id=user.id)
        assert assignment.role["id"] == member.id
        assert assignment.scope == {"project": {"id": project.id}}

        kwargs = cloud.connect_kwargs("admin")
        kwargs["auth"] = {**kwargs["auth"], "username": "bob", "password": "pw"}
        kwargs["auth"]["project_name"] = "sdk"
        bob = openstack.connect(**kwargs)
        assert bob.current_project_id == project.id
        image = next(bob.image.images())
        bob.compute.create_server(name="s1", image_id=image.id, flavor_id="1", networks="none")
        cloud.settle()
        assert [s.name for s in bob.compute.servers()] == ["s1"]
        assert [g.name for g in bob.network.security_groups()] == ["default"]
        assert list(openstack.connect(**cloud.connect_kwargs("demo")).compute.servers()) == []

        conn.identity.unassign_project_role_from_user(project, user, member)
        assert not conn.identity.validate_user_has_project_role(project, user, member)
        conn.identity.delete_user(user)
        conn.identity.delete_project(project)
        assert "sdk" not in [p.name for p in conn.identity.projects()]


def test_a_keystoneauth_session_of_a_created_user_drives_novaclient() -> None:
    with mock_cloud() as cloud:
        conn = openstack.connect(**cloud.connect_kwargs("admin"))
        project = conn.identity.create_project(name="ks", domain_id="default")
        user = conn.identity.create_user(name="carol", password="pw", domain_id="default")
        conn.identity.assign_project_role_to_user(project, user, conn.identity.find_role("member"))
        auth = v3.Password(
            auth_url=cloud.auth_url,
            username="carol",
            password="pw",
            project_name="ks",
            user_domain_name="Default",
            project_domain_name="Default",
        )
        session = ks_session.Session(auth=auth)
        assert session.get_project_id() == project.id
        nova = nova_client.Client("2.1", session=session)
        assert nova.servers.list() == []
        assert nova.quotas.get(project.id).instances == nova.quotas.defaults(project.id).instances


def test_openstackclient_groups_give_their_members_roles() -> None:
    with mock_cloud() as cloud:

        def admin(argv: str) -> str:
            result = cloud.openstack(argv, user="admin")
            assert result.exit_code == 0, result.stderr
            return result.stdout

        admin("group create --domain default --description Ops ops")
        admin("group add user ops alt_demo")
        assert "alt_demo" in admin("group contains user ops alt_demo")
        admin("role add --group ops --project demo member")
        assert admin("group list --user alt_demo -f value -c Name").split() == ["ops"]
        rows = admin("role assignment list --project demo --effective --names -f value -c User")
        assert rows.split().count("alt_demo@Default") == 2  # member, and reader it implies
        # alt_demo may now work in demo's project
        alt = cloud.openstack("server list -f value", user="alt_demo", project="demo")
        assert alt.exit_code == 0, alt.stderr
        admin("group remove user ops alt_demo")
        admin("role remove --group ops --project demo member")
        admin("group delete ops")
        assert admin("group list -f value") == ""
