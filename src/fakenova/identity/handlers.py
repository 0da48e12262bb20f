"""What every identity handler needs: the caller's token, the views, the request's own URL,
a validated body. The handlers are split by what they manage (:mod:`.resources`,
:mod:`.identities`, :mod:`.assignments`); :class:`~fakenova.identity.responses.IdentityApp`
joins them.

The order of checks is Keystone's: the JSON gate, then the token (401), then the body schema
(400), then the lookups a rule's target needs (404), then the policy (403), then the lookups
Keystone defers until after the policy (404) and the model's own rules (400/403/409).
"""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import read_json
from fakenova.identity import schemas
from fakenova.identity.catalog import Catalog
from fakenova.identity.entities import Token
from fakenova.identity.errors import Unauthorized
from fakenova.identity.models import IdentityBackend
from fakenova.identity.views import Views


def boolean_query(request: webob.Request, name: str) -> bool:
    """Keystone's ``query_filter_is_true``: present with no value, or not ``0``/false."""
    if name not in request.GET:
        return False
    value = request.GET[name]
    return value == "" or value.lower() not in ("0", "false", "f", "no", "n", "off")


class Handlers:
    """The state the handlers share: the cloud's identity backend and its catalog."""

    def __init__(self, backend: IdentityBackend, catalog: Catalog) -> None:
        self.backend = backend
        self.catalog = catalog

    def _caller(self, request: webob.Request) -> Token:
        token = self.backend.token(request.headers.get("X-Auth-Token"))
        if token is None:
            raise Unauthorized()
        return token

    def _views(self, request: webob.Request) -> Views:
        return Views(self.backend, request.application_url + "/v3")

    def _self_url(self, request: webob.Request) -> str:
        url = request.application_url + request.path_info
        return url + ("?" + request.query_string if request.query_string else "")

    def _body(self, request: webob.Request, schema: dict[str, Any], key: str) -> dict[str, Any]:
        return dict(schemas.validate(schema, read_json(request))[key])
