"""``os-services`` bodies: integer ids until 2.52, uuids from 2.53; 2.69 minimal constructs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.models.backend import ComputeBackend, MinimalService
from fakenova.compute.models.deployment.cells import Service


def service_time(value: Any) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


@dataclass
class ServiceView:
    version: Version
    backend: ComputeBackend

    def one(self, service: Service | MinimalService) -> dict[str, Any]:
        if isinstance(service, MinimalService):
            return {"binary": service.binary, "host": service.host, "status": "UNKNOWN"}
        body: dict[str, Any] = {
            "binary": service.binary,
            "host": service.host,
            "id": service.uuid if self.version.at_least("2.53") else service.id,
            "zone": service.zone,
            "status": "disabled" if service.disabled else "enabled",
            "state": "up" if self.backend.service_is_up(service) else "down",
            "updated_at": service_time(self.backend.service_updated_at(service)),
            "disabled_reason": service.disabled_reason,
        }
        if self.version.at_least("2.11"):
            body["forced_down"] = service.forced_down
        return body

    def listed(self, services: list[Service | MinimalService]) -> dict[str, Any]:
        return {"services": [self.one(s) for s in services]}
