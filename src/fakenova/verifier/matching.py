"""Compare what a page of the guide shows (expected) with what the fake produced (actual).

Samples are written by people: they elide with ``...`` and show ids from one run. So a sample
matches when it has the actual output's structure and exact static values, while ids,
timestamps and passwords match by *shape* and are bound, page-wide, to the actual values they
stand for: a page that shows one server id twice must be talking about one server, and two
different ids must be two different servers. Everything else is compared exactly, because a
sample that is merely "close" teaches the reader something false.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from fakenova.verifier.expected_json import (  # noqa: F401 - re-exported for callers
    ELLIPSIS,
    ExpectedArray,
    ExpectedJsonParser,
    ExpectedObject,
    ExpectedSyntaxError,
    parse_expected_json,
)

PASSWORD_KEYS = frozenset({"adminPass", "password"})

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Order matters where shapes share a prefix: ``req-<uuid>`` before the uuid, 56-hex before 32.
_SHAPES = {
    "request": rf"req-{_UUID}",
    "uuid": _UUID,
    "hostid": r"[0-9a-f]{56}",
    "hexid": r"[0-9a-f]{32}",
    "timestamp": r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?",
    "reservation": r"r-[a-z0-9]{8}",
}
_DYNAMIC = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    + "|".join(f"(?P<{kind}>{shape})" for kind, shape in _SHAPES.items())
    + r")(?![0-9A-Za-z])"
)


def dynamic_literals(text: str) -> list[str]:
    """The dynamic values (ids, timestamps, ...) written in ``text``, in order.

    Request paths use it to swap a literal id for the actual id it stood for earlier.
    """
    return [match.group() for match in _DYNAMIC.finditer(text)]


_DIFFERS = "differs"
_NOTHING: Any = object()  # "no expected counterpart" (None is a valid expected value)
_dumps = functools.partial(json.dumps, ensure_ascii=False, default=str)


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


class PageBindings:
    """Literal dynamic values seen on one page and the actual values they stood for.

    Bijective: the same literal always stands for the same actual value, two different
    literals for two different values. Lives for one page (one sybil document).

    ``match_json`` and ``match_text`` keep the bindings they make only when they return
    ``None``; a returned :class:`Mismatch` leaves the bindings as they were. ``transaction()``
    is a public helper on top of that, for grouping several matches: everything bound inside
    the ``with`` block is discarded if the block raises.
    """

    def __init__(self) -> None:
        self._forward: dict[str, str] = {}
        self._backward: dict[str, str] = {}
        self._order: list[str] = []  # literals in binding order: a mark is a length

    def lookup(self, literal: str) -> str | None:
        """The actual value ``literal`` stands for on this page, if it was bound."""
        return self._forward.get(literal)

    def items(self) -> list[tuple[str, str]]:
        """``(literal, actual)`` pairs in the order they were bound."""
        return [(literal, self._forward[literal]) for literal in self._order]

    def __len__(self) -> int:
        return len(self._order)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PageBindings]:
        """Bindings made inside the block are committed only if it exits without exception."""
        mark = self._mark()
        try:
            yield self
        except BaseException:
            self._rollback(mark)
            raise

    def _mark(self) -> int:
        return len(self._order)

    def _rollback(self, mark: int) -> None:
        while len(self._order) > mark:
            del self._backward[self._forward.pop(self._order.pop())]

    def _copy(self) -> PageBindings:
        copy = PageBindings()
        copy._forward, copy._backward = dict(self._forward), dict(self._backward)
        copy._order = list(self._order)
        return copy

    def _bind(self, literal: str, actual: str) -> str | None:
        """Bind (or check) ``literal`` to ``actual``; the reason it cannot, or ``None``."""
        bound = self._forward.get(literal)
        if bound is not None:
            if bound == actual:
                return None
            return (
                f"{literal!r} stands for {bound!r} earlier on this page, but here it is {actual!r}"
            )
        other = self._backward.get(actual)
        if other is not None:
            return (
                f"{literal!r} stands for {actual!r} here, but {other!r} already stands "
                "for it on this page"
            )
        self._forward[literal], self._backward[actual] = actual, literal
        self._order.append(literal)
        return None


# -- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fail:
    reason: str
    line: int
    rank: int = 1  # 1: a value differs; 0: a sequence ran short or long (less specific)


@functools.lru_cache(maxsize=4096)
def _pattern(expected: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A regex for strings shaped like ``expected``: literal parts equal, one group per token."""
    parts, tokens, pos = [], [], 0
    for match in _DYNAMIC.finditer(expected):
        literal = match.group()
        if match.lastgroup == "timestamp":  # same format: only the digits may differ
            shape = "".join(
                "[0-9]" if c.isascii() and c.isdigit() else re.escape(c) for c in literal
            )
        else:
            shape = _SHAPES[match.lastgroup or ""]
        parts += [re.escape(expected[pos : match.start()]), f"({shape})"]
        tokens.append(literal)
        pos = match.end()
    if not tokens:
        return None
    parts.append(re.escape(expected[pos:]))
    return re.compile("".join(parts)), tuple(tokens)


