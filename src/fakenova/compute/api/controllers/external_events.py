"""``os-server-external-events``: events other services send about servers (admin or the
service role). Nova checks the body for the microversion, then policy; the answer is 200
when every event was accepted, else 207 with each event's own code.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.schemas import external_events as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import external_events as view
from fakenova.compute.models.servers.event_records import ACCEPTED, Event

RULE = "os_compute_api:os-server-external-events:create"


def create(call: Call) -> Reply:
    validate(pick(schemas.CREATE, call.version), call.body)
    call.authorize(RULE)
    sent = call.body["events"]
    events = [Event(e["name"], e["server_uuid"], e.get("tag")) for e in sent]
    codes = call.compute.external_events(call.actor, events)
    status = 200 if all(code == ACCEPTED for code in codes) else 207
    return Reply(view.answered(sent, codes), status=status)
