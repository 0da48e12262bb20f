"""Ids, tokens, timestamps and passwords on a page: their shapes, and what each literal stands for.

Samples show ids from one run, so a literal such as a server's uuid matches any actual value
of the same *shape*, and is then bound, page-wide, to the actual value it stood for: a page
that shows one server id twice must be talking about one server, and two different ids must
be two different servers. Passwords are bound the same way, whatever they look like.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator

PASSWORD_KEYS = frozenset({"adminPass", "password"})

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Order matters where shapes share a prefix: ``req-<uuid>`` before the uuid, 56-hex before 32.
SHAPES = {
    # A Fernet token, as Keystone issues them (the fake's are the same prefix and alphabet).
    "token": r"gAAAA[0-9A-Za-z_=-]{20,}",
    "request": rf"req-{_UUID}",
    "uuid": _UUID,
    "hostid": r"[0-9a-f]{56}",
    "hexid": r"[0-9a-f]{32}",
    "timestamp": r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?",
    "reservation": r"r-[a-z0-9]{8}",
}
DYNAMIC = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    + "|".join(f"(?P<{kind}>{shape})" for kind, shape in SHAPES.items())
    + r")(?![0-9A-Za-z])"
)


def dynamic_literals(text: str) -> list[str]:
    """The dynamic values (ids, timestamps, ...) written in ``text``, in order.

    Request paths use it to swap a literal id for the actual id it stood for earlier.
    """
    return [match.group() for match in DYNAMIC.finditer(text)]


DIFFERS = "differs"  # what :func:`match_string` answers for a plain difference


class PageBindings:
    """Literal dynamic values seen on one page and the actual values they stood for.

    Bijective: the same literal always stands for the same actual value, two different
    literals for two different values. Lives for one page (one sybil document).

    ``match_json`` and ``match_text`` keep the bindings they make only when they return
    ``None``; a returned :class:`Mismatch` leaves the bindings as they were. ``transaction()``
    is a public helper on top of that, for grouping several matches: everything bound inside
    the ``with`` block is discarded if the block raises. :meth:`mark`, :meth:`rollback`,
    :meth:`copy` and :meth:`bind` are the steps the matcher and the renderer build on.
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
        mark = self.mark()
        try:
            yield self
        except BaseException:
            self.rollback(mark)
            raise

    def mark(self) -> int:
        """A point to :meth:`rollback` to."""
        return len(self._order)

    def rollback(self, mark: int) -> None:
        """Forget every binding made since ``mark``."""
        while len(self._order) > mark:
            del self._backward[self._forward.pop(self._order.pop())]

    def copy(self) -> PageBindings:
        """An independent copy (a scratch page for trial matches)."""
        copy = PageBindings()
        copy._forward, copy._backward = dict(self._forward), dict(self._backward)
        copy._order = list(self._order)
        return copy

    def bind(self, literal: str, actual: str) -> str | None:
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


@functools.lru_cache(maxsize=4096)
def _pattern(expected: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A regex for strings shaped like ``expected``: literal parts equal, one group per token."""
    parts, tokens, pos = [], [], 0
    for match in DYNAMIC.finditer(expected):
        literal = match.group()
        if match.lastgroup == "timestamp":  # same format: only the digits may differ
            shape = "".join(
                "[0-9]" if c.isascii() and c.isdigit() else re.escape(c) for c in literal
            )
        else:
            shape = SHAPES[match.lastgroup or ""]
        parts += [re.escape(expected[pos : match.start()]), f"({shape})"]
        tokens.append(literal)
        pos = match.end()
    if not tokens:
        return None
    parts.append(re.escape(expected[pos:]))
    return re.compile("".join(parts)), tuple(tokens)


def match_string(expected: str, actual: str, bindings: PageBindings) -> str | None:
    """``None``, ``DIFFERS``, or why a dynamic token cannot stand for its actual value."""
    compiled = _pattern(expected)
    if compiled is None:
        return None if expected == actual else DIFFERS
    regex, tokens = compiled
    match = regex.fullmatch(actual)
    if match is None:
        return DIFFERS
    for literal, value in zip(tokens, match.groups(), strict=True):
        reason = bindings.bind(literal, value)
        if reason:
            return reason
    return None
