"""What Nova records about each action on a server: instance actions and their events.

Every API call that changes a server (create, reboot, resize, ...) starts an *instance action*
keyed by the request id the API answered with; the compute work it triggers adds *events*
(``compute_reboot_instance``, ``conductor_migrate_server`` ...) that start, then finish with
``Success`` or ``Error``. A failed event marks its action's ``message`` ``Error``. The
``os-instance-actions`` API renders these records per microversion; this module only keeps
them, so every action (and the pending-work queue that finishes it) records the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)  # Nova keeps every one until archived: kept small
class ActionEvent:
    event: str
    start_time: dt.datetime
    host: str | None = None  # the compute host that ran it (shown from 2.62)
    finish_time: dt.datetime | None = None
    result: str | None = None  # "Success" or "Error"
    traceback: str | None = None  # admin-only by default
    details: str | None = None  # the fault message of a failed event (2.84)


@dataclass(slots=True)
class InstanceAction:
    action: str
    instance_uuid: str
    request_id: str
    user_id: str
    project_id: str
    start_time: dt.datetime
    updated_at: dt.datetime
    message: str | None = None
    events: list[ActionEvent] = field(default_factory=list)


class InstanceActionLog:
    """All instance actions of one cloud, per server, oldest first."""

    def __init__(self) -> None:
        self._by_server: dict[str, list[InstanceAction]] = {}

    def start(
        self,
        instance_uuid: str,
        action: str,
        request_id: str,
        user_id: str,
        project_id: str,
        now: dt.datetime,
    ) -> InstanceAction:
        record = InstanceAction(action, instance_uuid, request_id, user_id, project_id, now, now)
        self._by_server.setdefault(instance_uuid, []).append(record)
        return record

    @staticmethod
    def event_start(
        action: InstanceAction, event: str, now: dt.datetime, host: str | None = None
    ) -> ActionEvent:
        started = ActionEvent(event, now, host)
        action.events.append(started)
        action.updated_at = now
        return started

    @staticmethod
    def event_finish(
        action: InstanceAction,
        event: ActionEvent,
        now: dt.datetime,
        *,
        error: str | None = None,
        traceback: str | None = None,
    ) -> None:
        """Finish ``event``; an ``error`` (the fault message) marks the action failed."""
        event.finish_time = now
        event.result = "Error" if error else "Success"
        if error:
            event.details, event.traceback = error, traceback
            action.message = "Error"
        action.updated_at = now

    def for_server(self, instance_uuid: str) -> list[InstanceAction]:
        """Oldest first; the API lists newest first."""
        return list(self._by_server.get(instance_uuid, ()))

    def get(self, instance_uuid: str, request_id: str) -> InstanceAction | None:
        """The newest action of the request: one request may record two (a delete of a
        resized server records ``confirmResize`` and ``delete``), and Nova shows the last."""
        for record in reversed(self._by_server.get(instance_uuid, ())):
            if record.request_id == request_id:
                return record
        return None

    def forget(self, instance_uuid: str) -> None:
        """Drop the server's actions and events: what archiving its deleted row does."""
        self._by_server.pop(instance_uuid, None)