def _match_string(expected: str, actual: str, bindings: PageBindings) -> str | None:
    """``None``, ``_DIFFERS``, or why a dynamic token cannot stand for its actual value."""
    compiled = _pattern(expected)
    if compiled is None:
        return None if expected == actual else _DIFFERS
    regex, tokens = compiled
    match = regex.fullmatch(actual)
    if match is None:
        return _DIFFERS
    for literal, value in zip(tokens, match.groups(), strict=True):
        reason = bindings._bind(literal, value)
        if reason:
            return reason
    return None


def _same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if expected is None or actual is None:
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return False


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    text = repr(value) if isinstance(value, str) else _dumps(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][\w:-]*", key) else f"{path}[{_dumps(key)}]"


def _match_sequence(
    expected: list[Any],
    actual: list[Any],
    bindings: PageBindings,
    item: Callable[[int, int], _Fail | None],
    missing: Callable[[int, int], _Fail],
    extra: Callable[[int], _Fail],
) -> _Fail | None:
    """Match items pairwise, with ``ELLIPSIS`` items eating zero or more actual items.

    Backtracks over what each ellipsis eats, discarding the bindings of every failed branch;
    when nothing matches, reports the failure that got furthest into the expected text.
    """

    def walk(i: int, j: int) -> _Fail | None:
        while i < len(expected) and expected[i] is not ELLIPSIS:
            if j == len(actual):
                return missing(i, j)
            fail = item(i, j)
            if fail:
                return fail
            i, j = i + 1, j + 1
        if i == len(expected):
            return None if j == len(actual) else extra(j)
        if i + 1 == len(expected):
            return None  # a trailing ellipsis eats the rest
        best: _Fail | None = None
        for k in range(j, len(actual) + 1):
            mark = bindings._mark()
            fail = walk(i + 1, k)
            if fail is None:
                return None
            bindings._rollback(mark)
            if best is None or (fail.line, fail.rank) >= (best.line, best.rank):
                best = fail
        return best

    return walk(0, 0)


class _JsonMatcher:
    def __init__(self, bindings: PageBindings) -> None:
        self.bindings = bindings

    def value(self, exp: Any, act: Any, path: str, line: int, key: Any = None) -> _Fail | None:
        if exp is ELLIPSIS:
            return None
        differs = _Fail(f"value differs at {path}: expected {_show(exp)}, got {_show(act)}", line)
        if isinstance(exp, dict):
            return self.object(exp, act, path, line) if isinstance(act, dict) else differs
        if isinstance(exp, list):
            return self.array(exp, act, path, line) if isinstance(act, list | tuple) else differs
        if isinstance(exp, str):
            if not isinstance(act, str):
                return differs
            if key in PASSWORD_KEYS:
                reason = self.bindings._bind(exp, act)
            else:
                reason = _match_string(exp, act, self.bindings)
            if reason == _DIFFERS:
                return differs
            return _Fail(f"{reason} (at {path})", line) if reason else None
        return None if _same_scalar(exp, act) else differs

    def object(self, exp: dict, act: dict, path: str, line: int) -> _Fail | None:
        key_lines = getattr(exp, "key_lines", {})
        for key, value in exp.items():
            if key is ELLIPSIS:
                continue
            key_line = key_lines.get(key, line)
            if key not in act:
                return _Fail(f"key {key!r} missing at {path}", key_line)
            fail = self.value(value, act[key], _join(path, key), key_line, key)
            if fail:
                return fail
        extra = [key for key in act if key not in exp]
        if extra and ELLIPSIS not in exp:
            keys = ", ".join(map(repr, extra))
            return _Fail(
                f"unexpected key{'s' * (len(extra) > 1)} {keys} at {path}",
                getattr(exp, "end_line", line),
            )
        return None

    def array(self, exp: list, act: list | tuple, path: str, line: int) -> _Fail | None:
        item_lines = getattr(exp, "item_lines", None) or [line] * len(exp)
        end_line = getattr(exp, "end_line", line)
        return _match_sequence(
            list(exp),
            list(act),
            self.bindings,
            item=lambda i, j: self.value(exp[i], act[j], f"{path}[{j}]", item_lines[i]),
            missing=lambda i, j: _Fail(
                f"array at {path} has only {j} items: nothing left for the item on line "
                f"{item_lines[i]}",
                item_lines[i],
                0,
            ),
            extra=lambda j: _Fail(
                f"array at {path} has {len(act) - j} unexpected item(s) from {path}[{j}]",
                end_line,
                0,
            ),
        )


