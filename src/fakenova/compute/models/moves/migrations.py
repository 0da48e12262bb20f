"""Migration records: what Nova writes down for every move of a server between hosts.

A resize, a cold migration, a live migration and an evacuation each leave one record with its
source and destination and a status that follows the move (``pre-migrating`` ...
``finished`` while a resize waits for confirmation, then ``confirmed`` or ``reverted``;
``error`` when no host fits). Confirming or reverting a resize needs the record of the move
it ends, and the old flavor it kept; ``os-migrations`` lists them until the
server is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fakenova.compute.models.resources.flavors import Flavor

RESIZE, COLD, LIVE, EVACUATION = "resize", "migration", "live-migration", "evacuation"
# The statuses of a live migration still under way (``servers/{id}/migrations`` lists these).
LIVE_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")


@dataclass
class Migration:
    id: int
    uuid: str
    instance_uuid: str
    migration_type: str
    source_compute: str | None
    dest_compute: str | None
    old_flavor: Flavor
    new_flavor: Flavor
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    project_id: str | None = None
    user_id: str | None = None
    # Nova deletes a server's migration records with the server: os-migrations no longer
    # lists them, though a marker may still name one (and ids are not reused).
    deleted: bool = False

    @property
    def source_node(self) -> str | None:
        return self.source_compute  # one node per host in this cloud

    @property
    def dest_node(self) -> str | None:
        return self.dest_compute


def latest(migrations: list[Migration], instance_uuid: str, status: str) -> Migration | None:
    """The newest migration of the server in ``status`` (Nova's get_by_instance_and_status)."""
    for migration in reversed(migrations):
        if migration.instance_uuid == instance_uuid and migration.status == status:
            return migration
    return None
