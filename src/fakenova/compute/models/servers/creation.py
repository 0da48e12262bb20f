"""Creating servers: what Nova's compute API checks of a ``POST /servers`` before it builds.

The API layer has validated the body, asked policy and parsed what it parses itself (the
``zone:host:node`` string, the ``networks`` list, the flavor); :func:`create` takes that as a
:class:`CreateRequest` and checks the rest in Nova's order (counts, zone, image, security
groups, networks, key pair, metadata and file quotas, the image against the flavor, the
server group, a requested host, then the instance and group-member quotas), so the first
problem a request has is the one reported. Nothing is stored until every check has passed;
then the servers are built (:mod:`~fakenova.compute.models.servers.builds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment.networks import Network
from fakenova.compute.models.deployment.scheduler import Placement, host_hints
from fakenova.compute.models.errors import Conflict, Invalid, KeypairNotFound
from fakenova.compute.models.resources import flavor_image, image_meta, image_proxy, quotas
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers import accelerators, builds
from fakenova.compute.models.servers.records import Server
from fakenova.network.errors import NeutronError
from fakenova.network.models import Caller

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

TRUE_STRINGS = {"1", "t", "true", "on", "y", "yes"}


@dataclass
class NetworkChoice:
    """What ``networks`` asked for: nothing, everything available, or these networks."""

    networks: list[str] | None  # network ids; None: every network the project can use
    fixed_ips: dict[str, str] = field(default_factory=dict)  # network id -> address
    ports: list[str] = field(default_factory=list)


@dataclass
class CreateRequest:
    """A ``POST /servers`` as the API layer understood it for its microversion."""

    name: str
    flavor: Flavor
    image_ref: str | None
    min_count: int = 1
    max_count: int = 1
    block_devices: list[dict[str, Any]] = field(default_factory=list)
    networks: NetworkChoice = field(default_factory=lambda: NetworkChoice(None))
    zone: str | None = None
    forced_host: str | None = None
    forced_node: str | None = None
    requested_host: str | None = None
    requested_node: str | None = None
    hostname: str | None = None
    description: str | None = None
    security_groups: list[dict[str, Any]] | None = None
    key_name: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    personality: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    access_ip_v4: str = ""
    access_ip_v6: str = ""
    disk_config: str | None = None  # "AUTO", "MANUAL", or None: the image decides
    config_drive: Any = None
    user_data: str | None = None
    trusted_certs: list[str] | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    supports_port_resource_request: bool = True


@dataclass
class Created:
    servers: list[Server]
    reservation_id: str


def create(backend: ComputeBackend, actor: Actor, request: CreateRequest) -> Created:
    """Check ``request`` as Nova's compute API does, then build its servers."""
    assert actor.project_id is not None and actor.user_id is not None
    _check_counts(request)
    if request.zone and request.forced_host is None and request.zone not in _zones(backend):
        raise Invalid("The requested availability zone is not available")
    image = _image(backend, actor, request.image_ref, request.block_devices)
    groups, group_ids = _security_groups(backend, actor, request.security_groups)
    networks = _networks(backend, actor, request.networks)
    if request.key_name is not None and (actor.user_id, request.key_name) not in backend.keypairs:
        raise KeypairNotFound()  # only the caller's own key pairs count
    bandwidth = _port_resource_requests(backend, request)
    quotas.check_metadata(backend, actor, request.metadata)
    quotas.check_personality(backend, actor, request.personality)
    if image is not None:
        check_image_fits(image, request.flavor)
        flavor_image.check_cpu_policy(request.flavor, image.properties)
    group = _server_group(backend, request.hints)
    known = request.requested_host or request.requested_node
    if known and known not in backend.hosts:
        raise Invalid(f"Compute host {known} could not be found.")
    # The quotas decide how many to build; then each of them must fit the group's.
    count = quotas.check_servers(
        backend,
        actor.project_id,
        actor.user_id,
        request.flavor,
        request.min_count,
        request.max_count,
    )
    # Nova asks the accelerator service for the flavor's device profile once the instance
    # quota passed (its ``_provision_instances``).
    accelerators.device_profile(backend, request.flavor)
    if group is not None:
        quotas.check_group_members(backend, actor, backend.server_groups[group], count)

    reservation_id = builds.reservation_id(backend, request.name)
    # The request spec keeps every hint as a list, as Nova's does.
    hints = {k: v if isinstance(v, list) else [v] for k, v in request.hints.items()}
    specs = [
        builds.BuildSpec(
            name=f"{request.name}-{index + 1}" if count > 1 else request.name,
            project_id=actor.project_id,
            user_id=actor.user_id,
            flavor=request.flavor,
            image_ref=request.image_ref or "",
            image_properties=image_meta.kept(image.properties) if image is not None else {},
            reservation_id=reservation_id,
            hostname=request.hostname or builds.default_hostname(request.name, index, count),
            networks=networks,
            fixed_ips=request.networks.fixed_ips,
            description=request.description,
            metadata=dict(request.metadata),
            tags=list(request.tags),
            key_name=request.key_name,
            access_ip_v4=request.access_ip_v4,
            access_ip_v6=request.access_ip_v6,
            auto_disk_config=_disk_config(request.disk_config, image),
            config_drive="True" if _truthy(request.config_drive) else "",
            user_data=request.user_data,
            security_groups=groups,
            group_ids=group_ids,
            ports=list(request.networks.ports),
            trusted_certs=request.trusted_certs or None,
            requested_az=request.zone,
            scheduler_hints=dict(hints),
            server_group=group,
            launch_index=index,
        )
        for index in range(count)
    ]
    placement = Placement(
        request.zone,
        request.forced_host or request.requested_host,
        request.forced_node or request.requested_node,
        hints=host_hints(backend.settings.nova, backend.servers.values(), hints),
        port_resources=bandwidth,
    )
    servers = builds.launch(backend, specs, placement, actor.request_id)
    return Created(servers, reservation_id)


