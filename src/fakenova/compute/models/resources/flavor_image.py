"""What a flavor's extra specs and an image's properties must agree on.

Nova's compute API checks these as it works out a server's NUMA constraints: at create and
rebuild against the image asked for, and at a resize against the image properties the server
was created (or last rebuilt) with, so a later change to the image does not count.
"""

from __future__ import annotations

from collections.abc import Mapping

from fakenova.compute.models.errors import Invalid
from fakenova.compute.models.resources.flavors import Flavor

CPU_POLICIES = ("dedicated", "shared", "mixed")


def check_cpu_policy(flavor: Flavor, properties: Mapping[str, str]) -> None:
    """The flavor's ``hw:cpu_policy`` must be one Nova knows, and the image's
    ``hw_cpu_policy`` may not ask for more pinning than the flavor allows: a ``shared`` flavor
    refuses a ``dedicated`` or ``mixed`` image, a ``mixed`` one a ``dedicated`` image. A flavor
    without the spec leaves the choice to the image."""
    wanted = flavor.extra_specs.get("hw:cpu_policy")
    if wanted is not None and wanted not in CPU_POLICIES:
        raise Invalid(
            "CPU policy requested from 'flavor extra specs' is invalid, "
            f"given: '{wanted}', available: '{CPU_POLICIES}'."
        )
    asked = properties.get("hw_cpu_policy")
    if (wanted == "shared" and asked in ("dedicated", "mixed")) or (
        wanted == "mixed" and asked == "dedicated"
    ):
        raise Invalid(
            "Image property 'hw_cpu_policy' is not permitted to override CPU pinning "
            "policy set against the flavor"
        )
