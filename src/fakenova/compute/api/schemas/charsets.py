"""The printable-character classes Nova's name and description checks are built from.

Nova generates them by walking the Basic Multilingual Plane, and its description pattern
appears verbatim in error messages, so the text produced here must be the same: each run of
accepted characters written as ``start`` or ``start-end``, regex-escaped.
"""

from __future__ import annotations

import functools
import re
import unicodedata


def _printable(char: str, *, spaces: bool) -> bool:
    category = unicodedata.category(char)
    if category.startswith("C"):
        return False
    if category.startswith("Z"):
        return spaces and category == "Zs"
    return True


@functools.cache
def char_class(*, spaces: bool = True, invert: bool = False) -> str:
    """Printable characters (horizontal spaces included unless ``spaces`` is false), or
    everything else when ``invert``; only code points below U+FFFF count, as in Nova."""
    out: list[str] = []
    run_start: int | None = None
    for code in range(0xFFFF + 1):
        ok = code < 0xFFFF and (_printable(chr(code), spaces=spaces) != invert)
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
