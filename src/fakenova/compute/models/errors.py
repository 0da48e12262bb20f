"""Every refusal of the compute model, with its HTTP meaning and Nova's sentence.

Nova's ``nova/exception.py`` gives each ``NovaException`` a ``code`` and a message, and its API
layer turns them into fault bodies. Here the same holds, with one difference: ``code`` is
the status Nova's API *answers* (a locked server is a 409 at the API although Nova's own
``InstanceIsLocked`` says 400), so that the API layer maps every error in one place
(:mod:`fakenova.compute.api.faults`) without per-controller ladders.

The model raises these before changing anything: a refused request leaves the cloud as it
was. A new route adds its errors here, under the base its status calls for.
"""

from __future__ import annotations

from typing import ClassVar


class ComputeError(Exception):
    """The base: ``code`` is the HTTP status, ``message`` Nova's sentence."""

    code: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(ComputeError):
    """The request cannot be done as asked: a 400."""

    code = 400


class Forbidden(ComputeError):
    """Refused whatever the state: a 403 (quotas among them, as Nova's API answers)."""

    code = 403


class DatabaseForbidden(Forbidden):
    """Nova's database API refusing a caller it does not serve (:attr:`Actor.reads_database`):
    ``exception.Forbidden``, worded by its class alone."""

    def __init__(self) -> None:
        super().__init__("Forbidden")


class NotFound(ComputeError):
    code = 404


class Conflict(ComputeError):
    """Not now, in this state: a 409."""

    code = 409


class Uncaught(ComputeError):
    """A refusal Nova's API does not catch, so that Nova answers its generic 500 naming the
    exception class that escaped (``escaped``). Kept where a client sees exactly that."""

    code = 500

    def __init__(self, escaped: str, message: str = "") -> None:
        super().__init__(message or escaped)
        self.escaped = escaped


class InstanceInvalidState(Conflict):
    """The server's ``attr`` (vm_state, task_state, launched_at) is ``state``: the API names
    the refused action in its 409 (see :func:`fakenova.compute.api.faults.refused`)."""

    def __init__(self, uuid: str, attr: str, state: str | None) -> None:
        super().__init__(f"Instance {uuid} in {attr} {state}.")
        self.uuid = uuid
        self.attr = attr
        self.state = state


class InstanceIsLocked(InstanceInvalidState):
    """Only admins act on a locked server. A kind of invalid state, as in Nova: an API
    method that words every invalid state the same way words this one so too."""

    def __init__(self, uuid: str) -> None:
        Conflict.__init__(self, f"Instance {uuid} is locked")
        self.uuid = uuid
        self.attr = "locked"
        self.state = None


class InstanceNotReady(Conflict):
    """The server has no host (Nova's ``check_instance_host``)."""

    def __init__(self, uuid: str) -> None:
        super().__init__(f"Instance {uuid} is not ready")


class QuotaExceeded(Forbidden):
    """A project's (or a user's) quota does not allow it: Nova's 403."""


# -- servers ----------------------------------------------------------------------------------


class InstanceNotFound(NotFound):
    def __init__(self, uuid: str) -> None:
        super().__init__(f"Instance {uuid} could not be found.")
        self.uuid = uuid


class InstanceMappingNotFound(NotFound):
    """The API database has no mapping for the uuid (lookups that read the mapping first)."""

    def __init__(self, uuid: str) -> None:
        super().__init__(f"Instance {uuid} has no mapping to a cell.")


class MarkerNotFound(Invalid):
    def __init__(self, marker: str) -> None:
        super().__init__(f"marker [{marker}] not found")
        self.marker = marker


NOVA_EXCEPTION = "nova.exception.NovaException"
DB_ERROR = "oslo_db.exception.DBError"


class CellUnreachable(Uncaught):
    """A cell did not answer and the caller cannot accept partial results: Nova's 500.

    ``escaped`` names the exception class Nova's 500 body ends with: the API's own
    ``NovaException`` when Nova noticed the failed cell, or the database error itself when a
    query went straight to the cell (looking up a list ``marker``).
    """

    def __init__(self, cell_uuid: str, message: str, escaped: str = NOVA_EXCEPTION) -> None:
        super().__init__(escaped, message)
        self.cell_uuid = cell_uuid


