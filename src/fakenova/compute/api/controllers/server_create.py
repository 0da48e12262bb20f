"""``POST /servers``: validate as Nova 34's API layer does, then hand over to the compute API.

The schema comes first, then the API layer's own checks and policies (counts, the
``zone:host:node`` string, requested hosts, block device syntax, the ``networks`` list, the
flavor); what Nova's compute API checks of images, networks, key pairs, quotas and hosts is
:mod:`fakenova.compute.models.servers.creation`'s. The first problem a request has is the one
reported, with Nova's status and words.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.action_support import password as generated_password
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.controllers.server_update import access_ip
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.schemas import servers as schemas
from fakenova.compute.api.validation import is_uuid, validate
from fakenova.compute.api.views import server_create as view
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.creation import CreateRequest, NetworkChoice

SERVERS = rules.SERVERS


def create(call: Call) -> Reply:
    # An empty body is None to Nova's schema ("None is not of type 'object'"), not {}.
    body = call.body
    validate(schemas.create(call.version), body)
    server = body["server"]
    ctx = call.context
    v = call.version

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
    zone, forced_host, forced_node = _parse_zone(zone, call.compute.default_schedule_zone)
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

    request = CreateRequest(
        name=server["name"],
        flavor=_flavor(call, server["flavorRef"]),
        image_ref=image_ref,
        min_count=min_count,
        max_count=max_count,
        block_devices=bdms,
        networks=choice,
        zone=zone,
        forced_host=forced_host,
        forced_node=forced_node,
        requested_host=requested_host,
        requested_node=requested_node,
        hostname=server.get("hostname") if v.at_least("2.90") else None,
        description=server.get("description") if v.at_least("2.19") else server["name"],
        security_groups=server.get("security_groups"),
        key_name=server.get("key_name"),
        metadata=dict(server.get("metadata") or {}),
        personality=server.get("personality") or [],
        tags=list(server.get("tags") or []) if v.at_least("2.52") else [],
        access_ip_v4=access_ip(server["accessIPv4"]) if server.get("accessIPv4") else "",
        access_ip_v6=access_ip(server["accessIPv6"]) if server.get("accessIPv6") else "",
        disk_config=server.get("OS-DCF:diskConfig"),
        config_drive=server.get("config_drive"),
        user_data=server.get("user_data"),
        trusted_certs=server.get("trusted_image_certificates"),
        hints=hints,
        # Nova's ``supports_port_resource_request``: ports with a resource request from 2.72.
        supports_port_resource_request=v.at_least("2.72"),
    )
    created = call.compute.create(call.actor, request)

    if server.get("return_reservation_id", False):
        return Reply(view.reservation(created.reservation_id), 202)
    first = created.servers[0]
    password: str | None = generated_password(call, server.get("adminPass"), "password", first.uuid)
    if not call.compute.instance_password_enabled:
        password = None
    reply_body = view.created(first, call.links, server.get("security_groups"), password)
    location = reply_body["server"]["links"][0]["href"]
    return Reply(reply_body, 202, {"Location": location})


# -- the API layer's checks ------------------------------------------------------------------


def _parse_zone(zone: str | None, default: str | None) -> tuple[str | None, str | None, str | None]:
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
    return zone or default, host or None, node or None


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
        if not strict_uuid and not is_uuid(network_id):
            raise bad_request(
                f"Bad networks format: network uuid is not in proper format ({network_id})"
            )
        chosen.append(network_id)
        if address is not None:
            fixed[network_id] = address
    if not chosen and not ports:
        return NetworkChoice(None)  # an empty list asks for the default, like no list
    return NetworkChoice(chosen, fixed, ports)  # type: ignore[arg-type]


def _flavor(call: Call, ref: Any) -> Flavor:
    flavor_id = urlsplit(str(ref)).path.split("/")[-1]
    flavor = call.compute.flavor_for(call.actor, flavor_id)
    if flavor is None or flavor.disabled:
        raise bad_request(f"Flavor {flavor_id} could not be found.")
    return flavor
