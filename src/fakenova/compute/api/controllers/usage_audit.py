"""``os-instance_usage_audit_log``: the instance usage audit of the last completed period
(admin-only). The query is free until 2.102, which refuses any parameter; the query is
checked before policy, the timestamp after it.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import usage_audit as view

RULE = "os_compute_api:os-instance-usage-audit-log:"
STRICT_QUERY = {"type": "object", "properties": {}, "additionalProperties": False}


def _query(call: Call) -> None:
    if call.version.at_least("2.102"):
        validate(STRICT_QUERY, call.request.GET.dict_of_lists(), query=True)


def index(call: Call) -> Reply:
    _query(call)
    call.authorize(RULE + "list")
    return Reply({"instance_usage_audit_logs": view.audit(call.compute.usage_audit_log(None))})


def show(call: Call, before: str) -> Reply:
    _query(call)
    call.authorize(RULE + "show")
    return Reply({"instance_usage_audit_log": view.audit(call.compute.usage_audit_log(before))})
