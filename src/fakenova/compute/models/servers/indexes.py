"""The servers of a cloud, kept in listing order per cell so a page costs O(page + log n).

``GET /servers`` is sorted by ``created_at`` then ``id`` (the cell database's integer id), both
descending, unless the caller asks otherwise. Sorting every server of every cell for each
request made a 1,000-server page cost 1.5 s on a 100,000-server cloud. Nova's multi-cell
lister instead asks each cell for its sorted rows and merges the streams; :class:`ServerTable`
does the same: each cell keeps its servers sorted by ``(created_at, instance_id)`` and a page
is a lazy :func:`heapq.merge` of the cells' streams, starting just after the marker.

The table is the ``dict`` the backend always had (uuid to server), so every writer keeps the
index right without knowing about it. Its one assumption is Nova's: a server's ``created_at``,
``instance_id`` and cell do not change once it is stored; code that changes them stores the
server again (``servers[uuid] = server``), which moves it in the index.

Ties on ``(created_at, id)`` can only happen across cells (``id`` is unique in a cell); they are
broken by insertion order, which is what the stable full sort this replaces did.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator
from typing import Any

from fakenova.compute.models.servers.records import Server

# (created_at, instance_id, insertion sequence, uuid): tuples sort in listing order.
Entry = tuple[Any, int, int, str]


def _position(entry: Entry) -> tuple[Any, int]:
    return entry[0], entry[1]


def _newest_first(entry: Entry) -> tuple[Any, int, int]:
    # Merged with reverse=True: newest first, then earlier insertion first on a tie.
    return entry[0], entry[1], -entry[2]


def _walk(entries: list[Entry], positions: range) -> Iterator[Entry]:
    """``entries`` at ``positions``, lazily: a page reads only the entries it shows."""
    for i in positions:
        yield entries[i]


class ServerTable(dict[str, Server]):
    """uuid → server, plus each cell's entries sorted oldest first."""

    def __init__(self, servers: Iterable[tuple[str, Server]] = ()) -> None:
        super().__init__()
        self._cells: dict[str, list[Entry]] = {}
        self._entries: dict[str, Entry] = {}
        self._cell_of: dict[str, str] = {}
        self._sequence = 0  # a plain int: itertools.count cannot be deep-copied from 3.14
        for uuid, server in servers:
            self[uuid] = server

    # -- keeping the index in step with the dict --------------------------------------------

    def __setitem__(self, uuid: str, server: Server) -> None:
        old = self._entries.get(uuid)
        if old is None:
            sequence, self._sequence = self._sequence, self._sequence + 1
        else:
            sequence = old[2]
            self._unindex(uuid)
        super().__setitem__(uuid, server)
        entry: Entry = (server.created_at, server.instance_id, sequence, uuid)
        cell = server.cell.name
        bisect.insort(self._cells.setdefault(cell, []), entry)
        self._entries[uuid] = entry
        self._cell_of[uuid] = cell

    def __delitem__(self, uuid: str) -> None:
        super().__delitem__(uuid)
        self._unindex(uuid)

    def _unindex(self, uuid: str) -> None:
        entry = self._entries.pop(uuid)
        entries = self._cells[self._cell_of.pop(uuid)]
        del entries[bisect.bisect_left(entries, entry)]

    def pop(self, uuid: str, *default: Any) -> Any:
        if uuid not in self:
            if default:
                return default[0]
            raise KeyError(uuid)
        server = self[uuid]
        del self[uuid]
        return server

    def popitem(self) -> tuple[str, Server]:
        uuid = next(reversed(self))
        return uuid, self.pop(uuid)

    def setdefault(self, uuid: str, default: Any = None) -> Any:
        if uuid not in self:
            self[uuid] = default
        return self[uuid]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for uuid, server in dict(*args, **kwargs).items():
            self[uuid] = server

    def clear(self) -> None:
        super().clear()
        self._cells.clear()
        self._entries.clear()
        self._cell_of.clear()

    def __ior__(self, other: Any) -> ServerTable:
        self.update(other)
        return self

    # -- reading in listing order -----------------------------------------------------------

    def ordered(
        self, cells: Iterable[str], *, descending: bool = True, after: Server | None = None
    ) -> Iterator[Server]:
        """The servers of ``cells`` sorted by ``(created_at, instance_id)``, lazily.

        ``after`` is a list marker: only servers strictly past it in this order are yielded
        (servers tied with it are skipped, as the full sort's ``>`` comparison did).
        """
        streams = []
        for cell in cells:
            entries = self._cells.get(cell, [])
            if descending:
                stop = len(entries)
                if after is not None:
                    key = (after.created_at, after.instance_id)
                    stop = bisect.bisect_left(entries, key, key=_position)
                streams.append(_walk(entries, range(stop - 1, -1, -1)))
            else:
                start = 0
                if after is not None:
                    key = (after.created_at, after.instance_id)
                    start = bisect.bisect_right(entries, key, key=_position)
                streams.append(_walk(entries, range(start, len(entries))))
        if descending:
            merged = heapq.merge(*streams, key=_newest_first, reverse=True)
        else:
            merged = heapq.merge(*streams)
        for entry in merged:
            yield self[entry[3]]
