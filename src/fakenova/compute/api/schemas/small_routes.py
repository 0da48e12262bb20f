"""Query schemas of the smaller read routes: availability zones, a server's addresses and
password, the extension list, volume attachments.

Each takes any query parameter until 2.101 and refuses unknown ones from 2.102; the volume
attachment list pages with ``limit`` and ``offset`` and turned strict at 2.75 instead, and
the show of one attachment (like the password's clear) never checks its query.
"""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.server_actions import NON_NEGATIVE_INTEGER
from fakenova.compute.api.schemas.types import POSITIVE_INTEGER

_OPEN: Schema = {"type": "object", "properties": {}, "additionalProperties": True}
_STRICT: Schema = {"type": "object", "properties": {}, "additionalProperties": False}

STRICT_FROM_2102: list[tuple[str, Schema]] = [("2.1", _OPEN), ("2.102", _STRICT)]

_PAGED: Schema = {
    "type": "object",
    "properties": {
        "limit": {"type": "array", "items": NON_NEGATIVE_INTEGER},
        "offset": {"type": "array", "items": NON_NEGATIVE_INTEGER},
    },
    "additionalProperties": True,
}
VOLUME_ATTACHMENTS: list[tuple[str, Schema]] = [
    ("2.1", _PAGED),
    ("2.75", {**_PAGED, "additionalProperties": False}),
]

_POSITIVE: Schema = {"type": "array", "items": POSITIVE_INTEGER}
# The image proxy's list: its filters are never checked, its paging parameters are.
IMAGES_QUERY: Schema = {
    "type": "object",
    "properties": {"limit": _POSITIVE, "page_size": _POSITIVE, "offset": _POSITIVE},
    "additionalProperties": True,
}
