"""The printable-character classes Nova's name and description checks are built from.

Nova generates them by walking the Basic Multilingual Plane, and its description pattern
appears verbatim in error messages, so the text produced here must be the same: each run of
accepted characters written as ``start`` or ``start-end``, regex-escaped.
"""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.cache
def _categories() -> tuple[str, ...]:
    """The Unicode category of each code point of the plane, read once for every class."""
    return tuple(unicodedata.category(chr(code)) for code in range(0xFFFF))


def _printable(category: str, *, spaces: bool) -> bool:
    if category[0] == "C":
        return False
    if category[0] == "Z":
        return spaces and category == "Zs"
    return True


@functools.cache
def char_class(*, spaces: bool = True, invert: bool = False) -> str:
    """Printable characters (horizontal spaces included unless ``spaces`` is false), or
    everything else when ``invert``; only code points below U+FFFF count, as in Nova."""
    verdicts = {c: _printable(c, spaces=spaces) != invert for c in set(_categories())}
    out: list[str] = []
    run_start: int | None = None
    for code, category in enumerate((*_categories(), None)):
        ok = category is not None and verdicts[category]
        if ok and run_start is None:
            run_start = code
            out.append(re.escape(chr(code)))
        elif not ok and run_start is not None:
            # A run still open at the end of the plane is always closed as ``start-end``,
            # even when it holds one character (Nova's inverted class ends ``\ufffe-\ufffe``).
            if code - 1 != run_start or code == 0xFFFF:
                out.append("-" + re.escape(chr(code - 1)))
            run_start = None
    return "".join(out)


@functools.cache
def name_pattern() -> re.Pattern[str]:
    """Printable, not starting or ending with whitespace (the empty string passes: the
    schema's ``minLength`` reports that case)."""
    edge = char_class(spaces=False, invert=True)
    return re.compile(f"^(?![{edge}])[{char_class()}]*(?<![{edge}])$")


@functools.cache
def description_pattern() -> str:
    return f"^[{char_class()}]*$"
