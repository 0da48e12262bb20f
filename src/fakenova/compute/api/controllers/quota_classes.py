"""``os-quota-class-sets``: show and update a quota class, as Nova 34 answers them (admin
only). Any name is a class; the ``default`` class's limits are every project's defaults.
An update answers the class without its ``id``."""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import quotas as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import quotas as view

RULE = rules.QUOTA_CLASS_SETS


def show(call: Call, name: str) -> Reply:
    query = call.request.GET.dict_of_lists()
    validate(pick(schemas.CLASS_SHOW_QUERIES, call.version), query, query=True)
    call.policy.authorize(call.context, RULE + "show", {})
    return Reply(view.quota_class_set(name, call.compute.quota_class(name), call.version))


def update(call: Call, name: str) -> Reply:
    body = call.body
    validate(pick(schemas.CLASS_UPDATE, call.version), body)
    call.policy.authorize(call.context, RULE + "update", {})
    values = {key: int(value) for key, value in body["quota_class_set"].items()}
    return Reply(
        view.quota_class_set(None, call.compute.update_quota_class(name, values), call.version)
    )
