"""The Network service's one exception base: each refusal carries Neutron's HTTP status, its
exception name (the ``type`` of the fault body) and its sentence."""

from __future__ import annotations


class NeutronError(Exception):
    """A refusal as Neutron's API answers it: ``{"NeutronError": {type, message, detail}}``."""

    status = 400
    kind = "BadRequest"

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind


class NotFound(NeutronError):
    status = 404


class InUse(NeutronError):
    status = 409


class Forbidden(NeutronError):
    status = 403


class InvalidInput(NeutronError):
    """neutron-lib's ``InvalidInput`` and the API's attribute validation (``HTTPBadRequest``)."""

    def __init__(self, message: str, kind: str = "HTTPBadRequest") -> None:
        super().__init__(message, kind)
