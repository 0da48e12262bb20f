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
from fakenova.compute.api.controllers.server_lookup import project_server
from fakenova.compute.api.faults import bad_request, not_found, unexpected
from fakenova.compute.api.policy import INSTANCE_ACTIONS
from fakenova.compute.api.views import instance_actions as view
from fakenova.compute.models.instance_actions import InstanceAction
from fakenova.compute.models.servers import Server


def _server(call: Call, server_id: str) -> Server:
    if not call.version.at_least("2.21"):
        return project_server(call, server_id)
    record = call.backend.records.get(server_id)
    server = call.backend.servers.get(server_id) if record is not None else None
    if server is None or (
        not call.context.is_admin and server.project_id != call.context.project_id
    ):
        raise not_found(f"Instance {server_id} could not be found.")
    if not server.cell.reachable:
        raise unexpected()
    return server


def _query_names(call: Call) -> tuple[str, ...]:
    names = ("limit", "marker", "changes-since")
    return (*names, "changes-before") if call.version.at_least("2.66") else names


def _validate_query(call: Call, allowed: tuple[str, ...]) -> None:
    """Nova's query schema: each known parameter's values first, then unknown names."""
    params = call.request.GET
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
                raise bad_request(
                    f"Invalid input for query parameters {name}. Value: {value}. {problem}"
                )
    unknown = sorted({k for k in params if k not in allowed})
    if unknown:
        quoted = ", ".join(repr(k) for k in unknown)
        verb = "was" if len(unknown) == 1 else "were"
        raise bad_request(f"Additional properties are not allowed ({quoted} {verb} unexpected)")


def _naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def index(call: Call, server_id: str) -> Reply:
    v = call.version
    if v.at_least("2.58"):
        _validate_query(call, _query_names(call))
    server = _server(call, server_id)
    call.authorize(INSTANCE_ACTIONS + "list", server.project_id)
    actions = list(reversed(call.backend.actions.for_server(server.uuid)))
    actions.sort(key=lambda a: a.start_time, reverse=True)  # stable: newest recorded first
    if v.at_least("2.58"):
        actions = _page(call, actions)
    body: dict[str, Any] = {"instanceActions": [view.action_body(a, v) for a in actions]}
    if v.at_least("2.58"):
        max_limit = int(call.backend.settings.nova_option("api.max_limit"))
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
    max_limit = int(call.backend.settings.nova_option("api.max_limit"))
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
        _validate_query(call, ())
    server = _server(call, server_id)
    call.authorize(INSTANCE_ACTIONS + "show", server.project_id)
    action = call.backend.actions.get(server.uuid, request_id)
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
