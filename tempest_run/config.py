"""``tempest.conf`` and the pre-provisioned accounts, from ``conf/`` and the running server.

Tempest runs with pre-provisioned credentials, the accounts a deployer hands it: the users of
``conf/cloud.yaml``, plus Tempest's ``project_manager``, a user holding ``manager`` on the
primary user's project, which the runner creates through the fake's Keystone admin API before
Tempest starts, as a devstack deployer would. (Dynamic credentials work too:
``tests/test_tempest_dynamic_credentials.py`` runs Tempest's own provider against the fake.)
Tempest locks one account for each credential a test class asks for (primary, project reader,
project manager, alt, admin), across its workers, and tells accounts apart by an md5 of their
user and project fields. So each user is listed several times, each entry naming its project
differently (``project_name`` or ``tenant_name``, with or without its id), which Keystone, and
the fake, treat alike."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from fakenova.settings import Settings, UserSettings
from tempest_run.server import Served

HERE = Path(__file__).parent
TEMPLATE = HERE / "tempest.conf"
# Enough entries for every credential two workers hold at once.
ENTRIES_PER_USER = 6
# The roles each entry lists are the ones its user holds on its project (Tempest picks accounts
# by them); a role another implies (Keystone's ``manager`` implies ``member``) is left out, so
# that ``primary`` (a ``member``) and ``project_manager`` are different users.
MEMBER_ROLES = ["member", "reader"]
MANAGER = "manager"
ALT_IMAGE = "tempest-alt-image"


def _variants(project: str, project_id: str) -> list[dict[str, str]]:
    """Ways of naming one project that Tempest hashes differently."""
    names = [{"project_name": project}, {"tenant_name": project}]
    ids: list[dict[str, str]] = [{}, {"project_id": project_id}, {"tenant_id": project_id}]
    return [name | extra for extra in ids for name in names]


def _members(settings: Settings) -> list[UserSettings]:
    """The users of ``conf/`` that are not admins; the first is Tempest's ``primary``."""
    return [u for u in settings.users if "admin" not in u.roles]


def manager_user(settings: Settings) -> UserSettings:
    """The account the runner provisions for Tempest's ``project_manager``: a user of its own
    holding ``manager`` on the primary user's project (whose servers it migrates)."""
    primary = _members(settings)[0]
    name = f"{primary.name}_{MANAGER}"
    return UserSettings(name, primary.password, primary.project, (MANAGER,))


def accounts(settings: Settings, project_ids: dict[str, str]) -> list[dict[str, Any]]:
    """The accounts file. Alt entries come first: Tempest gives ``alt`` the first free
    account that is not an admin, and ``primary`` one with the ``member`` role, so listing
    the other projects' users without roles keeps the two in different projects. Tempest
    then looks for ``project_manager`` and ``project_reader`` in the primary's project."""
    admins = [u for u in settings.users if "admin" in u.roles]
    primary, *others = _members(settings)
    entries: list[dict[str, Any]] = []
    for user, roles in [
        *((u, []) for u in others),
        (primary, MEMBER_ROLES),
        (manager_user(settings), [MANAGER]),
        # A user conf/ gives the service role (devstack's "nova") is Tempest's service_user.
        *((u, ["admin", *(["service"] if "service" in u.roles else [])]) for u in admins),
    ]:
        for variant in _variants(user.project, project_ids[user.project])[:ENTRIES_PER_USER]:
            entry = {"username": user.name, "password": user.password, **variant}
            entries.append(entry | ({"roles": roles} if roles else {}))
    return entries


def provision(served: Served, token: str, user: UserSettings, project_id: str) -> None:
    """Create ``user`` in its project's domain and grant it its roles on the project, through
    Keystone's admin API (``POST /v3/users``, ``PUT /v3/projects/{id}/users/{id}/roles/{id}``),
    as a deployer provisions an account for Tempest."""
    _, project = served.request("GET", f"/identity/v3/projects/{project_id}", token=token)
    body = {
        "name": user.name,
        "password": user.password,
        "domain_id": project["project"]["domain_id"],
        "default_project_id": project_id,
    }
    _, created = served.request("POST", "/identity/v3/users", {"user": body}, token)
    for role in user.roles:
        _, found = served.request("GET", f"/identity/v3/roles?name={role}", token=token)
        path = f"/identity/v3/projects/{project_id}/users/{created['user']['id']}/roles"
        served.request("PUT", f"{path}/{found['roles'][0]['id']}", token=token)


