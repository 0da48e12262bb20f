"""Request body schemas, one module per resource, one schema per microversion range.

Nova validates every request body with JSON Schema before its controller runs, and the schema
changes with the microversion. The schemas are part of the API's behaviour (their key order
decides which error Nova reports first), so they are kept in the same shape Nova checks.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.microversions import Version

Schema = dict[str, Any]


def pick(table: list[tuple[str, Schema]], version: Version) -> Schema:
    """The schema of the newest range starting at or below ``version``.

    ``table`` lists ``(first microversion, schema)`` pairs in ascending order, so each schema
    is valid until the next one starts.
    """
    chosen = table[0][1]
    for first, schema in table:
        if version.at_least(first):
            chosen = schema
    return chosen
