"""An interface attachment: the port as Nova shows it, with its tag from 2.70."""

from __future__ import annotations

from typing import Any

from fakenova.network.models import Port


def attachment(port: Port, tag: str | None, with_tag: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "fixed_ips": [dict(f) for f in port.fixed_ips],
        "mac_addr": port.mac_address,
        "net_id": port.network_id,
        "port_id": port.id,
        "port_state": port.status,
    }
    if with_tag:
        body["tag"] = tag
    return body
