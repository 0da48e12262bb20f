"""Fill a cloud with many servers, fast: what the scale benchmark lists.

``boot_directly`` is the scenarios' way to add a server, but it advances the clock, beats
every service and hands out addresses from the configured ``/26``: fine for three servers,
impossible for 100,000. Here servers are built in bulk and stored with
:meth:`ComputeBackend.add_server`, spread round-robin over the compute hosts (so every cell
holds some) and over the member projects, with addresses from a benchmark-only ``/8``.
Pairs of servers share a ``created_at`` across cells, so the listing's tie-breaking is
exercised at scale too.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from fakenova.cloud import Cloud
from fakenova.compute.models.servers.records import Address, ApiRecord, Server

NETWORK = ipaddress.ip_network("10.0.0.0/8")


def add_servers(cloud: Cloud, count: int, *, prefix: str = "bulk") -> None:
    """Add ``count`` ACTIVE servers named ``{prefix}-{i}`` to ``cloud``'s compute backend."""
    compute = cloud.compute
    hosts = sorted(compute.hosts.values(), key=lambda h: h.name)
    projects = [(cloud.project_id(name), cloud.user_id(name)) for name in ("demo", "alt_demo")]
    flavor = compute.flavors[next(iter(compute.flavors))]
    image = str(cloud.settings.images[0]["id"]) if cloud.settings.images else ""
    start = cloud.clock.now
    for i in range(count):
        host = hosts[i % len(hosts)]
        project_id, user_id = projects[i % len(projects)]
        name = f"{prefix}-{i}"
        uuid = cloud.ids.uuid("server", name)
        created = start + dt.timedelta(seconds=i // 2)
        record = ApiRecord(
            uuid=uuid,
            project_id=project_id,
            user_id=user_id,
            cell=host.cell,
            created_at=created,
            flavor=flavor.snapshot(),
            image_ref=image,
        )
        address = Address(
            "private",
            str(NETWORK[i + 10]),
            f"fa:16:3e:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}",
        )
        compute.add_server(
            Server(
                record=record,
                name=name,
                host=host.name,
                node=host.name,
                instance_id=0,  # add_server numbers it in its cell, as boot_directly does
                reservation_id=f"r-{i:08d}",
                hostname=name,
                created_at=created,
                updated_at=created + dt.timedelta(seconds=6),
                launched_at=created + dt.timedelta(seconds=6),
                addresses=[address],
            )
        )
    cloud.clock.advance(count // 2 + 10)
