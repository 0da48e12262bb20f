"""Rewriting samples in place: what ``pytest --update-samples`` does with a failed sample.

An evaluator that finds a mismatch it can explain also works out the text that would match:
the actual output written the way the sample is written (its ``...`` elisions, its literal
ids and its layout kept, see :func:`~fakenova.verifier.rendering.render_like`). It describes
that as :class:`Edit`\\ s of lines of the block; the block's new text is a :class:`Proposal`.
Nothing touches a file while samples run: the pytest plugin applies every proposal of a file
at the end of the session, bottom-up so that earlier line numbers stay valid, and only after
checking that the file still holds, at that place, the text the sample was read from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edit:
    """Replace ``count`` lines of a block, from 1-based ``line``, by ``lines``."""

    line: int
    count: int
    lines: tuple[str, ...]


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` (a block, as the evaluator read it) with ``edits`` applied, bottom-up."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: e.line, reverse=True):
        lines[edit.line - 1 : edit.line - 1 + edit.count] = edit.lines
    return "\n".join(lines)


@dataclass(frozen=True)
class Proposal:
    """The new text of a block that ``source_path`` holds from 1-based line ``first_line``.

    ``page`` and ``page_line`` name the sample (for an included example, the page that
    includes it), for the drift summary.
    """

    source_path: Path
    first_line: int
    old_text: str
    new_text: str
    page: Path
    page_line: int


class ProposalConflict(ValueError):
    """The file no longer holds the sample where it was read, or two rewrites disagree."""


def _body(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _indent(lines: list[str]) -> str:
    """The whitespace every non-blank line starts with (a reST code block's indentation)."""
    written = [line for line in lines if line.strip()]
    if not written:
        return ""
    prefix = written[0][: len(written[0]) - len(written[0].lstrip())]
    for line in written[1:]:
        while not line.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def apply_proposals(text: str, proposals: Iterable[Proposal]) -> str:
    """``text`` (a whole file) with each proposal's block replaced, indentation kept.

    Raises :class:`ProposalConflict` when a block is not where it was read, or when two
    proposals for the same block disagree (one example file included by two pages).
    """
    unique: dict[int, Proposal] = {}
    for proposal in proposals:
        seen = unique.setdefault(proposal.first_line, proposal)
        if seen.new_text != proposal.new_text:
            raise ProposalConflict(
                f"{proposal.source_path}:{proposal.first_line}: two samples would rewrite this "
                f"block differently ({seen.page}:{seen.page_line} and "
                f"{proposal.page}:{proposal.page_line})"
            )
    lines = text.split("\n")
    for first_line, proposal in sorted(unique.items(), reverse=True):
        old = _body(proposal.old_text)
        start = first_line - 1
        found = lines[start : start + len(old)]
        prefix = _indent(found)
        if [line[len(prefix) :].rstrip() for line in found] != [line.rstrip() for line in old]:
            raise ProposalConflict(
                f"{proposal.source_path}:{first_line}: the file changed since the sample was "
                "read; not rewritten"
            )
        lines[start : start + len(old)] = [
            prefix + line if line.strip() else "" for line in _body(proposal.new_text)
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class FileRewrite:
    """One file's rewrite: its unified diff, and the proposals it applies."""

    path: Path
    old: str
    new: str
    proposals: tuple[Proposal, ...]

    def diff(self, label: Path | None = None) -> str:
        name = (label or self.path).as_posix()
        old, new = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
        lines = difflib.unified_diff(
            self.old.splitlines(keepends=True), self.new.splitlines(keepends=True), old, new
        )
        return "".join(lines)


def plan(proposals: Iterable[Proposal]) -> tuple[list[FileRewrite], list[str]]:
    """Group proposals by file and work out each file's new text, without writing anything.

    Returns the rewrites that change a file and the conflicts (files left alone).
    """
    by_file: dict[Path, list[Proposal]] = {}
    for proposal in proposals:
        by_file.setdefault(proposal.source_path, []).append(proposal)
    rewrites, conflicts = [], []
    for path, found in sorted(by_file.items()):
        old = path.read_text()
        try:
            new = apply_proposals(old, found)
        except ProposalConflict as conflict:
            conflicts.append(str(conflict))
            continue
        if new != old:
            rewrites.append(FileRewrite(path, old, new, tuple(found)))
    return rewrites, conflicts
