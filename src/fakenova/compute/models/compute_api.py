"""The compute API: the one door from the HTTP layer into the compute model.

Nova's controllers call ``nova.compute.api.API`` for every operation on a server; here
controllers call :class:`ComputeAPI`. A controller validates the request, looks the server
up through this class, asks policy, calls one method and renders the result; it never
changes a state field or reads the backend's collections. Each method takes the caller as an
:class:`~fakenova.compute.models.actor.Actor` and raises only
:class:`~fakenova.compute.models.errors.ComputeError`\\ s, before changing anything.

The methods delegate to the modules that hold each domain's rules (``actions.power``,
``moves.resizes``, ``servers.creation`` ...); a new route adds its method here and its rules
in such a module.
"""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.actions import (
    consoles,
    locks,
    power,
    rebuilds,
    rescues,
    shelves,
    snapshots,
)
from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import (
    ComputeBackend,
    MinimalService,
    ServerGroup,
    ServerQuery,
)
from fakenova.compute.models.deployment import aggregates as host_aggregates
from fakenova.compute.models.deployment import hosts as host_rules
from fakenova.compute.models.deployment import hypervisors, interfaces, services, zones
from fakenova.compute.models.deployment import usage_audit as audit
from fakenova.compute.models.deployment.cells import Service
from fakenova.compute.models.deployment.compute_nodes import Hypervisor
from fakenova.compute.models.deployment.host_records import AuditLog, HostService, Resources
from fakenova.compute.models.deployment.networks import Network
from fakenova.compute.models.errors import (
    NOVA_EXCEPTION,
    CannotMigrateToSameHost,
    DatabaseForbidden,
    EvacuationHostNotFound,
    ImageNotFound,
    InstanceMappingNotFound,
    InstanceNotFound,
    Invalid,
    KeypairNotFound,
    MigrationNotFoundForInstance,
    NotFound,
    NotMemberOfNetwork,
    PinnedZoneRefused,
    ServiceNotFound,
    Uncaught,
    VolumeNotAttached,
)
from fakenova.compute.models.moves import evacuations, live_migrations, resizes
from fakenova.compute.models.moves import migrations as mig
from fakenova.compute.models.resources import (
    extra_spec_rules,
    flavor_image,
    flavor_rules,
    floating_ips,
    image_proxy,
    keypairs,
    quotas,
    security_group_proxy,
    security_groups,
    server_groups,
    usage,
)
from fakenova.compute.models.resources.flavors import Flavor, FlavorQuery, NewFlavor
from fakenova.compute.models.resources.floating_ips import ProxyFloatingIp
from fakenova.compute.models.resources.keypairs import KeyPair
from fakenova.compute.models.resources.quotas import QuotaSet
from fakenova.compute.models.resources.usage_records import ServerUsage, TenantUsage
from fakenova.compute.models.servers import archive as archiving
from fakenova.compute.models.servers import changes, creation, deletions, diagnostics, passwords
from fakenova.compute.models.servers import external_events as events
from fakenova.compute.models.servers.accelerators import refuse as refuse_with_accelerators
from fakenova.compute.models.servers.diagnostics_records import Diagnostics
from fakenova.compute.models.servers.event_records import Event
from fakenova.compute.models.servers.records import Address, ApiRecord, Server, shown_addresses
from fakenova.compute.models.servers.states import ACTIVE, BUILDING, ERROR
from fakenova.image.models import Image
from fakenova.network.models import Port, Rule, SecurityGroup

RESET_STATES = {"active": ACTIVE, "error": ERROR}


