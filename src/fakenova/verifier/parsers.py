"""Sybil parsers for the guide's reST and MyST pages.

One parser per markup finds, in document order, every code block, every ``literalinclude``
and the invisible ``fakenova-*`` directives, and turns each into a :class:`Block`. Doing it in
one pass lets a ``fakenova-illustrative`` comment claim the block after it, and lets a block
in a language the verifier cannot execute fail loudly instead of passing unverified.

Directives (reST comments / MyST ``%`` comments)::

    .. fakenova-scenario: down-cells          % fakenova-scenario: down-cells user=admin
       :user: admin
    .. fakenova-use:                          % fakenova-use: unreachable=cell2
       :unreachable: cell2
    .. fakenova-illustrative: why this block is not executed
    .. fakenova-table: actions                % fakenova-table: statuses

A ``fakenova-table`` comment makes the ``csv-table`` after it a verified table: each of its
rows is checked against the fake (:mod:`fakenova.verifier.tables`). Other tables are prose.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from sybil import Document, Region
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.myst.lexers import DirectiveInPercentCommentLexer
from sybil.parsers.myst.lexers import DirectiveLexer as MystDirectiveLexer
from sybil.parsers.rest.lexers import DirectiveInCommentLexer, DirectiveLexer

from fakenova.verifier.blocks import EXECUTED_LANGUAGES, Block

DIRECTIVES = r"fakenova-scenario|fakenova-use|fakenova-illustrative|fakenova-table"
# ``code-tab`` is sphinx-tabs' code block (``.. code-tab:: console openstack CLI``: the
# language, then the tab's label). Blocks inside ``.. tab::`` need nothing: the lexers find
# directives at any indentation.
CODE = r"code-tab|code-block|sourcecode|code"
_KEY_VALUE = re.compile(r"(\w[\w-]*)=(\S+)")


def _line_of(document: Document, position: int) -> int:
    """The 1-based line of ``position``: how many line ends come before it, plus one."""
    return bisect.bisect_left(_line_ends(document.text), position) + 1


@functools.lru_cache(maxsize=64)
def _line_ends(text: str) -> list[int]:
    """Where each line of a page ends (counting them again for each of a page's few hundred
    samples read the page from its start each time)."""
    return [match.start() for match in re.finditer("\n", text)]


def _split_arguments(arguments: str, options: dict[str, str]) -> tuple[str, dict[str, str]]:
    """``name key=value ...`` (MyST style) merged with reST ``:key: value`` options."""
    merged = dict(options)
    for key, value in _KEY_VALUE.findall(arguments):
        merged[key] = value
    return _KEY_VALUE.sub("", arguments).strip(), merged


class GuideParser:
    """Shared machinery; subclasses list the lexers of their markup."""

    code_lexers: list
    include_lexers: list
    directive_lexers: list
    table_lexers: list
    source_root: Path

    def __init__(self, source_root: Path) -> None:
        self.source_root = source_root

    def _include_path(self, document: Document, argument: str) -> Path:
        # Sphinx semantics: a leading "/" is relative to the source directory.
        if argument.startswith("/"):
            return (self.source_root / argument.lstrip("/")).resolve()
        return (Path(document.path).parent / argument).resolve()

    def _lex(self, document: Document) -> Iterable[tuple[Region, Block]]:
        path = Path(document.path)
        for lexer in self.code_lexers:
            for region in lexer(document):
                # The first word: a code-tab's label follows its language.
                words = (
                    region.lexemes.get("arguments") or region.lexemes.get("language") or ""
                ).split()
                language = words[0] if words else ""
                source = region.lexemes["source"]
                kind = language if language in EXECUTED_LANGUAGES else "unsupported"
                line = _line_of(document, region.start + source.offset)
                yield (
                    region,
                    Block(
                        kind,
                        str(source),
                        path,
                        line,
                        arguments=language,
                        options=dict(region.lexemes.get("options") or {}),
                    ),
                )
        for lexer in self.include_lexers:
            for region in lexer(document):
                target = self._include_path(document, region.lexemes["arguments"].strip())
                options = dict(region.lexemes.get("options") or {})
                language = options.get("language", target.suffix.lstrip("."))
                kind = language if language in EXECUTED_LANGUAGES else "unsupported"
                text = target.read_text() if target.exists() else ""
                if not target.exists():
                    kind = "missing-include"
                yield (
                    region,
                    Block(
                        kind,
                        text,
                        target,
                        1,
                        arguments=language,
                        options=options,
                        included_from=(path, _line_of(document, region.start)),
                    ),
                )
        for lexer in self.table_lexers:
            for region in lexer(document):
                source = region.lexemes["source"]
                yield (
                    region,
                    Block(
                        "csv-table",
                        str(source),
                        path,
                        _line_of(document, region.start + source.offset),
                        arguments=(region.lexemes.get("arguments") or "").strip(),
                        options=dict(region.lexemes.get("options") or {}),
                    ),
                )
        for lexer in self.directive_lexers:
            for region in lexer(document):
                name = region.lexemes["directive"].removeprefix("fakenova-")
                arguments, options = _split_arguments(
                    (region.lexemes.get("arguments") or "").strip(),
                    dict(region.lexemes.get("options") or {}),
                )
                yield (
                    region,
                    Block(
                        name,
                        "",
                        path,
                        _line_of(document, region.start),
                        arguments=arguments,
                        options=options,
                        reason=arguments,
                    ),
                )

    def __call__(self, document: Document) -> Iterable[Region]:
        # Imported here: the site's build reads pages with blocks() and has no clients.
        from fakenova.verifier.evaluators import evaluate

        for region, block in self.blocks(document):
            region.parsed = block
            region.evaluator = evaluate
            yield region

    def blocks(self, document: Document) -> Iterable[tuple[Region, Block]]:
        """Every block of the page in document order, illustrative ones marked as such."""
        found = sorted(self._lex(document), key=lambda pair: pair[0].start)
        pending_reason: str | None = None
        pending_table: Block | None = None
        covered_until = -1
        for region, block in found:
            if region.start < covered_until:
                # Directive syntax shown *inside* a code block is text, not a directive.
                continue
            covered_until = region.end
            if pending_table is not None:
                table, pending_table = pending_table, None
                if block.kind != "csv-table":
                    reason = "fakenova-table must be followed by the csv-table it verifies"
                    yield (
                        region,
                        Block(
                            "unsupported", "", table.source_path, table.first_line, reason=reason
                        ),
                    )
                    continue
                block = Block(
                    "table",
                    block.text,
                    block.source_path,
                    block.first_line,
                    arguments=table.arguments,
                    options=block.options,
                )
            elif block.kind == "csv-table":
                continue  # a table of prose: nothing to run
            elif block.kind == "table":
                pending_table = block
                continue
            if block.kind == "illustrative":
                pending_reason = block.reason or None
                if pending_reason is None:
                    block = Block(
                        "unsupported",
                        "",
                        block.source_path,
                        block.first_line,
                        reason="fakenova-illustrative needs a reason",
                    )
                else:
                    continue
            elif pending_reason is not None and block.kind not in ("scenario", "use"):
                block = Block(
                    "illustrative",
                    block.text,
                    block.source_path,
                    block.first_line,
                    arguments=block.arguments,
                    reason=pending_reason,
                )
                pending_reason = None
            yield region, block


def parser_for(path: Path, source_root: Path) -> GuideParser:
    """The parser for a page, by its markup."""
    return MystParser(source_root) if path.suffix == ".md" else RestParser(source_root)


def line_of_region(document: Document, region: Region) -> int:
    """The line a block's directive (or fence) starts on: where Sphinx says the block is."""
    return _line_of(document, region.start)


class RestParser(GuideParser):
    def __init__(self, source_root: Path) -> None:
        super().__init__(source_root)
        self.code_lexers = [DirectiveLexer(directive=CODE)]
        self.include_lexers = [DirectiveLexer(directive="literalinclude")]
        self.directive_lexers = [DirectiveInCommentLexer(directive=DIRECTIVES)]
        self.table_lexers = [DirectiveLexer(directive="csv-table")]


class MystParser(GuideParser):
    def __init__(self, source_root: Path) -> None:
        super().__init__(source_root)
        self.code_lexers = [
            FencedCodeBlockLexer(language=r"[\w-]+"),
            MystDirectiveLexer(directive=CODE),
        ]
        self.include_lexers = [MystDirectiveLexer(directive="literalinclude")]
        self.directive_lexers = [DirectiveInPercentCommentLexer(directive=DIRECTIVES)]
        self.table_lexers = [MystDirectiveLexer(directive="csv-table")]
