"""Building servers: the one path both the API and the scenarios take.

A build is described by a :class:`BuildSpec` (what ``POST /servers`` asked for, after
validation). :func:`start` numbers the server in its cell and stores it in BUILD
(``building``/``scheduling``), already placed: on its host's cell when the scheduler found a
host, else in ``cell0``, where Nova buries builds that never reached a cell. :func:`finish`
(ACTIVE, or ERROR when a network has no address left) and :func:`fail` (no host) are the
ends a build can reach; the API defers them through the task queue, scenarios call
:func:`finish` at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from fakenova.compute.models.actions.instance_actions import InstanceAction, InstanceActionLog
from fakenova.compute.models.deployment import scheduler
from fakenova.compute.models.deployment.cells import Cell, Host
from fakenova.compute.models.deployment.networks import Network, NoMoreFixedIps
from fakenova.compute.models.resources import server_groups
from fakenova.compute.models.resources.flavors import Flavor
from fakenova.compute.models.servers import accelerators
from fakenova.compute.models.servers.records import ApiRecord, Fault, Server
from fakenova.compute.models.servers.states import ACTIVE, BUILDING, ERROR, PowerState

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

BUILD_SECONDS = 6  # from the API's answer to the server running on its host
# The create action starts with the request; the host's build event a moment later.
COMPUTE_DELAY_US = 1_046_317
BUILD_EVENT = "compute__do_build_and_run_instance"
BURY_EVENT = "conductor_schedule_and_build_instances"  # a build no host could take
NO_VALID_HOST = "No valid host was found. "
CELL0 = "cell0"
RESERVATION_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class BuildSpec:
    """One server to build (a request for N servers makes N specs, names already indexed)."""

    name: str
    project_id: str
    user_id: str
    flavor: Flavor
    image_ref: str
    reservation_id: str
    hostname: str
    image_properties: dict[str, str] = field(default_factory=dict)
    networks: list[Network] = field(default_factory=list)
    fixed_ips: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    key_name: str | None = None
    access_ip_v4: str = ""
    access_ip_v6: str = ""
    auto_disk_config: bool = False
    config_drive: str = ""
    user_data: str | None = None
    security_groups: list[str] = field(default_factory=lambda: ["default"])
    # The requested groups' ids in the Network service (None: the project's default group)
    # and the ports the user passed in (``networks: [{"port": id}]``).
    group_ids: list[str] | None = None
    ports: list[str] = field(default_factory=list)
    trusted_certs: list[str] | None = None
    requested_az: str | None = None
    scheduler_hints: dict[str, list[str]] = field(default_factory=dict)
    server_group: str | None = None
    launch_index: int = 0


def sanitize_hostname(name: str) -> str:
    """Nova's hostname from a display name: Latin-1 only, at most 63 characters, spaces, dots
    and underscores as dashes, nothing but word characters and dashes, lower case, no dashes
    or dots at either end ("" when nothing is left)."""
    text = name.encode("latin-1", "ignore").decode("latin-1")[:63]
    text = re.sub(r"[ _\.]", "-", text)
    text = re.sub(r"[^\w.-]+", "", text)
    return text.lower().strip(".-")


def default_hostname(name: str, index: int = 0, count: int = 1) -> str:
    """The hostname of server ``index`` of ``count`` named ``name``: the sanitized name, with
    ``-N`` when several are built; empty when nothing is left (see :func:`start`)."""
    hostname = sanitize_hostname(name)
    if hostname and count > 1:
        return f"{hostname}-{index + 1}"
    return hostname


def reservation_id(backend: ComputeBackend, name: str) -> str:
    """The id a request's servers share (``r-`` and 8 letters and digits), stable per name."""
    return "r-" + backend.ids.token("reservation", name, 8, RESERVATION_ALPHABET)


