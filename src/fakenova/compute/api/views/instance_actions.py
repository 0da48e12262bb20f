"""Instance actions and their events, per microversion and per what policy lets the caller see.

2.51 shows events to everyone allowed to see the action (before, only to those the ``events``
policy allows); that policy also decides who sees tracebacks and, from 2.62, the host's name.
From 2.62 every caller gets ``hostId``, the host hashed with the project, as server views do;
from 2.84 ``details`` (the fault message) for those the ``events:details`` policy allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.models.actions.instance_actions import ActionEvent, InstanceAction


def timestamp(value: dt.datetime | None) -> str | None:
    """Nova serialises these datetimes with microseconds, without a zone."""
    return None if value is None else value.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S.%f")


def hashed_host(host: str | None, project_id: str) -> str:
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def action_body(action: InstanceAction, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {
        "action": action.action,
        "instance_uuid": action.instance_uuid,
        "request_id": action.request_id,
        "user_id": action.user_id,
        "project_id": action.project_id,
        "start_time": timestamp(action.start_time),
        "message": action.message,
    }
    if version.at_least("2.58"):
        body["updated_at"] = timestamp(action.updated_at)
    return body


@dataclass(frozen=True)
class EventRights:
    """What one caller may see of the events of one server's actions."""

    events: bool
    traceback: bool
    host: bool
    host_id: bool
    details: bool


def events(
    action: InstanceAction, rights: EventRights, server_project: str
) -> list[dict[str, Any]]:
    """Newest first, as Nova lists them. Periodic tasks record actions without a project;
    their events hash the host with the server's project instead."""
    project = action.project_id or server_project
    ordered = sorted(
        enumerate(action.events), key=lambda pair: (pair[1].start_time, pair[0]), reverse=True
    )
    return [_event(e, rights, project) for _, e in ordered]


def _event(event: ActionEvent, rights: EventRights, project_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event": event.event,
        "start_time": timestamp(event.start_time),
        "finish_time": timestamp(event.finish_time),
        "result": event.result,
    }
    if rights.traceback:
        body["traceback"] = event.traceback
    if rights.host:
        body["host"] = event.host
    if rights.host_id:
        body["hostId"] = hashed_host(event.host, project_id)
    if rights.details:
        body["details"] = event.details
    return body
