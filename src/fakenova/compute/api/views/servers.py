"""Server bodies for every microversion from 2.1 to 2.104.

:class:`Renders` holds one flag per microversion that changed the server body, each set by a
``version.at_least(...)`` in the order Nova introduced them, so it reads as the API's history;
:meth:`ServerView.show` then adds each change where Nova adds it. The flags, the policy answers
and the link prefixes are worked out once per request (a :class:`ServerView` lives for one
request), not once per server: a 1,000-server detail page asked the same dozen questions 12,000
times otherwise. A server whose cell cannot be reached is known only by its :class:`ApiRecord`;
from 2.69 it is rendered as Nova's minimal construct.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.api.policy import SERVERS, Policy, RequestContext
from fakenova.compute.api.views.links import Links
from fakenova.compute.models.backend import ComputeBackend, host_status
from fakenova.compute.models.resources import image_meta
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.records import ApiRecord, Server, shown_addresses
from fakenova.compute.models.servers.states import BUILDING

PROGRESS_STATUSES = {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}
FAULT_STATUSES = {"ERROR", "DELETED"}
EXTENDED_ATTRIBUTES = "os_compute_api:os-extended-server-attributes"


# The two timestamp formats, spelled with % (strftime and isoformat cost a server 3 us more).
# tests/unit/test_server_view_equivalence.py checks them against the library calls.


def isotime(value: Any) -> str:
    """``value.strftime("%Y-%m-%dT%H:%M:%SZ")``, as Nova writes it (glibc's ``%Y``, like
    ``%d``, does not pad a year below 1000)."""
    wall = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    return "%d-%02d-%02dT%02d:%02d:%02dZ" % wall  # noqa: UP031 - see above


def naive(value: Any) -> str | None:
    """Nova prints launched_at/terminated_at as ``str()`` of a naive datetime: the wall time,
    microseconds only when there are some (``value.replace(tzinfo=None).isoformat()``)."""
    if value is None:
        return None
    wall = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    if value.microsecond:
        return "%04d-%02d-%02dT%02d:%02d:%02d.%06d" % (*wall, value.microsecond)  # noqa: UP031
    return "%04d-%02d-%02dT%02d:%02d:%02d" % wall  # noqa: UP031


def host_id(project_id: str, host: str | None) -> str:
    """An obfuscated host: the same host looks different to every project."""
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def _since(microversion: str) -> Any:
    """A :class:`Renders` flag: set when the request's microversion is at least this one."""
    return field(metadata={"since": microversion})


@dataclass(frozen=True)
class Renders:
    """What a request's microversion adds to a server body: one flag per change, in the order
    Nova made them."""

    more_extended_attributes: bool = _since("2.3")  # hostname ... user_data; volumes' flag
    locked: bool = _since("2.9")
    host_status: bool = _since("2.16")  # when policy lets the caller see it
    description: bool = _since("2.19")
    tags: bool = _since("2.26")
    flavor_inline: bool = _since("2.47")  # the flavor's values instead of a link; extra specs
    trusted_image_certificates: bool = _since("2.63")
    server_groups: bool = _since("2.71")  # show and the minimal construct, not detail
    locked_reason: bool = _since("2.73")
    hostname: bool = _since("2.90")  # OS-EXT-SRV-ATTR:hostname for everyone
    pinned_availability_zone: bool = _since("2.96")
    image_properties: bool = _since("2.98")
    scheduler_hints: bool = _since("2.100")

    @classmethod
    def at(cls, version: Version) -> Renders:
        """The flags of ``version``: worked out once per version (frozen, so shareable)."""
        found = _RENDERS.get(version)
        if found is None:
            flags = {f.name: version.at_least(f.metadata["since"]) for f in fields(cls)}
            found = _RENDERS[version] = cls(**flags)
        return found


_RENDERS: dict[Version, Renders] = {}  # at most one per microversion the API serves


