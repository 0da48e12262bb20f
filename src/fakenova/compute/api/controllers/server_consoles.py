"""Consoles: ``os-getConsoleOutput``, the legacy console actions (``os-getVNCConsole``,
``os-getSPICEConsole``, ``os-getSerialConsole``, ``os-getRDPConsole``; 2.1 to 2.5) and
``POST /servers/{id}/remote-consoles`` (2.6).

The legacy actions ask policy before finding the server, and let a few errors escape as
Nova's 500s (an invalid VNC type; any state error but VNC's); ``remote-consoles`` finds the
server first and maps more of them to 400s, but not a state error, which is a 500 there.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import UNCAUGHT, bad_request, not_found, refusals
from fakenova.compute.api.policy import CONSOLE_OUTPUT, REMOTE_CONSOLES
from fakenova.compute.api.schemas import consoles as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.models.errors import ConsoleTypeInvalid

# webob's default explanation for a bare 400: what Nova answers for the removed RDP console.
WEBOB_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)


def get_console_output(call: Call, server_id: str) -> Reply:
    validate(schemas.CONSOLE_OUTPUT, call.body)
    server = call.compute.get(call.actor, server_id)
    call.authorize(CONSOLE_OUTPUT, server.project_id)
    length = call.body["os-getConsoleOutput"].get("length")
    output = call.compute.console_output(server, None if length is None else int(length))
    return Reply({"output": output})


def _legacy(call: Call, server_id: str, name: str, protocol: str) -> Reply:
    validate(schemas.LEGACY[name], call.body)
    call.authorize(REMOTE_CONSOLES)
    console_type = call.body[name]["type"]
    server = call.compute.get(call.actor, server_id)
    url = call.compute.remote_console(server, protocol, console_type)
    return Reply({"console": {"type": console_type, "url": url}})


@refusals("get_vnc_console", uncaught=(ConsoleTypeInvalid,))
def get_vnc_console(call: Call, server_id: str) -> Reply:
    return _legacy(call, server_id, "os-getVNCConsole", "vnc")


@refusals("get_spice_console", state=UNCAUGHT)
def get_spice_console(call: Call, server_id: str) -> Reply:
    return _legacy(call, server_id, "os-getSPICEConsole", "spice")


@refusals("get_serial_console", state=UNCAUGHT)
def get_serial_console(call: Call, server_id: str) -> Reply:
    return _legacy(call, server_id, "os-getSerialConsole", "serial")


def get_rdp_console(call: Call, server_id: str) -> Reply:
    """RDP went with the Hyper-V driver (Nova 29): any body, any server, a bare 400."""
    raise bad_request(WEBOB_400)


@refusals("create", state=UNCAUGHT)
def create(call: Call, server_id: str) -> Reply:
    """``POST /servers/{id}/remote-consoles``: 200 with the protocol, type and URL."""
    if not call.version.at_least("2.6"):
        raise not_found("The resource could not be found.")
    body = call.body
    validate(pick(schemas.CREATE, call.version), body)
    server = call.compute.get(call.actor, server_id)
    call.authorize(REMOTE_CONSOLES, server.project_id)
    protocol = body["remote_console"]["protocol"]
    console_type = body["remote_console"]["type"]
    if protocol == "rdp":
        raise bad_request(WEBOB_400)
    url = call.compute.remote_console(server, protocol, console_type)
    return Reply({"remote_console": {"protocol": protocol, "type": console_type, "url": url}})
