"""The answer to ``POST /servers``: almost nothing about the server, by design.

Nova answers before the build has even been scheduled, so the body holds only what the API
knows at once: the id and links, the disk config, the security groups exactly as requested
(``default`` when none were), and the admin password, which no later request can show.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.views.links import Links
from fakenova.compute.models.servers.records import Server


def created(
    server: Server,
    links: Links,
    requested_groups: list[dict[str, Any]] | None,
    admin_pass: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": server.uuid,
        "links": links.self_and_bookmark("servers", server.uuid),
        "OS-DCF:diskConfig": "AUTO" if server.auto_disk_config else "MANUAL",
        "security_groups": (
            requested_groups if requested_groups is not None else [{"name": "default"}]
        ),
    }
    if admin_pass is not None:
        body["adminPass"] = admin_pass
    return {"server": body}


def reservation(reservation_id: str) -> dict[str, Any]:
    """``return_reservation_id``: the one handle on a multi-server request."""
    return {"reservation_id": reservation_id}
