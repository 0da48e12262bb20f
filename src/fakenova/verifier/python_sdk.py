"""Python samples: openstacksdk snippets run in this process against the page's cloud.

A ``python`` block is a script a reader could paste after ``openstack.connect()``; what it
prints is shown in the block itself, in a ``# prints:`` comment section under the code that
prints it::

    for server in conn.compute.servers():
        print(server.name, server.status)

    # prints:
    # None UNKNOWN
    # vm1 ACTIVE

``conn`` is ready-made: ``openstack.connect()`` with the page user's openrc sourced (the same
``OS_*`` variables as the ``openstack`` CLI gets, microversion included), so a snippet may
also call ``openstack.connect()`` itself. Every request goes to the page's fake in this
process (:mod:`fakenova.transport`), as for the CLI. A page's snippets share one namespace,
like a REPL session.

Each code chunk runs through sybil's own :class:`~sybil.evaluators.python.PythonEvaluator`
(compiled with the page's line numbers, so a traceback points at the page); its output is
matched like console output (``...`` lines, ids bound page-wide). A chunk that prints with
no ``# prints:`` section after it fails: everything a sample prints is shown.
"""

from __future__ import annotations

import contextlib
import io
import re
import traceback
from dataclasses import dataclass, field
from typing import Any

from sybil.evaluators.python import PythonEvaluator
from sybil.region import Lexeme

from fakenova.verifier.openstack_cli import intercepted
from fakenova.verifier.page import Page

NAMESPACE_KEY = "fakenova_python"
_PRINTS = re.compile(r"^#\s*prints:\s*$")


@dataclass
class Chunk:
    """Code (from 1-based block line ``line``) and the output its ``# prints:`` shows."""

    code: str
    line: int
    expected: list[str] = field(default_factory=list)
    expected_line: int = 0  # 0: no ``# prints:`` section
    end_line: int = 0  # the chunk's last line of code


def chunks(text: str) -> list[Chunk]:
    """Split a snippet at its ``# prints:`` sections (written at the start of a line)."""
    found: list[Chunk] = []
    code: list[str] = []
    start, lines, index = 1, text.rstrip("\n").split("\n"), 0
    while index < len(lines):
        if _PRINTS.match(lines[index]):
            chunk = Chunk("\n".join(code), start, [], index + 2, _last_code_line(code, start))
            index += 1
            while index < len(lines) and lines[index].startswith("#"):
                line = lines[index]
                chunk.expected.append(line[2:] if line.startswith("# ") else line[1:])
                index += 1
            found.append(chunk)
            code, start = [], index + 1
            continue
        code.append(lines[index])
        index += 1
    if any(line.strip() for line in code):
        found.append(Chunk("\n".join(code), start, end_line=_last_code_line(code, start)))
    return found


def _last_code_line(code: list[str], start: int) -> int:
    written = [n for n, line in enumerate(code) if line.strip()]
    return start + (written[-1] if written else 0)


@dataclass
class _Snippet:
    """The part of a sybil ``Example`` that ``PythonEvaluator`` reads."""

    parsed: Lexeme
    line: int
    path: str
    namespace: dict[str, Any]


class SnippetError(Exception):
    """The snippet raised; ``line`` is the line of the page (or file) it raised on."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _namespace(document: dict[str, Any], page: Page) -> dict[str, Any]:
    """The page's Python namespace, with a ``conn`` for the page's current user."""
    namespace = document.setdefault(NAMESPACE_KEY, {})
    if namespace.get("__fakenova_env__") != page.env:
        import openstack

        namespace.update(openstack=openstack, conn=openstack.connect())
        namespace["__fakenova_env__"] = dict(page.env)
    return namespace


def run_chunk(document: dict[str, Any], page: Page, chunk: Chunk, path: str, first: int) -> str:
    """Run one chunk (its first line is line ``first`` of ``path``); what it printed."""
    # The in-process runner's memos (pure answers of the SDK's, keystoneauth's and requests'
    # own functions; see openstack_cli_cache) serve a snippet's SDK calls as they serve a
    # command's. Imported here: they import the whole client, which only samples need.
    from fakenova.verifier import openstack_cli_cache

    out = io.StringIO()
    with intercepted(lambda: page.app, page.env), openstack_cli_cache.installed():
        namespace = _namespace(document, page)
        snippet = _Snippet(Lexeme(chunk.code, 0, 0), first - 1, path, namespace)
        try:
            with contextlib.redirect_stdout(out):
                PythonEvaluator()(snippet)  # type: ignore[arg-type]
        except Exception as error:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
            line = frames[-1].lineno if frames else None
            message = "".join(traceback.format_exception_only(error)).strip()
            raise SnippetError(message, line) from None
    return out.getvalue()
