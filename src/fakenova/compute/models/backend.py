"""The compute backend: every piece of Compute state, and the reads and writes the API needs.

Cells are modelled the way Nova splits its databases, so that an unreachable cell hides
exactly what Nova cannot read (see :mod:`fakenova.compute.models.servers.records`). Listing merges
the reachable cells in one sort order, the way Nova's multi-cell lister does.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fakenova.accelerator.models import AcceleratorBackend
from fakenova.compute.models.actions.instance_actions import InstanceActionLog
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.deployment.aggregates import Aggregates
from fakenova.compute.models.deployment.cells import Cell, Host, Service
from fakenova.compute.models.deployment.networks import Network
from fakenova.compute.models.errors import (
    DB_ERROR,
    CellUnreachable,
    InstanceNotFound,
    MarkerNotFound,
)
from fakenova.compute.models.moves.migrations import Migration
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.resources.keypairs import KeyPair
from fakenova.compute.models.resources.quotas import QuotaTables
from fakenova.compute.models.servers import builds, filters
from fakenova.compute.models.servers.indexes import ServerTable
from fakenova.compute.models.servers.records import Address, ApiRecord, Server
from fakenova.compute.models.tasks import TaskQueue
from fakenova.determinism import Clock, IdSource
from fakenova.image.models import ImageBackend
from fakenova.network.models import NetworkBackend
from fakenova.settings import Settings

DEFAULT_SORT = (("created_at", "desc"), ("id", "desc"))


@dataclass
class ServerGroup:
    uuid: str
    name: str
    policy: str
    project_id: str
    user_id: str
    members: list[str] = field(default_factory=list)
    # From 2.64 an anti-affinity group may allow more than one member per host.
    rules: dict[str, int] = field(default_factory=dict)


@dataclass
class ServerQuery:
    """A normalised server list request, after the API layer applied policy and microversion."""

    project_id: str | None
    filters: dict[str, Any] = field(default_factory=dict)
    sort: tuple[tuple[str, str], ...] = DEFAULT_SORT
    limit: int = 1000
    marker: str | None = None
    cell_down_support: bool = False


@dataclass
class MinimalService:
    """All Nova can say of a compute service in an unreachable cell: its host mapping."""

    host: str
    binary: str = "nova-compute"


class ComputeBackend:
    """All Compute state of one cloud. No module-level state: build as many as you like."""

    def __init__(
        self,
        settings: Settings,
        ids: IdSource,
        clock: Clock,
        images: ImageBackend | None = None,
        network: NetworkBackend | None = None,
        accelerators: AcceleratorBackend | None = None,
    ) -> None:
        self.settings = settings
        self.ids = ids
        self.clock = clock
        self.cells: dict[str, Cell] = {}
        self.hosts: dict[str, Host] = {}
        self.services: list[Service] = []
        # Host aggregates of the API database; they decide the hosts' zones.
        self.aggregates = Aggregates()
        self.flavors: dict[str, Flavor] = {}
        # The last flavor row id of the API database (flavors are numbered as created).
        self.flavor_serial = 0
        self.records: dict[str, ApiRecord] = {}
        # A dict that also keeps each cell's servers in listing order (see server_index).
        self.servers: dict[str, Server] = ServerTable()
        self.server_groups: dict[str, ServerGroup] = {}
        # Key pairs by (user id, name): Nova keeps them per user, not per project.
        self.keypairs: dict[tuple[str, str], KeyPair] = {}
        self.keypair_serial = 0
        # The quota limits set through the API (os-quota-sets, os-quota-class-sets).
        self.quotas = QuotaTables()
        # The last instance id of each cell: ids are per cell database, as in Nova.
        self.instance_ids: dict[str, int] = {}
        # The Network service the servers' ports live in (a private one when none is given).
        self.network = network or NetworkBackend(settings, ids, clock, owner="", projects=())
        # Work the API answered before finishing (builds ...), settled before each request.
        self.tasks = TaskQueue(clock, self.heartbeat)
        # Work cast to a compute host whose nova-compute is not running, per host: it waits
        # in the host's message queue and runs once the service starts again.
        self.waiting: dict[str, list[Callable[[], None]]] = {}
        # Instance actions and events, as os-instance-actions shows them.
        self.actions = InstanceActionLog()
        # Every move between hosts (resize, migrations, evacuations), oldest first.
        self.migrations: list[Migration] = []
        # True: live migrations never converge by themselves; they run until an operator
        # forces them to complete or aborts them (what /servers/{id}/migrations is for).
        self.slow_live_migrations = False
        # Deleted servers whose instance_id_mappings row an archive has already moved (it
        # goes before the instance's own rows: see servers.archive).
        self.archived_id_mappings: set[str] = set()
        self.images = images
        # The accelerator service the flavors' device profiles are looked up in (an empty
        # one when none is given: it knows no profile).
        self.accelerators = accelerators or AcceleratorBackend(ids)
        self._load()

    # -- deployment -------------------------------------------------------------------------

    def _load(self) -> None:
        for cell_settings in self.settings.cells:
            cell = Cell(cell_settings.name, self.ids.uuid("cell", cell_settings.name))
            self.cells[cell.name] = cell
            for svc in cell_settings.services:
                self._add_service(cell, svc.binary, svc.host, "internal")
            for host_name in cell_settings.computes:
                hs = self.settings.hosts[host_name]
                self.hosts[host_name] = Host(
                    host_name,
                    cell,
                    hs.zone,
                    hs.vcpus,
                    hs.memory_mb,
                    hs.disk_gb,
                    self.ids.uuid("compute_node", host_name),
                )
                self._add_service(cell, "nova-compute", host_name, hs.zone)
        for fs in self.settings.flavors:
            self.flavors[fs.id] = Flavor(
                flavorid=fs.id,
                name=fs.name,
                vcpus=fs.vcpus,
                memory_mb=fs.ram,
                root_gb=fs.disk,
                ephemeral_gb=fs.ephemeral,
                swap=fs.swap,
                rxtx_factor=fs.rxtx_factor,
                is_public=fs.is_public,
                description=fs.description,
                extra_specs=dict(fs.extra_specs),
                id=len(self.flavors) + 1,
            )
        self.flavor_serial = len(self.flavors)

    def _add_service(self, cell: Cell, binary: str, host: str, zone: str) -> None:
        per_cell = sum(1 for s in self.services if s.cell is cell) + 1
        now = self.clock.now
        self.services.append(
            Service(
                per_cell,
                self.ids.uuid("service", f"{binary}@{host}"),
                binary,
                host,
                cell,
                zone,
                created_at=now,
                last_seen_up=now,
            )
        )

    def cell(self, name: str) -> Cell:
        return self.cells[name]

    def set_cell_reachable(self, name: str, reachable: bool) -> None:
        self.cells[name].reachable = reachable

    @property
    def service_down_time(self) -> int:
        return int(self.settings.nova_option("service_down_time"))

    @property
    def report_interval(self) -> int:
        return int(self.settings.nova.get("report_interval", 10))

    def last_report(self, service: Service) -> dt.datetime:
        """The service's last heartbeat on the scenario's clock: one every ``report_interval``
        since it (re)started, none after it stopped. Computed, not stored, so moving the clock
        never needs anyone to remember to beat."""
        start = service.reporting_since or service.created_at
        until = self.clock.now
        if service.stopped_at is not None and service.stopped_at < until:
            until = service.stopped_at
        if until <= start:
            return start
        beats = int((until - start).total_seconds() // self.report_interval)
        return start + dt.timedelta(seconds=beats * self.report_interval)

    def service_updated_at(self, service: Service) -> dt.datetime:
        """The row's ``updated_at`` os-services shows: its last report or API change."""
        report = self.last_report(service)
        changed = service.changed_at
        return changed if changed is not None and changed > report else report

    def service_is_up(self, service: Service) -> bool:
        """Nova's DB servicegroup driver: forced down, or no report within service_down_time."""
        if service.forced_down:
            return False
        age = (self.clock.now - self.last_report(service)).total_seconds()
        return age <= self.service_down_time

    def compute_is_up(self, host: str | None) -> bool:
        """Whether ``host``'s compute service is up (False for no host)."""
        for service in self.services:
            if service.is_compute and service.host == host:
                return self.service_is_up(service)
        return False

    def conductor_host(self) -> str:
        """The super-conductor's host: where scheduling events are recorded."""
        for service in self.services:
            if service.binary == "nova-conductor" and service.cell.name == "cell0":
                return service.host
        return "controller"

    def heartbeat(self) -> None:
        """Bring the stored ``last_seen_up`` of every service up to its last report."""
        for service in self.services:
            service.last_seen_up = self.last_report(service)

    def stop_reporting(self, host: str, binary: str = "nova-compute") -> None:
        """The service's process dies (or its host): its reports stop from now on."""
        service = self.service_by_host(host, binary)
        if service.stopped_at is None:
            service.stopped_at = self.clock.now

    def start_reporting(self, host: str, binary: str = "nova-compute") -> None:
        """The service starts again: it reports at once, then every ``report_interval``, and
        takes up the work that waited for it, in the order it was sent."""
        service = self.service_by_host(host, binary)
        service.stopped_at = None
        service.reporting_since = self.clock.now
        if binary == "nova-compute":
            for work in self.waiting.pop(host, []):
                work()

    def compute_running(self, host: str | None) -> bool:
        """Whether ``host``'s nova-compute process runs and takes its messages: it may run
        while the API counts it down (forced down, or reports late), and a host without a
        compute service (the controller) always takes its part."""
        for service in self.services:
            if service.is_compute and service.host == host:
                return service.stopped_at is None
        return True

    def service_by_host(self, host: str, binary: str = "nova-compute") -> Service:
        for service in self.services:
            if service.host == host and service.binary == binary:
                return service
        raise KeyError(f"no {binary} service on {host}")

    # -- servers ----------------------------------------------------------------------------

    def boot_directly(
        self,
        name: str,
        *,
        project_id: str,
        user_id: str,
        host: str = "compute1",
        flavor: str = "1",
        image: str | None = None,
        requested_az: str | None = None,
        server_group: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> Server:
        """Place an ACTIVE server on ``host`` without the API (scenarios start from these).

        It takes the API's path (:mod:`~fakenova.compute.models.servers.builds`) minus the scheduler
        and the wait: the clock moves on ten seconds and the build is finished at once. Its
        ports are on every internal network (never on an external one such as ``public``).
        """
        created = self.clock.advance(10).replace(microsecond=0)
        self.heartbeat()
        uuid = self.ids.uuid("server", name)
        spec = builds.BuildSpec(
            name=name,
            project_id=project_id,
            user_id=user_id,
            flavor=self.flavors[flavor],
            image_ref=image if image is not None else next(iter(self._image_ids()), ""),
            reservation_id=builds.reservation_id(self, name),
            hostname=builds.default_hostname(name),
            networks=[n for n in self.networks.values() if not n.external],
            metadata=dict(metadata or {}),
            requested_az=requested_az,
            server_group=server_group,
            scheduler_hints={"group": [server_group]} if server_group else {},
        )
        server = builds.start(self, spec, uuid, self.hosts[host], created)
        builds.finish(self, server, spec, builds.launch_time(created, uuid))
        return server

    def schedulable_hosts(self) -> list[Host]:
        """Hosts whose compute service is enabled and up, in reachable cells."""
        up = {
            s.host
            for s in self.services
            if s.is_compute and not s.disabled and s.cell.reachable and self.service_is_up(s)
        }
        return [h for h in self.hosts.values() if h.name in up]

    def add_server(self, server: Server) -> Server:
        """Store a server built elsewhere, with its API record, numbered in its cell.

        For loaders that need far more servers than :meth:`boot_directly` can make (it moves
        the clock, beats every service and allocates from the configured networks):
        ``benchmarks/bulk.py`` fills clouds of 100,000 servers this way.
        """
        server.instance_id = self.next_instance_id(server.cell.name)
        self.records[server.uuid] = server.record
        self.servers[server.uuid] = server
        return server

    def create_server_group(
        self,
        name: str,
        policy: str,
        project_id: str,
        user_id: str,
        rules: dict[str, int] | None = None,
    ) -> str:
        uuid = self.ids.uuid("server-group", name)
        self.server_groups[uuid] = ServerGroup(
            uuid, name, policy, project_id, user_id, rules=dict(rules or {})
        )
        return uuid

    def group_of(self, server_uuid: str) -> list[str]:
        return [g.uuid for g in self.server_groups.values() if server_uuid in g.members]

    def _image_ids(self) -> Iterable[str]:
        return (str(i["id"]) for i in self.settings.images)

    def next_instance_id(self, cell: str) -> int:
        """The id the next server stored in ``cell`` gets (each cell counts its own)."""
        self.instance_ids[cell] = self.instance_ids.get(cell, 0) + 1
        return self.instance_ids[cell]

    @property
    def networks(self) -> dict[str, Network]:
        """The Network service's networks by id."""
        return self.network.networks

    def available_networks(self, project_id: str) -> list[Network]:
        """The networks a server of ``project_id`` that asks for none may use: the project's
        own unshared networks, then the shared ones (Nova's ``_get_available_networks``, which
        does not leave external networks out: the admin project, owner of ``public``, must
        name a network)."""
        owned = [n for n in self.networks.values() if n.project_id == project_id and not n.shared]
        return owned + [n for n in self.networks.values() if n.shared]

    def allocate_addresses(
        self,
        server: Server,
        networks: Iterable[Network] | None = None,
        fixed_ips: dict[str, str] | None = None,
        groups: list[str] | None = None,
    ) -> list[Address]:
        """One bound port per network (every internal one by default) for ``server`` on its host:
        see :func:`~fakenova.compute.models.deployment.networks.create_ports` (it raises
        ``NoMoreFixedIps`` when a network is full)."""
        chosen = (
            [n for n in self.networks.values() if not n.external] if networks is None else networks
        )
        zone = self.hosts[server.host].zone if server.host in self.hosts else "nova"
        return ports.create_ports(self.network, server, zone, chosen, fixed_ips, groups)

    def attach_port(self, server: Server, port_id: str) -> Address:
        """Bind the user's port ``port_id`` to ``server`` on its host."""
        zone = self.hosts[server.host].zone if server.host in self.hosts else "nova"
        return ports.attach_port(self.network, server, zone, port_id)

    def get_server(
        self, uuid: str, *, cell_down_support: bool, cell_readable: bool = True
    ) -> Server | ApiRecord:
        """A server, or only its API record when its cell is unreachable and that is allowed.
        A cell whose database refuses the caller (``cell_readable`` false) fails as an
        unreachable one does: Nova gathers the refusal from the cell as a failure."""
        record = self.records.get(uuid)
        if record is None:
            raise InstanceNotFound(uuid)
        if record.cell.reachable and cell_readable:
            server = self.servers[uuid]
            if server.deleted:
                raise InstanceNotFound(uuid)
            return server
        if cell_down_support:
            if record.queued_for_delete:
                raise InstanceNotFound(uuid)
            return record
        raise CellUnreachable(
            record.cell.uuid,
            f"Cell {record.cell.uuid} is not responding or returned an exception, "
            "hence instance info is not available.",
        )

    def list_servers(self, query: ServerQuery) -> list[Server | ApiRecord]:
        """Nova's multi-cell list: merge reachable cells, then prefix minimal constructs."""
        marker_server = self._marker(query.marker) if query.marker else None
        unreachable = [c for c in self.cells.values() if not c.reachable]
        skip = self.settings.nova_option("api.list_records_by_skipping_down_cells")
        if unreachable and not query.cell_down_support and not skip:
            raise CellUnreachable(
                unreachable[0].uuid,
                f"Cell {unreachable[0].uuid} is not responding but configuration indicates "
                "that we should fail.",
            )
        found: list[Server | ApiRecord] = list(
            itertools.islice(self._sorted_matches(query, marker_server), query.limit)
        )
        if not query.cell_down_support:
            return found
        minimal: list[Server | ApiRecord] = []
        room = query.limit - len(found)
        for cell in unreachable:
            records = [
                r
                for r in self.records.values()
                if r.cell is cell
                and not r.queued_for_delete
                and (query.project_id is None or r.project_id == query.project_id)
            ]
            minimal.extend(records[: max(room, 0)])
            room -= len(records)
        return minimal + found

    def _sorted_matches(self, query: ServerQuery, marker: Server | None) -> Iterable[Server]:
        """Matching servers of the reachable cells in the query's order, past the marker.

        The default order (``created_at`` then ``id``, one direction) streams from each cell's
        index and stops at the page's end: a page costs O(page + log n), not a sort of the
        whole cloud. Other sort keys sort every match.
        """
        keys, directions = [k for k, _ in query.sort], {d for _, d in query.sort}
        if keys == ["created_at", "id"] and len(directions) == 1:
            assert isinstance(self.servers, ServerTable)
            reachable = [c.name for c in self.cells.values() if c.reachable]
            ordered = self.servers.ordered(
                reachable, descending=directions == {"desc"}, after=marker
            )
            return (s for s in ordered if self._matches(s, query))
        candidates = [
            s for s in self.servers.values() if s.cell.reachable and self._matches(s, query)
        ]
        ordering = functools.cmp_to_key(
            lambda a, b: filters.compare(a, b, query.sort, self._zone_of)
        )
        candidates.sort(key=ordering)
        if marker is not None:
            marker_key = ordering(marker)
            candidates = [s for s in candidates if ordering(s) > marker_key]
        return candidates

    def _marker(self, marker: str) -> Server:
        record = self.records.get(marker)
        if record is None:
            raise MarkerNotFound(marker)
        if not record.cell.reachable:
            raise CellUnreachable(
                record.cell.uuid, f"Cell {record.cell.uuid} is not responding.", DB_ERROR
            )
        return self.servers[marker]

    def _matches(self, server: Server, query: ServerQuery) -> bool:
        if query.project_id is not None and server.project_id != query.project_id:
            return False
        return filters.matches(server, query.filters, self._zone_of)

    def _zone_of(self, server: Server) -> str | None:
        """The instance's ``availability_zone`` column: its host's zone once scheduled."""
        host = self.hosts.get(server.host or "")
        return host.zone if host else server.record.requested_az

    # -- services ---------------------------------------------------------------------------

    def list_services(self, *, cell_down_support: bool) -> list[Service | MinimalService]:
        """Services of every cell; an unreachable cell contributes only its compute hosts
        (from the host mappings) when the caller accepts partial results, else nothing."""
        found: list[Service | MinimalService] = []
        for cell in self.cells.values():
            if cell.reachable:
                found.extend(s for s in self.services if s.cell is cell)
            elif cell_down_support:
                found.extend(MinimalService(h.name) for h in self.hosts.values() if h.cell is cell)
        return found


def host_status(backend: ComputeBackend, host: str | None) -> str:
    """Microversion 2.16's ``host_status``: DOWN when forced down, MAINTENANCE when disabled,
    else UP or UNKNOWN by the service's last report; empty for a server without a host."""
    service = (
        next((s for s in backend.services if s.host == host and s.is_compute), None)
        if host
        else None
    )
    if service is None:
        return ""
    if service.forced_down:
        return "DOWN"
    if service.disabled:
        return "MAINTENANCE"
    return "UP" if backend.service_is_up(service) else "UNKNOWN"