# -- rendering the actual like the expected, for diffs -----------------------------------------


def _align(expected: list[Any], actual: list[Any]) -> list[tuple[Any, Any] | EllipsisType]:
    """Pair actual items with the expected items they most likely correspond to.

    Exact for at most one ellipsis (fixed items before it pair with the first actual items,
    fixed items after it with the last); actual items an ellipsis ate become one ``ELLIPSIS``.
    """
    fixed = [item for item in expected if item is not ELLIPSIS]
    if ELLIPSIS not in expected or len(actual) < len(fixed):
        return [(fixed[j] if j < len(fixed) else _NOTHING, a) for j, a in enumerate(actual)]
    first = expected.index(ELLIPSIS)
    last = len(expected) - 1 - expected[::-1].index(ELLIPSIS)
    head, tail = expected[:first], expected[last + 1 :]
    middle = actual[len(head) : len(actual) - len(tail)]
    pairs: list[tuple[Any, Any] | EllipsisType] = list(zip(head, actual, strict=False))
    if any(item is not ELLIPSIS for item in expected[first + 1 : last]):
        pairs += [ELLIPSIS, *((_NOTHING, a) for a in middle), ELLIPSIS]
    else:
        pairs.append(ELLIPSIS)
    pairs += zip(tail, actual[len(actual) - len(tail) :], strict=True)
    return pairs


class _Renderer:
    """Renders actual values; with bindings, values that match the expected show as written."""

    def __init__(self, bindings: PageBindings | None) -> None:
        self.bindings = bindings

    def matches(self, exp: str, act: str, password: bool = False) -> bool:
        if self.bindings is None:
            return exp == act
        mark = self.bindings._mark()
        reason = (
            self.bindings._bind(exp, act) if password else _match_string(exp, act, self.bindings)
        )
        if reason:
            self.bindings._rollback(mark)
        return reason is None

    def substitute(self, act: str) -> str:
        """``act`` with every bound actual value replaced by the literal standing for it."""
        if self.bindings is None:
            return act
        backward = self.bindings._backward
        if act in backward:
            return backward[act]
        return _DYNAMIC.sub(lambda m: backward.get(m.group(), m.group()), act)

    def line(self, exp: Any, act: str) -> str:
        return exp if isinstance(exp, str) and self.matches(exp, act) else self.substitute(act)


class _JsonRenderer(_Renderer):
    """With ``keep_layout``, parts of the expected that still hold are kept as written, and
    containers written on one line stay on one line: what an update writes back."""

    def __init__(self, bindings: PageBindings | None, indent: int, keep_layout: bool) -> None:
        super().__init__(bindings)
        self.indent = indent
        self.keep_layout = keep_layout

    def holds(self, exp: Any, act: Any) -> bool:
        """Whether ``exp`` matches ``act``; binds (in the scratch bindings) when it does."""
        bindings = self.bindings if self.bindings is not None else PageBindings()
        mark = bindings._mark()
        if _JsonMatcher(bindings).value(exp, act, "$", 0) is None:
            return True
        bindings._rollback(mark)
        return False

    def render(self, exp: Any, act: Any, level: int, key: Any = None, inline: bool = False) -> str:
        if exp is ELLIPSIS:
            return "..."
        if self.keep_layout and isinstance(exp, ExpectedObject | ExpectedArray):
            if exp.text and self.holds(exp, act):
                return exp.text
            inline = inline or exp.line == exp.end_line
        if isinstance(act, dict):
            members = self.members(exp if isinstance(exp, dict) else {}, act, level, inline)
            return self.block("{", members, "}", level, inline)
        if isinstance(act, list | tuple):
            items = list(exp) if isinstance(exp, list) else []
            template = next((item for item in items if item is not ELLIPSIS), _NOTHING)
            rendered = [
                "..."
                if pair is ELLIPSIS
                else self.render(
                    template if pair[0] is _NOTHING else pair[0], pair[1], level + 1, None, inline
                )
                for pair in _align(items, list(act))
            ]
            return self.block("[", rendered, "]", level, inline)
        if isinstance(act, str):
            if isinstance(exp, str) and self.matches(exp, act, key in PASSWORD_KEYS):
                return _dumps(exp)
            return _dumps(self.substitute(act))
        if not isinstance(exp, dict | list | str) and _same_scalar(exp, act):
            return _dumps(exp)
        return _dumps(act)

    def members(self, exp: dict, act: dict, level: int, inline: bool) -> list[str]:
        if self.keep_layout and ELLIPSIS not in exp:
            # Every key is shown: show them in the answer's order, as the sample once did.
            shown = (
                (key, self.render(exp.get(key, _NOTHING), value, level + 1, key, inline))
                for key, value in act.items()
            )
            return [f"{_dumps(key)}: {rendered}" for key, rendered in shown]
        out = []
        for key, value in exp.items():
            if key is ELLIPSIS:
                out.append("...")
            elif key in act:
                rendered = self.render(value, act[key], level + 1, key, inline)
                out.append(f"{_dumps(key)}: {rendered}")
        if ELLIPSIS not in exp:
            out += [
                f"{_dumps(key)}: {self.render(_NOTHING, value, level + 1, key, inline)}"
                for key, value in act.items()
                if key not in exp
            ]
        return out

    def block(self, opening: str, items: list[str], closing: str, level: int, inline: bool) -> str:
        if not items or items == ["..."]:  # how pages write them: `[]`, `[...]`, `{...}`
            return opening + "".join(items) + closing
        if inline:
            return opening + ", ".join(items) + closing
        pad = " " * (self.indent * (level + 1))
        return (
            f"{opening}\n"
            + ",\n".join(pad + item for item in items)
            + f"\n{' ' * (self.indent * level)}{closing}"
        )


