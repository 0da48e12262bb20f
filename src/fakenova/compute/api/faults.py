"""Nova's fault bodies: ``{"<name>": {"code": N, "message": "..."}}``, the name set by the code.

This is the one place where the compute model's errors become faults: :func:`from_error` for
any :class:`~fakenova.compute.models.errors.ComputeError` (its ``code`` and sentence), and
:func:`refusals`, the decorator with which a controller says how Nova's handler for it words
a refused state (Nova writes that per handler, naming the action).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fakenova.compute.models.errors import (
    NOVA_EXCEPTION,
    ComputeError,
    InstanceInvalidState,
    InstanceIsLocked,
    Uncaught,
)

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


def policy_refused(rule: str) -> ApiFault:
    """Nova's ``PolicyNotAuthorized``: the rule's check failed, or the token's scope is not
    one the rule is for (oslo.policy's ``InvalidScope``, which Nova words the same)."""
    return ApiFault(403, f"Policy doesn't allow {rule} to be performed.")


def url_project_mismatch(url_project: str, project_id: str | None) -> ApiFault:
    """Nova's answer to a ``/v2.1/{project_id}/...`` URL naming a project that is not the
    token's (``None`` for a token without one)."""
    return ApiFault(
        400,
        f"Malformed request URL: URL's project_id '{url_project}' doesn't match "
        f"Context's project_id '{project_id}'",
    )


def not_found(message: str) -> ApiFault:
    return ApiFault(404, message)


def gone() -> ApiFault:
    """Nova's answer on a route of a removed API (``wsgi.removed``): webob's 410 sentence."""
    return ApiFault(410, "This resource is no longer available. No forwarding address is given.")


def conflict(message: str) -> ApiFault:
    return ApiFault(409, message)


def unexpected(escaped: str = NOVA_EXCEPTION) -> ApiFault:
    """What Nova's API answers when an exception (by default a NovaException) escapes."""
    return ApiFault(500, UNEXPECTED.format(escaped=escaped))


def from_error(error: ComputeError) -> ApiFault:
    """The fault Nova's API answers for a refusal of the compute model."""
    if isinstance(error, Uncaught):
        return unexpected(error.escaped)
    return ApiFault(error.code, error.message)


# How a handler words a refused state: Nova's ``raise_http_conflict_for_instance_invalid_state``
# ("Cannot 'pause' instance X while it is in vm_state paused"), the generic sentence of handlers
# that catch the error without looking into it, or no catch at all (Nova's 500).
# A locked server gets its own sentence ("Instance X is locked"), or the generic one.
CANNOT, GENERIC, UNCAUGHT, OWN = "cannot", "generic", "uncaught", "own"


@dataclass(frozen=True)
class Refusal:
    """How one API operation answers the model's refusals, as Nova's handler for it does.

    ``action`` is the name its 409s give; ``state`` the wording of an invalid state (CANNOT,
    GENERIC or UNCAUGHT); ``locked`` that of a locked server (OWN, or GENERIC where the
    handler catches only the invalid-state error the lock error derives from); ``uncaught`` the
    errors the handler lets escape as a 500.
    """

    action: str
    state: str = CANNOT
    locked: str = OWN
    uncaught: tuple[type[ComputeError], ...] = ()

    def fault(self, error: ComputeError) -> ApiFault:
        if isinstance(error, self.uncaught):
            return unexpected("nova.exception." + type(error).__name__)
        if isinstance(error, InstanceIsLocked) and self.locked == OWN:
            return from_error(error)
        if not isinstance(error, InstanceInvalidState):
            return from_error(error)
        style = GENERIC if isinstance(error, InstanceIsLocked) else self.state
        if style == UNCAUGHT:
            return unexpected("nova.exception.InstanceInvalidState")
        # Nova's handlers name the attribute and its value only when there is a value: a
        # server that never launched (launched_at None) or has no task gets the generic words.
        if style == GENERIC or error.state is None:
            return conflict(f"Instance {error.uuid} is in an invalid state for '{self.action}'")
        return conflict(
            f"Cannot '{self.action}' instance {error.uuid} while it is in "
            f"{error.attr} {error.state}"
        )


Handler = TypeVar("Handler", bound=Callable[..., Any])


def refusals(
    action: str,
    *,
    state: str = CANNOT,
    locked: str = OWN,
    uncaught: tuple[type[ComputeError], ...] = (),
) -> Callable[[Handler], Handler]:
    """Declare how the decorated handler answers refusals (see :class:`Refusal`)."""
    refusal = Refusal(action, state, locked, uncaught)

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def answered(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except ComputeError as error:
                raise refusal.fault(error) from error

        return answered  # type: ignore[return-value]

    return decorate
