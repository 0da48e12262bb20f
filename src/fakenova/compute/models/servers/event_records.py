"""An event another service sends about a server, and the codes Nova answers each with (the
rules are in :mod:`~fakenova.compute.models.servers.external_events`)."""

from __future__ import annotations

from dataclasses import dataclass

# Accepted; a required tag missing; no such server; a server without a host.
ACCEPTED, BAD_REQUEST, NOT_FOUND, NO_HOST = 200, 400, 404, 422


@dataclass(frozen=True)
class Event:
    name: str
    server_uuid: str
    tag: str | None = None
