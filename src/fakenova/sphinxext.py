"""Sphinx extension: highlight the guide's samples, ``...`` elisions included.

Samples may elide keys and list items with a bare ``...`` (the verifier skips them). Pygments'
JSON lexer calls that an error, which ``sphinx-build -W`` turns into a failed build, and its
HTTP lexer leaves a body without ``Content-Type`` unhighlighted. These two lexers replace
``json`` and ``http`` so readers see highlighted JSON with the elisions marked as comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pygments.lexers.data import JsonLexer
from pygments.lexers.textfmts import HttpLexer
from pygments.token import Comment, Error, Text, _TokenType

_ELLIPSIS = re.compile(r"\.\.\.")


class ElidedJsonLexer(JsonLexer):
    """JSON where a bare ``...`` stands for elided members or items."""

    name = "JSON with elisions"
    aliases = ["json"]

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:  # type: ignore[override]
        pending: list[tuple[int, str]] = []
        for index, token, value in super().get_tokens_unprocessed(text):
            if token is Error and value == ".":
                pending.append((index, value))
                if len(pending) == 3:
                    yield pending[0][0], Comment, "..."
                    pending = []
                continue
            for held_index, held in pending:
                yield held_index, Error, held
            pending = []
            yield index, token, value
        for held_index, held in pending:
            yield held_index, Error, held


class JsonBodyHttpLexer(HttpLexer):
    """HTTP transcripts whose bodies are JSON, shown with or without a Content-Type header."""

    name = "HTTP with JSON bodies"
    aliases = ["http"]

    def content_callback(self, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
        content, offset = match.group(), match.start()
        body = content.lstrip()
        # A request followed by its response: the "body" is the response; lex it as HTTP too.
        lexer = JsonBodyHttpLexer() if body.startswith("HTTP/") else ElidedJsonLexer()
        if body.startswith(("{", "[", "HTTP/")):
            for index, token, value in lexer.get_tokens_unprocessed(content):
                yield offset + index, token, value
        else:
            yield offset, Text, content

    # Pygments binds the callback when the class is built: point the state at this one.
    tokens = {**HttpLexer.tokens, "content": [(r".+", content_callback)]}


def setup(app: Any) -> dict[str, Any]:
    app.add_lexer("json", ElidedJsonLexer)
    app.add_lexer("http", JsonBodyHttpLexer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