@dataclass
class ServerView:
    """Renders servers for one request: its microversion, caller and URLs.

    Made per request, so what it works out once (see the module's docstring) and the host ids
    and host statuses it remembers die with the request.
    """

    version: Version
    context: RequestContext
    policy: Policy
    backend: ComputeBackend
    links: Links
    renders: Renders = field(init=False, repr=False, compare=False)
    _servers_self: str = field(init=False, repr=False, compare=False)
    _servers_bookmark: str = field(init=False, repr=False, compare=False)
    _images_bookmark: str = field(init=False, repr=False, compare=False)
    _flavors_bookmark: str = field(init=False, repr=False, compare=False)
    _host_ids: dict[tuple[str, str | None], str] = field(init=False, repr=False, compare=False)
    _host_statuses: dict[str | None, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.renders = Renders.at(self.version)
        self._servers_self = self.links.versioned + "/servers/"
        unversioned = self.links.unversioned
        self._servers_bookmark = unversioned + "/servers/"
        self._images_bookmark = unversioned + "/images/"
        self._flavors_bookmark = unversioned + "/flavors/"
        self._host_ids = {}
        self._host_statuses = {}

    # -- policy questions asked once per request --------------------------------------------

    def can(self, rule: str, project_id: str | None = None) -> bool:
        target = None if project_id is None else {"project_id": project_id}
        return self.policy.allows(self.context, rule, target)

    def _host_status_mode(self, project_id: str | None) -> str | None:
        """'all', 'unknown-only' or None: which host statuses this caller may see."""
        if self.can(SERVERS + "show:host_status", project_id):
            return "all"
        if self.can(SERVERS + "show:host_status:unknown-only", project_id):
            return "unknown-only"
        return None

    # -- pieces -----------------------------------------------------------------------------

    def _links(self, uuid: str) -> list[dict[str, str]]:
        """``links.self_and_bookmark("servers", uuid)``."""
        return [
            {"rel": "self", "href": self._servers_self + uuid},
            {"rel": "bookmark", "href": self._servers_bookmark + uuid},
        ]

    def _image(self, image_ref: str, properties: Mapping[str, str] | None = None) -> Any:
        """``properties``: what the server kept of its image's (none for a server of a cell
        that does not answer)."""
        if not image_ref:
            return ""
        image: dict[str, Any] = {
            "id": image_ref,
            "links": [{"rel": "bookmark", "href": self._images_bookmark + image_ref}],
        }
        if self.renders.image_properties:  # 2.98
            image["properties"] = image_meta.shown(properties or {})
        return image

    def _flavor(self, flavor: Flavor, extra_specs: bool) -> dict[str, Any]:
        if not self.renders.flavor_inline:  # before 2.47
            return {
                "id": flavor.flavorid,
                "links": [{"rel": "bookmark", "href": self._flavors_bookmark + flavor.flavorid}],
            }
        body: dict[str, Any] = {
            "vcpus": flavor.vcpus,
            "ram": flavor.memory_mb,
            "disk": flavor.root_gb,
            "ephemeral": flavor.ephemeral_gb,
            "swap": flavor.swap,
            "original_name": flavor.name,
        }
        if extra_specs:
            body["extra_specs"] = dict(flavor.extra_specs)
        return body

    def _addresses(self, server: Server) -> dict[str, list[dict[str, Any]]]:
        if server.vm_state == BUILDING:
            return {}
        networks: dict[str, list[dict[str, Any]]] = {}
        for a in shown_addresses(server.addresses):
            networks.setdefault(a.network, []).append(
                {
                    "version": a.version,
                    "addr": a.addr,
                    "OS-EXT-IPS:type": a.type,
                    "OS-EXT-IPS-MAC:mac_addr": a.mac,
                }
            )
        return networks

    def _fault(self, server: Server) -> dict[str, Any] | None:
        fault = server.fault
        if fault is None:
            return None
        body: dict[str, Any] = {
            "code": fault.code,
            "created": isotime(fault.created_at),
            "message": fault.message,
        }
        if fault.details and (self.context.is_admin or fault.code != 500):
            body["details"] = fault.details
        return body

    def _host_id(self, project_id: str, host: str | None) -> str:
        """:func:`host_id`, hashed once per project and host in a request."""
        key = (project_id, host)
        found = self._host_ids.get(key)
        if found is None:
            found = self._host_ids[key] = host_id(project_id, host)
        return found

    def _host_status(self, server: Server) -> str:
        """:func:`host_status`, looked up once per host in a request, for the first server on
        that host. Nova reaches the host's service through the server's row, which joins no
        service once deleted: a deleted server shows "" and so does every later one on its
        host in the same listing (observed on Nova 34, oracle)."""
        host = server.host
        found = self._host_statuses.get(host)
        if found is None:
            found = "" if server.deleted else host_status(self.backend, host)
            self._host_statuses[host] = found
        return found

    # -- whole servers ----------------------------------------------------------------------

    def basic(self, item: Server | ApiRecord, cell_down_support: bool) -> dict[str, Any]:
        links = self._links(item.uuid)
        if isinstance(item, ApiRecord):
            # Only reachable with cell_down_support (2.69+): the backend refuses otherwise.
            return {"id": item.uuid, "status": "UNKNOWN", "links": links}
        return {"id": item.uuid, "name": item.name, "links": links}

    def minimal(self, record: ApiRecord, with_spec: bool, extra_specs: bool) -> dict[str, Any]:
        """2.69's partial construct: the API database's knowledge of a server."""
        body: dict[str, Any] = {
            "id": record.uuid,
            "status": "UNKNOWN",
            "tenant_id": record.project_id,
            "created": isotime(record.created_at),
            "links": self._links(record.uuid),
        }
        if with_spec:
            body["image"] = self._image(record.image_ref)
            body["flavor"] = self._flavor(record.flavor, extra_specs)
            body["OS-EXT-AZ:availability_zone"] = record.requested_az or "UNKNOWN"
            body["OS-EXT-STS:power_state"] = 0
            body["user_id"] = record.user_id or "UNKNOWN"
            if self.renders.server_groups:  # 2.71
                body["server_groups"] = [record.server_group] if record.server_group else []
        return body

    def show(
        self,
        server: Server,
        *,
        extra_specs: bool,
        extended: bool,
        host_status_mode: str | None,
        server_groups: bool,
    ) -> dict[str, Any]:
        """The detailed view; ``detail`` and ``show`` differ only in the flags they pass."""
        renders = self.renders
        record = server.record
        uuid = record.uuid
        host = server.host
        status = server.status
        body: dict[str, Any] = {
            "accessIPv4": server.access_ip_v4,
            "accessIPv6": server.access_ip_v6,
            "addresses": self._addresses(server),
            "created": isotime(server.created_at),
            "flavor": self._flavor(record.flavor, extra_specs),
            "hostId": self._host_id(record.project_id, host),
            "id": uuid,
            "image": self._image(record.image_ref, server.image_properties),
            "links": self._links(uuid),
            "metadata": dict(server.metadata),
            "name": server.name,
            "status": status,
            "tenant_id": record.project_id,
            "user_id": record.user_id,
            "updated": isotime(server.updated_at or server.created_at),
            "OS-DCF:diskConfig": "AUTO" if server.auto_disk_config else "MANUAL",
        }
        if status in FAULT_STATUSES and (fault := self._fault(server)):
            body["fault"] = fault
        if status in PROGRESS_STATUSES:
            body["progress"] = server.progress
        placed = self.backend.hosts.get(host or "")
        body["OS-EXT-AZ:availability_zone"] = placed.zone if placed else record.requested_az or ""
        body["config_drive"] = server.config_drive
        body["key_name"] = server.key_name
        body["OS-SRV-USG:launched_at"] = naive(server.launched_at)
        body["OS-SRV-USG:terminated_at"] = naive(server.terminated_at)
        if server.addresses and server.security_groups:
            # Groups come from the server's ports; a server without ports shows none.
            body["security_groups"] = [{"name": g} for g in server.security_groups]
        if extended:
            body["OS-EXT-SRV-ATTR:host"] = host
            body["OS-EXT-SRV-ATTR:instance_name"] = server.instance_name
            body["OS-EXT-SRV-ATTR:hypervisor_hostname"] = server.node
            if renders.more_extended_attributes:  # 2.3
                body["OS-EXT-SRV-ATTR:hostname"] = server.hostname
                body["OS-EXT-SRV-ATTR:kernel_id"] = server.kernel_id
                body["OS-EXT-SRV-ATTR:launch_index"] = server.launch_index
                body["OS-EXT-SRV-ATTR:ramdisk_id"] = server.ramdisk_id
                body["OS-EXT-SRV-ATTR:reservation_id"] = server.reservation_id
                body["OS-EXT-SRV-ATTR:root_device_name"] = server.root_device_name
                body["OS-EXT-SRV-ATTR:user_data"] = server.user_data
        body["OS-EXT-STS:task_state"] = server.task_state
        body["OS-EXT-STS:vm_state"] = server.vm_state
        body["OS-EXT-STS:power_state"] = int(server.power_state)
        if renders.more_extended_attributes:  # 2.3
            volumes = [
                {"id": v["id"], "delete_on_termination": v["delete_on_termination"]}
                for v in server.volumes_attached
            ]
        else:
            volumes = [{"id": v["id"]} for v in server.volumes_attached]
        body["os-extended-volumes:volumes_attached"] = volumes
        if renders.locked:  # 2.9
            body["locked"] = server.locked_by is not None
        if renders.host_status and host_status_mode is not None:  # 2.16
            shown = self._host_status(server)
            if host_status_mode == "all" or shown == "UNKNOWN":
                body["host_status"] = shown
        if renders.description:  # 2.19
            body["description"] = server.description
        if renders.tags:  # 2.26
            body["tags"] = sorted(server.tags)  # Nova reads them in primary-key order
        if renders.trusted_image_certificates:  # 2.63
            body["trusted_image_certificates"] = server.trusted_certs
        if server_groups:  # 2.71, show only
            body["server_groups"] = self.backend.group_of(uuid)
        if renders.locked_reason:  # 2.73
            body["locked_reason"] = server.locked_reason
        if renders.hostname and not extended:  # 2.90
            body["OS-EXT-SRV-ATTR:hostname"] = server.hostname
        if renders.pinned_availability_zone:  # 2.96
            body["pinned_availability_zone"] = record.requested_az
        if renders.scheduler_hints:  # 2.100
            body["scheduler_hints"] = dict(record.scheduler_hints)
        return body

    # -- the three entry points -------------------------------------------------------------

    def one(self, item: Server | ApiRecord) -> dict[str, Any]:
        """``GET /servers/{id}``."""
        extra_specs = self.renders.flavor_inline and self.can(
            SERVERS + "show:flavor-extra-specs", item.project_id
        )
        if isinstance(item, ApiRecord):
            return {"server": self.minimal(item, with_spec=True, extra_specs=extra_specs)}
        return {
            "server": self.show(
                item,
                extra_specs=extra_specs,
                extended=self.can(EXTENDED_ATTRIBUTES, item.project_id),
                host_status_mode=self._host_status_mode(item.project_id),
                server_groups=self.renders.server_groups,
            )
        }

    def index(self, items: list[Server | ApiRecord], cell_down_support: bool) -> dict[str, Any]:
        """``GET /servers``."""
        return self._listed([self.basic(i, cell_down_support) for i in items], items, "servers")

    def detail(self, items: list[Server | ApiRecord]) -> dict[str, Any]:
        """``GET /servers/detail``: policy is asked once, without a target, as Nova does."""
        extra_specs = self.renders.flavor_inline and self.can(SERVERS + "show:flavor-extra-specs")
        extended = self.can(EXTENDED_ATTRIBUTES)
        mode = self._host_status_mode(None)
        rendered = [
            self._listed_minimal(i)
            if isinstance(i, ApiRecord)
            else self.show(
                i,
                extra_specs=extra_specs,
                extended=extended,
                host_status_mode=mode,
                server_groups=False,
            )
            for i in items
        ]
        return self._listed(rendered, items, "servers/detail")

    def _listed_minimal(self, record: ApiRecord) -> dict[str, Any]:
        """A down cell's server in ``/servers/detail``. Security groups come from the server's
        ports, which the network service still knows, so they are added after the construct
        exactly as for reachable servers (and only for a server that has ports)."""
        body = self.minimal(record, with_spec=False, extra_specs=False)
        ported = self.backend.servers.get(record.uuid)
        if ported is not None and ported.addresses and ported.security_groups:
            body["security_groups"] = [{"name": g} for g in ported.security_groups]
        return body

    def _listed(
        self, rendered: list[dict[str, Any]], items: list[Server | ApiRecord], collection: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"servers": rendered}
        max_limit = int(self.backend.settings.nova_option("api.max_limit"))
        last = items[-1].uuid if items else None
        if next_links := self.links.collection(items, collection, last, max_limit):
            body["servers_links"] = next_links
        return body