class ComputeAPI:
    """Every compute operation the HTTP layer may ask for, on one cloud's backend."""

    def __init__(self, backend: ComputeBackend) -> None:
        self.backend = backend

    # -- finding servers ------------------------------------------------------------------

    def get(self, actor: Actor, server_id: str) -> Server:
        """The server as Nova's ``common.get_instance`` finds it for this caller: another
        project's server is "not found" to a non-admin (a 404 that leaks nothing)."""
        item = self.backend.get_server(
            server_id, cell_down_support=False, cell_readable=actor.reads_database
        )
        assert isinstance(item, Server)  # without down-cell support only whole servers return
        if not actor.is_admin and item.project_id != actor.project_id:
            raise InstanceNotFound(server_id)
        return item

    def get_any(
        self, actor: Actor, server_id: str, *, cell_down_support: bool
    ) -> Server | ApiRecord:
        """A server whatever its project (``GET /servers/{id}`` asks policy afterwards), or
        only its API record from an unreachable cell when the caller accepts that (2.69)."""
        return self.backend.get_server(
            server_id, cell_down_support=cell_down_support, cell_readable=actor.reads_database
        )

    def get_deleted_too(self, actor: Actor, server_id: str) -> Server:
        """A server even once deleted, as Nova reads instance actions from 2.21."""
        server = self.backend.servers.get(server_id) if server_id in self.backend.records else None
        if server is not None and not actor.reads_database:
            raise Uncaught(NOVA_EXCEPTION)  # the cell's refusal, gathered as a failure
        if server is None or (not actor.is_admin and server.project_id != actor.project_id):
            raise InstanceNotFound(server_id)
        if not server.cell.reachable:
            raise Uncaught(NOVA_EXCEPTION)
        return server

    def mapping(self, server_id: str) -> ApiRecord:
        """The instance mapping alone (the tags API reads it before asking policy)."""
        record = self.backend.records.get(server_id)
        if record is None:
            raise InstanceMappingNotFound(server_id)
        return record

    def get_mapped(self, record: ApiRecord) -> Server:
        """The instance a mapping points at, read from its cell."""
        if not record.cell.reachable:
            raise Uncaught(NOVA_EXCEPTION)
        server = self.backend.servers[record.uuid]
        if server.deleted:
            raise InstanceNotFound(record.uuid)
        return server

    def list(self, query: ServerQuery) -> list[Server | ApiRecord]:
        return self.backend.list_servers(query)

    # -- creating -------------------------------------------------------------------------

    def create(self, actor: Actor, request: creation.CreateRequest) -> creation.Created:
        """Check a ``POST /servers`` as Nova's compute API does, then build its servers."""
        return creation.create(self.backend, actor, request)

    def new_password(self, purpose: str, server_id: str) -> str:
        """A password as Nova generates one, stable per server and purpose."""
        return passwords.generate(self.backend.ids, purpose, server_id)

    @property
    def instance_password_enabled(self) -> bool:
        """``[api] enable_instance_password``: False hides the password a create answers."""
        return bool(self.backend.settings.nova.get("api", {}).get("enable_instance_password", True))

    @property
    def default_schedule_zone(self) -> str | None:
        """``[DEFAULT] default_schedule_zone``: the zone of a create that names none."""
        return self.backend.settings.nova.get("default_schedule_zone")

    # -- power and lock -------------------------------------------------------------------

    def pause(self, actor: Actor, server: Server) -> None:
        power.run(self.backend, server, actor, power.PAUSE)

    def unpause(self, actor: Actor, server: Server) -> None:
        power.run(self.backend, server, actor, power.UNPAUSE)

    def suspend(self, actor: Actor, server: Server) -> None:
        refuse_with_accelerators(server)  # Nova's block_accelerators, before lock and state
        power.run(self.backend, server, actor, power.SUSPEND)

    def resume(self, actor: Actor, server: Server) -> None:
        power.run(self.backend, server, actor, power.RESUME)

    def start(self, actor: Actor, server: Server) -> None:
        power.run(self.backend, server, actor, power.START)

    def stop(self, actor: Actor, server: Server) -> None:
        power.run(self.backend, server, actor, power.STOP)

    def reboot(self, actor: Actor, server: Server, *, hard: bool) -> None:
        power.reboot(self.backend, server, actor, hard)

    def trigger_crash_dump(self, actor: Actor, server: Server) -> None:
        power.trigger_crash_dump(self.backend, server, actor)

    def lock(self, actor: Actor, server: Server, reason: str | None) -> None:
        locks.lock(self.backend, server, actor, reason)

    def holds_lock(self, actor: Actor, server: Server) -> bool:
        """False when the other party (owner or admin) holds the lock: unlocking then
        needs the override rule."""
        return locks.is_expected_locker(server, actor)

    def unlock(self, actor: Actor, server: Server) -> None:
        locks.unlock(self.backend, server, actor)

    # -- rebuild, rescue, password, images ------------------------------------------------

    def rebuild(
        self,
        actor: Actor,
        server: Server,
        image_ref: str,
        fields: dict[str, Any],
        personality: list[dict[str, str]] | None = None,
    ) -> None:
        """``fields`` are Server attributes already validated; a ``key_name`` among them
        must be one of the caller's own key pairs (not the owner's), as Nova looks it up.
        Then, as Nova's checks shared by create and rebuild: the new metadata and the files
        to inject (``personality``, below 2.57) within the caller's quota, and the image
        within the server's flavor. The files are not kept: the fake has no guest to write
        them to."""
        rebuilds.check(server, actor)
        key_name = fields.get("key_name")
        if key_name is not None and (actor.user_id, key_name) not in self.backend.keypairs:
            raise KeypairNotFound()
        if not self.image_exists(image_ref, actor):
            raise ImageNotFound("Cannot find image for rebuild")
        quotas.check_metadata(self.backend, actor, fields.get("metadata"))
        quotas.check_personality(self.backend, actor, personality or [])
        assert self.backend.images is not None  # image_exists() said so
        image = self.backend.images.get(image_ref)
        creation.check_image_fits(image, server.flavor)
        flavor_image.check_cpu_policy(server.flavor, image.properties)
        rebuilds.rebuild(self.backend, server, actor, image_ref, fields, image.properties)

    def rescue(self, actor: Actor, server: Server, image_ref: str | None) -> None:
        rescues.check_rescue(server, actor)
        if image_ref is not None and not self.image_exists(image_ref, actor):
            raise Invalid(f"Requested rescue image '{image_ref}' is not supported")
        rescues.rescue(self.backend, server, actor)

    def unrescue(self, actor: Actor, server: Server) -> None:
        rescues.unrescue(self.backend, server, actor)

    def set_admin_password(self, actor: Actor, server: Server) -> None:
        rescues.change_password(self.backend, server, actor)

    def snapshot(self, actor: Actor, server: Server, name: str, metadata: dict[str, str]) -> Image:
        return snapshots.create_image(self.backend, server, actor, name, metadata)

    def backup(
        self,
        actor: Actor,
        server: Server,
        name: str,
        backup_type: str,
        rotation: int,
        metadata: dict[str, str],
    ) -> Image:
        return snapshots.backup(self.backend, server, actor, name, backup_type, rotation, metadata)

    def image_exists(self, image_ref: str, actor: Actor | None = None) -> bool:
        """Whether Glance finds the image (for ``actor``: with the caller's token)."""
        return image_proxy.find(self.backend, actor, image_ref) is not None

    # -- update, delete, restore ----------------------------------------------------------

    def update(self, actor: Actor, server: Server, fields: dict[str, Any]) -> None:
        """Already-validated field changes; Nova checks neither lock nor state here."""
        changes.update(self.backend, server, fields)

    def pin_availability_zone(self, actor: Actor, server: Server, zone: str | None) -> None:
        """2.104: pin the server to the zone it runs in, or unpin it with None."""
        record = server.record
        if zone is None:
            record.requested_az = None
            return
        host = self.backend.hosts.get(server.host or "")
        current = host.zone if host else record.requested_az
        if record.requested_az is not None:
            if zone != record.requested_az:
                raise PinnedZoneRefused(
                    "Cannot change pinned availability zone directly. Unpin first by setting "
                    "pinned_availability_zone to null."
                )
        elif zone != current:
            raise PinnedZoneRefused(
                f"Server can only be pinned to its current availability zone '{current}', "
                f"but '{zone}' was requested."
            )
        else:
            record.requested_az = zone

    def delete(self, actor: Actor, server: Server) -> None:
        deletions.delete(self.backend, server, actor)

    def force_delete(self, actor: Actor, server: Server) -> None:
        deletions.force_delete(self.backend, server, actor)

    def restore(self, actor: Actor, server: Server) -> None:
        deletions.restore(self.backend, server, actor)

    # -- metadata and tags ----------------------------------------------------------------

    def update_metadata(
        self, actor: Actor, server: Server, items: dict[str, str], *, replace: bool
    ) -> dict[str, str]:
        return changes.set_metadata(self.backend, server, items, replace=replace, actor=actor)

    def delete_metadata_key(self, actor: Actor, server: Server, key: str) -> None:
        changes.delete_metadata_key(server, key, actor)

    def check_tags_editable(self, server: Server) -> None:
        changes.check_editable(server)

    def add_tag(self, server: Server, tag: str) -> bool:
        return changes.add_tag(server, tag)

    def replace_tags(self, server: Server, tags: list[str]) -> list[str]:
        return changes.replace_tags(server, tags)

    def remove_tag(self, server: Server, tag: str) -> bool:
        return changes.remove_tag(server, tag)

    def clear_tags(self, server: Server) -> None:
        changes.clear_tags(server)

    # -- shelving -------------------------------------------------------------------------

    def shelve(self, actor: Actor, server: Server) -> None:
        shelves.shelve(self.backend, server, actor)

    def shelve_offload(self, actor: Actor, server: Server) -> None:
        shelves.shelve_offload(self.backend, server, actor)

    def check_unshelve(self, actor: Actor, server: Server, to: shelves.Target) -> None:
        shelves.check_unshelve(self.backend, server, actor, to)

    def unshelve(self, actor: Actor, server: Server, to: shelves.Target) -> None:
        shelves.unshelve(self.backend, server, actor, to)

    # -- admin actions --------------------------------------------------------------------

    def reset_state(self, actor: Actor, server: Server, state: str) -> None:
        """Set the vm_state at once (``active`` or ``error``); the action has no events."""
        flow.begin(self.backend, server, actor, "resetState")
        server.vm_state = RESET_STATES[state]
        server.task_state = None
        server.updated_at = self.backend.clock.now

    def inject_network_info(self, actor: Actor, server: Server) -> None:
        """Nova records no instance action for it (only the lock is checked)."""
        flow.check_lock(server, actor)

    # -- moves ----------------------------------------------------------------------------

    def resize(
        self, actor: Actor, server: Server, flavor_id: str, auto_disk_config: bool | None
    ) -> None:
        resizes.resize(
            self.backend, server, actor, flavor_id=flavor_id, auto_disk_config=auto_disk_config
        )

    def migrate(self, actor: Actor, server: Server, host: str | None) -> None:
        """A cold migration: Nova's resize to the same flavor."""
        resizes.resize(self.backend, server, actor, host=host)

    def confirm_resize(self, actor: Actor, server: Server) -> None:
        resizes.confirm(self.backend, server, actor)

    def revert_resize(self, actor: Actor, server: Server) -> None:
        resizes.revert(self.backend, server, actor)

    def live_migrate(
        self, actor: Actor, server: Server, host: str | None, *, force: bool, asynchronous: bool
    ) -> None:
        live_migrations.live_migrate(
            self.backend, server, actor, host=host, force=force, asynchronous=asynchronous
        )

    def evacuate(
        self, actor: Actor, server: Server, host: str | None, *, force: bool, stopped: bool
    ) -> None:
        """The target host is checked before the server's state, as Nova's API does."""
        if host is not None and host not in self.backend.hosts:
            raise EvacuationHostNotFound(host)
        if server.host == host:
            raise CannotMigrateToSameHost("The target host can't be the same one.")
        evacuations.evacuate(self.backend, server, actor, host=host, force=force, stopped=stopped)

    def live_migrations_in_progress(self, server: Server) -> list[mig.Migration]:
        return [
            m
            for m in self.backend.migrations
            if m.instance_uuid == server.uuid
            and m.migration_type == mig.LIVE
            and m.status in mig.LIVE_IN_PROGRESS
        ]

    def live_migration(self, server: Server, migration_id: str) -> mig.Migration:
        """One in-progress live migration of the server, with Nova's three 404s."""
        try:
            migration = live_migrations.migration_of(self.backend, server, migration_id)
        except NotFound as e:
            raise NotFound(
                f"In-progress live migration {migration_id} is not found for server {server.uuid}."
            ) from e
        if migration.migration_type != mig.LIVE:
            raise NotFound(
                f"Migration {migration_id} for server {server.uuid} is not live-migration."
            )
        if migration.status not in mig.LIVE_IN_PROGRESS:
            raise NotFound(
                f"Live migration {migration_id} for server {server.uuid} is not in progress."
            )
        return migration

    def force_complete_live_migration(
        self, actor: Actor, server: Server, migration_id: str
    ) -> None:
        """Nova's API answers a migration it cannot find here with a 400 (a 404 when
        aborting)."""
        try:
            live_migrations.force_complete(self.backend, server, migration_id, actor)
        except MigrationNotFoundForInstance as e:
            raise Invalid(e.message) from e

    def abort_live_migration(
        self, actor: Actor, server: Server, migration_id: str, *, queued_too: bool
    ) -> None:
        live_migrations.abort_live_migration(
            self.backend, server, migration_id, actor, queued_too=queued_too
        )

    # -- consoles -------------------------------------------------------------------------

    def console_output(self, server: Server, length: int | None) -> str:
        return consoles.console_output(server, length)

    def remote_console(self, server: Server, protocol: str, console_type: str) -> str:
        return consoles.remote_console_url(self.backend, server, protocol, console_type)

    # -- instance actions -----------------------------------------------------------------

    def instance_actions(self, server: Server) -> list[InstanceAction]:
        return self.backend.actions.for_server(server.uuid)

    def instance_action(self, server: Server, request_id: str) -> InstanceAction | None:
        return self.backend.actions.get(server.uuid, request_id)

    # -- operator commands ----------------------------------------------------------------

    def archive_deleted_rows(self, options: archiving.ArchiveOptions) -> archiving.Archived:
        """``nova-manage db archive_deleted_rows``: deleted servers leave the API's view."""
        return archiving.archive_deleted_rows(self.backend, options)

    # -- services -------------------------------------------------------------------------

    def list_services(self, *, cell_down_support: bool) -> list[Service | MinimalService]:
        return self.backend.list_services(cell_down_support=cell_down_support)

    def service_by_host(self, host: str, binary: str) -> Service:
        """A compute service named the pre-2.53 way (only computes may be updated)."""
        services.only_computes(binary)
        return services.by_host_and_binary(self.backend, host, binary)

    def service(self, service_id: str) -> Service:
        return services.by_id(self.backend, service_id)

    def check_updatable(self, service: Service) -> None:
        services.only_computes(service.binary)

    def update_service(
        self,
        service: Service,
        *,
        disabled: bool | None = None,
        reason: str | None = None,
        forced_down: bool | None = None,
    ) -> None:
        services.update(
            self.backend, service, disabled=disabled, reason=reason, forced_down=forced_down
        )

    def delete_service(self, service_id: str) -> None:
        try:
            service = services.by_id(self.backend, service_id)
        except ServiceNotFound as e:
            raise NotFound(f"Service {service_id} not found.") from e
        services.delete(self.backend, service)

    # -- key pairs (per user) ---------------------------------------------------------------

    def create_keypair(
        self, actor: Actor, user_id: str, name: str, key_type: str, public_key: str | None
    ) -> tuple[KeyPair, str | None]:
        """Import ``public_key``, or generate a pair (its private key is returned too)."""
        return keypairs.create(self.backend, actor, user_id, name, key_type, public_key)

    def keypairs_of(self, user_id: str) -> list[KeyPair]:
        return keypairs.of_user(self.backend, user_id)

    def keypair(self, user_id: str, name: str) -> KeyPair:
        return keypairs.get(self.backend, user_id, name)

    def delete_keypair(self, user_id: str, name: str) -> None:
        keypairs.delete(self.backend, user_id, name)

    # -- server groups ----------------------------------------------------------------------

    def create_server_group(
        self, actor: Actor, name: str, policy: str, rules: dict[str, int] | None
    ) -> ServerGroup:
        assert actor.project_id is not None and actor.user_id is not None
        return server_groups.create(
            self.backend, name, policy, actor.project_id, actor.user_id, rules
        )

    def server_group(self, actor: Actor, group_id: str) -> ServerGroup:
        """Nova reads groups through a project-scoped query: another project's is not found."""
        group = server_groups.get(self.backend, group_id)
        if not actor.is_admin and group.project_id != actor.project_id:
            raise NotFound(f"Instance group {group_id} could not be found.")
        return group

    def server_groups(self, project_id: str | None) -> list[ServerGroup]:
        """Groups in creation order, of one project or (None) of all."""
        return server_groups.listed(self.backend, project_id)

    def delete_server_group(self, group: ServerGroup) -> None:
        server_groups.delete(self.backend, group.uuid)

    # -- what the cloud offers --------------------------------------------------------------

    @property
    def max_limit(self) -> int:
        """``[api] max_limit``: the longest page a listing answers."""
        return int(self.backend.settings.nova_option("api.max_limit"))

    def flavors(self) -> list[Flavor]:
        return sorted(self.backend.flavors.values(), key=lambda f: f.flavorid)

    def flavor(self, flavor_id: str) -> Flavor | None:
        return self.backend.flavors.get(flavor_id)

    def networks(self) -> list[Network]:
        return list(self.backend.networks.values())

    def network(self, network_id: str) -> Network | None:
        return self.backend.networks.get(network_id)

    def migrations(self) -> list[mig.Migration]:
        """The moves Nova can read for ``os-migrations``: not deleted with their server, in a
        reachable cell; cell by cell, each in its database's order (by id)."""
        cells = list(self.backend.cells.values())
        records = self.backend.records
        found = [
            m
            for m in self.backend.migrations
            if not m.deleted and records[m.instance_uuid].cell.reachable
        ]
        found.sort(key=lambda m: (cells.index(records[m.instance_uuid].cell), m.id))
        return found

    def migration_by_uuid(self, uuid: str) -> mig.Migration | None:
        """Any migration record, deleted ones too (a list marker may name one)."""
        return next((m for m in self.backend.migrations if m.uuid == uuid), None)

    # -- limits and quotas ------------------------------------------------------------------

    def quota_set(self, project_id: str, user_id: str | None = None) -> QuotaSet:
        """A project's (or, with ``user_id``, its user's) limits and usage."""
        return quotas.quota_set(self.backend, project_id, user_id)

    def limits(self, actor: Actor, project_id: str | None) -> QuotaSet:
        """``GET /limits``: a project's limits and usage, read through Nova's database API,
        which refuses a caller it does not serve."""
        if not actor.reads_database or project_id is None:
            raise DatabaseForbidden()
        return quotas.quota_set(self.backend, project_id, None)

    def quota_defaults(self) -> dict[str, int]:
        """The limits a project has when none were set for it."""
        return quotas.defaults(self.backend)

    def update_quotas(
        self, project_id: str, user_id: str | None, values: dict[str, int], *, force: bool
    ) -> dict[str, int]:
        """Set a project's (or its user's) limits; returns them all as they now are."""
        quotas.set_limits(self.backend, project_id, user_id, values, force=force)
        return quotas.limits(self.backend, project_id, user_id)

    def delete_quotas(self, project_id: str, user_id: str | None) -> None:
        """Back to the defaults: a user's own limits, or the project's and its users'."""
        quotas.delete_limits(self.backend, project_id, user_id)

    def quota_class(self, name: str) -> dict[str, int]:
        return quotas.class_limits(self.backend, name)

    def update_quota_class(self, name: str, values: dict[str, int]) -> dict[str, int]:
        """Set a quota class's limits; returns them all as they now are."""
        quotas.set_class_limits(self.backend, name, values)
        return quotas.class_limits(self.backend, name)

    # -- flavors --------------------------------------------------------------------------

    def flavor_for(self, actor: Actor, flavor_id: str) -> Flavor | None:
        """A flavor the caller may see, or None (a private one not shared with its project is
        as missing to it as one that does not exist)."""
        flavor = self.backend.flavors.get(flavor_id)
        return flavor if flavor is not None and flavor_rules.sees(actor, flavor) else None

    def visible_flavor(self, actor: Actor, flavor_id: str) -> Flavor:
        """A flavor the caller may see (a private one shared with its project), or 404. Nova
        reads it through its database API, which refuses a caller it does not serve."""
        if not actor.reads_database:
            raise DatabaseForbidden()
        return flavor_rules.get(self.backend, actor, flavor_id)

    def list_flavors(self, actor: Actor, query: FlavorQuery) -> list[Flavor]:
        return flavor_rules.listed(self.backend, actor, query)

    def create_flavor(self, actor: Actor, new: NewFlavor) -> Flavor:
        return flavor_rules.create(self.backend, new)

    def delete_flavor(self, actor: Actor, flavor_id: str) -> None:
        flavor_rules.delete(self.backend, actor, flavor_id)

    def describe_flavor(self, actor: Actor, flavor_id: str, description: str | None) -> Flavor:
        return flavor_rules.describe(self.backend, actor, flavor_id, description)

    def flavor_access(self, actor: Actor, flavor_id: str) -> Flavor:
        """A private flavor, whose ``projects`` are its access list (a public one: 404)."""
        return flavor_rules.access(self.backend, actor, flavor_id)

    def add_flavor_access(
        self, actor: Actor, flavor_id: str, project_id: str, public_refused: bool
    ) -> Flavor:
        return flavor_rules.add_access(self.backend, actor, flavor_id, project_id, public_refused)

    def remove_flavor_access(self, actor: Actor, flavor_id: str, project_id: str) -> Flavor:
        return flavor_rules.remove_access(self.backend, actor, flavor_id, project_id)

    def set_flavor_extra_specs(
        self,
        actor: Actor,
        flavor_id: str,
        specs: dict[str, Any],
        validated: bool,
        key: str | None = None,
    ) -> Flavor:
        """Add or replace extra specs (``key``: the one a ``PUT`` names, which the body must
        hold). Each value is checked first: a number at most 255 characters written out;
        with ``validated`` (2.86) each against the extra specs Nova knows."""
        for name, value in specs.items():
            written = value if isinstance(value, str) else str(value)
            if not isinstance(value, str) and len(written) > 255:
                raise Invalid(f"extra_specs value has {len(written)} characters, more than 255.")
            if validated:
                extra_spec_rules.validate(name, written)
        if key is not None and key not in specs:
            raise Invalid("Request body and URI mismatch")
        return flavor_rules.set_extra_specs(self.backend, actor, flavor_id, specs)

    def delete_flavor_extra_spec(self, actor: Actor, flavor_id: str, key: str) -> None:
        flavor_rules.delete_extra_spec(self.backend, actor, flavor_id, key)

    # -- small routes: zones, addresses, password, volume attachments -----------------------

    def availability_zones(self, *, detailed: bool) -> list[zones.Zone]:
        """The zones of every reachable cell's services; detailed: the internal zone too, and
        each available zone's hosts and enabled services."""
        return zones.detail(self.backend) if detailed else zones.summary(self.backend)

    def addresses(self, server: Server) -> dict[str, list[Address]]:
        """The server's addresses by network name, from its network info (none while it
        builds, before its ports are bound)."""
        found: dict[str, list[Address]] = {}
        if server.vm_state == BUILDING:
            return found
        for address in shown_addresses(server.addresses):
            found.setdefault(address.network, []).append(address)
        return found

    def network_addresses(self, server: Server, network: str) -> list[Address]:
        """The server's addresses on the network named ``network``."""
        found = self.addresses(server)
        if network not in found:
            raise NotMemberOfNetwork()
        return found[network]

    def server_password(self, server: Server) -> str:
        """The encrypted password the guest posted to the metadata service. The fake's guests
        post none (there is no metadata service), so it is always empty, as Nova's is for a
        guest that never posted one."""
        return ""

    def clear_server_password(self, actor: Actor, server: Server) -> None:
        """Forget the posted password (Nova blanks it in the server's system metadata; the
        server itself is unchanged): there is none to forget here."""

    def volume_attachments(self, server: Server) -> list[Any]:
        """The server's volume attachments: the fake has no block storage service, so no
        server has a volume."""
        return []

    def volume_attachment(self, server_id: str, server: Server, volume_id: str) -> Any:
        """One attachment, by volume id (any string: Nova looks it up without checking it);
        Nova's sentence names the server as the request did."""
        raise VolumeNotAttached(server_id, volume_id)

    # -- small routes: the image proxy (below 2.36) -----------------------------------------

    def proxy_image(self, actor: Actor, image_id: str) -> Image:
        """An image as Glance shows it to the caller."""
        return image_proxy.get(self.backend, actor, image_id)

    def proxy_images(self, actor: Actor, filters: dict[str, str]) -> list[Image]:
        """The images the caller sees, filtered as Glance filters them, newest first."""
        return image_proxy.listing(self.backend, actor, filters)

    def proxy_delete_image(self, actor: Actor, image_id: str) -> None:
        image_proxy.delete(self.backend, actor, image_id)

    def proxy_set_image_properties(
        self, actor: Actor, image_id: str, properties: dict[str, str]
    ) -> dict[str, str]:
        """Replace an image's properties through Glance (the image metadata API)."""
        return image_proxy.set_properties(self.backend, actor, image_id, properties)

    # -- networks: security groups and interfaces -------------------------------------------

    def server_security_groups(self, actor: Actor, server: Server) -> list[SecurityGroup]:
        """The groups of the server's ports (``GET /servers/{id}/os-security-groups``)."""
        return security_groups.of_server(self.backend, actor, server)

    def add_security_group(self, actor: Actor, server: Server, name: str) -> None:
        security_groups.add(self.backend, actor, server, name)

    def remove_security_group(self, actor: Actor, server: Server, name: str) -> None:
        security_groups.remove(self.backend, actor, server, name)

    def security_group_names(self, group_ids: set[str]) -> dict[str, tuple[str, str]]:
        """The name and project of each group a rule points at (for rules' ``group``)."""
        groups = self.backend.network.groups
        return {i: (groups[i].name, groups[i].project_id) for i in group_ids if i in groups}

    def interfaces(self, server: Server) -> list[tuple[Port, str | None]]:
        """The server's ports and their tags (``GET /servers/{id}/os-interface``)."""
        return interfaces.listing(self.backend, server)

    def interface(
        self, actor: Actor, server: Server, server_id: str, port_id: str
    ) -> tuple[Port, str | None]:
        return interfaces.show(self.backend, actor, server, server_id, port_id)

    def attach_interface(
        self,
        actor: Actor,
        server: Server,
        network_id: str | None,
        port_id: str | None,
        address: str | None,
        tag: str | None,
    ) -> str:
        """Attach a port; the id of the port attached."""
        return interfaces.attach(self.backend, actor, server, network_id, port_id, address, tag)

    def detach_interface(self, actor: Actor, server: Server, port_id: str) -> None:
        interfaces.detach(self.backend, actor, server, port_id)

    # the floating-IP proxy (below 2.36; its actions below 2.44)

    def floating_ips(self, actor: Actor) -> list[ProxyFloatingIp]:
        return floating_ips.listing(self.backend, actor)

    def floating_ip(self, actor: Actor, fip_id: str) -> ProxyFloatingIp:
        return floating_ips.get(self.backend, actor, fip_id)

    def allocate_floating_ip(self, actor: Actor, pool: str | None) -> ProxyFloatingIp:
        return floating_ips.allocate(self.backend, actor, pool)

    def release_floating_ip(self, actor: Actor, fip_id: str) -> None:
        floating_ips.release(self.backend, actor, fip_id)

    def floating_ip_pools(self, actor: Actor) -> list[str]:
        return floating_ips.pools(self.backend, actor)

    def add_floating_ip(
        self, actor: Actor, server: Server, address: str, fixed: str | None
    ) -> None:
        floating_ips.associate(self.backend, actor, server, address, fixed)

    def floating_ip_server(self, actor: Actor, address: str) -> Server | None:
        """The server the floating IP ``address`` points at, if any (a lookup)."""
        return floating_ips.owner(self.backend, actor, address)

    def remove_floating_ip(
        self, actor: Actor, server_id: str, address: str, owner: Server | None
    ) -> None:
        floating_ips.disassociate(self.backend, actor, server_id, address, owner)

    # the security-group proxy (below 2.36)

    def proxy_security_groups(self, actor: Actor, all_tenants: bool) -> list[SecurityGroup]:
        return security_group_proxy.listing(self.backend, actor, all_tenants)

    def proxy_security_group(self, actor: Actor, group_id: str) -> SecurityGroup:
        return security_group_proxy.get(self.backend, actor, group_id)

    def proxy_create_security_group(
        self, actor: Actor, name: str, description: str
    ) -> SecurityGroup:
        return security_group_proxy.create(self.backend, actor, name, description)

    def proxy_update_security_group(
        self, actor: Actor, group_id: str, name: str, description: str
    ) -> SecurityGroup:
        return security_group_proxy.update(self.backend, actor, group_id, name, description)

    def proxy_delete_security_group(self, actor: Actor, group_id: str) -> None:
        security_group_proxy.delete(self.backend, actor, group_id)

    def proxy_create_security_group_rule(self, actor: Actor, asked: dict[str, Any]) -> Rule:
        return security_group_proxy.create_rule(self.backend, actor, asked)

    def proxy_delete_security_group_rule(self, actor: Actor, rule_id: str) -> None:
        security_group_proxy.delete_rule(self.backend, actor, rule_id)

    # -- hypervisors ------------------------------------------------------------------------

    def hypervisors(
        self, *, limit: int | None = None, marker: str | None = None
    ) -> list[Hypervisor]:
        return hypervisors.page(self.backend, limit, marker)

    def hypervisors_matching(self, pattern: str) -> list[Hypervisor]:
        return hypervisors.matching(self.backend, pattern)

    def hypervisor(self, node_id: str, *, uuid: bool) -> Hypervisor:
        return hypervisors.by_id(self.backend, node_id, uuid=uuid)

    def hypervisor_statistics(self) -> dict[str, int]:
        return hypervisors.statistics(self.backend)

    def hypervisor_uptime(self, node: Hypervisor, *, strict: bool) -> str | None:
        """The host's ``uptime``; ``strict``: refuse a down host rather than answer None."""
        if strict:
            return hypervisors.uptime(self.backend, node)
        return hypervisors.uptime_or_none(self.backend, node)

    # -- usage ------------------------------------------------------------------------------

    def tenant_usages(
        self,
        start: str | None,
        end: str | None,
        project_id: str | None,
        limit: int,
        marker: str | None,
    ) -> tuple[list[TenantUsage], list[ServerUsage]]:
        """``os-simple-tenant-usage``: every project's usage (or one project's) over the window
        from ``start`` to ``end``, one page of servers at most ``limit`` long."""
        period = usage.window(self.backend, start, end)
        return usage.usages(self.backend, period, project_id, limit, marker)

    # -- diagnostics ------------------------------------------------------------------------

    def diagnostics(self, actor: Actor, server: Server) -> Diagnostics:
        """What the server's host reads from its guest (``GET /servers/{id}/diagnostics``)."""
        del actor  # any caller policy allows reads the same guest
        return diagnostics.read(self.backend, server)

    # -- host aggregates --------------------------------------------------------------------

    def aggregates(self) -> list[host_aggregates.Aggregate]:
        return self.backend.aggregates.listed()

    def aggregate(self, aggregate_id: str) -> host_aggregates.Aggregate:
        """By the path's id, already checked to be an integer."""
        return self.backend.aggregates.get(aggregate_id)

    def create_aggregate(self, name: str, zone: str | None) -> host_aggregates.Aggregate:
        return host_aggregates.create(self.backend, name, zone)

    def update_aggregate(
        self, aggregate_id: str, changes: dict[str, Any]
    ) -> host_aggregates.Aggregate:
        """PUT: a new ``name`` (already stripped), then a new ``availability_zone`` (``None``
        asks to unset it, which Nova refuses after keeping the new name)."""
        aggregate = self.aggregate(aggregate_id)
        if "name" in changes:
            host_aggregates.rename(self.backend, aggregate, changes["name"])
        if "availability_zone" not in changes:
            return aggregate
        return host_aggregates.update_zone(self.backend, aggregate, changes["availability_zone"])

    def set_aggregate_metadata(
        self, aggregate_id: str, metadata: dict[str, str | None]
    ) -> host_aggregates.Aggregate:
        aggregate = self.aggregate(aggregate_id)
        return host_aggregates.set_metadata(self.backend, aggregate, metadata)

    def add_aggregate_host(self, aggregate_id: str, host: str) -> host_aggregates.Aggregate:
        """The host's nova-compute is looked up before the aggregate, as Nova does."""
        host_aggregates.check_compute_host(self.backend, host)
        return host_aggregates.add_host(self.backend, self.aggregate(aggregate_id), host)

    def remove_aggregate_host(self, aggregate_id: str, host: str) -> host_aggregates.Aggregate:
        host_aggregates.check_compute_host(self.backend, host)
        return host_aggregates.remove_host(self.backend, self.aggregate(aggregate_id), host)

    def delete_aggregate(self, aggregate_id: str) -> None:
        host_aggregates.delete(self.backend, self.aggregate(aggregate_id))

    def cache_images(self, actor: Actor, aggregate_id: str, image_ids: list[str]) -> None:
        """2.81: pre-cache images on the aggregate's hosts. Each image must exist (Nova asks
        Glance for each before casting to the hosts); the hosts' work is not modelled, as
        the fake keeps no image cache."""
        self.aggregate(aggregate_id)
        for image_id in image_ids:
            if not self.image_exists(image_id, actor):
                raise ImageNotFound(f"Image {image_id} could not be found.")

    # -- hosts (os-hosts) -------------------------------------------------------------------

    def hosts(self, zone: str | None) -> list[HostService]:
        return host_rules.listing(self.backend, zone)

    def host_resources(self, host_name: str) -> list[Resources]:
        return host_rules.resources(self.backend, host_name)

    def update_host(
        self, host_name: str, *, enabled: bool | None, maintenance: bool | None
    ) -> dict[str, str]:
        """Ask the host's compute to switch the host, then its maintenance mode (each only
        when asked): what each answered, or the first refusal."""
        answered: dict[str, str] = {}
        if enabled is not None:
            answered["status"] = host_rules.set_enabled(self.backend, host_name, enabled)
        if maintenance is not None:
            answered["maintenance_mode"] = host_rules.set_maintenance(
                self.backend, host_name, maintenance
            )
        return answered

    def host_power_action(self, host_name: str, action: str) -> str:
        return host_rules.power_action(self.backend, host_name, action)

    # -- instance usage audit log -----------------------------------------------------------

    def usage_audit_log(self, before: str | None) -> AuditLog:
        """The audit of the last completed period, before now or before the timestamp."""
        moment = None if before is None else audit.parse_before(before)
        return audit.audit_log(self.backend, moment)

    # -- external events --------------------------------------------------------------------

    def external_events(self, actor: Actor, sent: list[Event]) -> list[int]:
        """Each event's code (200 accepted, else why not); the accepted ones take effect."""
        return events.deliver(self.backend, actor, sent)