# Nova's default quotas, four times over: instances, cores, RAM (MiB).
DEFAULT_QUOTAS = {"instances": 40, "cores": 80, "ram": 204800}


def raise_default_quotas(served: Served, token: str) -> None:
    """Raise the default quota class (``PUT /os-quota-class-sets/default``), as a deployer
    does for a run on pre-provisioned accounts: Tempest's workers then share the accounts'
    projects (demo holds the primary user and the project manager), and the servers their
    classes keep at once can pass Nova's default of 10. Projects still hold the default
    quotas, which Tempest's quota tests compare with."""
    body = {"quota_class_set": DEFAULT_QUOTAS}
    served.request("PUT", "/compute/v2.1/os-quota-class-sets/default", body, token)


def admin_token(served: Served, settings: Settings) -> str:
    """A token of the first admin of ``conf/``, scoped to its project."""
    admin = next(u for u in settings.users if "admin" in u.roles)
    domain = {"name": settings.domain}
    user = {"name": admin.name, "password": admin.password, "domain": domain}
    auth = {
        "identity": {"methods": ["password"], "password": {"user": user}},
        "scope": {"project": {"name": admin.project, "domain": domain}},
    }
    headers, _ = served.request("POST", "/identity/v3/auth/tokens", {"auth": auth})
    return headers["X-Subject-Token"]


def project_ids(served: Served, token: str) -> dict[str, str]:
    """Project name → id, as an admin of the running cloud lists them."""
    _, body = served.request("GET", "/identity/v3/projects", token=token)
    return {p["name"]: p["id"] for p in body["projects"]}


def second_image(served: Served, token: str) -> str:
    """Upload a small public raw image for ``image_ref_alt``; its id."""
    body = {"name": ALT_IMAGE, "disk_format": "raw", "container_format": "bare"}
    _, image = served.request("POST", "/image/v2/images", body | {"visibility": "public"}, token)
    served.request("PUT", f"/image/v2/images/{image['id']}/file", token=token, data=b"\0" * 1024)
    return image["id"]


def external_network(served: Served, token: str) -> tuple[str, str]:
    """The id and name of the deployment's external network (``router:external``), the pool
    floating IPs come from; empty when it has none."""
    _, body = served.request("GET", "/networking/v2.0/networks?router:external=True", token=token)
    found = body["networks"]
    return (found[0]["id"], found[0]["name"]) if found else ("", "")


def max_microversion(served: Served) -> str:
    """The newest compute microversion the server announces (``GET /compute/``)."""
    _, body = served.request("GET", "/compute/")
    return next(v["version"] for v in body["versions"] if v["status"] == "CURRENT")


def write(workspace: Path, served: Served, settings: Settings) -> Path:
    """Write ``etc/tempest.conf`` and ``etc/accounts.yaml``; the path of the former."""
    etc = workspace / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    flavors = {f.name: f.id for f in settings.flavors}
    admin = next(u for u in settings.users if "admin" in u.roles)
    token = admin_token(served, settings)
    public_id, public_name = external_network(served, token)
    values = {
        "workspace": workspace,
        "url": served.url,
        "domain": settings.domain,
        "region": settings.region,
        "image": settings.images[0]["id"],
        "image_alt": second_image(served, token),
        "admin": admin.name,
        "admin_password": admin.password,
        "admin_project": admin.project,
        "flavor": flavors.get("m1.nano", settings.flavors[0].id),
        "flavor_alt": flavors.get("m1.micro", settings.flavors[-1].id),
        "network": settings.networks[0]["name"] if settings.networks else "",
        "public_network_id": public_id,
        "floating_network_name": public_name,
        "computes": sum(len(c.computes) for c in settings.cells),
        "max_microversion": max_microversion(served),
    }
    conf = etc / "tempest.conf"
    conf.write_text(string.Template(TEMPLATE.read_text()).substitute(values))
    ids = project_ids(served, token)
    manager = manager_user(settings)
    provision(served, token, manager, ids[manager.project])
    raise_default_quotas(served, token)
    listed = accounts(settings, ids)
    (etc / "accounts.yaml").write_text(yaml.safe_dump(listed, sort_keys=False))
    return conf
