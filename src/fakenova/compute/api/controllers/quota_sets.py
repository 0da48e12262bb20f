"""``os-quota-sets``: show, defaults, detail, update and delete, per project or per user, as
Nova 34 answers them.

A member reads their own project's quotas (another project's is a 403, not a 404) and anyone
reads the defaults; only an admin changes or deletes them. ``user_id`` in the query scopes
show, detail, update and delete to one user of the project. An update answers the quota set
without its ``id``; a delete answers 202. The project is not looked up: Nova answers for any
id, as a Nova without a reachable identity service does.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import quotas as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import quotas as view

RULE = rules.QUOTA_SETS
TRUE = {"1", "t", "true", "on", "y", "yes"}


def _user(call: Call) -> str | None:
    """``user_id`` from the query after checking it (Nova drops blank values)."""
    query = call.request.GET
    validate(pick(schemas.QUOTA_SET_QUERIES, call.version), query.dict_of_lists(), query=True)
    given = [value for value in query.getall("user_id") if value]
    return given[0] if given else None


def show(call: Call, project_id: str) -> Reply:
    user_id = _user(call)
    call.authorize(RULE + "show", project_id)
    quotas = call.compute.quota_set(project_id, user_id)
    return Reply(view.quota_set(project_id, quotas.limits, call.version))


def detail(call: Call, project_id: str) -> Reply:
    user_id = _user(call)
    call.authorize(RULE + "detail", project_id)
    return Reply(view.detail(project_id, call.compute.quota_set(project_id, user_id), call.version))


def defaults(call: Call, project_id: str) -> Reply:
    call.authorize(RULE + "defaults", project_id)
    return Reply(view.quota_set(project_id, call.compute.quota_defaults(), call.version))


def update(call: Call, project_id: str) -> Reply:
    body = call.body
    validate(pick(schemas.UPDATE, call.version), body)
    user_id = _user(call)
    call.authorize(RULE + "update", project_id)
    fields: dict[str, Any] = body["quota_set"]
    force = str(fields.get("force", "False")).lower() in TRUE
    values = {name: int(value) for name, value in fields.items() if name != "force"}
    limits = call.compute.update_quotas(project_id, user_id, values, force=force)
    return Reply(view.quota_set(None, limits, call.version))


def delete(call: Call, project_id: str) -> Reply:
    user_id = _user(call)
    call.authorize(RULE + "delete", project_id)
    call.compute.delete_quotas(project_id, user_id)
    return Reply(None, 202)
