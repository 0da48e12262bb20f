"""What every controller receives: one :class:`Call` per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import webob

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.policy import Policy, RequestContext
from fakenova.compute.api.views.links import Links
from fakenova.compute.models.backend import ComputeBackend


@dataclass
class Reply:
    """A controller's answer before headers are added: status and JSON body (or none), and
    any headers of its own (``Location``, or a content type Nova answers with instead)."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    request: webob.Request
    version: Version
    context: RequestContext
    policy: Policy
    backend: ComputeBackend
    links: Links

    def authorize(self, rule: str, project_id: str | None = None) -> None:
        target = None if project_id is None else {"project_id": project_id}
        self.policy.authorize(self.context, rule, target)