def _check_counts(request: CreateRequest) -> None:
    many = request.max_count > 1
    if many and request.networks.fixed_ips:
        raise Invalid(
            "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip "
            "is specified."
        )
    if many and request.networks.ports:
        raise Invalid(
            "Failed to launch instances: Unable to launch multiple instances with a single "
            "configured port ID. Please launch your instance one by one with different ports."
        )
    if many and request.hostname:
        raise Invalid("Unable to allocate a single hostname to multiple instances")


def _zones(backend: ComputeBackend) -> set[str]:
    """Zones with at least one enabled compute service (Nova's available zones)."""
    return {
        s.zone for s in backend.services if s.is_compute and not s.disabled and s.cell.reachable
    }


def _image(
    backend: ComputeBackend, actor: Actor, image_ref: str | None, bdms: list[dict[str, Any]]
) -> Any:
    if image_ref:
        image = image_proxy.find(backend, actor, image_ref)  # with the caller's token
        if image is None:
            raise Invalid("Can not find requested image")
        if image.status != "active":
            raise Invalid(f"Image {image_ref} is not active.")
        return image
    # Booting from a volume or snapshot: the fake has no block storage service, so every
    # volume and snapshot is unknown, as it would be to a Nova whose Cinder lacks them.
    for bdm in bdms:
        source = bdm.get("source_type")
        if bdm.get("volume_id") or source == "volume":
            raise Invalid(f"Volume {bdm.get('volume_id') or bdm.get('uuid')} could not be found.")
        if bdm.get("snapshot_id") or source == "snapshot":
            snapshot = bdm.get("snapshot_id") or bdm.get("uuid")
            raise Invalid(f"Snapshot {snapshot} could not be found.")
    return None


