"""Every refusal of the compute model, with its HTTP meaning and Nova's sentence.

Nova's ``nova/exception.py`` gives each ``NovaException`` a ``code`` and a message, and its API
layer turns them into fault bodies. Here the same holds, with one difference: ``code`` is
the status Nova's API *answers* (a locked server is a 409 at the API although Nova's own
``InstanceIsLocked`` says 400), so that the API layer maps every error in one place
(:mod:`fakenova.compute.api.faults`) without per-controller ladders.

The model raises these before changing anything: a refused request leaves the cloud as it
was. A new route adds its errors here, under the base its status calls for.
"""

from __future__ import annotations

from typing import ClassVar


class ComputeError(Exception):
    """The base: ``code`` is the HTTP status, ``message`` Nova's sentence."""

    code: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(ComputeError):
    """The request cannot be done as asked: a 400."""

    code = 400


class Forbidden(ComputeError):
    """Refused whatever the state: a 403 (quotas among them, as Nova's API answers)."""

    code = 403


class NotFound(ComputeError):
    code = 404


class Conflict(ComputeError):
    """Not now, in this state: a 409."""

    code = 409


class Uncaught(ComputeError):
    """A refusal Nova's API does not catch, so that Nova answers its generic 500 naming the
    exception class that escaped (``escaped``). Kept where a client sees exactly that."""

    code = 500

    def __init__(self, escaped: str, message: str = "") -> None:
        super().__init__(message or escaped)
        self.escaped = escaped


class InstanceInvalidState(Conflict):
    """The server's ``attr`` (vm_state, task_state, launched_at) is ``state``: the API names
    the refused action in its 409 (see :func:`fakenova.compute.api.faults.refused`)."""

    def __init__(self, uuid: str, attr: str, state: str | None) -> None:
        super().__init__(f"Instance {uuid} in {attr} {state}.")
        self.uuid = uuid
        self.attr = attr
        self.state = state


class InstanceIsLocked(InstanceInvalidState):
    """Only admins act on a locked server. A kind of invalid state, as in Nova: an API
    method that words every invalid state the same way words this one so too."""

    def __init__(self, uuid: str) -> None:
        Conflict.__init__(self, f"Instance {uuid} is locked")
        self.uuid = uuid
        self.attr = "locked"
        self.state = None


class InstanceNotReady(Conflict):
    """The server has no host (Nova's ``check_instance_host``)."""

    def __init__(self, uuid: str) -> None:
        super().__init__(f"Instance {uuid} is not ready")


class QuotaExceeded(Forbidden):
    """A project's (or a user's) quota does not allow it: Nova's 403."""
