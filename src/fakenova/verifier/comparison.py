"""Walking an expected value and the actual one side by side, to the first failure.

Everything is compared exactly but the dynamic values (see :mod:`~fakenova.verifier.bindings`)
and what the expected elides with ``...``. A failure names the line of the expected text it
is about, so that the verifier can point at the sample's line.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakenova.verifier.bindings import DIFFERS, PASSWORD_KEYS, PageBindings, match_string
from fakenova.verifier.expected_json import ELLIPSIS

dumps = functools.partial(json.dumps, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Failure:
    reason: str
    line: int
    rank: int = 1  # 1: a value differs; 0: a sequence ran short or long (less specific)


def same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if expected is None or actual is None:
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return False


def show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    text = repr(value) if isinstance(value, str) else dumps(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][\w:-]*", key) else f"{path}[{dumps(key)}]"


def match_sequence(
    expected: list[Any],
    actual: list[Any],
    bindings: PageBindings,
    item: Callable[[int, int], Failure | None],
    missing: Callable[[int, int], Failure],
    extra: Callable[[int], Failure],
) -> Failure | None:
    """Match items pairwise, with ``ELLIPSIS`` items eating zero or more actual items.

    Backtracks over what each ellipsis eats, discarding the bindings of every failed branch;
    when nothing matches, reports the failure that got furthest into the expected text.
    """

    def walk(i: int, j: int) -> Failure | None:
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
        best: Failure | None = None
        for k in range(j, len(actual) + 1):
            mark = bindings.mark()
            fail = walk(i + 1, k)
            if fail is None:
                return None
            bindings.rollback(mark)
            if best is None or (fail.line, fail.rank) >= (best.line, best.rank):
                best = fail
        return best

    return walk(0, 0)


class JsonMatcher:
    def __init__(self, bindings: PageBindings) -> None:
        self.bindings = bindings

    def value(self, exp: Any, act: Any, path: str, line: int, key: Any = None) -> Failure | None:
        if exp is ELLIPSIS:
            return None
        differs = Failure(f"value differs at {path}: expected {show(exp)}, got {show(act)}", line)
        if isinstance(exp, dict):
            return self.object(exp, act, path, line) if isinstance(act, dict) else differs
        if isinstance(exp, list):
            return self.array(exp, act, path, line) if isinstance(act, list | tuple) else differs
        if isinstance(exp, str):
            if not isinstance(act, str):
                return differs
            if key in PASSWORD_KEYS:
                reason = self.bindings.bind(exp, act)
            else:
                reason = match_string(exp, act, self.bindings)
            if reason == DIFFERS:
                return differs
            return Failure(f"{reason} (at {path})", line) if reason else None
        return None if same_scalar(exp, act) else differs

    def object(self, exp: dict, act: dict, path: str, line: int) -> Failure | None:
        key_lines = getattr(exp, "key_lines", {})
        for key, value in exp.items():
            if key is ELLIPSIS:
                continue
            key_line = key_lines.get(key, line)
            if key not in act:
                return Failure(f"key {key!r} missing at {path}", key_line)
            fail = self.value(value, act[key], _join(path, key), key_line, key)
            if fail:
                return fail
        extra = [key for key in act if key not in exp]
        if extra and ELLIPSIS not in exp:
            keys = ", ".join(map(repr, extra))
            return Failure(
                f"unexpected key{'s' * (len(extra) > 1)} {keys} at {path}",
                getattr(exp, "end_line", line),
            )
        return None

    def array(self, exp: list, act: list | tuple, path: str, line: int) -> Failure | None:
        item_lines = getattr(exp, "item_lines", None) or [line] * len(exp)
        end_line = getattr(exp, "end_line", line)
        return match_sequence(
            list(exp),
            list(act),
            self.bindings,
            item=lambda i, j: self.value(exp[i], act[j], f"{path}[{j}]", item_lines[i]),
            missing=lambda i, j: Failure(
                f"array at {path} has only {j} items: nothing left for the item on line "
                f"{item_lines[i]}",
                item_lines[i],
                0,
            ),
            extra=lambda j: Failure(
                f"array at {path} has {len(act) - j} unexpected item(s) from {path}[{j}]",
                end_line,
                0,
            ),
        )