def start(
    backend: ComputeBackend,
    spec: BuildSpec,
    uuid: str,
    host: Host | None,
    created: dt.datetime,
    request_id: str | None = None,
) -> Server:
    """Store the server in BUILD on ``host``'s cell (``cell0`` without a host), with its
    ``create`` instance action under the request id of the ``POST /servers`` that asked."""
    cell: Cell = host.cell if host else backend.cells[CELL0]
    record = ApiRecord(
        uuid=uuid,
        project_id=spec.project_id,
        user_id=spec.user_id,
        cell=cell,
        created_at=created,
        flavor=spec.flavor.snapshot(),
        image_ref=spec.image_ref,
        requested_az=spec.requested_az,
        server_group=spec.server_group,
        scheduler_hints=dict(spec.scheduler_hints),
    )
    server = Server(
        record=record,
        name=spec.name,
        host=host.name if host else None,
        node=host.name if host else None,
        instance_id=backend.next_instance_id(cell.name),
        reservation_id=spec.reservation_id,
        hostname=spec.hostname or f"Server-{uuid}",  # a name with no usable letters
        vm_state=BUILDING,
        task_state="scheduling",
        power_state=PowerState.NOSTATE,
        created_at=created,
        updated_at=created,
        description=spec.description,
        metadata=dict(spec.metadata),
        tags=list(spec.tags),
        key_name=spec.key_name,
        config_drive=spec.config_drive,
        access_ip_v4=spec.access_ip_v4,
        access_ip_v6=spec.access_ip_v6,
        auto_disk_config=spec.auto_disk_config,
        user_data=spec.user_data,
        launch_index=spec.launch_index,
        root_device_name=None,
        security_groups=list(spec.security_groups),
        trusted_certs=spec.trusted_certs,
        image_properties=dict(spec.image_properties),
    )
    backend.records[uuid] = record
    backend.servers[uuid] = server
    if spec.server_group:
        backend.server_groups[spec.server_group].members.append(uuid)
    request_id = request_id or "req-" + backend.ids.uuid("request", f"build {uuid}")
    backend.actions.start(uuid, "create", request_id, spec.user_id, spec.project_id, created)
    return server


def _create_action(backend: ComputeBackend, server: Server) -> InstanceAction | None:
    return next((a for a in backend.actions.for_server(server.uuid) if a.action == "create"), None)


def finish(backend: ComputeBackend, server: Server, spec: BuildSpec, launched: dt.datetime) -> None:
    """The compute host spawned it: ACTIVE, running, with its ports; or, when a network has
    no address left for its port, the build is aborted (:func:`_network_failed`)."""
    try:
        addresses = backend.allocate_addresses(
            server, spec.networks, spec.fixed_ips, spec.group_ids
        ) + [backend.attach_port(server, port_id) for port_id in spec.ports]
    except NoMoreFixedIps as error:
        _network_failed(backend, server, error, launched)
        return
    server.vm_state = ACTIVE
    server.task_state = None
    server.power_state = PowerState.RUNNING
    server.root_device_name = "/dev/vda"
    server.launched_at = launched
    server.updated_at = launched.replace(microsecond=0)
    server.addresses = addresses
    _build_event(backend, server, server.host, launched)


def _build_event(
    backend: ComputeBackend, server: Server, host: str | None, finished: dt.datetime
) -> None:
    """The host's build event of the ``create`` action: it ends in Success even when the
    build was aborted, since Nova's ``_do_build_and_run_instance`` handles the abort itself
    and returns, so that its event wrapper sees no exception."""
    if (action := _create_action(backend, server)) is not None:
        began = action.start_time + dt.timedelta(microseconds=COMPUTE_DELAY_US)
        event = InstanceActionLog.event_start(action, BUILD_EVENT, began, host)
        InstanceActionLog.event_finish(action, event, finished)


