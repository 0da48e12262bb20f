"""Parse the REST transcripts the guide shows in ``http`` blocks.

A request block reads like the wire::

    GET /compute/v2.1/servers/detail HTTP/1.1
    OpenStack-API-Version: compute 2.69

    {"optional": "JSON body"}

and a response block starts with a status line::

    HTTP/1.1 200 OK
    Vary: OpenStack-API-Version, X-OpenStack-Nova-API-Version

    {"expected": "JSON body, may use ..."}

Headers shown are checked (responses) or sent (requests); headers not shown are not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQUEST_LINE = re.compile(r"^(GET|HEAD|POST|PUT|PATCH|DELETE)\s+(\S+)(?:\s+HTTP/1\.[01])?$")
_STATUS_LINE = re.compile(r"^HTTP/1\.[01]\s+(\d{3})(?:\s+(.*))?$")
_HEADER = re.compile(r"^([A-Za-z0-9-]+):\s*(.*)$")


class TranscriptError(ValueError):
    """The block is not a request or response as written; ``line`` is 1-based in the block."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    body_line: int


@dataclass(frozen=True)
class HttpResponse:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    body_line: int


def _split(text: str) -> tuple[list[str], list[tuple[str, str]], str | None, int]:
    lines = text.rstrip("\n").split("\n")
    headers: list[tuple[str, str]] = []
    index = 1
    while index < len(lines) and lines[index].strip():
        match = _HEADER.match(lines[index].strip())
        if match is None:
            raise TranscriptError(f"not a header: {lines[index].strip()!r}", index + 1)
        headers.append((match.group(1), match.group(2)))
        index += 1
    start = index + 1
    while start < len(lines) and not lines[start].strip():
        start += 1  # the body's line is the line it starts on, after any blank lines
    body = "\n".join(lines[start:]).rstrip("\n") or None
    return lines, headers, body, start + 1


def is_response(text: str) -> bool:
    return text.lstrip().startswith("HTTP/")


def parse_request(text: str) -> HttpRequest:
    lines, headers, body, body_line = _split(text)
    match = _REQUEST_LINE.match(lines[0].strip())
    if match is None:
        raise TranscriptError(f"expected 'METHOD /path HTTP/1.1', got {lines[0].strip()!r}", 1)
    return HttpRequest(match.group(1), match.group(2), tuple(headers), body, body_line)


def parse_response(text: str) -> HttpResponse:
    lines, headers, body, body_line = _split(text)
    match = _STATUS_LINE.match(lines[0].strip())
    if match is None:
        raise TranscriptError(f"expected 'HTTP/1.1 NNN Reason', got {lines[0].strip()!r}", 1)
    return HttpResponse(int(match.group(1)), match.group(2) or "", tuple(headers), body, body_line)


def split_exchange(text: str) -> tuple[str, str | None, int]:
    """Split a block showing a request and then its response at the response's status line.

    Returns the request text, the response text (or None) and the 1-based line of the
    status line in the block.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index and _STATUS_LINE.match(line.strip()):
            return "\n".join(lines[:index]), "\n".join(lines[index:]), index + 1
    return text, None, 0
