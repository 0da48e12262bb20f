"""Migration bodies: ``os-migrations`` (2.23 type and links, 2.59 uuid, 2.80 user and
project) and ``/servers/{id}/migrations`` (in-progress live migrations, with progress)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.views.links import Links
from fakenova.compute.api.views.services import service_time
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.moves.migrations import Migration


def _time(value: Any) -> str | None:
    return None if value is None else service_time(value)


@dataclass
class MigrationView:
    version: Version
    backend: ComputeBackend
    links: Links
    with_hosts: bool

    def _flavor_row(self, flavorid: str) -> int | None:
        """The flavor's row id in the API database: devstack creates them in conf/ order."""
        for index, flavor in enumerate(self.backend.settings.flavors):
            if flavor.id == flavorid:
                return index + 1
        return None

    def _type_id(self, migration: Migration, flavorid: str) -> int | None:
        """An evacuation's record names no flavors: Nova's compute API creates it with hosts,
        instance and status only (nova/compute/api.py, ``API.evacuate``)."""
        if migration.migration_type == mig.EVACUATION:
            return None
        return self._flavor_row(flavorid)

    def dest_host(self, migration: Migration) -> str | None:
        """The destination's IP, which its compute records when it claims the move. A live
        migration is claimed only for a server with a NUMA topology (Nova's
        ``ComputeManager._live_migration_claim``), which the fake's servers never have: Nova
        records no destination IP for one, whoever lists it."""
        if migration.migration_type == mig.LIVE:
            return None
        host = self.backend.settings.hosts.get(migration.dest_compute or "")
        return None if host is None else host.ip

    def _hosts(self, migration: Migration) -> dict[str, Any]:
        if not self.with_hosts:
            return dict.fromkeys(
                ("dest_compute", "dest_host", "dest_node", "source_compute", "source_node")
            )
        return {
            "dest_compute": migration.dest_compute,
            "dest_host": self.dest_host(migration),
            "dest_node": migration.dest_node,
            "source_compute": migration.source_compute,
            "source_node": migration.source_node,
        }

    def listed(self, migration: Migration) -> dict[str, Any]:
        """One item of ``GET /os-migrations``."""
        v = self.version
        body: dict[str, Any] = {
            "created_at": _time(migration.created_at),
            **self._hosts(migration),
            "id": migration.id,
            "instance_uuid": migration.instance_uuid,
            "new_instance_type_id": self._type_id(migration, migration.new_flavor.flavorid),
            "old_instance_type_id": self._type_id(migration, migration.old_flavor.flavorid),
            "status": migration.status,
            "updated_at": _time(migration.updated_at),
        }
        if v.at_least("2.23"):
            body["migration_type"] = migration.migration_type
            if migration.migration_type == mig.LIVE and migration.status in mig.LIVE_IN_PROGRESS:
                body["links"] = self.links.self_and_bookmark(
                    f"servers/{migration.instance_uuid}/migrations", str(migration.id)
                )
        if v.at_least("2.59"):
            body["uuid"] = migration.uuid
        if v.at_least("2.80"):
            body["user_id"] = migration.user_id
            body["project_id"] = migration.project_id
        return body

    def of_server(self, migration: Migration) -> dict[str, Any]:
        """One live migration under ``/servers/{id}/migrations``. The fake's virt driver
        reports no memory or disk progress, as Nova's own fake driver."""
        body: dict[str, Any] = {
            "created_at": _time(migration.created_at),
            **self._hosts(migration),
            "disk_processed_bytes": None,
            "disk_remaining_bytes": None,
            "disk_total_bytes": None,
            "id": migration.id,
            "memory_processed_bytes": None,
            "memory_remaining_bytes": None,
            "memory_total_bytes": None,
            "server_uuid": migration.instance_uuid,
            "status": migration.status,
            "updated_at": _time(migration.updated_at),
        }
        if self.version.at_least("2.59"):
            body["uuid"] = migration.uuid
        if self.version.at_least("2.80"):
            body["user_id"] = migration.user_id
            body["project_id"] = migration.project_id
        return body
