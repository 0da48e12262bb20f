"""Compute routes, relative to ``/compute``. Versioned routes live under ``/v2.1``."""

from fakenova.http import Route

UNVERSIONED: list[Route] = [
    ("GET", "/", "versions.versions"),
    ("GET", "/v2.1", "versions.version_v21"),
    ("GET", "/v2.1/", "versions.version_v21"),
]

VERSIONED: list[Route] = [
    ("GET", "/v2.1/servers", "servers.index"),
    ("POST", "/v2.1/servers", "server_create.create"),
    ("GET", "/v2.1/servers/detail", "servers.detail"),
    ("GET", "/v2.1/servers/{server_id}", "servers.show"),
    ("PUT", "/v2.1/servers/{server_id}", "server_update.update"),
    ("DELETE", "/v2.1/servers/{server_id}", "server_update.delete"),
    ("POST", "/v2.1/servers/{server_id}/action", "server_actions.action"),
    ("GET", "/v2.1/servers/{server_id}/os-instance-actions", "instance_actions.index"),
    ("GET", "/v2.1/servers/{server_id}/os-instance-actions/{request_id}", "instance_actions.show"),
    ("GET", "/v2.1/servers/{server_id}/migrations", "server_migrations.index"),
    ("GET", "/v2.1/servers/{server_id}/migrations/{migration_id}", "server_migrations.show"),
    ("DELETE", "/v2.1/servers/{server_id}/migrations/{migration_id}", "server_migrations.delete"),
    (
        "POST",
        "/v2.1/servers/{server_id}/migrations/{migration_id}/action",
        "server_migrations.action",
    ),
    ("POST", "/v2.1/servers/{server_id}/remote-consoles", "server_consoles.create"),
    ("GET", "/v2.1/servers/{server_id}/metadata", "server_metadata.index"),
    ("POST", "/v2.1/servers/{server_id}/metadata", "server_metadata.create"),
    ("PUT", "/v2.1/servers/{server_id}/metadata", "server_metadata.update_all"),
    ("GET", "/v2.1/servers/{server_id}/metadata/{key}", "server_metadata.show"),
    ("PUT", "/v2.1/servers/{server_id}/metadata/{key}", "server_metadata.update"),
    ("DELETE", "/v2.1/servers/{server_id}/metadata/{key}", "server_metadata.delete"),
    ("GET", "/v2.1/servers/{server_id}/tags", "server_tags.index"),
    ("PUT", "/v2.1/servers/{server_id}/tags", "server_tags.update_all"),
    ("DELETE", "/v2.1/servers/{server_id}/tags", "server_tags.delete_all"),
    ("GET", "/v2.1/servers/{server_id}/tags/{tag}", "server_tags.show"),
    ("PUT", "/v2.1/servers/{server_id}/tags/{tag}", "server_tags.update"),
    ("DELETE", "/v2.1/servers/{server_id}/tags/{tag}", "server_tags.delete"),
    ("GET", "/v2.1/flavors", "flavors.index"),
    ("GET", "/v2.1/flavors/detail", "flavors.detail"),
    ("GET", "/v2.1/flavors/{flavor_id}", "flavors.show"),
    ("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs", "flavor_extra_specs.index"),
    ("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs/{key}", "flavor_extra_specs.show"),
    ("GET", "/v2.1/os-migrations", "migrations.index"),
    ("GET", "/v2.1/os-services", "services.index"),
    ("PUT", "/v2.1/os-services/{service_id}", "services.update"),
    ("DELETE", "/v2.1/os-services/{service_id}", "services.delete"),
    ("GET", "/v2.1/os-networks", "networks.index"),
    ("GET", "/v2.1/os-networks/{network_id}", "networks.show"),
]
