"""Servers (Nova's instances) and the little the API database knows about them.

Nova keeps most of a server in its cell's database and only a mapping (uuid, project, cell,
created_at) plus the build request spec (flavor, image, availability zone, user) in the API
database. When a cell is unreachable only the latter can be read, which is exactly what the
2.69 "minimal constructs" show; :class:`ApiRecord` is that part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fakenova.compute.models.deployment.cells import Cell
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers.states import ACTIVE, PowerState, status_for


@dataclass
class Address:
    network: str
    addr: str
    mac: str
    version: int = 4
    type: str = "fixed"
    # The Network service's port holding the address, and whether Nova keeps that port when
    # the server goes (a port the user passed in) rather than deleting it.
    port_id: str | None = None
    preserve: bool = False
    tag: str | None = None  # the device tag an interface attach gave it (2.49)
    # The floating addresses that point at this fixed one, as Nova's network info cache last
    # read them from the Network service.
    floating: tuple[str, ...] = ()


def shown_addresses(addresses: list[Address]) -> list[Address]:
    """The addresses as the API lists them per network: the fixed ones, then the floating
    ones (with the MAC of the port they point at), as Nova's
    ``get_networks_for_instance_from_nw_info`` orders them."""
    fixed = [a for a in addresses if a.type == "fixed"]
    floating = [
        Address(a.network, f, a.mac, 4, "floating", port_id=a.port_id)
        for a in fixed
        for f in a.floating
    ]
    ordered: list[Address] = []
    for network in dict.fromkeys(a.network for a in fixed):
        ordered += [a for a in fixed if a.network == network]
        ordered += [a for a in floating if a.network == network]
    return ordered


@dataclass
class Fault:
    code: int
    message: str
    details: str | None
    created_at: dt.datetime


@dataclass(slots=True)
class ApiRecord:
    """What the API database holds: instance mapping plus request spec."""

    uuid: str
    project_id: str
    user_id: str
    cell: Cell
    created_at: dt.datetime
    flavor: Flavor
    image_ref: str
    requested_az: str | None = None
    scheduler_hints: dict[str, list[str]] = field(default_factory=dict)
    server_group: str | None = None
    queued_for_delete: bool = False


@dataclass(slots=True)
class Server:
    """A server as its cell database holds it."""

    record: ApiRecord
    name: str
    host: str | None
    node: str | None
    instance_id: int
    reservation_id: str
    hostname: str
    vm_state: str = ACTIVE
    task_state: str | None = None
    power_state: int = PowerState.RUNNING
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime(1970, 1, 1))
    updated_at: dt.datetime | None = None
    launched_at: dt.datetime | None = None
    terminated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None  # set by a delete or a soft delete
    deleted: bool = False
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    key_name: str | None = None
    config_drive: str = ""
    access_ip_v4: str = ""
    access_ip_v6: str = ""
    auto_disk_config: bool = False
    user_data: str | None = None
    launch_index: int = 0
    root_device_name: str | None = "/dev/vda"
    kernel_id: str = ""
    ramdisk_id: str = ""
    locked_by: str | None = None
    locked_reason: str | None = None
    progress: int = 0
    addresses: list[Address] = field(default_factory=list)
    security_groups: list[str] = field(default_factory=lambda: ["default"])
    trusted_certs: list[str] | None = None
    volumes_attached: list[dict[str, object]] = field(default_factory=list)
    fault: Fault | None = None
    shelved_image_id: str | None = None  # the snapshot a shelved server is kept in
    # The image's properties as they were at create or the last rebuild (Nova copies them
    # into the instance's system metadata): what a resize checks the new flavor against.
    image_properties: dict[str, str] = field(default_factory=dict)

    @property
    def uuid(self) -> str:
        return self.record.uuid

    @property
    def project_id(self) -> str:
        return self.record.project_id

    @property
    def user_id(self) -> str:
        return self.record.user_id

    @property
    def flavor(self) -> Flavor:
        return self.record.flavor

    @property
    def image_ref(self) -> str:
        return self.record.image_ref

    @property
    def cell(self) -> Cell:
        return self.record.cell

    @property
    def instance_name(self) -> str:
        return f"instance-{self.instance_id:08x}"

    @property
    def status(self) -> str:
        if self.deleted:
            return "DELETED"
        return status_for(self.vm_state, self.task_state)


ServerOrRecord = Server | ApiRecord
