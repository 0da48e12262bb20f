"""What every controller receives: one :class:`Call` per request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import webob

from fakenova.compute.api.faults import url_project_mismatch
from fakenova.compute.api.microversions import Version
from fakenova.compute.api.policy import Policy, RequestContext
from fakenova.compute.api.views.links import Links
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.compute_api import ComputeAPI


@dataclass
class Reply:
    """A controller's answer before headers are added: status and JSON body (or none), and
    any headers of its own (``Location``, or a content type Nova answers with instead)."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """One request as a controller sees it: the decoded JSON ``body`` (None without one),
    the microversion, the caller, policy, the compute API to act through, and the backend
    that views render from (controllers read and change state only through ``compute``)."""

    request: webob.Request
    version: Version
    context: RequestContext
    policy: Policy
    compute: ComputeAPI
    links: Links
    body: Any = None
    # The project id of a ``/v2.1/{project_id}/...`` URL, None for the plain form.
    url_project: str | None = None

    def check_url_project(self) -> None:
        """Nova's check of the URL's project id against the token's, made once Nova has
        found the method to call (and read the body), before the method runs."""
        if self.url_project is not None and self.url_project != self.context.project_id:
            raise url_project_mismatch(self.url_project, self.context.project_id)

    @property
    def backend(self) -> ComputeBackend:
        """For views, which render what the backend holds."""
        return self.compute.backend

    @property
    def actor(self) -> Actor:
        ctx = self.context
        return Actor(ctx.request_id, ctx.user_id, ctx.project_id, ctx.is_admin)

    def authorize(self, rule: str, project_id: str | None = None) -> None:
        target = None if project_id is None else {"project_id": project_id}
        self.policy.authorize(self.context, rule, target)


Handler = TypeVar("Handler", bound=Callable[..., Reply])


def finds_its_method(handler: Handler) -> Handler:
    """Mark a route whose handler picks Nova's method from the body (``POST .../action``):
    it calls :meth:`Call.check_url_project` itself once the method is found, since Nova
    answers an unknown action before it compares the URL's project."""
    handler.finds_its_method = True  # type: ignore[attr-defined]
    return handler
