"""Run the real ``openstack`` command in this process, against a WSGI app, hermetically.

The guide's console samples are what python-openstackclient prints. Spawning it costs about a
second a command; running ``openstackclient.shell.main`` in-process costs a few tens of ms,
provided every trace of the previous command is wiped first: osc-lib's cached client handles
(on the class), root logging handlers, warning filters, ``sys.argv[0]`` and the environment.

Every command builds its own shell, cloud config, client manager, session, login, discovery
and connections, as a new process does. What is kept between commands is installed metadata
(the command table, the service-types data, openstacksdk's per-class attribute maps) and
option parsers keyed by everything they are built from (the command's class and names, the
whole environment): see :mod:`fakenova.verifier.openstack_cli_cache`.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import shlex
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fakenova import transport

HOST = "openstack.example.com"
PORT = 80
BASE_URL = f"http://{HOST}"

# What a devstack login shell passes on besides ``openrc``: a command sees these variables of the
# builder's environment and nothing else. Anything more (a developer's ``OS_*``, ``CLIFF_*`` or
# proxy settings, a CA bundle, the CI's own variables) could change what a sample prints, and
# ``requests`` scans the whole environment for proxies on every request.
_PASSED_ON = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")
# Set for every command, before the command's own variables.
_FIXED = {
    "OS_CLIENT_CONFIG_FILE": "/dev/null",
    "OS_CLIENT_SECURE_FILE": "/dev/null",
    # A fixed terminal size for help text (with both set, nothing asks the tty).
    "COLUMNS": "80",
    "LINES": "24",
}


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str


def credentials_env(
    user: str, password: str, project: str, base_url: str = BASE_URL
) -> dict[str, str]:
    """What ``source openrc USER PROJECT`` exports on a devstack host."""
    return {
        "OS_AUTH_URL": f"{base_url}/identity",
        "OS_AUTH_TYPE": "password",
        "OS_USERNAME": user,
        "OS_PASSWORD": password,
        "OS_PROJECT_NAME": project,
        "OS_USER_DOMAIN_ID": "default",
        "OS_PROJECT_DOMAIN_ID": "default",
        "OS_IDENTITY_API_VERSION": "3",
        "OS_REGION_NAME": "RegionOne",
        "OS_INTERFACE": "public",
    }


def _reset_client_cache() -> None:
    from osc_lib import clientmanager

    for cls in (clientmanager.ClientManager, *clientmanager.ClientManager.__subclasses__()):
        for value in vars(cls).values():
            if isinstance(value, clientmanager.ClientCache):
                value._handle = None


@contextlib.contextmanager
def _hermetic(env: Mapping[str, str]) -> Iterator[None]:
    """A command's process-wide surroundings, as a new ``openstack`` process would find them:
    only ``env`` on top of a login shell's variables, ``argv[0]``, the root logger's handlers
    and level, and warning filters; all put back afterwards."""
    saved_env = dict(os.environ)
    saved_argv0 = sys.argv[0] if sys.argv else ""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    _become({key: saved_env[key] for key in _PASSED_ON if key in saved_env} | _FIXED | dict(env))
    if sys.argv:
        sys.argv[0] = "openstack"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _become(saved_env)
        if sys.argv:
            sys.argv[0] = saved_argv0
        for handler in list(root.handlers):
            if handler not in saved_handlers:
                root.removeHandler(handler)
        if root.level != saved_level:  # setLevel clears the cache of every logger
            root.setLevel(saved_level)


@contextlib.contextmanager
def _own_root_handlers() -> Iterator[None]:
    """The root logger without the process's handlers while a command runs, as a new process
    starts: the client sets the root logger to DEBUG and adds its own console handler, and a
    test runner's capture handlers (pytest's) would otherwise format every debug record of
    every request (a third of a command's time) and print them all below a failed sample."""
    root = logging.getLogger()
    saved = list(root.handlers)
    for handler in saved:
        root.removeHandler(handler)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)


def _become(wanted: Mapping[str, str]) -> None:
    """Make ``os.environ`` equal ``wanted``, touching only the variables that differ."""
    for key in os.environ.keys() - wanted.keys():
        del os.environ[key]
    for key, value in wanted.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


class InProcessCLI:
    """``run(["server", "list"], env)`` → what ``openstack server list`` prints."""

    def __init__(self, app_factory: Callable[[], Any], host: str = HOST, port: int = PORT) -> None:
        self.app_factory = app_factory
        self.host = host
        self.port = port

    def run(self, argv: list[str] | str, env: Mapping[str, str]) -> CommandResult:
        if isinstance(argv, str):
            argv = shlex.split(argv)
        out, err = io.StringIO(), io.StringIO()
        with intercepted(self.app_factory, env, self.host, self.port):
            # Imported here, under _hermetic's warning filter: the client's own imports raise
            # deprecation warnings that are not ours to fix (and that pytest makes errors).
            # The runner's module first: it decides how the client's shell is imported.
            from fakenova.verifier import openstack_cli_cache  # noqa: I001
            from openstackclient import shell

            _reset_client_cache()
            with (
                openstack_cli_cache.installed(),
                _own_root_handlers(),
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
            ):
                try:
                    code = shell.main(list(argv))
                except SystemExit as exit_:  # argparse errors and --help exit this way
                    code = exit_.code if isinstance(exit_.code, int) else 1
        _freeze_imports()
        return CommandResult(tuple(argv), int(code or 0), out.getvalue(), err.getvalue())


_frozen: list[bool] = []


def _freeze_imports() -> None:
    """After the first command, move every object of the process out of the garbage
    collector's reach (``gc.freeze``), once. By then the process holds what it imported: the
    client with every command plugin, the fake, the test runner (about a million objects, all
    kept until exit), and each full collection walked all of them again (a guide run made
    seven, ~0.1 s each). Reference counting still frees a frozen object no longer used; only
    a reference cycle that was already garbage at that moment is never collected."""
    if not _frozen:
        _frozen.append(True)
        gc.freeze()


@contextlib.contextmanager
def intercepted(
    app_factory: Callable[[], Any], env: Mapping[str, str], host: str = HOST, port: int = PORT
) -> Iterator[None]:
    """Hermetic (see :func:`_hermetic`), with ``requests`` to ``host:port`` sent to the app:
    what any in-process client (the CLI, an openstacksdk snippet) runs under. The requests
    never reach a socket: :mod:`fakenova.transport` hands them to the app."""
    with _hermetic(env), transport.routed(app_factory, host, port):
        yield
