"""``os-services``: list (admin; from 2.69 an unreachable cell shows its compute hosts),
update and delete.

Before 2.53 an update names its action in the path (``enable``, ``disable``,
``disable-log-reason``, and ``force-down`` from 2.11) and the service in the body; from 2.53
the path holds the service's uuid and the body what changes. As in Nova, the body is
validated first, then (2.53) the uuid's shape, then policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oslo_utils import strutils

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request, not_found
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas import services as schemas
from fakenova.compute.api.validation import is_uuid, validate
from fakenova.compute.api.views.services import ServiceView
from fakenova.compute.models.deployment.cells import Service

RULE = "os_compute_api:os-services:"


def index(call: Call) -> Reply:
    if call.version.at_least("2.75"):
        validate(schemas.INDEX_QUERY_V275, call.request.GET.dict_of_lists(), query=True)
    call.authorize(RULE + "list")
    services = call.compute.list_services(cell_down_support=call.version.at_least("2.69"))
    if host := call.request.GET.get("host"):
        services = [s for s in services if s.host == host]
    if binary := call.request.GET.get("binary"):
        services = [s for s in services if s.binary == binary]
    return Reply(ServiceView(call.version, call.backend).listed(services))


def update(call: Call, service_id: str) -> Reply:
    # This handler reads an empty body as {} (its schema then names what is missing).
    body = {} if not call.request.body else call.body
    validate(pick(schemas.UPDATE, call.version), body)
    if call.version.at_least("2.53"):
        return _update_v253(call, service_id, body)
    call.authorize(RULE + "update")
    actions: dict[str, Callable[[Call, dict[str, Any]], dict[str, Any]]] = {
        "enable": _enable,
        "disable": _disable,
        "disable-log-reason": _disable_log_reason,
    }
    if call.version.at_least("2.11"):
        actions["force-down"] = _force_down
    action = actions.get(service_id)
    if action is None:
        raise not_found("Unknown action")
    return Reply(action(call, body))


def _named(call: Call, body: dict[str, Any]) -> Service:
    return call.compute.service_by_host(body["host"], body["binary"])


def _enable(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    call.compute.update_service(_named(call, body), disabled=False)
    return {"service": {"host": body["host"], "binary": body["binary"], "status": "enabled"}}


def _disable(call: Call, body: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
    call.compute.update_service(_named(call, body), disabled=True, reason=reason)
    answer = {"host": body["host"], "binary": body["binary"], "status": "disabled"}
    if reason:
        answer["disabled_reason"] = reason
    return {"service": answer}


def _disable_log_reason(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    if "disabled_reason" not in body:
        raise bad_request("Missing disabled reason field")
    return _disable(call, body, body["disabled_reason"])


def _force_down(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    if "forced_down" not in body:
        raise bad_request("Missing forced_down field")
    forced = strutils.bool_from_string(body["forced_down"])
    call.compute.update_service(_named(call, body), forced_down=forced)
    return {"service": {"host": body["host"], "binary": body["binary"], "forced_down": forced}}


def _update_v253(call: Call, service_id: str, body: dict[str, Any]) -> Reply:
    if not is_uuid(service_id):
        raise bad_request(f"Invalid uuid {service_id}")
    call.authorize(RULE + "update")
    service = call.compute.service(service_id)
    call.compute.check_updatable(service)
    if body.get("status") == "enabled" and body.get("disabled_reason"):
        raise bad_request("Specifying 'disabled_reason' with status 'enabled' is invalid.")
    if "status" not in body and "forced_down" not in body:
        raise bad_request(
            "No updates were requested. Fields 'status' or 'forced_down' should be specified."
        )
    disabled = None if "status" not in body else body["status"] == "disabled"
    forced = None
    if "forced_down" in body:
        forced = strutils.bool_from_string(body["forced_down"], strict=True)
    call.compute.update_service(
        service, disabled=disabled, reason=body.get("disabled_reason"), forced_down=forced
    )
    return Reply({"service": ServiceView(call.version, call.backend).one(service)})


def delete(call: Call, service_id: str) -> Reply:
    call.authorize(RULE + "delete")
    if call.version.at_least("2.53"):
        if not is_uuid(service_id):
            raise bad_request(f"Invalid uuid {service_id}")
    else:
        try:
            int(service_id)
        except ValueError:
            raise bad_request("Invalid input received: id must be an integer") from None
    call.compute.delete_service(service_id)
    return Reply(None, 204)
