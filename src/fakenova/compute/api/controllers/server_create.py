"""``POST /servers``: validate as Nova 34 does, then hand the build to the backend.

The checks run in Nova's order (schema first, then the API layer's own checks, then what the
compute API asks of images, networks, key pairs, quotas and hosts), so the first problem a
request has is the one reported, with Nova's status and words. Nothing is stored until every
check has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import password as generated_password
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_update import access_ip
from fakenova.compute.api.faults import bad_request, conflict
from fakenova.compute.api.schemas import servers as schemas
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import server_create as view
from fakenova.compute.models.deployment.networks import Network
from fakenova.compute.models.deployment.scheduler import Placement
from fakenova.compute.models.resources import quotas
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers import builds

SERVERS = rules.SERVERS
RESERVATION_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TRUE_STRINGS = {"1", "t", "true", "on", "y", "yes"}


@dataclass
class NetworkChoice:
    """What ``networks`` asked for: nothing, everything available, or these networks."""

    networks: list[Network] | None  # None: every network the project can use
    fixed_ips: dict[str, str] = field(default_factory=dict)
    ports: list[str] = field(default_factory=list)


def create(call: Call) -> Reply:
    # An empty body is None to Nova's schema ("None is not of type 'object'"), not {}.
    body = call.body
    validate(schemas.create(call.version), body)
    server = body["server"]
    backend = call.backend
    ctx = call.context
    v = call.version

    description = server.get("description") if v.at_least("2.19") else server["name"]
    hostname = server.get("hostname") if v.at_least("2.90") else None
    hints = body.get("os:scheduler_hints", body.get("OS-SCH-HNT:scheduler_hints", {}))
    min_count = int(server.get("min_count", 1))
    max_count = int(server.get("max_count", min_count))
    if min_count > max_count:
        raise bad_request("min_count must be <= max_count")
    zone = server.get("availability_zone")
    target = {"project_id": ctx.project_id, "user_id": ctx.user_id, "availability_zone": zone}
    call.policy.authorize(ctx, SERVERS + "create", target)
    if server.get("trusted_image_certificates"):
        call.policy.authorize(ctx, SERVERS + "create:trusted_certs", target)
    zone, forced_host, forced_node = _parse_zone(zone, backend.settings)
    if forced_host or forced_node:
        call.policy.authorize(ctx, SERVERS + "create:forced_host", target)
    requested_host = server.get("host") if v.at_least("2.74") else None
    requested_node = server.get("hypervisor_hostname") if v.at_least("2.74") else None
    if requested_host or requested_node:
        call.policy.authorize(ctx, rules.REQUESTED_DESTINATION, target)
        if forced_host or forced_node:
            raise bad_request(
                "One mechanism with host and/or hypervisor_hostname and another mechanism "
                "with zone:host:node are mutually exclusive."
            )
    bdms = _block_devices(call, server, target)
    image_ref = server.get("imageRef")
    if not image_ref and not bdms:
        raise bad_request("Missing imageRef attribute")
    choice = _requested_networks(server.get("networks"), v.at_least("2.37"))
    if choice.networks or choice.ports:
        call.policy.authorize(ctx, SERVERS + "create:attach_network", target)
    flavor = _flavor(call, server["flavorRef"])

    # What nova.compute.api checks, in its order.
    if max_count > 1 and choice.fixed_ips:
        raise bad_request(
            "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip "
            "is specified."
        )
    if max_count > 1 and choice.ports:
        raise bad_request(
            "Failed to launch instances: Unable to launch multiple instances with a single "
            "configured port ID. Please launch your instance one by one with different ports."
        )
    if hostname and max_count > 1:
        raise bad_request("Unable to allocate a single hostname to multiple instances")
    if zone and forced_host is None and zone not in _zones(call):
        raise bad_request("The requested availability zone is not available")
    image = _image(call, image_ref, bdms)
    groups = _security_groups(server.get("security_groups"))
    networks = _networks(call, choice)
    key_name = server.get("key_name")
    if key_name is not None and (ctx.user_id, key_name) not in backend.keypairs:
        raise bad_request("Invalid key_name provided.")  # only the caller's own keys count
    quotas.check_metadata(backend, server.get("metadata"))
    quotas.check_personality(backend, server.get("personality") or [])
    if image is not None:
        _check_image_fits(image, flavor)
    group = _server_group(call, hints)
    if requested_host or requested_node:
        known = requested_host or requested_node
        if known not in backend.hosts:
            raise bad_request(f"Compute host {known} could not be found.")
    # The project's quota decides how many to build; then each of them must fit the group's.
    count = quotas.check_servers(backend, ctx.project_id, flavor, min_count, max_count)
    if group is not None:
        quotas.check_group_members(backend, backend.server_groups[group], ctx.user_id, count)

    first_name = server["name"]
    reservation_id = "r-" + backend.ids.token("reservation", first_name, 8, RESERVATION_ALPHABET)
    specs = []
    for index in range(count):
        name = f"{first_name}-{index + 1}" if count > 1 else first_name
        spec = builds.BuildSpec(
            name=name,
            project_id=ctx.project_id,
            user_id=ctx.user_id,
            flavor=flavor,
            image_ref=image_ref or "",
            reservation_id=reservation_id,
            hostname=hostname or _default_hostname(first_name, index, count),
            networks=networks,
            fixed_ips=choice.fixed_ips,
            description=description,
            metadata=dict(server.get("metadata") or {}),
            tags=list(server.get("tags") or []) if v.at_least("2.52") else [],
            key_name=server.get("key_name"),
            access_ip_v4=access_ip(server["accessIPv4"]) if server.get("accessIPv4") else "",
            access_ip_v6=access_ip(server["accessIPv6"]) if server.get("accessIPv6") else "",
            auto_disk_config=_disk_config(server, image),
            config_drive="True" if _truthy(server.get("config_drive")) else "",
            user_data=server.get("user_data"),
            security_groups=groups,
            trusted_certs=server.get("trusted_image_certificates") or None,
            requested_az=zone,
            scheduler_hints={k: v if isinstance(v, list) else [v] for k, v in hints.items()},
            server_group=group,
            launch_index=index,
        )
        specs.append(spec)
    placement = Placement(zone, forced_host or requested_host, forced_node or requested_node)
    created = builds.launch(backend, specs, placement, ctx.request_id)
    # The names of servers whose hostname came out empty use their uuid, as in Nova.
    for made in created:
        if not made.hostname:
            made.hostname = f"Server-{made.uuid}"

    if server.get("return_reservation_id", False):
        return Reply(view.reservation(reservation_id), 202)
    first = created[0]
    password: str | None = generated_password(call, server.get("adminPass"), "password", first.uuid)
    if not backend.settings.nova.get("api", {}).get("enable_instance_password", True):
        password = None
    reply_body = view.created(first, call.links, server.get("security_groups"), password)
    location = reply_body["server"]["links"][0]["href"]
    return Reply(reply_body, 202, {"Location": location})


# -- the API layer's checks ------------------------------------------------------------------


def _parse_zone(zone: str | None, settings: Any) -> tuple[str | None, str | None, str | None]:
    """``zone``, ``zone:host``, ``zone:host:node`` or ``zone::node`` (the admin's old way)."""
    host = node = None
    if zone and ":" in zone:
        colons = zone.count(":")
        if colons == 1:
            zone, host = zone.split(":")
        elif colons == 2 and "::" in zone:
            zone, node = zone.split("::")
        elif colons == 2:
            zone, host, node = zone.split(":")
        else:
            raise bad_request("Invalid input received: Unable to parse availability_zone")
    return zone or settings.nova.get("default_schedule_zone"), host or None, node or None


def _block_devices(call: Call, server: dict[str, Any], target: dict[str, Any]) -> list[Any]:
    legacy = server.get("block_device_mapping", [])
    current = server.get("block_device_mapping_v2", [])
    if legacy and current:
        raise bad_request(
            "Using different block_device_mapping syntaxes is not allowed in the same request."
        )
    bdms = legacy or current
    if bdms:
        call.policy.authorize(call.context, SERVERS + "create:attach_volume", target)
    return bdms


def _requested_networks(requested: Any, strict_uuid: bool) -> NetworkChoice:
    if requested is None or requested == "auto":
        return NetworkChoice(None)
    if requested == "none":
        return NetworkChoice([])
    chosen: list[str] = []
    fixed: dict[str, str] = {}
    ports: list[str] = []
    for entry in requested:
        address, port = entry.get("fixed_ip"), entry.get("port")
        if port:
            if port in ports:
                raise bad_request(
                    f"Port ID '{port}' was specified twice: you cannot attach a port "
                    "multiple times."
                )
            if address is not None:
                raise bad_request(
                    f"Specified Fixed IP '{address}' cannot be used with port '{port}': "
                    "the two cannot be specified together."
                )
            ports.append(port)
            continue
        if "uuid" not in entry:
            raise bad_request("Bad network format: missing 'uuid'")
        network_id = entry["uuid"]
        if not strict_uuid and not _uuid_like(network_id):
            raise bad_request(
                f"Bad networks format: network uuid is not in proper format ({network_id})"
            )
        chosen.append(network_id)
        if address is not None:
            fixed[network_id] = address
    if not chosen and not ports:
        return NetworkChoice(None)  # an empty list asks for the default, like no list
    return NetworkChoice(chosen, fixed, ports)  # type: ignore[arg-type]


def _uuid_like(value: str) -> bool:
    from fakenova.compute.api.validation import is_uuid

    return is_uuid(value)


def _flavor(call: Call, ref: Any) -> Flavor:
    flavor_id = urlsplit(str(ref)).path.split("/")[-1]
    flavor = call.backend.flavors.get(flavor_id)
    if flavor is None or flavor.disabled:
        raise bad_request(f"Flavor {flavor_id} could not be found.")
    return flavor


def _zones(call: Call) -> set[str]:
    """Zones with at least one enabled compute service (Nova's available zones)."""
    return {
        s.zone
        for s in call.backend.services
        if s.is_compute and not s.disabled and s.cell.reachable
    }


def _image(call: Call, image_ref: str | None, bdms: list[Any]) -> Any:
    if image_ref:
        images = call.backend.images
        image = images.get(image_ref) if images is not None else None
        if image is None:
            raise bad_request("Can not find requested image")
        if image.status != "active":
            raise bad_request(f"Image {image_ref} is not active.")
        return image
    # Booting from a volume or snapshot: the fake has no block storage service, so every
    # volume and snapshot is unknown, as it would be to a Nova whose Cinder lacks them.
    for bdm in bdms:
        source = bdm.get("source_type")
        if bdm.get("volume_id") or source == "volume":
            volume = bdm.get("volume_id") or bdm.get("uuid")
            raise bad_request(f"Volume {volume} could not be found.")
        if bdm.get("snapshot_id") or source == "snapshot":
            snapshot = bdm.get("snapshot_id") or bdm.get("uuid")
            raise bad_request(f"Snapshot {snapshot} could not be found.")
    return None


def _security_groups(requested: list[dict[str, Any]] | None) -> list[str]:
    if requested is None:
        return ["default"]
    names = sorted({g["name"] for g in requested if g.get("name")}) or ["default"]
    for name in names:
        if name != "default":
            raise bad_request(f"Unable to find security_group with name or id '{name}'")
    return names


def _networks(call: Call, choice: NetworkChoice) -> list[Network]:
    known = call.backend.networks
    if choice.ports:
        raise bad_request(f"Port id {choice.ports[0]} could not be found.")
    if choice.networks is None:
        available = list(known.values())
        if len(available) > 1:
            raise conflict(
                "More than one possible network found. Specify network ID(s) to select "
                "which one(s) to connect to."
            )
        return available
    chosen = []
    for network_id in choice.networks:
        if network_id not in known:
            raise bad_request(f"Network {network_id} could not be found.")
        chosen.append(known[network_id])
    owners = {
        a.addr: s.uuid for s in call.backend.servers.values() if not s.deleted for a in s.addresses
    }
    for address in choice.fixed_ips.values():
        if address in owners:
            raise bad_request(
                f"Fixed IP address {address} is already in use on instance {owners[address]}."
            )
    return chosen


def _check_image_fits(image: Any, flavor: Flavor) -> None:
    if flavor.memory_mb < int(image.min_ram or 0):
        raise bad_request("Flavor's memory is too small for requested image.")
    disk = flavor.root_gb * 1024**3
    if disk:
        if image.size > disk:
            raise bad_request(
                "Flavor's disk is too small for requested image. Flavor disk is "
                f"{disk} bytes, image is {image.size} bytes."
            )
        min_disk = int(image.min_disk or 0) * 1024**3
        if min_disk > disk:
            raise bad_request(
                "Flavor's disk is smaller than the minimum size specified in image metadata. "
                f"Flavor disk is {disk} bytes, minimum size is {min_disk} bytes."
            )


def _server_group(call: Call, hints: dict[str, Any]) -> str | None:
    group = hints.get("group")
    if isinstance(group, list):
        group = group[0] if group else None
    if group is None:
        return None
    if group not in call.backend.server_groups:
        raise bad_request(f"Instance group {group} could not be found.")
    return group


# -- what the new servers are given ----------------------------------------------------------


def _default_hostname(name: str, index: int, count: int) -> str:
    hostname = builds.sanitize_hostname(name)
    if hostname and count > 1:
        return f"{hostname}-{index + 1}"
    return hostname  # empty: replaced by Server-<uuid> once the uuid exists


def _disk_config(server: dict[str, Any], image: Any) -> bool:
    requested = server.get("OS-DCF:diskConfig")
    if requested is not None:
        return bool(requested == "AUTO")
    from_image = image.properties.get("auto_disk_config") if image is not None else None
    return str(from_image).lower() in TRUE_STRINGS


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in TRUE_STRINGS
