"""``GET /servers/{id}/os-instance-actions`` and ``.../os-instance-actions/{request_id}``.

From 2.21 the actions of a deleted server can still be read (Nova reads with deleted rows);
from 2.58 the list pages (``limit``, ``marker`` by request id), filters on ``updated_at``
(``changes-since``, and ``changes-before`` from 2.66) and validates its query strictly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oslo_utils import timeutils

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.policy import INSTANCE_ACTIONS
from fakenova.compute.api.validation import check_query
from fakenova.compute.api.views import instance_actions as view
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.servers.records import Server


def _server(call: Call, server_id: str) -> Server:
    if not call.version.at_least("2.21"):
        return call.compute.get(call.actor, server_id)
    return call.compute.get_deleted_too(call.actor, server_id)


def _query_names(call: Call) -> tuple[str, ...]:
    names = ("limit", "marker", "changes-since")
    return (*names, "changes-before") if call.version.at_least("2.66") else names


def _naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def index(call: Call, server_id: str) -> Reply:
    v = call.version
    if v.at_least("2.58"):
        check_query(call.request.GET, _query_names(call))
    server = _server(call, server_id)
    call.authorize(INSTANCE_ACTIONS + "list", server.project_id)
    actions = list(reversed(call.compute.instance_actions(server)))
    actions.sort(key=lambda a: a.start_time, reverse=True)  # stable: newest recorded first
    if v.at_least("2.58"):
        actions = _page(call, actions)
    body: dict[str, Any] = {"instanceActions": [view.action_body(a, v) for a in actions]}
    if v.at_least("2.58"):
        max_limit = call.compute.max_limit
        last = actions[-1].request_id if actions else None
        collection = f"servers/{server_id}/os-instance-actions"
        if links := call.links.collection(actions, collection, last, max_limit):
            body["links"] = links
    return Reply(body)


def _page(call: Call, actions: list[InstanceAction]) -> list[InstanceAction]:
    params = call.request.GET
    since = params.get("changes-since")
    before = params.get("changes-before")
    since_at = _naive(timeutils.parse_isotime(since)) if since else None
    before_at = _naive(timeutils.parse_isotime(before)) if before else None
    if since_at and before_at and before_at < since_at:
        raise bad_request(
            "The value of changes-since must be less than or equal to changes-before."
        )
    max_limit = call.compute.max_limit
    limit = min(int(params.get("limit", max_limit)), max_limit)
    marker = params.get("marker")
    if since_at:
        actions = [a for a in actions if _naive(a.updated_at) >= since_at]
    if before_at:
        actions = [a for a in actions if _naive(a.updated_at) <= before_at]
    if limit == 0:
        return []
    if marker is not None:
        found = [i for i, a in enumerate(actions) if a.request_id == marker]
        if not found:
            # Nova names the result of its failed lookup, not the marker it looked up.
            raise bad_request("Marker None could not be found.")
        actions = actions[found[0] + 1 :]
    return actions[:limit]


def show(call: Call, server_id: str, request_id: str) -> Reply:
    v = call.version
    if v.at_least("2.102"):
        check_query(call.request.GET, ())
    server = _server(call, server_id)
    call.authorize(INSTANCE_ACTIONS + "show", server.project_id)
    action = call.compute.instance_action(server, request_id)
    if action is None:
        raise not_found(f"Action {request_id} not found")
    body = view.action_body(action, v)
    target = {"project_id": server.project_id}
    privileged = call.policy.allows(call.context, INSTANCE_ACTIONS + "events", target)
    if privileged or v.at_least("2.51"):
        rights = view.EventRights(
            events=True,
            traceback=privileged,
            host=privileged and v.at_least("2.62"),
            host_id=v.at_least("2.62"),
            details=v.at_least("2.84")
            and call.policy.allows(call.context, INSTANCE_ACTIONS + "events:details", target),
        )
        body["events"] = view.events(action, rights, server.project_id)
    return Reply({"instanceAction": body})
