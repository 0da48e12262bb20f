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
from fakenova.determinism import WallClock
from fakenova.settings import conf_dir

DESCRIPTION = (
    "A deterministic fake of the OpenStack Compute API (Nova 34), for the guide's samples."
)
SERVE = (
    "Serve the guide's fake cloud over HTTP (Identity, Compute, Image), on loopback unless told "
    "otherwise, until Ctrl-C or SIGTERM; it prints how to point the openstack client at it."
)


class _Defaults(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each option's default, where it has one worth showing."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False or action.default == "":
            return action.help or ""
        return super()._get_help_string(action) or ""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakenova", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the fake cloud over HTTP",
        description=SERVE,
        formatter_class=_Defaults,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8774, help="port to listen on")
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
    serve.add_argument(
        "--conf", default=str(conf_dir()), help="settings directory ($FAKENOVA_CONF sets it too)"
    )
    serve.add_argument(
        "--pace",
        type=_seconds,
        default=0,
        metavar="SECONDS",
        help="let each step of the cloud's pending work (a build, a snapshot, each step of a "
        "resize or migration ...) take SECONDS of wall-clock time, so a client that polls sees "
        "BUILD before ACTIVE and every task state on the way; 0 finishes the work before the "
        "next request, as the guide's pages show it",
    )
    serve.add_argument(
        "--clock",
        choices=("scenario", "wall"),
        default="scenario",
        help="'scenario' starts at the guide's fixed date and moves only as the cloud works, "
        "so every run prints the same timestamps; 'wall' follows real time, for clients that "
        "compare the cloud's times with their own (Tempest's usage reports)",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log every request in Apache's combined format (needs the 'serve' extra)",
    )
    commands.add_parser(
        "manage",
        help="an operator's nova-manage against a running serve (fakenova manage db "
        "archive_deleted_rows --help)",
        add_help=False,
    )
    return parser


def _seconds(text: str) -> float:
    """A duration of zero or more seconds (``--pace``)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds >= 0: {text!r}")
    return value


def build_app(
    scenario: str,
    unreachable: str = "",
    conf: str | None = None,
    pace: float = 0.0,
    clock: str = "scenario",
) -> FakeCloudApp:
    """The WSGI app ``serve`` runs: a fresh cloud in the named scenario, set up at once;
    with ``pace``, the work clients ask for afterwards takes that long per step."""
    from fakenova.settings import load_settings

    wall = WallClock() if clock == "wall" else None
    cloud = build_cloud(load_settings(conf_dir(conf)), clock=wall)
    scenarios.apply(cloud, scenario)
    for cell in filter(None, (c.strip() for c in unreachable.split(","))):
        cloud.compute.set_cell_reachable(cell, False)
    cloud.compute.tasks.pace = pace
    return make_app(cloud)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        from fakenova import manage

        return manage.main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        app = build_app(args.scenario, args.unreachable, args.conf, args.pace, args.clock)
    except KeyError as error:
        print(f"fakenova: {error.args[0]}", file=sys.stderr)
        return 2
    # waitress reports its own trouble (a failing app, a full queue) through logging.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.access_log:
        try:
            from paste.translogger import TransLogger
        except ImportError:
            print(
                "fakenova: --access-log needs Paste: pip install 'fakenova[serve]'", file=sys.stderr
            )
            return 2
        app = TransLogger(app, setup_console_handler=False)
    url = serve.reachable_url(args.host, args.port)
    cells = [c.strip() for c in args.unreachable.split(",") if c.strip()]
    announce = serve.banner(
        args.scenario, url, conf_dir(args.conf), unreachable=cells, pace=args.pace
    )
    return serve.run(app, args.host, args.port, announce)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
