"""Request bodies of the identity API, and Keystone's way of reporting a body that breaks one.

The constraints are those Keystone 30's ``request_body_schema`` decorators check (names of
1-64 characters with a non-blank one, ids of letters, digits and dashes, Keystone's boolean
spellings, descriptions of at most 255 characters); the 400 reads
``Invalid input for field/attribute PATH. Value: VALUE. MESSAGE`` (jsonschema's message) when
the fault is inside the body, jsonschema's bare message otherwise.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from fakenova.identity.errors import BadRequest

NAME = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"[\S]+"}
# users' and groups' names may be longer
IDENTITY_NAME = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"[\S]+"}
ID = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^[a-zA-Z0-9-]+$"}
BOOLEAN = {
    "type": ["boolean", "string", "null"],
    "enum": [True, "True", "TRUE", "true", False, "False", "FALSE", "false", "", "1", "0",
             "y", "Y", "n", "N", "on", "ON", "off", "OFF", "yes", "no"],
}  # fmt: skip
DESCRIPTION = {"type": ["string", "null"], "maxLength": 255}
# a tag: no ``/`` or ``,`` (the API-WG's tags guideline); a project holds at most 80
TAG = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^,/]*$"}
TAGS = {"type": "array", "items": TAG, "required": [], "maxItems": 80, "uniqueItems": True}
TAGS_UPDATE = {
    "type": "object",
    "properties": {"tags": {"type": "array", "items": TAG}},
    "additionalProperties": False,
}


def _wrapped(key: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    inner: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        inner["required"] = required
    return {
        "type": "object",
        "properties": {key: inner},
        "required": [key],
        "additionalProperties": False,
    }


_PROJECT = {
    "description": DESCRIPTION,
    "domain_id": {"type": ["string", "null"], **{k: v for k, v in ID.items() if k != "type"}},
    "enabled": BOOLEAN,
    "is_domain": BOOLEAN,
    "parent_id": {"type": ["string", "null"], **{k: v for k, v in ID.items() if k != "type"}},
    "name": NAME,
    "tags": TAGS,
}
PROJECT_CREATE = _wrapped("project", _PROJECT, ["name"])
PROJECT_UPDATE = _wrapped(
    "project",
    {k: _PROJECT[k] for k in ("description", "enabled", "name", "tags")},
    [],
)

_DOMAIN = {"description": DESCRIPTION, "enabled": BOOLEAN, "name": NAME, "tags": TAGS}
DOMAIN_CREATE = _wrapped("domain", {"explicit_domain_id": ID, **_DOMAIN}, ["name"])
DOMAIN_UPDATE = _wrapped("domain", _DOMAIN, [])
DOMAIN_UPDATE["properties"]["domain"]["minProperties"] = 1

_USER = {
    "default_project_id": {"type": ["string", "null"]},
    "description": {"type": ["string", "null"]},
    "domain_id": ID,
    "enabled": BOOLEAN,
    "name": IDENTITY_NAME,
    "password": {"type": ["string", "null"]},
}
USER_CREATE = _wrapped("user", _USER, ["name"])
USER_UPDATE = _wrapped("user", _USER, [])
PASSWORD_CHANGE = _wrapped(
    "user",
    {"original_password": {"type": "string"}, "password": {"type": "string"}},
    ["original_password", "password"],
)

_GROUP = {"description": {"type": ["string", "null"]}, "domain_id": ID, "name": IDENTITY_NAME}
GROUP_CREATE = _wrapped("group", _GROUP, ["name"])
GROUP_UPDATE = _wrapped("group", {k: _GROUP[k] for k in ("description", "name")}, [])
GROUP_UPDATE["properties"]["group"]["minProperties"] = 1

_ROLE = {
    "name": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"[\S]+"},
    "description": {"type": ["string", "null"]},
    "domain_id": {"type": ["string", "null"], **{k: v for k, v in ID.items() if k != "type"}},
}
ROLE_CREATE = _wrapped("role", _ROLE, ["name"])
ROLE_UPDATE = _wrapped("role", _ROLE, [])
ROLE_UPDATE["properties"]["role"]["minProperties"] = 1


def validate(schema: dict[str, Any], body: Any) -> dict[str, Any]:
    """The body, or Keystone's 400 for the first fault jsonschema finds."""
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(body):
        if error.path:
            raise BadRequest(
                f"Invalid input for field/attribute {error.path.pop()}. "
                f"Value: {error.instance}. {error.message}"
            )
        raise BadRequest(error.message)
    return body


def validate_value(schema: dict[str, Any], value: Any) -> None:
    """Keystone's ``lazy_validate`` (the older validator, used for a project's tags): the 400
    carries jsonschema's whole report."""
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(value):
        if error.path:
            path = "/".join(map(str, error.path))
            raise BadRequest(f"Invalid input for field '{path}': {error}")
        raise BadRequest(str(error))


TRUE_SPELLINGS = ("true", "1", "y", "on", "yes")


def boolean(value: Any) -> bool:
    """Keystone's boolean: ``True`` or one of its true spellings; anything else is false."""
    if isinstance(value, bool):
        return value
    return str(value).lower() in TRUE_SPELLINGS
