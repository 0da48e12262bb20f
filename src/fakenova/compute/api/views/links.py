"""Self, bookmark and next links, built from the URL the client used (as Nova does)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class Links:
    """``api`` is e.g. ``http://host/compute/v2.1``; bookmarks drop the version. ``project``
    is the caller's project id when the request's URL contains it (Nova's own test: the
    legacy ``/v2.1/{project_id}/...`` form, or the id anywhere else in the URL), and then
    every self, bookmark and next link names it after the prefix, as Nova's do."""

    api: str
    query: tuple[tuple[str, str], ...] = ()
    project: str = ""

    @functools.cached_property
    def root(self) -> str:
        """The endpoint's root, where the other services sit beside it (``http://host``)."""
        return self.api.rsplit("/", 1)[0].rsplit("/", 1)[0]

    @functools.cached_property
    def versioned(self) -> str:
        """The self and next prefix (computed once: a page asks it for every item)."""
        return f"{self.api}/{self.project}" if self.project else self.api

    @functools.cached_property
    def unversioned(self) -> str:
        """The bookmark prefix."""
        bookmark = self.api.rsplit("/", 1)[0]
        return f"{bookmark}/{self.project}" if self.project else bookmark

    def self_and_bookmark(self, collection: str, ident: str) -> list[dict[str, str]]:
        return [
            {"rel": "self", "href": f"{self.versioned}/{collection}/{ident}"},
            {"rel": "bookmark", "href": f"{self.unversioned}/{collection}/{ident}"},
        ]

    def bookmark(self, collection: str, ident: str) -> str:
        return f"{self.unversioned}/{collection}/{ident}"

    def collection(
        self, items: list[Any], collection: str, last_id: str | None, max_limit: int
    ) -> list[dict[str, str]]:
        """The ``next`` link when the page is full (``limit`` items, or ``max_limit``).

        Like Nova, the link repeats the query as parameters sorted by name and value, keeping
        one value per name (the greatest), with ``marker`` replaced in place or added last.
        """
        try:
            wanted = min(int(dict(self.query).get("limit", max_limit)), max_limit)
        except ValueError:
            wanted = max_limit
        if not wanted or wanted != len(items) or last_id is None:
            return []
        params = dict(sorted(self.query))
        params["marker"] = last_id
        query = urlencode(list(params.items()))
        return [{"rel": "next", "href": f"{self.versioned}/{collection}?{query}"}]
