"""The fake's own speed: requests per second through the WSGI app, and listing at scale.

Requests are made the way the unit tests and the verifier make them: a
:meth:`webob.Request.blank` handed to the app. The floor is a trivial WSGI app called through
the same path, so the ratio is what the fake itself adds (routing, token check, policy,
microversion, view, JSON).

Listing is measured on clouds of 1k, 10k and 100k servers: an admin's
``GET /servers/detail?all_tenants=1&limit=1000``. Its cost must follow the page size, not the
cloud size, which the per-cell index (``fakenova.compute.models.servers.indexes``) provides. The
backend is also timed alone, through the index and through the full sort that other sort keys
still use (the path every page took before the index), to show what the index saves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import webob
from bulk import add_servers
from report import figure, median_ms, repeat, section, verdict

from fakenova import scenarios
from fakenova.app import make_app
from fakenova.cloud import build_cloud
from fakenova.compute.models.backend import ServerQuery
from fakenova.testing import Client

SHOW_REQUESTS = 3000
SIZES = (1_000, 10_000, 100_000)
DETAIL = "/compute/v2.1/servers/detail?all_tenants=1&limit={limit}"


def bare_app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """The floor: a WSGI app that does nothing but answer."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]


def _rate(app: Callable, path: str, headers: dict[str, str], count: int) -> float:
    """Requests per second of ``GET path`` through webob into ``app``."""
    start = time.perf_counter()
    for _ in range(count):
        response = webob.Request.blank(path, headers=headers).get_response(app)
    elapsed = time.perf_counter() - start
    assert response.status_int == 200, response.text[:200]
    return count / elapsed


def throughput() -> dict[str, float]:
    section("Fake throughput: GET /servers/{id} through the WSGI app")
    cloud = build_cloud()
    scenarios.apply(cloud, "down-cells")
    app = make_app(cloud)
    token = Client(app).token_for("demo")
    server = next(s for s in cloud.compute.servers.values() if s.name == "vm1")
    headers = {"X-Auth-Token": token, "OpenStack-API-Version": "compute 2.100"}
    path = f"/compute/v2.1/servers/{server.uuid}"
    _rate(app, path, headers, 100)  # warm up
    show = _rate(app, path, headers, SHOW_REQUESTS)
    floor = _rate(bare_app, path, headers, SHOW_REQUESTS * 3)
    each_ms = 1000 / show
    figure("server show (2.100, member)", f"{show:,.0f} req/s", f"{each_ms:.2f} ms each")
    figure("  per request", f"{each_ms:.2f} ms", verdict(each_ms, 0.3))
    figure("bare WSGI app, same webob path (floor)", f"{floor:,.0f} req/s", f"{1e6 / floor:.0f} us")
    figure("ratio floor / server show", f"{floor / show:.1f}x")
    return {"show req/s": show, "floor req/s": floor}


FLAVORS = 1_000
FLAVOR_PAGE = "/compute/v2.1/flavors/detail?limit={limit}"


def flavors(count: int = FLAVORS) -> dict[str, float]:
    """A page of ``GET /flavors/detail`` from a cloud of ``count`` flavors (made through the
    API by the admin), as the demo member at 2.100; issue 12's target is the first page of
    100 in 5 ms."""
    section(f"Flavor pages: GET /flavors/detail?limit=N on {count:,} flavors (member, 2.100)")
    cloud = build_cloud()
    app = make_app(cloud)
    client = Client(app)
    admin, demo = client.as_user("admin"), client.as_user("demo")
    for i in range(count):
        body = {"flavor": {"name": f"bench-{i:04d}", "ram": 512 + i, "vcpus": 1, "disk": 1}}
        assert admin.post("/compute/v2.1/flavors", body).status_int == 200
    summary: dict[str, float] = {}
    for limit in (1000, 100, 10):
        url = FLAVOR_PAGE.format(limit=limit)
        answer = demo.get(url, microversion="2.100")
        assert answer.status_int == 200 and len(answer.json["flavors"]) == limit
        summary[f"flavor page limit={limit}"] = median_ms(
            repeat(lambda: demo.get(url, microversion="2.100"), 50)  # noqa: B023
        )
    page = summary["flavor page limit=100"]
    figure("limit=100 (the first page)", f"{page:.2f} ms", verdict(page, 5))
    figure("limit=1000 (every flavor)", f"{summary['flavor page limit=1000']:.2f} ms")
    figure("limit=10", f"{summary['flavor page limit=10']:.2f} ms")
    return summary


def _backend_ms(cloud: object, sort: tuple[tuple[str, str], ...]) -> float:
    query = ServerQuery(project_id=None, filters={"deleted": False}, sort=sort, limit=1000)
    compute = cloud.compute  # type: ignore[attr-defined]
    return median_ms(repeat(lambda: compute.list_servers(query), 5))


def scale(sizes: Iterable[int] = SIZES) -> dict[str, float]:
    section("Listing at scale: GET /servers/detail?all_tenants=1&limit=1000 (admin)")
    summary: dict[str, float] = {}
    print(
        f"  {'servers':>8}{'fill s':>8}{'detail ms':>11}{'limit=100':>11}{'limit=10':>10}"
        f"{'backend':>9}{'full sort':>11}"
    )
    first = None
    for size in sizes:
        cloud = build_cloud()
        start = time.perf_counter()
        add_servers(cloud, size)
        filled = time.perf_counter() - start
        admin = Client(make_app(cloud)).as_user("admin")
        pages = {}
        for limit in (1000, 100, 10):
            url = DETAIL.format(limit=limit)
            answer = admin.get(url)
            assert answer.status_int == 200 and len(answer.json["servers"]) == min(limit, size)
            pages[limit] = median_ms(repeat(lambda: admin.get(url), 7))  # noqa: B023
        indexed = _backend_ms(cloud, (("created_at", "desc"), ("id", "desc")))
        # One more key sends the same page through the full sort (the pre-index path).
        full = _backend_ms(cloud, (("created_at", "desc"), ("id", "desc"), ("uuid", "desc")))
        print(
            f"  {size:>8,}{filled:>8.1f}{pages[1000]:>11.1f}{pages[100]:>11.1f}{pages[10]:>10.2f}"
            f"{indexed:>9.2f}{full:>11.1f}"
        )
        first = first if first is not None else pages[1000]
        summary[f"detail limit=1000 @{size}"] = pages[1000]
        summary[f"full sort @{size}"] = full
    last = summary[f"detail limit=1000 @{max(sizes)}"]
    figure(f"limit=1000 at {max(sizes):,} servers", f"{last:.1f} ms", verdict(last, 50))
    figure(f"growth {min(sizes):,} -> {max(sizes):,} servers", f"{last / first:.2f}x",
           "(flat: the cost follows the page, not the cloud)")  # fmt: skip
    print("  (detail, limit=N: whole request in ms; backend: list_servers alone through the")
    print("   index; full sort: the same page sorted from every server, without the index)")
    return summary