def render_like(
    expected: Any,
    actual: Any,
    indent: int = 4,
    *,
    bindings: PageBindings | None = None,
    keep_layout: bool = False,
) -> str:
    """``actual`` as indented JSON laid out like ``expected``, so that a diff is readable.

    Keys come in the expected's order first; what the expected elides with ``...`` is shown
    as ``...``. Given ``bindings`` (they are not modified), strings that match the expected
    are shown as the expected literal, and other bound actual values as their literals, so a
    diff shows only real differences instead of every uuid.

    ``keep_layout`` (for rewriting a sample, not for diffs) keeps every object or array of a
    parsed expected that still matches exactly as it was written, and keeps one-line
    containers on one line, so that a rewrite changes only the lines that are out of date.
    """
    scratch = bindings._copy() if bindings is not None else None
    return _JsonRenderer(scratch, indent, keep_layout).render(expected, actual, 0)


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
    mark = bindings._mark()
    fail = _JsonMatcher(bindings).value(expected, actual, "$", first_line)
    if fail is None:
        return None
    bindings._rollback(mark)
    indent = _indent_of(expected_text)
    rendered = render_like(expected, actual, indent, bindings=bindings)
    kept = render_like(expected, actual, indent, bindings=bindings, keep_layout=True)
    return Mismatch(
        fail.reason, fail.line, _diff(_lines(expected_text), rendered.splitlines()), kept
    )


def match_text(expected_text: str, actual_text: str, bindings: PageBindings) -> Mismatch | None:
    """Match output line by line; a line that is just ``...`` elides zero or more lines.

    Trailing whitespace and trailing blank lines do not count. Binds only on success.
    """
    expected, actual = _lines(expected_text), _lines(actual_text)
    pattern = [ELLIPSIS if line.strip() == "..." else line for line in expected]

    def item(i: int, j: int) -> _Fail | None:
        reason = _match_string(expected[i], actual[j], bindings)
        if reason == _DIFFERS:
            return _Fail(
                f"line {i + 1} differs: expected {_show(expected[i])}, got {_show(actual[j])}",
                i + 1,
            )
        return _Fail(f"line {i + 1}: {reason}", i + 1) if reason else None

    mark = bindings._mark()
    fail = _match_sequence(
        pattern,
        actual,
        bindings,
        item,
        missing=lambda i, j: _Fail(
            f"line {i + 1} is missing: the actual output ends after {j} lines", i + 1, 0
        ),
        extra=lambda j: _Fail(
            f"the actual output goes on after the expected text ends, with "
            f"{_show(actual[j])} (actual line {j + 1})",
            max(len(expected), 1),
            0,
        ),
    )
    if fail is None:
        return None
    bindings._rollback(mark)
    renderer = _Renderer(bindings._copy())
    rendered = [
        "..." if pair is ELLIPSIS else renderer.line(pair[0], pair[1])
        for pair in _align(pattern, actual)
    ]
    return Mismatch(fail.reason, fail.line, _diff(expected, rendered), "\n".join(rendered))
