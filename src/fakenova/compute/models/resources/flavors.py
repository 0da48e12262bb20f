"""Flavors, and the copy of one that a server keeps from the moment it was built.

``id`` is the flavor's row in Nova's API database (Nova words some refusals with it, not with
the ``flavorid`` clients use); ``projects`` are those a private flavor is shared with, in the
order they were added.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Flavor:
    flavorid: str
    name: str
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int = 0
    swap: int = 0
    rxtx_factor: float = 1.0
    is_public: bool = True
    disabled: bool = False
    description: str | None = None
    extra_specs: dict[str, str] = field(default_factory=dict)
    id: int = 0
    projects: tuple[str, ...] = ()

    def snapshot(self) -> Flavor:
        """What a server embeds: later edits to the flavor do not change running servers."""
        return replace(self, extra_specs=dict(self.extra_specs))


# Nova's sort keys for a flavor list, by the attribute each sorts on (``created_at`` and ``id``
# follow the row's id: flavors are created in that order).
SORT_KEYS = {
    "created_at": "id",
    "description": "description",
    "disabled": "disabled",
    "ephemeral_gb": "ephemeral_gb",
    "flavorid": "flavorid",
    "id": "id",
    "is_public": "is_public",
    "memory_mb": "memory_mb",
    "name": "name",
    "root_gb": "root_gb",
    "rxtx_factor": "rxtx_factor",
    "swap": "swap",
    "updated_at": None,
    "vcpu_weight": None,
    "vcpus": "vcpus",
}


@dataclass(frozen=True)
class FlavorQuery:
    """What a flavor list asks for, parsed: ``is_public`` True (public flavors and those
    shared with the caller's project), False (private ones) or None (all, admins only);
    ``disabled`` False hides disabled flavors (members); ``name`` is a regular expression."""

    is_public: bool | None = True
    disabled: bool | None = None
    min_memory_mb: int | None = None
    min_root_gb: int | None = None
    name: str | None = None
    sort_key: str = "flavorid"
    sort_dir: str = "asc"
    limit: int | None = None
    marker: str | None = None


@dataclass(frozen=True)
class NewFlavor:
    """A flavor to create, as the API validated it (``flavorid`` None: Nova makes a UUID)."""

    name: str
    memory_mb: int
    vcpus: int
    root_gb: int
    ephemeral_gb: int = 0
    swap: int = 0
    rxtx_factor: float = 1.0
    is_public: bool = True
    description: str | None = None
    flavorid: str | None = None
