"""``restore`` and ``forceDelete``: 202, no body.

Nova's handlers catch only some refusals: ``restore`` answers a locked server with the
generic invalid-state sentence, and ``forceDelete`` while a task runs escapes as a 500.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import bodiless
from fakenova.compute.api.faults import GENERIC, UNCAUGHT
from fakenova.compute.models.compute_api import ComputeAPI

restore = bodiless("restore", rules.DEFERRED_DELETE + "restore", ComputeAPI.restore, locked=GENERIC)
force_delete = bodiless(
    "forceDelete", rules.DEFERRED_DELETE + "force", ComputeAPI.force_delete, state=UNCAUGHT
)