def _security_groups(
    backend: ComputeBackend, actor: Actor, requested: list[dict[str, Any]] | None
) -> tuple[list[str], list[str]]:
    """The requested groups' names and ids, each looked up by name or id among the caller's
    project's groups in the Network service, except ``default``, which Nova passes on
    unresolved (``_check_requested_secgroups``): the port create resolves it."""
    wanted = sorted({g["name"] for g in requested or () if g.get("name")}) or ["default"]
    caller = Caller(str(actor.project_id))
    names, ids = [], []
    for name in wanted:
        group = None if name == "default" else backend.network.find_group(caller, name)
        if name != "default" and group is None:
            raise Invalid(f"Unable to find security_group with name or id '{name}'")
        names.append(group.name if group else name)
        ids.append(group.id if group else name)
    return names, ids


def _ports(backend: ComputeBackend, actor: Actor, port_ids: list[str]) -> None:
    """The ports the user passed in exist for the caller and are free (Nova's
    ``_validate_requested_port_ids``)."""
    caller = Caller(str(actor.project_id), actor.is_admin)
    for port_id in port_ids:
        try:
            port = backend.network.port(caller, port_id)
        except NeutronError:
            raise Invalid(f"Port id {port_id} could not be found.") from None
        if port.device_id:
            raise Conflict(f"Port {port_id} is still in use.")


# Nova's CreateWithPortResourceRequestOldVersion.
OLD_VERSION_PORT_RESOURCE_REQUEST = (
    "Creating servers with ports having resource requests, like a port with a QoS minimum "
    "bandwidth policy, is not supported until microversion 2.72."
)


def _port_resource_requests(backend: ComputeBackend, request: CreateRequest) -> bool:
    """Whether a requested port carries a resource request (Nova reads it with an admin's
    client, ``create_resource_requests``): refused below 2.72, else the scheduler must find
    the port's resources too."""
    ports = (backend.network.ports.get(port_id) for port_id in request.networks.ports)
    wanted = any(p is not None and backend.network.resource_request(p) for p in ports)
    if wanted and not request.supports_port_resource_request:
        raise Invalid(OLD_VERSION_PORT_RESOURCE_REQUEST)
    return wanted


def _networks(backend: ComputeBackend, actor: Actor, choice: NetworkChoice) -> list[Network]:
    known = backend.networks
    _ports(backend, actor, choice.ports)
    if choice.networks is None:
        available = backend.available_networks(str(actor.project_id))
        if len(available) > 1:
            raise Conflict(
                "More than one possible network found. Specify network ID(s) to select "
                "which one(s) to connect to."
            )
        return available
    chosen = []
    for network_id in choice.networks:
        if network_id not in known:
            raise Invalid(f"Network {network_id} could not be found.")
        chosen.append(known[network_id])
    for network_id, address in choice.fixed_ips.items():
        holder = backend.network.address_holder(network_id, address)
        if holder is not None:
            raise Invalid(
                f"Fixed IP address {address} is already in use on instance {holder.device_id}."
            )
    return chosen


def check_image_fits(image: Any, flavor: Flavor) -> None:
    """The image needs no more memory or disk than the flavor has (create and rebuild)."""
    if flavor.memory_mb < int(image.min_ram or 0):
        raise Invalid("Flavor's memory is too small for requested image.")
    disk = flavor.root_gb * 1024**3
    if disk:
        if image.size > disk:
            raise Invalid(
                "Flavor's disk is too small for requested image. Flavor disk is "
                f"{disk} bytes, image is {image.size} bytes."
            )
        min_disk = int(image.min_disk or 0) * 1024**3
        if min_disk > disk:
            raise Invalid(
                "Flavor's disk is smaller than the minimum size specified in image metadata. "
                f"Flavor disk is {disk} bytes, minimum size is {min_disk} bytes."
            )


def _server_group(backend: ComputeBackend, hints: dict[str, Any]) -> str | None:
    group = hints.get("group")
    if isinstance(group, list):
        group = group[0] if group else None
    if group is None:
        return None
    if group not in backend.server_groups:
        raise Invalid(f"Instance group {group} could not be found.")
    return str(group)


def _disk_config(requested: str | None, image: Any) -> bool:
    if requested is not None:
        return requested == "AUTO"
    from_image = image.properties.get("auto_disk_config") if image is not None else None
    return str(from_image).lower() in TRUE_STRINGS


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in TRUE_STRINGS
