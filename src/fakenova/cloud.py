"""A whole cloud: identity, image, network and compute backends sharing one seed and one clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from fakenova.compute.api.policy import Policy
from fakenova.compute.models.backend import ComputeBackend
from fakenova.determinism import Clock, IdSource
from fakenova.identity.models import IdentityBackend
from fakenova.image.models import ImageBackend
from fakenova.network.models import NetworkBackend
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
    network = NetworkBackend(settings, ids, clock, owner=admin_project, projects=projects)
    compute = ComputeBackend(settings, ids, clock, images=images, network=network)
    images.settle = compute.tasks.settle  # snapshots finish before the image API answers
    network.settle = compute.tasks.settle  # and builds have made their ports
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
