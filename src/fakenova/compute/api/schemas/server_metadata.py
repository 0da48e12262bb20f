"""Server metadata bodies: ``{"metadata": {...}}`` for the collection, ``{"meta": {k: v}}``
(exactly one item) for one key. Keys are 1-255 characters of ``[a-zA-Z0-9-_:. ]``, values
strings of at most 255 characters."""

from __future__ import annotations

import copy

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas import types as t

SET_ALL: Schema = {
    "type": "object",
    "properties": {"metadata": t.METADATA},
    "required": ["metadata"],
    "additionalProperties": False,
}

_ONE_ITEM = copy.deepcopy(t.METADATA)
_ONE_ITEM.update({"minProperties": 1, "maxProperties": 1})

SET_ONE: Schema = {
    "type": "object",
    "properties": {"meta": _ONE_ITEM},
    "required": ["meta"],
    "additionalProperties": False,
}

# From 2.102 the two reads refuse any query parameter.
NO_QUERY: Schema = {"type": "object", "properties": {}, "additionalProperties": False}
