"""``GET /limits``: the caller's project's absolute limits and usage, as Nova 34 answers.

Anyone may read their own project's; ``tenant_id`` names another project, which only an
admin may read (``os_compute_api:limits:other_project``). The limits are the project's, not
the caller's own per-user ones.
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import quotas as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import quotas as view


def index(call: Call) -> Reply:
    query = call.request.GET
    validate(pick(schemas.LIMITS_QUERIES, call.version), query.dict_of_lists(), query=True)
    call.policy.authorize(call.context, rules.LIMITS, {})
    project_id = call.context.project_id
    if "tenant_id" in query:
        project_id = query.get("tenant_id")
        call.authorize(rules.LIMITS + ":other_project")
    return Reply(view.limits(call.compute.limits(call.actor, project_id), call.version))
