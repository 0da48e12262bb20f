"""Nova's fault bodies: ``{"<name>": {"code": N, "message": "..."}}``, the name set by the code."""

from __future__ import annotations

from typing import Any

FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}
UNEXPECTED = (
    "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the "
    "Nova API log if possible.\n<class 'nova.exception.NovaException'>"
)


class ApiFault(Exception):
    """Raised anywhere below a controller; rendered once, by the router."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        name = FAULT_NAMES.get(self.code, "computeFault")
        return {name: {"code": self.code, "message": self.message}}


def bad_request(message: str) -> ApiFault:
    return ApiFault(400, message)


def forbidden(message: str) -> ApiFault:
    return ApiFault(403, message)


def not_found(message: str) -> ApiFault:
    return ApiFault(404, message)


def conflict(message: str) -> ApiFault:
    return ApiFault(409, message)


def unexpected() -> ApiFault:
    """What Nova's API answers when a NovaException escapes a controller."""
    return ApiFault(500, UNEXPECTED)
