"""Shelve, shelveOffload and unshelve.

Shelving powers the server off and keeps its disk as a snapshot image (``<name>-shelved``).
``[DEFAULT] shelved_offload_time`` decides when it leaves its host (SHELVED_OFFLOADED, no
host, its resources free): 0 at once within the same event, N seconds later (Nova's periodic
task, which records no action), or -1 never. Unshelving a SHELVED server just starts it
again; an offloaded one goes through the super-conductor and the scheduler to a host of its
cell, where it is spawned from the snapshot. Either way the snapshot is deleted; when no host
has room, the unshelve fails in its ``schedule_instances`` event and the server stays offloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions import snapshots
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actions.instance_actions import ActionEvent, InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.deployment import scheduler
from fakenova.compute.models.deployment.cells import Host
from fakenova.compute.models.errors import (
    ComputeHostNotFound,
    HostNotInZone,
    UnshelveNotOffloaded,
    ZoneNotAvailable,
)
from fakenova.compute.models.moves.common import NO_VALID_HOST, move_hints, nova_frame
from fakenova.compute.models.resources import server_groups
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import (
    ACTIVE,
    PAUSED,
    SHELVED,
    SHELVED_OFFLOADED,
    STOPPED,
    SUSPENDED,
    PowerState,
)

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

SHELVE_STATES = States.of([ACTIVE, STOPPED, PAUSED, SUSPENDED])
OFFLOAD_STATES = States.of([SHELVED])
UNSHELVE_STATES = States.of([SHELVED, SHELVED_OFFLOADED])
SHELVE_SECONDS, OFFLOAD_SECONDS, SPAWN_SECONDS, SCHEDULE_SECONDS = 10, 3, 8, 1
# Where a failed unshelve's schedule_instances event says it failed: Nova's frames from the
# conductor down to the scheduler's NoValidHost, as Nova 34 records them (the RPC library's
# frames between rpcapi.py and the scheduler depend on its driver and are left out).
UNSHELVE_TRACE = (
    nova_frame(
        "conductor/manager.py",
        1113,
        "unshelve_instance",
        "host_lists = self._schedule_instances(context,",
        " " * 13 + "^" * 33,
    )
    + nova_frame(
        "conductor/manager.py",
        971,
        "_schedule_instances",
        "host_lists = self.query_client.select_destinations(",
        " " * 13 + "^" * 38,
    )
    + nova_frame(
        "scheduler/client/query.py",
        41,
        "select_destinations",
        "return self.scheduler_rpcapi.select_destinations(context, spec_obj,",
        " " * 7 + "^" * 60,
    )
    + nova_frame(
        "scheduler/rpcapi.py",
        160,
        "select_destinations",
        "return cctxt.call(ctxt, 'select_destinations', **msg_args)",
        " " * 7 + "^" * 51,
    )
    + nova_frame(
        "scheduler/manager.py", 283, "select_destinations", 'raise exception.NoValidHost(reason="")'
    )
)
# The same call when the filters (a server group's, the hints') left no host: the scheduler
# raises after filtering instead.
UNSHELVE_FILTERED_TRACE = (
    UNSHELVE_TRACE[: UNSHELVE_TRACE.rindex('  File "')]
    + nova_frame(
        "scheduler/manager.py",
        297,
        "select_destinations",
        "selections = self._select_destinations(",
        " " * 13 + "^" * 26,
    )
    + nova_frame(
        "scheduler/manager.py",
        324,
        "_select_destinations",
        "selections = self._schedule(",
        " " * 13 + "^" * 15,
    )
    + nova_frame("scheduler/manager.py", 525, "_schedule", "self._ensure_sufficient_hosts(")
    + nova_frame(
        "scheduler/manager.py",
        572,
        "_ensure_sufficient_hosts",
        "raise exception.NoValidHost(reason=reason)",
    )
)


UNCHANGED = object()  # unshelve without ``availability_zone``: the pinned zone stays


@dataclass(frozen=True)
class Target:
    """Where an unshelve may go: a zone (UNCHANGED, None to unpin, or a name) and a host."""

    zone: object = UNCHANGED
    host: str | None = None


def offload_time(backend: ComputeBackend) -> int:
    return int(backend.settings.nova.get("shelved_offload_time", 0) or 0)


def shelve(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, SHELVE_STATES)
    record = flow.begin(backend, server, actor, "shelve", "shelving")
    image = snapshots.new_image(backend, server, actor, f"{server.name}-shelved", "snapshot")
    server.shelved_image_id = image.id
    wait = offload_time(backend)

    def shelved() -> None:
        snapshots.uploaded(backend, image, server)
        server.vm_state = SHELVED
        server.task_state = None
        server.power_state = PowerState.SHUTDOWN
        if wait == 0:
            _offloaded(backend, server)
        elif wait > 0:
            backend.tasks.defer(
                wait, f"offload {server.uuid}", lambda: _periodic(backend, server), timer=True
            )

    flow.on_host(backend, server, record, "compute_shelve_instance", SHELVE_SECONDS, shelved)


def _offloaded(backend: ComputeBackend, server: Server) -> None:
    server.vm_state = SHELVED_OFFLOADED
    server.task_state = None
    server.power_state = PowerState.SHUTDOWN
    server.host = server.node = None
    ports.bind(backend.network, server)  # unbound from the host it left


def _periodic(backend: ComputeBackend, server: Server) -> None:
    """The host's periodic task offloads servers shelved long enough (no action recorded)."""
    if not server.deleted and server.vm_state == SHELVED and server.task_state is None:
        _offloaded(backend, server)
        server.updated_at = backend.clock.now


