"""Tempest 47's dynamic credentials against the fake over real HTTP.

``[auth] use_dynamic_credentials = true`` makes Tempest log in as the configured admin and,
per test class, create a project and a user holding ``member`` (``admin``, ``reader`` ...)
there, use them against Compute, then delete both. This runs Tempest's own
``DynamicCredentialProvider`` the same way, so it needs Tempest (not a dependency of this
project): it is skipped where Tempest is not installed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fakenova.app import make_app
from fakenova.cloud import build_cloud

pytest.importorskip("tempest.lib.common.dynamic_creds")

from tempest.lib import auth
from tempest.lib.common import dynamic_creds
from tempest.lib.services import clients

CIRROS = "70a599e0-31e7-49b7-b260-868f441e862b"
# Tempest's catalog types for its service clients, where the module name is not one.
CATALOG_TYPES = {"object-storage": "object-store", "volume": "volumev3"}


def _register_tempest_clients() -> None:
    """What importing ``tempest.config`` does: register Tempest's own service clients."""
    registry = clients.ClientsRegistry()
    if "__tempest__" in registry.get_service_clients():
        return
    registry.register_service_client(
        "__tempest__",
        [
            {
                "name": name.replace(".", "_").replace("-", "_"),
                "service_version": name,
                "module_path": module.__name__,
                "client_names": module.__all__,
                "region": "RegionOne",
                "service": CATALOG_TYPES.get(name.split(".")[0], name.split(".")[0]),
            }
            for name, module in clients.tempest_modules().items()
        ],
    )


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, object]]:
    """The fake on a loopback port (waitress, as ``fakenova serve``), and its cloud."""
    import waitress

    cloud = build_cloud()
    server = waitress.create_server(make_app(cloud), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/identity/v3", cloud
    finally:
        server.close()


def test_dynamic_credentials_are_created_used_and_cleaned_up(served) -> None:
    uri, cloud = served
    _register_tempest_clients()
    identity = cloud.identity
    before = (set(identity.project_records), set(identity.user_records), set(identity.grants))
    admin = auth.get_credentials(
        uri,
        identity_version="v3",
        username="admin",
        password="secret",
        project_name="admin",
        user_domain_name="Default",
        project_domain_name="Default",
        domain_name="Default",
    )
    provider = dynamic_creds.DynamicCredentialProvider(
        identity_version="v3",
        name="fakenova",
        admin_role="admin",
        admin_creds=admin,
        identity_uri=uri,
        neutron_available=True,
        create_networks=False,
    )
    primary = provider.get_primary_creds().credentials
    alt = provider.get_alt_creds().credentials
    project_admin = provider.get_admin_creds().credentials
    reader = provider.get_project_reader_creds().credentials
    assert len({primary.project_id, alt.project_id, project_admin.project_id}) == 3
    assert reader.project_id == primary.project_id  # the reader joins the member's project

    roles = {}
    for name, creds in (("member", primary), ("admin", project_admin), ("reader", reader)):
        manager = clients.ServiceClients(creds, uri)
        assert manager.compute.ServersClient().list_servers()["servers"] == []
        roles[name] = sorted(r["name"] for r in manager.auth_provider.auth_data[1]["roles"])
    assert roles == {
        "member": ["member", "reader"],
        "admin": ["admin", "manager", "member", "reader"],
        "reader": ["reader"],
    }

    servers = clients.ServiceClients(primary, uri).compute.ServersClient()
    server = servers.create_server(name="t1", imageRef=CIRROS, flavorRef="1")["server"]
    cloud.compute.tasks.settle()
    listed = servers.list_servers()["servers"]
    assert [s["id"] for s in listed] == [server["id"]]
    record = cloud.compute.servers[server["id"]]
    assert (record.project_id, record.user_id) == (primary.project_id, primary.user_id)
    servers.delete_server(server["id"])
    cloud.compute.tasks.settle()

    provider.clear_creds()
    after = (set(identity.project_records), set(identity.user_records), set(identity.grants))
    assert after == before
