"""Seeded sources of ids and time.

A page of the guide must print the same output on every run, so nothing in the fake may call
``uuid.uuid4()`` or ``datetime.now()``. Ids are derived from a seed and a stable *name* (what the
id is for), never from a global counter: a client release that sends one more request must not
shift every id shown in the docs.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

EPOCH = dt.datetime(2026, 11, 2, 9, 0, 0, tzinfo=dt.UTC)


@dataclass
class Clock:
    """The scenario's clock: it moves only when the cloud says so."""

    now: dt.datetime = EPOCH

    def advance(self, seconds: float) -> dt.datetime:
        self.now = self.now + dt.timedelta(seconds=seconds)
        return self.now


class WallClock(Clock):
    """Real time, for a cloud served to clients that compare its timestamps with their own
    clock (Tempest asks for the usage of "the last day"). Work the cloud fast-forwards
    (``advance``, a due task) still moves it ahead of real time, and it never goes back."""

    def __init__(self, source: Callable[[], dt.datetime] | None = None) -> None:
        self._source = source or (lambda: dt.datetime.now(dt.UTC))
        self._ahead = dt.timedelta(0)

    @property  # type: ignore[override]
    def now(self) -> dt.datetime:
        return self._source() + self._ahead

    @now.setter
    def now(self, value: dt.datetime) -> None:
        self._ahead = max(self._ahead, value - self._source())

    def advance(self, seconds: float) -> dt.datetime:
        self._ahead += dt.timedelta(seconds=seconds)
        return self.now


@functools.lru_cache(maxsize=64)
def _namespace(seed: str) -> uuid.UUID:
    """The namespace of a seed's ids (a function of the seed: every request id is made in it)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"fakenova:{seed}")


# The first UUID a name mentions is the object it is about (the server of
# ``request/POST /compute/v2.1/servers/<uuid>/action``).
_OWNER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class IdSource:
    """Name-derived UUIDs: ``uuid5(seed-namespace, kind/name#occurrence)``.

    Occurrences are counted per name, by a 16-byte digest of it: a long-lived cloud makes a
    name per request and keeps counting them for as long as it runs, so the key is small.
    A name that mentions an object's UUID is counted with that object's other names, so that
    when the object is gone for good (an archived server) :meth:`forget` drops its counts.
    Names about an object first seen after a :meth:`forget` carry the number of forgets
    before it (``#1@7``): a request about an archived server, made again, gets an id it never
    had, and every id stays a function of the requests made, in order.
    """

    seed: str = "fakenova"
    _seen: Counter[bytes] = field(default_factory=Counter)
    # Per object: its names' occurrences, and under ``None`` the forgets before it (if any).
    _owned: dict[str, dict[bytes | None, int]] = field(default_factory=dict)
    _forgotten: int = 0

    @property
    def _namespace(self) -> uuid.UUID:
        return _namespace(self.seed)

    def uuid(self, kind: str, name: str = "") -> str:
        """A fresh UUID for the n-th object of ``kind`` called ``name``."""
        key = f"{kind}/{name}"
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        owner = _OWNER.search(key)
        if owner is None:
            self._seen[digest] += 1
            return str(uuid.uuid5(self._namespace, f"{key}#{self._seen[digest]}"))
        counts = self._owned.get(owner.group())
        if counts is None:
            counts = self._owned[owner.group()] = {}
            if self._forgotten:
                counts[None] = self._forgotten
        counts[digest] = n = counts.get(digest, 0) + 1
        epoch = counts.get(None)
        return str(uuid.uuid5(self._namespace, f"{key}#{n}" + (f"@{epoch}" if epoch else "")))

    def forget(self, owner: str) -> None:
        """Drop the counts of the names about ``owner`` (a UUID), gone for good."""
        self._owned.pop(owner, None)
        self._forgotten += 1

    def hex(self, kind: str, name: str = "") -> str:
        """A 32-hex-digit id, the shape Keystone uses for projects, users and tokens."""
        return self.uuid(kind, name).replace("-", "")

    def token(self, kind: str, name: str, length: int, alphabet: str) -> str:
        """A short random-looking string (passwords, reservation ids), stable per name."""
        digest = hashlib.sha256(self.uuid(kind, name).encode()).digest()
        out = []
        number = int.from_bytes(digest, "big")
        for _ in range(length):
            number, index = divmod(number, len(alphabet))
            out.append(alphabet[index])
        return "".join(out)
