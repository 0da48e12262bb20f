"""What the parsers hand the evaluators: one :class:`Block` per executable thing on a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXECUTED_LANGUAGES = ("http", "json", "console", "python")


@dataclass(frozen=True)
class Block:
    """A code block, an included file or an invisible directive.

    ``kind`` is one of ``http``, ``json``, ``console``, ``python`` (code), ``scenario`` / ``use``
    (directives), ``illustrative`` (a block deliberately not executed, with ``reason``) or
    ``unsupported`` (a block in a language the verifier cannot run: always a failure).
    ``first_line`` is the 1-based line in ``source_path`` where ``text`` starts.
    """

    kind: str
    text: str
    source_path: Path
    first_line: int
    arguments: str = ""
    options: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    included_from: tuple[Path, int] | None = None

    def where(self, line_in_text: int = 1) -> str:
        """``file:line`` of a line of this block, naming the page when it was included."""
        here = f"{_shown(self.source_path)}:{self.first_line + line_in_text - 1}"
        if self.included_from is not None:
            page, line = self.included_from
            here += f" (included by {_shown(page)}:{line})"
        return here


def _shown(path: Path) -> Path:
    """A path relative to the working directory when it is below it: shorter in reports."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