class TooManyTags(Invalid):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The number of tags exceeded the per-server limit {limit}")


class PinnedZoneRefused(Conflict):
    """2.104: a server is pinned only to the zone it runs in, and re-pinned only via null."""


class KeypairNotFound(Invalid):
    """A create or rebuild names a key pair the caller does not have."""

    def __init__(self) -> None:
        super().__init__("Invalid key_name provided.")


class ImageNotFound(Invalid):
    """An image a request names cannot be used (Nova's API words it per operation)."""


# -- moves ------------------------------------------------------------------------------------


class ComputeHostNotFound(Invalid):
    def __init__(self, host: str) -> None:
        super().__init__(f"Compute host {host} could not be found.")
        self.host = host


class ServiceUnavailable(Conflict):
    def __init__(self) -> None:
        super().__init__("Service is unavailable at this time.")


class CannotMigrateToSameHost(Invalid):
    def __init__(
        self, message: str = "Cannot migrate to the host where the server exists."
    ) -> None:
        super().__init__(message)


class CannotResizeToSameFlavor(Invalid):
    def __init__(self) -> None:
        super().__init__("When resizing, instances must change flavor!")


class FlavorNotFound(Invalid):
    """A resize names a flavor that does not exist (or is disabled): Nova's API says 400."""

    def __init__(self, flavor_id: str) -> None:
        super().__init__(f"Flavor {flavor_id} could not be found.")


class InstanceNotResized(Invalid):
    """No finished migration to confirm or revert (Nova's MigrationNotFoundByStatus)."""

    def __init__(self) -> None:
        super().__init__("Instance has not been resized.")


class NoValidHost(Invalid):
    """A live migration below 2.34, whose scheduling the API waits for, found no host."""


class ComputeServiceInUse(Invalid):
    def __init__(self, host: str | None) -> None:
        super().__init__(f"Compute service of {host} is still in use.")


class EvacuationHostNotFound(NotFound):
    def __init__(self, host: str) -> None:
        super().__init__(f"Compute host {host} not found.")


class MigrationNotFoundForInstance(NotFound):
    def __init__(self, migration_id: str, uuid: str) -> None:
        super().__init__(f"Migration {migration_id} not found for instance {uuid}")


class InvalidMigrationState(Invalid):
    def __init__(self, migration_id: int, uuid: str, status: str, method: str) -> None:
        super().__init__(
            f"Migration {migration_id} state of instance {uuid} is {status}. "
            f"Cannot {method} while the migration is in this state."
        )


# -- services ---------------------------------------------------------------------------------


class ServiceNotFound(NotFound):
    def __init__(self, service_id: str) -> None:
        super().__init__(f"Service {service_id} could not be found.")


# -- shelving ---------------------------------------------------------------------------------


class UnshelveNotOffloaded(Conflict):
    def __init__(self, uuid: str, vm_state: str) -> None:
        super().__init__(
            "Specifying an availability zone or a host when unshelving server "
            f'"{uuid}" with status "{vm_state}" is not supported. The server '
            "status must be SHELVED_OFFLOADED."
        )


class ZoneNotAvailable(Invalid):
    def __init__(self) -> None:
        super().__init__("The requested availability zone is not available")


class HostNotInZone(Conflict):
    def __init__(self, host: str, zone: str) -> None:
        super().__init__(f'Host "{host}" is not in the availability zone "{zone}".')


# -- consoles ---------------------------------------------------------------------------------


class ConsoleTypeUnavailable(Invalid):
    def __init__(self, console_type: str) -> None:
        super().__init__(f"Unavailable console type {console_type}.")


class ConsoleTypeInvalid(Invalid):
    def __init__(self, console_type: str) -> None:
        super().__init__(f"Invalid console type {console_type}")


# -- limits and quotas ------------------------------------------------------------------------


class QuotaBelowUsage(Invalid):
    def __init__(self, limit: int, resource: str, minimum: int) -> None:
        super().__init__(
            f"Quota limit {limit} for {resource} must be greater than or equal to already "
            f"used and reserved {minimum}."
        )


class QuotaAboveMaximum(Invalid):
    def __init__(self, limit: int, resource: str, maximum: int) -> None:
        super().__init__(
            f"Quota limit {limit} for {resource} must be less than or equal to {maximum}."
        )


