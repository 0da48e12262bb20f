"""Consoles: ``os-getConsoleOutput``, the legacy console actions (``os-getVNCConsole``,
``os-getSPICEConsole``, ``os-getSerialConsole``, ``os-getRDPConsole``; 2.1 to 2.5) and
``POST /servers/{id}/remote-consoles`` (2.6).

The legacy actions ask policy before finding the server, and let a few errors escape as
Nova's 500s (an invalid VNC type; any state error but VNC's); ``remote-consoles`` finds the
server first and maps more of them to 400s, but not a state error, which is a 500 there.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_lookup import project_server, request_body
from fakenova.compute.api.faults import bad_request, conflict, not_found, unexpected
from fakenova.compute.api.policy import CONSOLE_OUTPUT, REMOTE_CONSOLES
from fakenova.compute.api.schemas import consoles as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.models import consoles
from fakenova.compute.models.servers import Server

# webob's default explanation for a bare 400: what Nova answers for the removed RDP console.
WEBOB_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)
MODELS = "nova.exception."


def get_console_output(call: Call, server_id: str, body: Any) -> Reply:
    validate(schemas.CONSOLE_OUTPUT, body)
    server = project_server(call, server_id)
    call.authorize(CONSOLE_OUTPUT, server.project_id)
    length = body["os-getConsoleOutput"].get("length")
    try:
        output = consoles.console_output(server, None if length is None else int(length))
    except consoles.InstanceNotReady as e:
        raise conflict(str(e)) from e
    return Reply({"output": output})


def _legacy(call: Call, server_id: str, body: Any, name: str, protocol: str) -> Reply:
    validate(schemas.LEGACY[name], body)
    call.authorize(REMOTE_CONSOLES)
    console_type = body[name]["type"]
    server = project_server(call, server_id)
    try:
        url = consoles.remote_console_url(call.backend, server, protocol, console_type)
    except consoles.InstanceNotReady as e:
        raise conflict(str(e)) from e
    except consoles.ConsoleTypeUnavailable as e:
        raise bad_request(str(e)) from e
    except consoles.ConsoleTypeInvalid as e:
        if protocol == "vnc":
            raise unexpected(MODELS + "ConsoleTypeInvalid") from e
        raise bad_request(str(e)) from e
    except consoles.ConsoleInvalidState as e:
        if protocol != "vnc":
            raise unexpected(MODELS + "InstanceInvalidState") from e
        raise conflict(
            f"Cannot 'get_vnc_console' instance {server_id} while it is in task_state "
            f"{e.task_state}"
        ) from e
    return Reply({"console": {"type": console_type, "url": url}})


def get_vnc_console(call: Call, server_id: str, body: Any) -> Reply:
    return _legacy(call, server_id, body, "os-getVNCConsole", "vnc")


def get_spice_console(call: Call, server_id: str, body: Any) -> Reply:
    return _legacy(call, server_id, body, "os-getSPICEConsole", "spice")


def get_serial_console(call: Call, server_id: str, body: Any) -> Reply:
    return _legacy(call, server_id, body, "os-getSerialConsole", "serial")


def get_rdp_console(call: Call, server_id: str, body: Any) -> Reply:
    """RDP went with the Hyper-V driver (Nova 29): any body, any server, a bare 400."""
    raise bad_request(WEBOB_400)


def create(call: Call, server_id: str) -> Reply:
    """``POST /servers/{id}/remote-consoles``: 200 with the protocol, type and URL."""
    if not call.version.at_least("2.6"):
        raise not_found("The resource could not be found.")
    body = request_body(call.request)
    validate(pick(schemas.CREATE, call.version), body)
    server: Server = project_server(call, server_id)
    call.authorize(REMOTE_CONSOLES, server.project_id)
    protocol = body["remote_console"]["protocol"]
    console_type = body["remote_console"]["type"]
    if protocol == "rdp":
        raise bad_request(WEBOB_400)
    try:
        url = consoles.remote_console_url(call.backend, server, protocol, console_type)
    except consoles.InstanceNotReady as e:
        raise conflict(str(e)) from e
    except (consoles.ConsoleTypeUnavailable, consoles.ConsoleTypeInvalid) as e:
        raise bad_request(str(e)) from e
    except consoles.ConsoleInvalidState as e:
        raise unexpected(MODELS + "InstanceInvalidState") from e
    return Reply({"remote_console": {"protocol": protocol, "type": console_type, "url": url}})
