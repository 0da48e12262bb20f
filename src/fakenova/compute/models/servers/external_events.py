"""Events other services send about servers (``os-server-external-events``): Neutron's port
events, Cinder's volume-extended and volume-reimaged, Ironic's power-update, Cyborg's
accelerator-request-bound.

Nova answers each event on its own: a server it cannot find is a 404, an event that needs a
tag and has none a 400, a server without a host (never scheduled, or shelved offloaded) a
422; the others are accepted (200, status ``completed``) and cast to the server's compute.
Deleted servers are still found (Nova reads the instances with their deleted rows) and
accepted while they keep their host. What the API shows afterwards: volume-extended and
power-update record an instance action (``extend_volume``; ``start`` or ``stop`` for a
POWER_ON or POWER_OFF tag, none for another tag) whose compute event follows. A libvirt
compute has no volume attachment by the tag to extend (the event succeeds doing nothing),
and cannot apply a power update: when the server is in the state the tag changes (running
for POWER_OFF, stopped for POWER_ON, no task) the event fails with NotImplementedError and
the server stays as it was; otherwise it succeeds as a no-op. network-vif-deleted drops the
port the tag names from the server's addresses (Nova's network info cache); network-changed
refreshes the ports the cache already holds, whose floating addresses may have changed; the
other port events change nothing a client reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fakenova.compute.models.actions import flows
from fakenova.compute.models.actions.instance_actions import InstanceAction
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.deployment import networks as ports
from fakenova.compute.models.errors import DB_ERROR, CellUnreachable
from fakenova.compute.models.moves.common import WRAPPED_FRAME, nova_frame
from fakenova.compute.models.servers.event_records import (
    ACCEPTED,
    BAD_REQUEST,
    NO_HOST,
    NOT_FOUND,
    Event,
)
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, STOPPED, PowerState

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

TAG_REQUIRED = ("volume-extended", "power-update", "accelerator-request-bound")
POWER_ON, POWER_OFF = "POWER_ON", "POWER_OFF"
COMPUTE_SECONDS = 0.2
# Where devstack's virtualenv installs the libraries Nova's tracebacks pass through.
LIBRARIES = "/opt/stack/data/venv/lib/python3.12/site-packages/"
POWER_UPDATE_DETAILS = "NotImplementedError"


def _library_frame(path: str, line: int, function: str, code: str, carets: str = "") -> str:
    text = f'  File "{LIBRARIES}{path}", line {line}, in {function}\n    {code}\n'
    return text + (f"    {carets}\n" if carets else "")


# ``traceback.format_tb`` of the compute's failed power update, in Nova 34's files.
POWER_UPDATE_TRACE = (
    WRAPPED_FRAME
    + nova_frame(
        "compute/manager.py",
        212,
        "decorated_function",
        "with excutils.save_and_reraise_exception():",
    )
    + _library_frame("oslo_utils/excutils.py", 260, "__exit__", "self.force_reraise()")
    + _library_frame("oslo_utils/excutils.py", 226, "force_reraise", "raise self.value")
    + nova_frame(
        "compute/manager.py",
        202,
        "decorated_function",
        "return function(self, context, *args, **kwargs)",
        "       " + "^" * 40,
    )
    + nova_frame("compute/manager.py", 11654, "power_update", "do_power_update()")
    + _library_frame(
        "oslo_concurrency/lockutils.py",
        534,
        "inner",
        "return f(*args, **kwargs)",
        "       " + "^" * 18,
    )
    + nova_frame(
        "compute/manager.py",
        11641,
        "do_power_update",
        "self.driver.power_update_event(instance, target_power_state)",
    )
    + nova_frame("virt/driver.py", 1174, "power_update_event", "raise NotImplementedError()")
)


def find(backend: ComputeBackend, uuids: list[str]) -> dict[str, Server]:
    """The servers the events name, deleted ones too, read in their cells (an unreachable
    cell's database fails the read: Nova's 500)."""
    found = {}
    for uuid in uuids:
        server = backend.servers.get(uuid) if uuid in backend.records else None
        if server is None:
            continue
        if not server.cell.reachable:
            cell = server.cell
            raise CellUnreachable(cell.uuid, f"Cell {cell.uuid} is not responding.", DB_ERROR)
        found[uuid] = server
    return found


def outcome(event: Event, server: Server | None) -> int:
    if server is None:
        return NOT_FOUND
    if event.name in TAG_REQUIRED and event.tag is None:
        return BAD_REQUEST
    return ACCEPTED if server.host else NO_HOST


def deliver(backend: ComputeBackend, actor: Actor, events: list[Event]) -> list[int]:
    """Each event's code; the accepted ones are recorded and cast to their computes."""
    servers = find(backend, list(dict.fromkeys(e.server_uuid for e in events)))
    codes = [outcome(e, servers.get(e.server_uuid)) for e in events]
    for event, code in zip(events, codes, strict=True):
        if code == ACCEPTED:
            _accept(backend, actor, servers[event.server_uuid], event)
    return codes


