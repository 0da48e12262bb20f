"""Compare what a page of the guide shows (expected) with what the fake produced (actual).

Samples are written by people: they elide with ``...`` and show ids from one run. So a sample
matches when it has the actual output's structure and exact static values, while ids,
timestamps and passwords match by *shape* and are bound, page-wide, to the actual values they
stand for: a page that shows one server id twice must be talking about one server, and two
different ids must be two different servers. Everything else is compared exactly, because a
sample that is merely "close" teaches the reader something false.

The parts: :mod:`~fakenova.verifier.bindings` (shapes and what literals stand for),
:mod:`~fakenova.verifier.comparison` (the walk to the first failure) and
:mod:`~fakenova.verifier.rendering` (the actual written like the expected, for diffs).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from fakenova.verifier.bindings import (  # noqa: F401 - re-exported for callers
    DIFFERS,
    PageBindings,
    dynamic_literals,
    match_string,
)
from fakenova.verifier.comparison import Failure, JsonMatcher, match_sequence, show
from fakenova.verifier.expected_json import (  # noqa: F401 - re-exported for callers
    ELLIPSIS,
    ExpectedJsonParser,
    ExpectedSyntaxError,
    parse_expected_json,
)
from fakenova.verifier.rendering import Renderer, align, render_like


@dataclass(frozen=True)
class Mismatch:
    """Why a sample does not match, where (1-based line in the expected text) and a diff.

    ``rendered`` is the actual written the way the expected is written (elisions, literals
    and layout kept): what ``pytest --update-samples`` puts in the sample's place.
    """

    reason: str
    line: int
    diff: str
    rendered: str = ""


def _indent_of(text: str) -> int:
    indents = [len(line) - len(line.lstrip(" ")) for line in text.splitlines()]
    return min((n for n in indents if n), default=4)


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _diff(expected: list[str], actual: list[str]) -> str:
    return "\n".join(difflib.unified_diff(expected, actual, "expected", "actual", lineterm=""))


def match_json(expected_text: str, actual: Any, bindings: PageBindings) -> Mismatch | None:
    """Match parsed ``actual`` against the JSON a page shows; bind only on success.

    Raises :class:`ExpectedSyntaxError` when the expected text is not JSON-with-``...``.
    """
    expected, first_line = ExpectedJsonParser(expected_text).document()
    mark = bindings.mark()
    fail = JsonMatcher(bindings).value(expected, actual, "$", first_line)
    if fail is None:
        return None
    bindings.rollback(mark)
    # The diff shows the answer in the sample's own layout (what an update would write):
    # only the lines that are out of date differ.
    kept = render_like(
        expected, actual, _indent_of(expected_text), bindings=bindings, keep_layout=True
    )
    return Mismatch(fail.reason, fail.line, _diff(_lines(expected_text), kept.splitlines()), kept)


def match_text(expected_text: str, actual_text: str, bindings: PageBindings) -> Mismatch | None:
    """Match output line by line; a line that is just ``...`` elides zero or more lines.

    Trailing whitespace and trailing blank lines do not count. Binds only on success.
    """
    expected, actual = _lines(expected_text), _lines(actual_text)
    pattern = [ELLIPSIS if line.strip() == "..." else line for line in expected]

    def item(i: int, j: int) -> Failure | None:
        reason = match_string(expected[i], actual[j], bindings)
        if reason == DIFFERS:
            return Failure(
                f"line {i + 1} differs: expected {show(expected[i])}, got {show(actual[j])}",
                i + 1,
            )
        return Failure(f"line {i + 1}: {reason}", i + 1) if reason else None

    mark = bindings.mark()
    fail = match_sequence(
        pattern,
        actual,
        bindings,
        item,
        missing=lambda i, j: Failure(
            f"line {i + 1} is missing: the actual output ends after {j} lines", i + 1, 0
        ),
        extra=lambda j: Failure(
            f"the actual output goes on after the expected text ends, with "
            f"{show(actual[j])} (actual line {j + 1})",
            max(len(expected), 1),
            0,
        ),
    )
    if fail is None:
        return None
    bindings.rollback(mark)
    renderer = Renderer(bindings.copy())
    rendered = [
        "..." if pair is ELLIPSIS else renderer.line(pair[0], pair[1])
        for pair in align(pattern, actual)
    ]
    return Mismatch(fail.reason, fail.line, _diff(expected, rendered), "\n".join(rendered))
