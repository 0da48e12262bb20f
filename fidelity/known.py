"""Accepted differences between the fake and Nova 34, each with the reason it is accepted.

``fidelity/known_differences.yaml`` lists them. An entry names the scenario and the answer
(``label``), where in the answer (``where``, ``*`` matches anything) and optionally the
``kind`` of difference. A difference no entry explains fails the run; so does an entry that
explains nothing any more, so the list cannot silently outlive the bugs it excuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fidelity.compare import Difference

PATH = Path(__file__).parent / "known_differences.yaml"


def _glob(pattern: str) -> re.Pattern[str]:
    """Only ``*`` is special: paths are full of brackets (``servers[0]``)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


@dataclass
class Known:
    scenario: str
    label: str
    where: str
    reason: str
    kind: str | None = None
    seen: int = field(default=0, compare=False)

    def explains(self, scenario: str, label: str, difference: Difference) -> bool:
        return bool(
            _glob(self.scenario).match(scenario)
            and _glob(self.label).match(label)
            and _glob(self.where).match(difference.where)
            and (self.kind is None or self.kind == difference.kind)
        )

    def applies_to(self, scenario: str) -> bool:
        return bool(_glob(self.scenario).match(scenario))

    def as_dict(self) -> dict[str, Any]:
        entry = {"scenario": self.scenario, "label": self.label, "where": self.where}
        if self.kind:
            entry["kind"] = self.kind
        return entry | {"reason": self.reason, "seen": self.seen}


def load(path: Path = PATH) -> list[Known]:
    entries = yaml.safe_load(path.read_text()) or []
    return [Known(**entry) for entry in entries]


def split(
    known: list[Known], scenario: str, label: str, differences: list[Difference]
) -> tuple[list[Difference], list[Difference]]:
    """(explained, new): which differences a known entry accounts for, and which not."""
    explained, new = [], []
    for difference in differences:
        entry = next((k for k in known if k.explains(scenario, label, difference)), None)
        if entry is None:
            new.append(difference)
        else:
            entry.seen += 1
            explained.append(difference)
    return explained, new