def _accept(backend: ComputeBackend, actor: Actor, server: Server, event: Event) -> None:
    if event.name == "volume-extended":
        record = flows.begin(backend, server, actor, "extend_volume")
        _on_compute(backend, server, "compute_extend_volume", lambda: None, record)
    elif event.name == "power-update" and event.tag in (POWER_ON, POWER_OFF):
        action = "start" if event.tag == POWER_ON else "stop"
        record = flows.begin(backend, server, actor, action)
        _on_compute(
            backend, server, "compute_power_update", lambda: _power_update(server, event), record
        )
    elif event.name == "network-vif-deleted":
        _on_compute(backend, server, event.name, lambda: _forget_port(server, event.tag))
    elif event.name == "network-changed":
        _on_compute(backend, server, event.name, lambda: _refresh(backend, server))


def _power_update(server: Server, event: Event) -> str | None:
    """The compute's part: a no-op unless the tag changes the server's state, which the
    libvirt driver cannot do (the error, once the task state it set is reverted)."""
    if server.task_state is not None:
        return None
    if event.tag == POWER_OFF:
        applies = server.vm_state == ACTIVE and server.power_state == PowerState.RUNNING
    else:
        applies = server.vm_state == STOPPED and server.power_state == PowerState.SHUTDOWN
    return POWER_UPDATE_DETAILS if applies else None


def _forget_port(server: Server, port_id: str | None) -> None:
    """Neutron deleted the port: the compute detaches it from the guest and drops it from the
    server's network info cache (its addresses). The port itself is Neutron's business: one
    that still exists stays listed among the server's interfaces."""
    server.addresses = [a for a in server.addresses if a.port_id != port_id]


def _refresh(backend: ComputeBackend, server: Server) -> None:
    """The compute's ``network-changed`` handler: the cache's ports read again (their
    floating addresses may have changed)."""
    ports.refresh_floating(backend.network, server)


def _on_compute(
    backend: ComputeBackend,
    server: Server,
    event: str,
    work: Callable[[], str | None],
    record: InstanceAction | None = None,
) -> None:
    """The cast to the server's compute, which does ``work`` when it takes the message (a
    stopped compute keeps it until it starts again). With an action ``record``, the work is
    its event, which ends with ``work``'s error, if any; a failure saves the server twice
    (its task set, then reverted)."""
    host = server.host
    assert host is not None
    if not backend.compute_running(host):
        backend.waiting.setdefault(host, []).append(
            lambda: _on_compute(backend, server, event, work, record)
        )
        return
    now = backend.clock.now
    started = None if record is None else backend.actions.event_start(record, event, now, host)

    def finish() -> None:
        if server.deleted:
            return
        error = work()
        now = backend.clock.now
        if error:
            server.updated_at = now
        if record is not None and started is not None:
            trace = POWER_UPDATE_TRACE if error else None
            backend.actions.event_finish(record, started, now, error=error, traceback=trace)

    backend.tasks.defer(COMPUTE_SECONDS, f"{event} {server.uuid}", finish)
