"""The body ``PUT /servers/{id}`` answers with.

From 2.75 it is the same server Nova's ``GET /servers/{id}`` shows. Before, Nova left out
every attribute that once came from an API extension (availability zone, config drive, key
name, usage times, security groups, extended attributes and status, attached volumes, host
status) and showed addresses without their type and MAC.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.policy import SERVERS
from fakenova.compute.api.views.servers import ServerView
from fakenova.compute.models.servers.records import Server

_EXTENSION_KEYS = (
    "OS-EXT-AZ:availability_zone",
    "config_drive",
    "key_name",
    "OS-SRV-USG:launched_at",
    "OS-SRV-USG:terminated_at",
    "security_groups",
    "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state",
    "OS-EXT-STS:power_state",
    "os-extended-volumes:volumes_attached",
    "pinned_availability_zone",
)


def updated(view: ServerView, server: Server) -> dict[str, Any]:
    if view.version.at_least("2.75"):
        return view.one(server)
    body = view.show(
        server,
        extra_specs=view.version.at_least("2.47")
        and view.can(SERVERS + "show:flavor-extra-specs", server.project_id),
        extended=False,
        host_status_mode=None,
        server_groups=view.version.at_least("2.71"),
    )
    for key in _EXTENSION_KEYS:
        body.pop(key, None)
    body["addresses"] = {
        network: [{"version": a["version"], "addr": a["addr"]} for a in addresses]
        for network, addresses in body["addresses"].items()
    }
    return {"server": body}
