"""Compute routes, relative to ``/compute``. Versioned routes live under ``/v2.1``."""

from fakenova.http import Route

UNVERSIONED: list[Route] = [
    ("GET", "/", "versions.versions"),
    ("GET", "/v2.1", "versions.version_v21"),
    ("GET", "/v2.1/", "versions.version_v21"),
]

VERSIONED: list[Route] = [
    ("GET", "/v2.1/servers", "servers.index"),
    ("GET", "/v2.1/servers/detail", "servers.detail"),
    ("GET", "/v2.1/servers/{server_id}", "servers.show"),
    ("GET", "/v2.1/flavors", "flavors.index"),
    ("GET", "/v2.1/flavors/detail", "flavors.detail"),
    ("GET", "/v2.1/flavors/{flavor_id}", "flavors.show"),
    ("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs", "flavor_extra_specs.index"),
    ("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs/{key}", "flavor_extra_specs.show"),
    ("GET", "/v2.1/os-services", "services.index"),
]
