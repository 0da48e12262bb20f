"""A whole cloud: identity, image, network and compute backends sharing one seed and one clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fakenova.accelerator.models import AcceleratorBackend
from fakenova.compute.api.policy import Policy
from fakenova.compute.models.actor import Actor
from fakenova.compute.models.backend import ComputeBackend
from fakenova.compute.models.compute_api import ComputeAPI
from fakenova.compute.models.errors import ComputeError
from fakenova.compute.models.servers.event_records import Event
from fakenova.determinism import Clock, IdSource
from fakenova.identity.models import IdentityBackend
from fakenova.image.models import ImageBackend
from fakenova.network.models import NetworkBackend, Port
from fakenova.settings import Settings, load_settings


@dataclass
class Cloud:
    settings: Settings
    ids: IdSource
    clock: Clock
    identity: IdentityBackend
    images: ImageBackend
    network: NetworkBackend
    compute: ComputeBackend
    policy: Policy
    notes: dict[str, str] = field(default_factory=dict)

    def project_id(self, name: str) -> str:
        return self.identity.project_by_name(name).id

    def user_id(self, name: str) -> str:
        return self.identity.users[name].id


def build_cloud(
    settings: Settings | None = None, *, seed: str | None = None, clock: Clock | None = None
) -> Cloud:
    """A fresh cloud from ``conf/`` (or the given settings); nothing is shared between clouds.
    Its clock is the scenario's own unless one is given (``serve --clock wall``)."""
    settings = settings or load_settings()
    ids = IdSource(seed or settings.seed)
    clock = clock or Clock()
    identity = IdentityBackend(settings, ids)
    admin_project = identity.project_by_name("admin").id
    images = ImageBackend(settings, owner=admin_project, clock=clock, ids=ids)
    projects = [p.id for p in identity.projects.values()]
    names = {p.name: p.id for p in identity.projects.values()}
    network = NetworkBackend(
        settings, ids, clock, owner=admin_project, projects=projects, project_names=names
    )
    accelerators = AcceleratorBackend(ids)
    compute = ComputeBackend(
        settings, ids, clock, images=images, network=network, accelerators=accelerators
    )
    images.settle = compute.tasks.settle  # snapshots finish before the image API answers
    network.settle = compute.tasks.settle  # and builds have made their ports
    network.notify_nova = _nova_notifier(compute, identity)
    return Cloud(
        settings=settings,
        ids=ids,
        clock=clock,
        identity=identity,
        images=images,
        network=network,
        compute=compute,
        policy=Policy(settings.policy_overrides),
    )


def _nova_notifier(
    compute: ComputeBackend, identity: IdentityBackend
) -> Callable[[str, Port], object]:
    """Neutron's Nova notifier: an event about a compute port (a deleted port's
    ``network-vif-deleted``, or ``network-changed`` when its floating IPs change) sent to the
    compute API as the service user of Neutron's ``[nova]`` section (devstack's ``nova``, an
    admin). Neutron only logs an event Nova refuses."""

    def notify(name: str, port: Port) -> object:
        user = identity.users.get("nova")
        project = user.project.id if user is not None and user.project is not None else None
        request_id = "req-" + compute.ids.uuid("request", f"neutron {name} {port.id}")
        actor = Actor(request_id, user.id if user else None, project, is_admin=True)
        event = Event(name, port.device_id, port.id)
        try:
            return ComputeAPI(compute).external_events(actor, [event])
        except ComputeError:
            return None

    return notify
