"""Flavors, and the copy of one that a server keeps from the moment it was built."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
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

    def snapshot(self) -> Flavor:
        """What a server embeds: later edits to the flavor do not change running servers."""
        return replace(self, extra_specs=dict(self.extra_specs))