def _network_failed(
    backend: ComputeBackend, server: Server, error: NoMoreFixedIps, at: dt.datetime
) -> None:
    """Neutron had no address for the server's port (``IpAddressGenerationFailure``), as Nova
    34 ends such a build (``nova/compute/manager.py``): ``_build_and_run_instance`` turns
    ``NoMoreFixedIps`` into a ``BuildAbortException``, which is never rescheduled;
    ``_do_build_and_run_instance`` then records the fault (code 500, the abort's sentence),
    clears the host and node (the host's resources are freed, a later delete is the API's
    own), and sets ERROR with no task. The ports made are deleted again, the guest never ran
    (no launch time, no power state); the root device name was already chosen. Observed on
    the oracle with its fake Neutron made to answer ``IpAddressGenerationFailure``."""
    stamp = at.replace(microsecond=0)
    message = (
        f"Build of instance {server.uuid} aborted: Failed to allocate the network(s) with "
        f"error {error.message}, not rescheduling."
    )
    host = server.host
    server.vm_state = ERROR
    server.task_state = None
    server.host = server.node = None
    server.root_device_name = "/dev/vda"
    server.updated_at = stamp
    server.fault = Fault(500, message, _build_abort_trace(error, message), stamp)
    _build_event(backend, server, host, at)


def _build_abort_trace(error: NoMoreFixedIps, message: str) -> str:
    """What an admin sees as the fault's details: the chain from Neutron's refusal to the
    aborted build (abridged)."""
    return (
        "Traceback (most recent call last):\n"
        '  File "nova/network/neutron.py", in _create_port_minimal\n'
        "    port_response = port_client.create_port(port_req_body)\n"
        "neutronclient.common.exceptions.IpAddressGenerationFailureClient: No more IP "
        f"addresses available on network {error.network_id}.\n"
        "\nDuring handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "nova/compute/manager.py", in _build_and_run_instance\n'
        "    self.driver.spawn(context, instance, image_meta,\n"
        '  File "nova/network/neutron.py", in _create_port_minimal\n'
        "    raise exception.NoMoreFixedIps(net=network_id)\n"
        f"nova.exception.NoMoreFixedIps: {error.message}\n"
        "\nDuring handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "nova/compute/manager.py", in _do_build_and_run_instance\n'
        "    self._build_and_run_instance(context, instance, image,\n"
        '  File "nova/compute/manager.py", in _build_and_run_instance\n'
        "    raise exception.BuildAbortException(instance_uuid=instance.uuid,\n"
        f"nova.exception.BuildAbortException: {message}\n"
    )


def fail(server: Server, at: dt.datetime, reason: str = "") -> None:
    """No host could take it: ERROR in cell0, with the scheduler's fault (``reason`` as
    :func:`~fakenova.compute.models.deployment.scheduler.no_host_reason` gives it)."""
    server.vm_state = ERROR
    server.task_state = None
    server.updated_at = at.replace(microsecond=0)
    trace = _no_valid_host_trace(reason)
    server.fault = Fault(500, NO_VALID_HOST + reason, trace, at.replace(microsecond=0))


def _no_valid_host_trace(reason: str = "") -> str:
    """What an admin sees as the fault's details: where the conductor gave up, and where
    the scheduler raised (at once with no host offered, after filtering otherwise)."""
    raised = (
        "    selections = self._select_destinations(\n"
        '  File "nova/scheduler/manager.py", in _select_destinations\n'
        "    selections = self._schedule(\n"
        '  File "nova/scheduler/manager.py", in _schedule\n'
        "    self._ensure_sufficient_hosts(\n"
        '  File "nova/scheduler/manager.py", in _ensure_sufficient_hosts\n'
        "    raise exception.NoValidHost(reason=reason)\n"
        if reason
        else '    raise exception.NoValidHost(reason="")\n'
    )
    return (
        "Traceback (most recent call last):\n"
        '  File "nova/conductor/manager.py", in schedule_and_build_instances\n'
        "    host_lists = self._schedule_instances(context, request_specs[0],\n"
        '  File "nova/scheduler/manager.py", in select_destinations\n'
        f"{raised}"
        f"nova.exception.NoValidHost: {NO_VALID_HOST}{reason}\n"
    )


