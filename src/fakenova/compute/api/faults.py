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
# Nova's catch-all 500: its default support string (nova/version.py, which a distribution's
# release file may override), then the class of the exception that escaped.
UNEXPECTED = "Unexpected API Error. Please contact the administrator\n<class '{escaped}'>"


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


def unexpected(escaped: str = "nova.exception.NovaException") -> ApiFault:
    """What Nova's API answers when an exception (by default a NovaException) escapes."""
    return ApiFault(500, UNEXPECTED.format(escaped=escaped))
