"""Server tag bodies (2.26+): the whole list for ``PUT /tags``, no body at all for one tag."""

from __future__ import annotations

from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas import types as t

REPLACE_ALL: Schema = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "items": t.TAG, "maxItems": t.MAX_TAG_COUNT},
    },
    "required": ["tags"],
    "additionalProperties": False,
}

# ``PUT /servers/{id}/tags/{tag}`` takes its tag from the path: any body is a 400.
ADD_ONE: Schema = {"type": "null"}

# The path's tag is checked on its own, after the server's state.
TAG: Schema = t.TAG
