"""Rendering the actual output the way the expected is written, for readable diffs and for
``pytest --update-samples`` (which writes the rendering back in the sample's place).
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from fakenova.verifier.bindings import DYNAMIC, PASSWORD_KEYS, PageBindings, match_string
from fakenova.verifier.comparison import JsonMatcher, dumps, same_scalar
from fakenova.verifier.expected_json import ELLIPSIS, ExpectedArray, ExpectedObject

_NOTHING: Any = object()  # "no expected counterpart" (None is a valid expected value)


def align(expected: list[Any], actual: list[Any]) -> list[tuple[Any, Any] | EllipsisType]:
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


class Renderer:
    """Renders actual values; with bindings, values that match the expected show as written."""

    def __init__(self, bindings: PageBindings | None) -> None:
        self.bindings = bindings

    def matches(self, exp: str, act: str, password: bool = False) -> bool:
        if self.bindings is None:
            return exp == act
        mark = self.bindings.mark()
        reason = self.bindings.bind(exp, act) if password else match_string(exp, act, self.bindings)
        if reason:
            self.bindings.rollback(mark)
        return reason is None

    def substitute(self, act: str) -> str:
        """``act`` with every bound actual value replaced by the literal standing for it."""
        if self.bindings is None:
            return act
        backward = self.bindings._backward
        if act in backward:
            return backward[act]
        return DYNAMIC.sub(lambda m: backward.get(m.group(), m.group()), act)

    def line(self, exp: Any, act: str) -> str:
        return exp if isinstance(exp, str) and self.matches(exp, act) else self.substitute(act)


class _JsonRenderer(Renderer):
    """With ``keep_layout``, parts of the expected that still hold are kept as written, and
    containers written on one line stay on one line: what an update writes back."""

    def __init__(self, bindings: PageBindings | None, indent: int, keep_layout: bool) -> None:
        super().__init__(bindings)
        self.indent = indent
        self.keep_layout = keep_layout

    def holds(self, exp: Any, act: Any) -> bool:
        """Whether ``exp`` matches ``act``; binds (in the scratch bindings) when it does."""
        bindings = self.bindings if self.bindings is not None else PageBindings()
        mark = bindings.mark()
        if JsonMatcher(bindings).value(exp, act, "$", 0) is None:
            return True
        bindings.rollback(mark)
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
                for pair in align(items, list(act))
            ]
            return self.block("[", rendered, "]", level, inline)
        if isinstance(act, str):
            if isinstance(exp, str) and self.matches(exp, act, key in PASSWORD_KEYS):
                return dumps(exp)
            return dumps(self.substitute(act))
        if not isinstance(exp, dict | list | str) and same_scalar(exp, act):
            return dumps(exp)
        return dumps(act)

    def members(self, exp: dict, act: dict, level: int, inline: bool) -> list[str]:
        if self.keep_layout and ELLIPSIS not in exp:
            # Every key is shown: show them in the answer's order, as the sample once did.
            shown = (
                (key, self.render(exp.get(key, _NOTHING), value, level + 1, key, inline))
                for key, value in act.items()
            )
            return [f"{dumps(key)}: {rendered}" for key, rendered in shown]
        out = []
        for key, value in exp.items():
            if key is ELLIPSIS:
                out.append("...")
            elif key in act:
                rendered = self.render(value, act[key], level + 1, key, inline)
                out.append(f"{dumps(key)}: {rendered}")
        if ELLIPSIS not in exp:
            out += [
                f"{dumps(key)}: {self.render(_NOTHING, value, level + 1, key, inline)}"
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
    scratch = bindings.copy() if bindings is not None else None
    return _JsonRenderer(scratch, indent, keep_layout).render(expected, actual, 0)
