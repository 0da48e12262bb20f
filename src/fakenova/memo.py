"""A bounded memo: the one kind of cache the fake and the verifier keep.

Each user keeps answers that are a pure function of their key (a policy decision, a route
template, a library function's result), and a long-lived process (a served cloud, a test
session) must not grow without end, so the memo is emptied when it holds ``limit`` answers:
simpler than an LRU, and a key asked again is only computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MISSING = object()


class BoundedMemo(dict[Any, Any]):
    """Answers by their key, emptied when it holds ``limit`` of them."""

    def __init__(self, limit: int = 4096) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: Any, value: Any) -> Any:
        """Keep ``value`` under ``key`` (emptying the memo first when it is full)."""
        if key not in self and len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def answer(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The answer kept for ``key``, or ``compute()``'s, kept (not when it raises)."""
        found = self.get(key, _MISSING)
        if found is _MISSING:
            found = self.keep(key, compute())
        return found
