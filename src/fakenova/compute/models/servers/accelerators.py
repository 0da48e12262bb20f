"""Servers whose flavor asks for accelerators (``accel:device_profile``), as Nova 34 treats them.

At create, after the instance quota, Nova asks the accelerator service for the profile by name
and refuses the request (400) unless exactly one profile answers (``nova/accelerator/
cyborg.py``). A build binds the profile's accelerator requests to the chosen host, and a
delete frees them. Nova also frees and binds them anew when a server is shelved and
unshelved or evacuated; nothing the compute API answers shows them, so here they stay as
the build bound them. Resize, cold and live migration and suspend are refused (Nova's
``block_accelerators``), before any lock or state check; so is a resize of any server to a
flavor with a profile, once the new flavor is found. Rebuild, evacuate and shelve are allowed:
Nova refuses them only while a compute older than their service version is left, and this
cloud has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakenova.accelerator.models import DeviceProfile
from fakenova.compute.models.errors import DeviceProfileError, ForbiddenWithAccelerators
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.records import Server

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

EXTRA_SPEC = "accel:device_profile"


def profile_name(flavor: Flavor) -> str:
    """The device profile ``flavor`` names; empty when none (an empty value asks for none)."""
    return flavor.extra_specs.get(EXTRA_SPEC, "")


def device_profile(backend: ComputeBackend, flavor: Flavor) -> DeviceProfile | None:
    """The one profile the flavor names, or None when it names none."""
    name = profile_name(flavor)
    if not name:
        return None
    found = backend.accelerators.profiles_named(name)
    if len(found) != 1:
        raise DeviceProfileError(name, len(found))
    return found[0]


def refuse(server: Server) -> None:
    """Nova's ``block_accelerators``: refused for a server with a device profile."""
    if profile_name(server.flavor):
        raise ForbiddenWithAccelerators()


def refuse_flavor(flavor: Flavor) -> None:
    """A resize to a flavor with a device profile is refused whatever the server's own."""
    if profile_name(flavor):
        raise ForbiddenWithAccelerators()


def bind(backend: ComputeBackend, server: Server, host: str) -> None:
    """Bind the accelerators of ``server``'s profile on ``host`` (its build found one)."""
    profile = device_profile(backend, server.flavor)
    if profile is not None:
        backend.accelerators.bind(profile, server.uuid, host)


def release(backend: ComputeBackend, server: Server) -> None:
    backend.accelerators.delete_for(server.uuid)
