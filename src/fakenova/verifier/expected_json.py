"""Parse the JSON a page shows, where a bare ``...`` may stand for what the sample leaves out.

Kept apart from the matcher because it is plain recursive descent over JSON's grammar plus one
token; it also remembers the line of every key and item, so a mismatch can point at a line.
"""

from __future__ import annotations

import json
import re
from types import EllipsisType
from typing import Any

ELLIPSIS: EllipsisType = ...
"""``...`` in parsed expected JSON (Python's own ``Ellipsis``). In an object it is a key (with
itself as value): ``{"a": 1, ...}`` parses to ``{"a": 1, ...: ...}``."""


class ExpectedSyntaxError(ValueError):
    """Expected JSON that cannot be parsed even with ``...``; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class ExpectedObject(dict):
    """A parsed expected object, remembering the lines its members were written on, and its
    source ``text`` (so an update can keep a part that still matches exactly as written)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line, self.end_line = line, line
        self.key_lines: dict[Any, int] = {}
        self.text = ""


class ExpectedArray(list):
    """A parsed expected array, remembering the lines its items were written on, and its
    source ``text``."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line, self.end_line = line, line
        self.item_lines: list[int] = []
        self.text = ""


_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n]+)
    |(?P<punct>[{}\[\]:,])
    |(?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<word>true|false|null)
    |(?P<ellipsis>\.\.\.)""",
    re.VERBOSE,
)
_WORDS = {"true": True, "false": False, "null": None}


def _tokenize(text: str) -> tuple[list[tuple[str, str, int]], list[int]]:
    """``(kind, text, line)`` of each token, and where each starts in ``text``."""
    tokens, starts, pos, line = [], [], 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            what = "string" if text[pos] == '"' else "text"
            raise ExpectedSyntaxError(f"invalid {what} {text[pos : pos + 20]!r}", line)
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, match.group(), line))
            starts.append(pos)
        line += match.group().count("\n")
        pos = match.end()
    return tokens, starts


class ExpectedJsonParser:
    """Recursive descent over JSON plus the ``...`` token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens, self.starts = _tokenize(text)
        self.pos = 0
        self.last_line = text.count("\n") + 1

    def next(self) -> tuple[str, str, int]:
        if self.pos == len(self.tokens):
            raise ExpectedSyntaxError("unexpected end of the JSON text", self.last_line)
        self.pos += 1
        return self.tokens[self.pos - 1]

    def document(self) -> tuple[Any, int]:
        if not self.tokens:
            raise ExpectedSyntaxError("no JSON value", 1)
        first_line = self.tokens[0][2]
        value = self.value()
        if self.pos < len(self.tokens):
            _, text, line = self.tokens[self.pos]
            raise ExpectedSyntaxError(f"unexpected {text!r} after the JSON value", line)
        return value, first_line

    def value(self) -> Any:
        kind, text, line = self.next()
        if kind == "ellipsis":
            return ELLIPSIS
        if kind == "punct" and text in ("{", "["):
            start = self.starts[self.pos - 1]
            container = self.object(line) if text == "{" else self.array(line)
            container.text = self.text[start : self.starts[self.pos - 1] + 1]
            return container
        if kind in ("string", "number"):
            return json.loads(text)
        if kind == "word":
            return _WORDS[text]
        raise ExpectedSyntaxError(f"expected a value, found {text!r}", line)

    def object(self, line: int) -> ExpectedObject:
        obj = ExpectedObject(line)
        if self.pos < len(self.tokens) and self.tokens[self.pos][1] == "}":
            obj.end_line = self.next()[2]
            return obj
        while True:
            kind, text, key_line = self.next()
            if kind == "ellipsis":
                key: Any = ELLIPSIS
            elif kind == "string":
                key = json.loads(text)
                _, colon, colon_line = self.next()
                if colon != ":":
                    raise ExpectedSyntaxError(f"expected ':', found {colon!r}", colon_line)
            else:
                raise ExpectedSyntaxError(f"expected a key or '...', found {text!r}", key_line)
            if key in obj:
                raise ExpectedSyntaxError(f"duplicate key {text}", key_line)
            obj.key_lines[key] = key_line
            obj[key] = ELLIPSIS if key is ELLIPSIS else self.value()
            _, text, end_line = self.next()
            if text == "}":
                obj.end_line = end_line
                return obj
            if text != ",":
                raise ExpectedSyntaxError(f"expected ',' or '}}', found {text!r}", end_line)

    def array(self, line: int) -> ExpectedArray:
        arr = ExpectedArray(line)
        if self.pos < len(self.tokens) and self.tokens[self.pos][1] == "]":
            arr.end_line = self.next()[2]
            return arr
        while True:
            arr.item_lines.append(
                self.tokens[self.pos][2] if self.pos < len(self.tokens) else self.last_line
            )
            arr.append(self.value())
            _, text, end_line = self.next()
            if text == "]":
                arr.end_line = end_line
                return arr
            if text != ",":
                raise ExpectedSyntaxError(f"expected ',' or ']', found {text!r}", end_line)


def parse_expected_json(text: str) -> Any:
    """Parse JSON that may use a bare ``...``; objects and arrays come back as
    :class:`ExpectedObject` / :class:`ExpectedArray` (a dict / list with line numbers)."""
    return ExpectedJsonParser(text).document()[0]
