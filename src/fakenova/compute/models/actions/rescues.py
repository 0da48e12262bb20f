"""Rescue, unrescue and changing the admin password.

A rescue boots the server from a rescue image with its own disk attached (RESCUE, running,
relaunched); unrescue boots it from its own disk again. changePassword asks the guest agent to
set the password, showing PASSWORD meanwhile.
"""

from __future__ import annotations

from fakenova.compute.models.actions import flows as flow
from fakenova.compute.models.actions.flows import States
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.servers.records import Server
from fakenova.compute.models.servers.states import ACTIVE, ERROR, RESCUED, STOPPED, PowerState

RESCUE_STATES = States.of([ACTIVE, STOPPED, ERROR])
UNRESCUE_STATES = States.of([RESCUED])
PASSWORD_STATES = States.of([ACTIVE])


def check_rescue(server: Server, actor: Actor) -> None:
    flow.check_lock(server, actor)
    flow.check_states(server, RESCUE_STATES)


def rescue(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    check_rescue(server, actor)
    record = flow.begin(backend, server, actor, "rescue", "rescuing")

    def rescued() -> None:
        server.vm_state = RESCUED
        server.task_state = None
        server.power_state = PowerState.RUNNING
        server.launched_at = backend.clock.now

    flow.on_host(backend, server, record, "compute_rescue_instance", 5, rescued)


def unrescue(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    def back() -> None:
        server.vm_state = ACTIVE
        server.task_state = None
        server.power_state = PowerState.RUNNING

    flow.act(
        backend, server, actor, "unrescue", UNRESCUE_STATES, "unrescuing",
        "compute_unrescue_instance", 3, back,
    )  # fmt: skip


def change_password(backend: ComputeBackend, server: Server, actor: Actor) -> None:
    def done() -> None:
        server.task_state = None

    flow.act(
        backend, server, actor, "changePassword", PASSWORD_STATES, "updating_password",
        "compute_set_admin_password", 2, done,
    )  # fmt: skip
