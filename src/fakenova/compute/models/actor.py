"""Who asks the compute model to do something.

Nova passes a ``RequestContext`` to every compute API method; the model needs only the part
of it that decides and records: the caller's request id (the instance action is keyed by
it), user and project (recorded on the action and on migrations, compared with the
server's owner for locks) and whether the caller is an admin (who may act on a locked
server). Periodic tasks act with an admin context that has no user or project.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    request_id: str
    user_id: str | None
    project_id: str | None
    is_admin: bool = False

    @property
    def reads_database(self) -> bool:
        """Whether Nova's database API serves this caller (its ``require_context``): an admin,
        or a caller acting for a project. A token without a project (unscoped, with no
        admin role) gets past policy on a few routes and is refused there."""
        return self.is_admin or (self.user_id is not None and self.project_id is not None)

    @classmethod
    def periodic(cls, request_id: str) -> Actor:
        """nova-compute's own periodic work: an admin context without a user or project."""
        return cls(request_id, None, None, is_admin=True)
