"""Keystone's refusals, with its status, title and sentence (``keystone/exception.py``).

The model raises these; :mod:`fakenova.identity.responses` turns them into Keystone's body
``{"error": {"code", "message", "title"}}``. Security errors (401, most 403s) never say more
than their fixed sentence, as Keystone without ``insecure_debug`` does.
"""

from __future__ import annotations

UNAUTHORIZED = "The request you have made requires authentication."


class IdentityError(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(IdentityError):
    """``ValidationError`` and its kin."""

    status = 400
    title = "Bad Request"


def expecting(attribute: str, target: str) -> BadRequest:
    """Keystone's ``ValidationError`` sentence for a missing or unusable attribute."""
    return BadRequest(
        f"Expecting to find {attribute} in {target}. The server could not comply with the "
        "request since it is either malformed or otherwise incorrect. The client is assumed "
        "to be in error."
    )


class Unauthorized(IdentityError):
    """Wrong user, password or scope: Keystone answers 401 without saying which."""

    status = 401
    title = "Unauthorized"

    def __init__(self, message: str = UNAUTHORIZED) -> None:
        super().__init__(message)


class Forbidden(IdentityError):
    """``ForbiddenNotSecurity`` (a rule of the model) or ``ForbiddenAction`` (policy)."""

    status = 403
    title = "Forbidden"


def forbidden_action(action: str) -> Forbidden:
    return Forbidden(f"You are not authorized to perform the requested action: {action}.")


class NotFound(IdentityError):
    status = 404
    title = "Not Found"


def not_found(kind: str, ident: str) -> NotFound:
    """``DomainNotFound``, ``ProjectNotFound``, ``UserNotFound``, ``RoleNotFound``,
    ``TokenNotFound``: all ``Could not find KIND: ID.``"""
    return NotFound(f"Could not find {kind}: {ident}.")


def not_found_assignment(role_id: str, actor_id: str, target_id: str) -> NotFound:
    """``RoleAssignmentNotFound`` (``target_id`` is ``system`` for the system)."""
    return NotFound(
        f"Could not find role assignment with role: {role_id}, user or group: {actor_id}, "
        f"project, domain, or system: {target_id}."
    )


class Conflict(IdentityError):
    status = 409
    title = "Conflict"

    def __init__(self, kind: str, details: str) -> None:
        super().__init__(f"Conflict occurred attempting to store {kind} - {details}.")
