"""``tempest.conf`` and the pre-provisioned accounts, from ``conf/`` and the running server.

The fake's Identity service makes no users, so Tempest runs with pre-provisioned credentials:
the users of ``conf/cloud.yaml``. Tempest locks one account for each credential a test class
asks for (primary, project reader, project manager, alt, admin), across its workers, and
tells accounts apart by an md5 of their user and project fields. So each user is listed
several times, each entry naming its project differently (``project_name`` or
``tenant_name``, with or without its id), which Keystone, and the fake, treat alike.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from fakenova.settings import Settings
from tempest_run.server import Served

HERE = Path(__file__).parent
TEMPLATE = HERE / "tempest.conf"
# Enough entries for every credential two workers hold at once.
ENTRIES_PER_USER = 6
# Tempest asks for "manager" credentials (project_manager) in a few classes and uses them
# only when scope enforcement is on, which it is not here: the member entries carry it too.
MEMBER_ROLES = ["member", "reader", "manager"]
ALT_IMAGE = "tempest-alt-image"


def _variants(project: str, project_id: str) -> list[dict[str, str]]:
    """Ways of naming one project that Tempest hashes differently."""
    names = [{"project_name": project}, {"tenant_name": project}]
    ids: list[dict[str, str]] = [{}, {"project_id": project_id}, {"tenant_id": project_id}]
    return [name | extra for extra in ids for name in names]


def accounts(settings: Settings, project_ids: dict[str, str]) -> list[dict[str, Any]]:
    """The accounts file. Alt entries come first: Tempest gives ``alt`` the first free
    account that is not an admin, and ``primary`` one with the ``member`` role, so listing
    the other projects' users without roles keeps the two in different projects."""
    admins = [u for u in settings.users if "admin" in u.roles]
    members = [u for u in settings.users if "admin" not in u.roles]
    primary, others = members[0], members[1:]
    entries: list[dict[str, Any]] = []
    for user, roles in [
        *((u, []) for u in others),
        (primary, MEMBER_ROLES),
        # A user conf/ gives the service role (devstack's "nova") is Tempest's service_user.
        *((u, ["admin", *(["service"] if "service" in u.roles else [])]) for u in admins),
    ]:
        for variant in _variants(user.project, project_ids[user.project])[:ENTRIES_PER_USER]:
            entry = {"username": user.name, "password": user.password, **variant}
            entries.append(entry | ({"roles": roles} if roles else {}))
    return entries


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
        "computes": sum(len(c.computes) for c in settings.cells),
        "max_microversion": max_microversion(served),
    }
    conf = etc / "tempest.conf"
    conf.write_text(string.Template(TEMPLATE.read_text()).substitute(values))
    listed = accounts(settings, project_ids(served, token))
    (etc / "accounts.yaml").write_text(yaml.safe_dump(listed, sort_keys=False))
    return conf