def launch(
    backend: ComputeBackend,
    specs: list[BuildSpec],
    placement: scheduler.Placement,
    request_id: str | None = None,
) -> list[Server]:
    """Schedule and start every spec of one request; the builds end when the queue settles.

    Like Nova's scheduler, a request is placed whole or not at all: when one of its servers
    fits nowhere, all of them end in ERROR in cell0.
    """
    created = backend.clock.now.replace(microsecond=0)
    used = scheduler.usage_by_host(backend.servers.values(), backend.migrations)
    hosts: list[Host] | None = []
    if specs and specs[0].server_group:
        placement = replace(placement, group=server_groups.rule(backend, specs[0].server_group))
    before, reason = dict(used), ""
    for spec in specs:
        host = scheduler.select_host(backend.schedulable_hosts(), used, spec.flavor, placement)
        if host is None:
            # Placement is asked once, for one server of the request: with no host offered
            # there is no reason; otherwise the filters or a later claim left too few hosts.
            hosts = None
            reason = scheduler.no_host_reason(
                backend.schedulable_hosts(), before, specs[0].flavor, placement
            )
            break
        used[host.name] = used.get(host.name, scheduler.Usage()).plus(spec.flavor)
        if placement.group is not None:  # the next server of the request sees this one
            placement = replace(placement, group=placement.group.placed(host.name))
        assert hosts is not None
        hosts.append(host)
    servers = []
    for index, spec in enumerate(specs):
        uuid = backend.ids.uuid("server", spec.name)
        host = hosts[index] if hosts is not None else None
        server = start(backend, spec, uuid, host, created, request_id)
        servers.append(server)
        if host is None:
            failed = partial(_failed, backend, server, reason)
            backend.tasks.defer(0, f"no valid host for {uuid}", failed)
        else:
            accelerators.bind(backend, server, host.name)
            _on_host(backend, server, spec, launch_time(created, uuid), HOST_STATES)
    return servers


# The task states the compute host goes through once the scheduler picked it, as Nova's
# manager sets them: the ports, then the disks, then the guest. The first two take a second
# each here, spawning the rest of the build.
HOST_STATES = ("networking", "block_device_mapping", "spawning")


def _on_host(
    backend: ComputeBackend,
    server: Server,
    spec: BuildSpec,
    launched: dt.datetime,
    states: tuple[str, ...],
) -> None:
    """Queue the host's next build step: a second on to the next task state, or, after the
    last, on to ``launched``, when the server runs."""
    if states:
        step = partial(_host_step, backend, server, spec, launched, states)
        backend.tasks.defer(1, f"build {server.uuid}", step)
        return
    seconds = (launched - backend.clock.now).total_seconds()
    spawned = partial(_spawned, backend, server, spec)
    backend.tasks.defer(max(seconds, 0), f"build {server.uuid}", spawned)


def _host_step(
    backend: ComputeBackend,
    server: Server,
    spec: BuildSpec,
    launched: dt.datetime,
    states: tuple[str, ...],
) -> None:
    if server.deleted or server.vm_state != BUILDING:
        return  # deleted (or otherwise taken over) while it was building
    server.task_state = states[0]
    _on_host(backend, server, spec, launched, states[1:])


def launch_time(created: dt.datetime, uuid: str) -> dt.datetime:
    """When a build started at ``created`` is running: a few seconds later, with a
    microsecond part taken from the uuid (Nova prints launched_at with microseconds)."""
    micros = int(uuid.replace("-", "")[:5], 16) % 1_000_000
    return created + dt.timedelta(seconds=BUILD_SECONDS, microseconds=micros)


def _spawned(backend: ComputeBackend, server: Server, spec: BuildSpec) -> None:
    if server.deleted or server.vm_state != BUILDING:
        return  # deleted (or otherwise taken over) while it was building
    finish(backend, server, spec, backend.clock.now)


def _failed(backend: ComputeBackend, server: Server, reason: str) -> None:
    if server.deleted or server.vm_state != BUILDING:
        return
    fail(server, backend.clock.now, reason)
    if (action := _create_action(backend, server)) is not None:
        event = InstanceActionLog.event_start(
            action, BURY_EVENT, action.start_time, backend.conductor_host()
        )
        InstanceActionLog.event_finish(
            action,
            event,
            backend.clock.now,
            error=NO_VALID_HOST + reason,
            traceback=_no_valid_host_trace(reason),
        )
