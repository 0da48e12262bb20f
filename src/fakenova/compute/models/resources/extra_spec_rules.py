"""The extra-spec validation of microversion 2.86: which names Nova knows and what each takes.

``extra_specs.json`` is the table of Nova 34's registry (each known name, with ``{param}``
parts written as the regular expression that matches them, and the value it takes: a string,
maybe of a pattern or one of an enumeration; an integer with bounds; a boolean-like string).
A name is looked up as written, then by the patterns in the table's order; a name of none,
with a namespace Nova knows (``hw:``, ``trait:`` ...), is refused, any other is accepted.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from fakenova.compute.models.errors import ExtraSpecInvalid

TABLE = Path(__file__).with_name("extra_specs.json")
TRUE = ("1", "t", "true", "on", "y", "yes")
FALSE = ("0", "f", "false", "off", "n", "no")


@functools.cache
def _table() -> tuple[
    dict[str, dict[str, Any]],
    tuple[tuple[re.Pattern[str], dict[str, Any]], ...],
    tuple[re.Pattern[str], ...],
]:
    """The specs by name, those with a name pattern in table order (compiled), and the
    known namespaces' patterns. Compiled once: the table has hundreds of patterns, more
    than ``re``'s own cache keeps, so matching by pattern text would compile them again on
    every lookup of a name that is not written out."""
    data = json.loads(TABLE.read_text())
    specs = {row["name"]: row for row in data["specs"]}
    # A name without ``regex`` has no pattern characters: it matches only itself, by name.
    patterns = tuple((re.compile(row["regex"]), row) for row in data["specs"] if "regex" in row)
    namespaces = tuple(re.compile(namespace) for namespace in data["namespaces"])
    return specs, patterns, namespaces


def _failed(reason: str) -> ExtraSpecInvalid:
    return ExtraSpecInvalid(f"Validation failed; {reason}")


def _check_value(spec: dict[str, Any], value: str) -> None:
    kind = spec["type"]
    if kind == "int":
        try:
            number = int(value)
        except ValueError:
            raise _failed(f"'{value}' is not a valid integer value.") from None
        if "max" in spec and spec["max"] < number:
            raise _failed(f"'{number}' is greater than the max value of '{spec['max']}'.")
        if "min" in spec and spec["min"] > number:
            raise _failed(f"'{number}' is less than the min value of '{spec['min']}'.")
    elif kind == "bool":
        if value.strip().lower() not in TRUE + FALSE:
            raise _failed(f"'{value}' is not a valid boolean-like value.")
    elif "pattern" in spec:
        if not re.fullmatch(spec["pattern"], value):
            raise _failed(f"'{value}' is not of the format '{spec['pattern']}'.")
    elif "enum" in spec and value not in spec["enum"]:
        values = ", ".join(str(x) for x in spec["enum"])
        raise _failed(f"'{value}' is not one of: {values}.")


def validate(name: str, value: str) -> None:
    """Refuse ``name`` = ``value`` as Nova's 2.86 validation does (a 400, its sentence)."""
    specs, patterns, namespaces = _table()
    spec = specs.get(name)
    if spec is None:
        spec = next((row for pattern, row in patterns if pattern.fullmatch(name)), None)
    if spec is not None:
        _check_value(spec, value)
        return
    if ":" not in name:
        return
    prefix = name.split(":", 1)[0]
    if any(namespace.fullmatch(prefix) for namespace in namespaces):
        raise _failed(f"extra spec '{name}' does not appear to be a valid extra spec.")
