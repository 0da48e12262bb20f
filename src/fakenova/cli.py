"""``fakenova serve``: the guide's cloud over real HTTP, for readers who want to try samples.

The same application the verifier drives in-process is served by waitress (a production WSGI
server), on loopback unless told otherwise: the fake has no real security and must not be
exposed by accident.
"""

from __future__ import annotations

import argparse
import logging
import sys

from fakenova import scenarios, serve
from fakenova.app import FakeCloudApp, make_app
from fakenova.cloud import build_cloud
from fakenova.settings import conf_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakenova", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the fake cloud over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    serve.add_argument("--port", type=int, default=8774, help="port to listen on (8774)")
    serve.add_argument(
        "--scenario",
        default="empty",
        choices=sorted(scenarios.SCENARIOS),
        help="the starting state, as a page of the guide sets it up",
    )
    serve.add_argument(
        "--unreachable",
        default="",
        metavar="CELL[,CELL]",
        help="cells to make unreachable after the scenario is set up",
    )
    serve.add_argument("--conf", default=None, help="settings directory (default: conf/)")
    return parser


def build_app(scenario: str, unreachable: str = "", conf: str | None = None) -> FakeCloudApp:
    """The WSGI app ``serve`` runs: a fresh cloud in the named scenario."""
    from fakenova.settings import load_settings

    cloud = build_cloud(load_settings(conf_dir(conf)))
    scenarios.apply(cloud, scenario)
    for cell in filter(None, (c.strip() for c in unreachable.split(","))):
        cloud.compute.set_cell_reachable(cell, False)
    return make_app(cloud)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        app = build_app(args.scenario, args.unreachable, args.conf)
    except KeyError as error:
        print(f"fakenova: {error.args[0]}", file=sys.stderr)
        return 2
    # waitress reports its own trouble (a failing app, a full queue) through logging.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    url = serve.reachable_url(args.host, args.port)
    announce = serve.banner(args.scenario, url, conf_dir(args.conf))
    return serve.run(app, args.host, args.port, announce)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
