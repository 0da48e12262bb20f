"""What one pytest session of samples shares across pages: the mode, proposals and coverage.

The pytest plugin makes one :class:`SampleRun` per session and hands it to every sample as
the ``fakenova_run`` fixture, which sybil puts in each page's namespace. A page evaluated
outside pytest (the verifier's own tests call sybil directly) has none and is simply
checked: nothing is proposed and nothing recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fakenova.verifier.coverage import CoverageRecorder
from fakenova.verifier.updates import Proposal

RUN_KEY = "fakenova_run"
MODES = ("check", "update", "dry-run")


@dataclass
class SampleRun:
    """``mode``: ``check`` (the default), ``update`` (rewrite) or ``dry-run`` (diffs only)."""

    source_root: Path
    mode: str = "check"
    proposals: list[Proposal] = field(default_factory=list)
    coverage: CoverageRecorder = field(init=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown update mode {self.mode!r}; known: {', '.join(MODES)}")
        self.coverage = CoverageRecorder(self.source_root)

    @property
    def updating(self) -> bool:
        """Whether evaluators should work out the text that would fix a failed sample."""
        return self.mode != "check"

    @property
    def writes(self) -> bool:
        return self.mode == "update"


def run_of(namespace: dict[str, Any]) -> SampleRun | None:
    return namespace.get(RUN_KEY)
