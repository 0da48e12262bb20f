"""Consoles: the guest's console log, and remote console URLs with one-time tokens.

The fake hypervisor prints what Nova's own fake virt driver prints, so a sample shows exactly
what a functional-test Nova answers. Remote consoles follow a default nova.conf: only VNC is
enabled (``[vnc] enabled``), SPICE, serial and MKS are not; each ``[group] enabled`` and base
URL may be set under ``nova:`` in ``conf/cloud.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.errors import (
    ConsoleTypeInvalid,
    ConsoleTypeUnavailable,
    InstanceInvalidState,
)
from fakenova.compute.models.servers.records import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

CONSOLE_LOG = "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")

# protocol -> (nova.conf group, enabled by default, base URL option, its default, types)
PROTOCOLS = {
    "vnc": ("vnc", True, "novncproxy_base_url", "http://127.0.0.1:6080/vnc_auto.html", ("novnc",)),
    "spice": (
        "spice",
        False,
        "html5proxy_base_url",
        "http://127.0.0.1:6082/spice_auto.html",
        ("spice-html5", "spice-direct"),
    ),
    "serial": ("serial_console", False, "base_url", "ws://127.0.0.1:6083/", ("serial",)),
    "mks": ("mks", False, "mksproxy_base_url", "http://127.0.0.1:6090/", ("webmks",)),
}
SPICE_DIRECT_BASE = ("spice_direct_proxy_base_url", "http://127.0.0.1:13002/nova")


def console_output(server: Server, length: int | None) -> str:
    """The guest's console log; ``length`` keeps its last lines, as nova-compute slices them
    (so -1, "no limit" to the API, drops the first line)."""
    flow.check_host(server)
    log = CONSOLE_LOG
    if length is not None:
        log = "" if length == 0 else "\n".join(log.split("\n")[-length:])
    return _CONTROL.sub("", log)


def _option(backend: ComputeBackend, group: str, name: str, default: object) -> object:
    return backend.settings.nova.get(group, {}).get(name, default)


def remote_console_url(
    backend: ComputeBackend, server: Server, protocol: str, console_type: str
) -> str:
    """Authorize a console for ``server`` and return the URL a browser opens."""
    flow.check_host(server)
    if server.task_state in ("deleting", "migrating"):
        raise InstanceInvalidState(server.uuid, "task_state", server.task_state)
    group, enabled, url_option, url_default, types = PROTOCOLS[protocol]
    if not _option(backend, group, "enabled", enabled):
        raise ConsoleTypeUnavailable(console_type)
    if console_type not in types:
        raise ConsoleTypeInvalid(console_type)
    if console_type == "spice-direct":
        url_option, url_default = SPICE_DIRECT_BASE
    base = str(_option(backend, group, url_option, url_default))
    token = backend.ids.uuid("console-token", server.uuid)
    if console_type == "novnc":
        # noVNC 1.1 reads the token from its 'path' parameter.
        return f"{base}?path={quote('?token=' + token, safe='')}"
    return f"{base}?token={token}"
