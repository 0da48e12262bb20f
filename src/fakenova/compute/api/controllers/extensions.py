"""``GET /extensions`` and ``/extensions/{alias}``: Nova's fixed list, for anyone."""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import not_found
from fakenova.compute.api.policy import EXTENSIONS
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import extensions as view


def _check(call: Call) -> None:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    call.authorize(EXTENSIONS)


def index(call: Call) -> Reply:
    _check(call)
    return Reply(view.listed())


def show(call: Call, alias: str) -> Reply:
    _check(call)
    found = view.shown(alias)
    if found is None:
        raise not_found("The resource could not be found.")
    return Reply(found)