def shelve_offload(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, OFFLOAD_STATES)
    record = flow.begin(backend, server, actor, "shelveOffload", "shelving_offloading")
    flow.on_host(
        backend,
        server,
        record,
        "compute_shelve_offload_instance",
        OFFLOAD_SECONDS,
        lambda: _offloaded(backend, server),
    )


def check_unshelve(backend: ComputeBackend, server: Server, actor: Actor, to: Target) -> None:
    """Everything Nova checks before it changes anything (the host policy is the caller's)."""
    flow.check_lock(server, actor)
    flow.check_states(server, UNSHELVE_STATES)
    zone_given = to.zone is not UNCHANGED
    if (zone_given or to.host) and server.vm_state != SHELVED_OFFLOADED:
        raise UnshelveNotOffloaded(server.uuid, server.vm_state)
    if zone_given and to.zone and to.zone not in available_zones(backend):
        raise ZoneNotAvailable()
    if to.host:
        if to.host not in backend.hosts:
            raise ComputeHostNotFound(to.host)
        zone = server.record.requested_az if not zone_given else to.zone
        if zone is not None and backend.hosts[to.host].zone != zone:
            raise HostNotInZone(to.host, str(zone))


def available_zones(backend: ComputeBackend) -> set[str]:
    return {h.zone for h in backend.schedulable_hosts()}


def unshelve(backend: ComputeBackend, server: Server, actor: Actor, to: Target) -> None:
    check_unshelve(backend, server, actor, to)
    if to.zone is not UNCHANGED:
        server.record.requested_az = to.zone  # type: ignore[assignment]
    record = flow.begin(backend, server, actor, "unshelve", "unshelving")
    if server.vm_state == SHELVED:
        server.task_state = "powering-on"  # the conductor just starts it again

        def started() -> None:
            server.vm_state = ACTIVE
            server.task_state = None
            server.power_state = PowerState.RUNNING
            drop_snapshot(backend, server)

        flow.on_host(backend, server, record, "compute_start_instance", 3, started)
        return
    flow.on_host(backend, server, record, "get_image_info", 0, lambda: None, flow.CONTROLLER)
    scheduling = backend.actions.event_start(
        record, "schedule_instances", backend.clock.now, flow.CONTROLLER
    )
    backend.tasks.defer(
        SCHEDULE_SECONDS,
        f"schedule_instances {server.uuid}",
        partial(_scheduled, backend, server, record, scheduling, to),
    )


def _scheduled(
    backend: ComputeBackend,
    server: Server,
    record: InstanceAction,
    scheduling: ActionEvent,
    to: Target,
) -> None:
    """The super-conductor's ``schedule_instances``: a host of the server's cell spawns it.

    When none fits (NoValidHost) the event fails, so the action shows ``Error``, and the
    server stays SHELVED_OFFLOADED with its task cleared, its snapshot kept and no fault.
    """
    if server.deleted:
        return
    host, reason = _pick(backend, server, to.host)
    now = backend.clock.now
    server.updated_at = now
    if host is None:
        server.task_state = None
        trace = UNSHELVE_FILTERED_TRACE if reason else UNSHELVE_TRACE
        backend.actions.event_finish(
            record, scheduling, now, error=NO_VALID_HOST + reason, traceback=trace
        )
        return
    server.host = server.node = host.name
    ports.bind(backend.network, server)
    server.task_state = "spawning"

    def spawned() -> None:
        server.vm_state = ACTIVE
        server.task_state = None
        server.power_state = PowerState.RUNNING
        drop_snapshot(backend, server)

    flow.on_host(backend, server, record, "compute_unshelve_instance", SPAWN_SECONDS, spawned)
    backend.actions.event_finish(record, scheduling, now)


def _pick(backend: ComputeBackend, server: Server, host: str | None) -> tuple[Host | None, str]:
    """A host of the server's own cell, in its (possibly new) zone, with room for it, and
    its group's and hints' consent; with none, the scheduler's reason."""
    candidates = [h for h in backend.schedulable_hosts() if h.cell is server.cell]
    others = (s for s in backend.servers.values() if s is not server)
    used = scheduler.usage_by_host(others, backend.migrations)
    placement = scheduler.Placement(
        zone=server.record.requested_az,
        host=host,
        group=server_groups.rule_for(backend, server),
        hints=move_hints(backend, server),
    )
    chosen = scheduler.select_host(candidates, used, server.flavor, placement)
    if chosen is not None:
        return chosen, ""
    return None, scheduler.no_host_reason(candidates, used, server.flavor, placement)


def drop_snapshot(backend: ComputeBackend, server: Server) -> None:
    if server.shelved_image_id and backend.images is not None:
        backend.images.delete(server.shelved_image_id)
    server.shelved_image_id = None
