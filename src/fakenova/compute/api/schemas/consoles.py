"""Console request bodies: console output, the legacy per-protocol actions (2.1-2.5) and
``remote_console`` (2.6; ``mks`` from 2.8, ``spice-direct`` from 2.99), as Nova checks them.
Types no driver offers any more (``xvpvnc``, ``rdp-html5``) are still accepted here and
refused further down, as in Nova."""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema


def _action(name: str, inner: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {name: inner},
        "required": [name],
        "additionalProperties": False,
    }


CONSOLE_OUTPUT: Schema = _action(
    "os-getConsoleOutput",
    {
        "type": "object",
        "properties": {
            "length": {
                "type": ["integer", "string", "null"],
                "pattern": "^-?[0-9]+$",
                "minimum": -1,
            }
        },
        "additionalProperties": False,
    },
)


def _typed(name: str, types: list[str]) -> Schema:
    return _action(
        name,
        {
            "type": "object",
            "properties": {"type": {"type": "string", "enum": types}},
            "required": ["type"],
            "additionalProperties": False,
        },
    )


LEGACY = {
    "os-getVNCConsole": _typed("os-getVNCConsole", ["novnc", "xvpvnc"]),
    "os-getSPICEConsole": _typed("os-getSPICEConsole", ["spice-html5"]),
    "os-getSerialConsole": _typed("os-getSerialConsole", ["serial"]),
}

CREATE_V26: Schema = _action(
    "remote_console",
    {
        "type": "object",
        "properties": {
            "protocol": {"type": "string", "enum": ["vnc", "spice", "serial", "rdp"]},
            "type": {
                "type": "string",
                "enum": ["novnc", "xvpvnc", "spice-html5", "serial", "rdp-html5"],
            },
        },
        "required": ["protocol", "type"],
        "additionalProperties": False,
    },
)
CREATE_V28: Schema = copy.deepcopy(CREATE_V26)
CREATE_V28["properties"]["remote_console"]["properties"]["protocol"]["enum"].append("mks")
CREATE_V28["properties"]["remote_console"]["properties"]["type"]["enum"].append("webmks")
CREATE_V299: Schema = copy.deepcopy(CREATE_V28)
CREATE_V299["properties"]["remote_console"]["properties"]["type"]["enum"].append("spice-direct")

CREATE: list[tuple[str, Schema]] = [("2.6", CREATE_V26), ("2.8", CREATE_V28), ("2.99", CREATE_V299)]