class QuotaClassNameTooLong(Invalid):
    def __init__(self, length: int) -> None:
        super().__init__(f"quota_class_name has {length} characters, more than 255.")


# -- flavors ----------------------------------------------------------------------------------


class FlavorIdNotFound(NotFound):
    """No flavor of this id that the caller may see (a private one not shared with its
    project is as missing as one that never existed)."""

    def __init__(self, flavor_id: str) -> None:
        super().__init__(f"Flavor {flavor_id} could not be found.")


class FlavorMarkerNotFound(Invalid):
    def __init__(self, marker: str) -> None:
        super().__init__(f"marker [{marker}] not found")


class FlavorIdExists(Conflict):
    def __init__(self, flavor_id: str) -> None:
        super().__init__(f"Flavor with ID {flavor_id} already exists.")


class FlavorNameExists(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(f"Flavor with name {name} already exists.")


class FlavorAccessPublic(NotFound):
    """A public flavor has no access list."""

    def __init__(self) -> None:
        super().__init__("Access list not available for public flavors.")


class FlavorAccessToPublic(Conflict):
    def __init__(self) -> None:
        super().__init__("Can not add access to a public flavor.")


class FlavorAccessExists(Conflict):
    """Nova names the flavor by its database row id here, not by its flavor id."""

    def __init__(self, row_id: int, project_id: str) -> None:
        super().__init__(
            f"Flavor access already exists for flavor {row_id} and project {project_id} "
            "combination."
        )


class FlavorAccessNotFound(NotFound):
    """Nova names the flavor by its database row id here, not by its flavor id."""

    def __init__(self, row_id: int, project_id: str) -> None:
        super().__init__(f"Flavor access not found for {row_id} / {project_id} combination.")


class FlavorExtraSpecNotFound(NotFound):
    def __init__(self, flavor_id: str, key: str) -> None:
        super().__init__(f"Flavor {flavor_id} has no extra specs with key {key}.")


class ExtraSpecInvalid(Invalid):
    """An extra spec that microversion 2.86's validation refuses (Nova's sentence whole)."""


# -- small routes (addresses, volume attachments) ---------------------------------------------


class NotMemberOfNetwork(NotFound):
    def __init__(self) -> None:
        super().__init__("Instance is not a member of specified network")


class VolumeNotAttached(NotFound):
    def __init__(self, server_id: str, volume_id: str) -> None:
        super().__init__(f"Instance {server_id} is not attached to volume {volume_id}")


# -- small routes (the image proxy) -----------------------------------------------------------


class ProxyImageNotFound(NotFound):
    """An image the compute API's image proxy cannot find, or the caller cannot see."""

    def __init__(self) -> None:
        super().__init__("Image not found.")


class ImageDeleteNotAllowed(Forbidden):
    """Glance refused the delete (the caller neither owns the image nor is an admin)."""

    def __init__(self) -> None:
        super().__init__("You are not allowed to delete the image.")


class ImageNotAuthorized(Forbidden):
    """Glance refused to change the image's properties (``modify_image``: the owner's members
    and admins), as Nova's image metadata API reports it."""

    def __init__(self, image_id: str) -> None:
        super().__init__(f"Not authorized for image {image_id}.")


class ImageMetadataLimitExceeded(Forbidden):
    """An image's properties, as they would be, over the caller's ``metadata_items`` quota."""

    def __init__(self) -> None:
        super().__init__("Image metadata limit exceeded")


# -- networks: security groups and interfaces -------------------------------------------------


class SecurityGroupNotFound(NotFound):
    """Nova's ``SecurityGroupNotFound`` with the sentence its Neutron security-group API
    builds (``nova/network/security_group_api.py``)."""


class SecurityGroupNotUnique(Conflict):
    """More than one of the caller's groups has the name asked for (``NoUniqueMatch``)."""


class InterfaceNotFound(NotFound):
    """A port the interface API cannot use: unknown to the caller, or not the server's."""


class InterfaceConflict(Conflict):
    """A port already bound to a device, or an address already held."""


class InterfaceInvalid(Invalid):
    """No network to attach to, or more than one to choose from, or no address left."""


# -- hypervisors ------------------------------------------------------------------------------


class HypervisorNotFound(NotFound):
    """No compute node by that id, or none whose name matches (Nova's API words both)."""


class HypervisorMarkerNotFound(Invalid):
    """A ``marker`` naming no compute node in any cell."""


class ComputeServiceUnavailable(Invalid):
    """The host's nova-compute is down: it cannot be asked for its uptime."""


# -- usage ---------------------------------------------------------------------------------


class UsageInvalid(Invalid):
    """A usage report's window or page cannot be read: a bad date, an end before the start,
    an unknown marker (Nova answers each with a 400)."""


# -- host aggregates ------------------------------------------------------------------------


class AggregateNotFound(NotFound):
    def __init__(self, aggregate_id: object) -> None:
        super().__init__(f"Aggregate {aggregate_id} could not be found.")


class AggregateNameExists(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(f"Aggregate {name} already exists.")


class AggregateHostExists(Conflict):
    def __init__(self, aggregate_id: int, host: str) -> None:
        super().__init__(f"Aggregate {aggregate_id} already has host {host}.")


class AggregateHostNotFound(NotFound):
    def __init__(self, aggregate_id: int, host: str) -> None:
        super().__init__(f"Aggregate {aggregate_id} has no host {host}.")


class AggregateHostUnknown(NotFound):
    """The aggregate API finds no nova-compute service on the host (a 404 there)."""

    def __init__(self, host: str) -> None:
        super().__init__(f"Compute host {host} could not be found.")


# Nova's InvalidAggregateAction* sentences, by what was refused; ``delete`` shares the
# removal's sentence (Nova raises the same exception for both).
_AGGREGATE_ACTIONS = {
    "add": "Cannot add host to aggregate",
    "remove": "Cannot remove host from aggregate",
    "delete": "Cannot remove host from aggregate",
    "update": "Cannot update aggregate",
    "update_meta": "Cannot update metadata of aggregate",
}


class AggregateActionInvalid(Invalid):
    """An aggregate change Nova refuses with a 400 (update, metadata, delete)."""


class AggregateActionConflict(Conflict):
    """The same refusals from the host routes, which Nova answers with a 409."""


def aggregate_refused(action: str, aggregate_id: int, reason: str) -> ComputeError:
    message = f"{_AGGREGATE_ACTIONS[action]} {aggregate_id}. Reason: {reason}."
    if action in ("add", "remove"):
        return AggregateActionConflict(message)
    return AggregateActionInvalid(message)


# -- hosts ------------------------------------------------------------------------------------


class HostNotMapped(NotFound):
    """No host mapping by that name: not a compute host, or no host at all."""

    def __init__(self, host: str) -> None:
        super().__init__(f"Host '{host}' is not mapped to any cell")


class NotSupported(ComputeError):
    """The virt driver does not implement what was asked: Nova's 501."""

    code = 501

    def __init__(self) -> None:
        super().__init__("The requested functionality is not supported.")


# -- instance usage audit log -----------------------------------------------------------------


class InvalidAuditTimestamp(Invalid):
    def __init__(self, value: str) -> None:
        super().__init__(f"Invalid timestamp for date {value}")


# -- accelerators -----------------------------------------------------------------------------


class ForbiddenWithAccelerators(Invalid):
    """An operation Nova refuses for a server whose flavor names a device profile (Nova's
    ``NotSupported`` family, which its API turns into a 400 wherever it escapes)."""

    def __init__(self) -> None:
        super().__init__("Feature not supported with instances that have accelerators.")


class DeviceProfileError(Invalid):
    """The accelerator service does not know the flavor's device profile (or knows several)."""

    def __init__(self, name: str, count: int) -> None:
        found = "nothing" if count == 0 else str(count)
        super().__init__(f"Device profile name {name}: Expected 1 device profile but got {found}.")


class FloatingIpNotFound(NotFound):
    """A floating IP, or the pool to take one from, that the Network service does not show
    the caller (the floating-IP proxy's 404s)."""


class FloatingIpInvalid(Invalid):
    """The floating-IP proxy's 400s: the server's network cache, the fixed address asked
    for, or the Network service's refusal, as Nova words each."""


class FloatingIpNotAssociated(Conflict):
    def __init__(self, address: str, server_id: str) -> None:
        super().__init__(f"Floating IP {address} is not associated with instance {server_id}.")
