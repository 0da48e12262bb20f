"""Request body validation with Nova's error texts.

Nova checks bodies with JSON Schema (Draft 2020-12) plus a few formats of its own, and turns
the first error into a 400: ``Invalid input for field/attribute <key>. Value: <value>.
<jsonschema's message>``, or just the message when the error is at the top of the body, or the
``name`` format's own sentence. The rendering is Python's ``str()`` of the offending value, as
in Nova, so dicts print with single quotes.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from typing import Any

import jsonschema
from oslo_utils import timeutils

from fakenova.compute.api.faults import ApiFault, bad_request, unexpected
from fakenova.compute.api.schemas import Schema
from fakenova.compute.api.schemas.charsets import char_class, name_pattern

INVALID_NAME = "An invalid 'name' value was provided. The name must be: {reason}"
NAME_REASON = "printable characters. Can not start or end with whitespace."


class InvalidName(Exception):
    """Raised by the ``name`` format: Nova reports its sentence instead of the schema error."""


def empty_query_schema(query: Any) -> None:
    """Where Nova declares a route's query schema as an empty mapping (removed and proxy APIs,
    ``os-hosts``), its validation cannot read it as soon as a query parameter comes: a
    KeyError escapes, Nova's own 500."""
    if query:
        raise unexpected("KeyError")


def is_uuid(value: str) -> bool:
    """oslo.utils' ``is_uuid_like``: any case, with or without hyphens, braces or urn prefix."""
    try:
        canonical = str(uuid.UUID(value)).replace("-", "")
    except (TypeError, ValueError, AttributeError):
        return False
    stripped = value.replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    return canonical == stripped.lower()


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value.encode("utf-8"))
    except (binascii.Error, ValueError):
        return False
    return True


def _check_name(value: object) -> bool:
    if isinstance(value, str) and name_pattern().search(value):
        return True
    raise InvalidName(INVALID_NAME.format(reason=NAME_REASON))


# Aggregates: an update's name may have spaces around it; a zone's name has no ``:``.
NAME_WITH_SPACES_REASON = "printable characters with at least one non space character"
AZ_NAME_REASON = "printable characters except :.Can not start or end with whitespace."


def _check_name_with_spaces(value: object) -> bool:
    if (
        isinstance(value, str)
        and re.fullmatch(f"[{char_class()}]*", value)
        and re.search(f"[{char_class(spaces=False)}]", value)
    ):
        return True
    raise InvalidName(INVALID_NAME.format(reason=NAME_WITH_SPACES_REASON))


def _check_az_name(value: object) -> bool:
    if isinstance(value, str) and ":" not in value and name_pattern().search(value):
        return True
    raise InvalidName(INVALID_NAME.format(reason=AZ_NAME_REASON))


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("uuid")(lambda v: not isinstance(v, str) or is_uuid(v))
    checker.checks("base64")(lambda v: not isinstance(v, str) or _is_base64(v))
    checker.checks("name", raises=InvalidName)(_check_name)
    checker.checks("name_with_leading_trailing_spaces", raises=InvalidName)(_check_name_with_spaces)
    checker.checks("az_name", raises=InvalidName)(_check_az_name)
    return checker


def _validator(schema: Schema) -> jsonschema.protocols.Validator:
    # Nova accepts numbers written as strings ("3") wherever a minimum or maximum applies.
    def bound(keyword: str):
        original = jsonschema.Draft202012Validator.VALIDATORS[keyword]

        def check(validator, limit, instance, subschema):  # type: ignore[no-untyped-def]
            number = _number(instance)
            if number is None:
                return None
            return original(validator, limit, number, subschema)

        return check

    cls = jsonschema.validators.extend(
        jsonschema.Draft202012Validator,
        {"minimum": bound("minimum"), "maximum": bound("maximum")},
    )
    return cls(schema, format_checker=_format_checker())


def _number(value: Any) -> int | float | None:
    for kind in (int, float):
        try:
            return kind(value)
        except (TypeError, ValueError):
            continue
    return None


_VALIDATORS: dict[int, tuple[Schema, jsonschema.protocols.Validator]] = {}


def _compiled(schema: Schema) -> jsonschema.protocols.Validator:
    """One validator per schema object (schemas are module constants, never mutated)."""
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _VALIDATORS[id(schema)] = (schema, _validator(schema))
    return entry[1]


def validate(schema: Schema, target: Any, *, query: bool = False) -> None:
    """Raise Nova's 400 for the first error ``schema`` finds in ``target``: a request body,
    or with ``query`` the query string as a dict of lists (``GET.dict_of_lists()``)."""
    validator = _compiled(schema)
    try:
        validator.validate(target)
    except jsonschema.ValidationError as error:
        if isinstance(error.cause, InvalidName):
            raise bad_request(str(error.cause)) from error
        if error.path and query:
            # The parameter's name, not the index in its list of values.
            raise bad_request(
                f"Invalid input for query parameters {error.path.popleft()}. "
                f"Value: {error.instance}. {error.message}"
            ) from error
        if error.path:
            raise bad_request(
                f"Invalid input for field/attribute {error.path.pop()}. "
                f"Value: {error.instance}. {error.message}"
            ) from error
        raise bad_request(error.message) from error
    except TypeError as error:  # a non-string key meets patternProperties
        raise bad_request(str(error)) from error


def check_query(params: Any, allowed: tuple[str, ...]) -> None:
    """Nova's strict query schema of the listings that page by time (instance actions,
    migrations): each known parameter's values first (``limit`` digits, ``changes-*``
    timestamps), then unknown names. ``params`` is the request's query (a MultiDict)."""
    for name in allowed:
        for value in params.getall(name):
            problem = None
            if name == "limit" and not value.isdigit():
                problem = f"{value!r} does not match '^[0-9]*$'"
                if value == "":
                    problem = f"{value!r} should be non-empty"
            elif name.startswith("changes-"):
                try:
                    timeutils.parse_isotime(value)
                except ValueError:
                    problem = f"{value!r} is not a 'date-time'"
            if problem:
                raise ApiFault(
                    400, f"Invalid input for query parameters {name}. Value: {value}. {problem}"
                )
    unknown = sorted({k for k in params if k not in allowed})
    if unknown:
        quoted = ", ".join(repr(k) for k in unknown)
        verb = "was" if len(unknown) == 1 else "were"
        raise ApiFault(400, f"Additional properties are not allowed ({quoted} {verb} unexpected)")
