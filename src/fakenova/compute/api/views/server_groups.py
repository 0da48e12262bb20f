"""``os-server-groups`` bodies: ``policies`` and empty ``metadata`` until 2.63, ``policy`` and
``rules`` from 2.64; the owner's ``project_id`` and ``user_id`` from 2.13."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.models.backend import ComputeBackend, ServerGroup
from fakenova.compute.models.resources import server_groups as ops


@dataclass
class ServerGroupView:
    version: Version
    backend: ComputeBackend

    def one(self, group: ServerGroup) -> dict[str, Any]:
        body: dict[str, Any] = {"id": group.uuid, "name": group.name}
        if self.version.at_least("2.64"):
            body["policy"] = group.policy
            body["rules"] = dict(group.rules)
        else:
            body["policies"] = [group.policy]
            body["metadata"] = {}
        body["members"] = ops.members(self.backend, group)
        if self.version.at_least("2.13"):
            body["project_id"] = group.project_id
            body["user_id"] = group.user_id
        return body

    def listed(self, groups: list[ServerGroup]) -> dict[str, Any]:
        return {"server_groups": [self.one(g) for g in groups]}
