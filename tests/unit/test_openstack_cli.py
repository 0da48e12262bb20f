"""The in-process ``openstack`` runner: every command is a new client, as in a new process.

The runner keeps installed metadata between commands (``openstack_cli_cache``: the command
table, the service-types data, openstacksdk's per-class attribute maps). These tests prove
that nothing a command chooses leaks into the next one (microversion, credentials, project,
environment, errors), that the memos change no output, and that the output is what a fresh
``openstack`` process prints against ``fakenova serve``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cliff.commandmanager
import pytest
import stevedore
from openstack import resource

from fakenova.cli import build_app
from fakenova.verifier import openstack_cli_cache
from fakenova.verifier.openstack_cli import _PASSED_ON, InProcessCLI, _hermetic, credentials_env

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]

DEMO = credentials_env("demo", "secret", "demo")
ALT = credentials_env("alt_demo", "secret", "alt_demo")
ADMIN = credentials_env("admin", "secret", "admin")


class Recorder:
    """The fake, with what each request said: method, path, microversion, token, login."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.seen: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        login = None
        if environ["PATH_INFO"].endswith("/auth/tokens") and environ["REQUEST_METHOD"] == "POST":
            login = json.loads(body)["auth"]["identity"]["password"]["user"]["name"]
        self.seen.append(
            {
                "method": environ["REQUEST_METHOD"],
                "path": environ["PATH_INFO"],
                "version": environ.get("HTTP_OPENSTACK_API_VERSION"),
                "token": environ.get("HTTP_X_AUTH_TOKEN"),
                "login": login,
            }
        )
        return self.app(environ, start_response)

    def take(self) -> list[dict[str, Any]]:
        seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def recorder() -> Recorder:
    return Recorder(build_app("down-cells"))


@pytest.fixture
def cli(recorder: Recorder) -> InProcessCLI:
    return InProcessCLI(lambda: recorder)


def _compute_versions(seen: list[dict[str, Any]]) -> set[str | None]:
    return {r["version"] for r in seen if r["path"].startswith("/compute/v2.1/")}


def test_a_microversion_is_the_command_own(cli: InProcessCLI, recorder: Recorder) -> None:
    pinned = cli.run("--os-compute-api-version 2.51 server show vm1 -f json", DEMO)
    pinned_requests = recorder.take()
    latest = cli.run("server show vm1 -f json", DEMO)
    latest_requests = recorder.take()
    again = cli.run("--os-compute-api-version 2.51 server show vm1 -f json", DEMO)

    assert (pinned.exit_code, latest.exit_code) == (0, 0), (pinned.stderr, latest.stderr)
    assert _compute_versions(pinned_requests) == {"compute 2.51"}
    assert "compute 2.51" not in _compute_versions(latest_requests)
    assert "pinned_availability_zone" not in json.loads(pinned.stdout)  # 2.96
    assert "pinned_availability_zone" in json.loads(latest.stdout)
    assert again == pinned


def test_an_exported_microversion_is_gone_with_its_environment(
    cli: InProcessCLI, recorder: Recorder
) -> None:
    before = dict(os.environ)
    pinned = cli.run("server show vm1 -f json", {**DEMO, "OS_COMPUTE_API_VERSION": "2.51"})
    pinned_requests = recorder.take()
    assert dict(os.environ) == before
    latest = cli.run("server show vm1 -f json", DEMO)
    assert _compute_versions(pinned_requests) == {"compute 2.51"}
    assert "compute 2.51" not in _compute_versions(recorder.take())
    assert "pinned_availability_zone" in json.loads(latest.stdout)
    assert "pinned_availability_zone" not in json.loads(pinned.stdout)


def test_a_command_sees_a_login_shell_and_its_openrc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/somewhere/ca.pem")  # the builder's, not the page's
    monkeypatch.setenv("OS_CLOUD", "production")
    monkeypatch.setenv("HOME", "/home/builder")
    before = dict(os.environ)
    with _hermetic(DEMO):
        seen = dict(os.environ)
    assert dict(os.environ) == before
    assert seen == {
        **{key: before[key] for key in _PASSED_ON if key in before},
        "OS_CLIENT_CONFIG_FILE": "/dev/null",
        "OS_CLIENT_SECURE_FILE": "/dev/null",
        "COLUMNS": "80",
        "LINES": "24",
        **DEMO,
    }
    assert seen["HOME"] == "/home/builder"


def test_each_command_logs_in_as_its_own_user(cli: InProcessCLI, recorder: Recorder) -> None:
    runs = []
    for env in (DEMO, ALT, DEMO, ADMIN):
        runs.append((cli.run("server list -f value -c Name", env), recorder.take()))
    (demo, _), (alt, _), (demo_again, _), (admin, _) = runs

    assert sorted(demo.stdout.split()) == ["vm1", "vm2"]
    assert alt.stdout.split() == ["vm3"]
    assert demo_again == demo
    assert admin.stdout.split() == []  # admin's own project has no server
    for (_, seen), user in zip(runs, ("demo", "alt_demo", "demo", "admin"), strict=True):
        # A new login for every command, and no token but the one it got.
        assert [r["login"] for r in seen if r["login"]] == [user]
    tokens = [{r["token"] for r in seen if r["token"]} for _, seen in runs]
    assert all(len(t) == 1 for t in tokens)
    assert len(set().union(*tokens)) == len(runs)


@pytest.mark.parametrize(
    ("argv", "env", "code", "said"),
    [
        ("server list", credentials_env("demo", "wrong", "demo"), 1, "401"),
        ("server show nosuch", DEMO, 1, "No Server found for nosuch"),
        ("server list --no-such-option", DEMO, 2, "unrecognized arguments"),
        ("compute service list", DEMO, 1, "403"),
    ],
)
def test_a_failing_command_leaves_nothing_behind(
    cli: InProcessCLI, argv: str, env: dict[str, str], code: int, said: str
) -> None:
    fresh = cli.run("server list", DEMO)
    failed = cli.run(argv, env)
    assert failed.exit_code == code
    assert said in failed.stderr + failed.stdout
    assert cli.run("server list", DEMO) == fresh


def test_the_memos_are_installed_only_while_a_command_runs(cli: InProcessCLI) -> None:
    original = (cliff.commandmanager.stevedore, vars(resource.Resource)["_consume_attrs"])
    cli.run("server list --no-such-option", DEMO)  # leaves through SystemExit
    cli.run("server list", DEMO)
    assert cliff.commandmanager.stevedore is stevedore
    assert original == (cliff.commandmanager.stevedore, vars(resource.Resource)["_consume_attrs"])
    shell = sys.modules["osc_lib.shell"]  # imported by the commands (it warns when imported)
    assert "setattr" not in vars(shell)  # the builtin again


def test_a_block_inside_another_leaves_the_patches_to_the_outer_one() -> None:
    import logging

    logger = logging.getLogger("fakenova.test.nested")
    with openstack_cli_cache.installed():
        logger.setLevel(logging.ERROR)
        with openstack_cli_cache.installed():  # a command run from a Python sample
            logger.setLevel(logging.DEBUG)
        assert logging.Logger.setLevel is openstack_cli_cache._set_level  # still patched
        assert logger.level == logging.DEBUG  # the outer block's to put back
    assert logging.Logger.setLevel is openstack_cli_cache._original_set_level
    assert logger.level == logging.NOTSET


def test_osc_lib_setattr_sets_what_differs_and_skips_what_is_already_there() -> None:
    from cliff import command

    class Owner:
        flag = True

    openstack_cli_cache._setattr_for_osc(Owner, "flag", True)
    openstack_cli_cache._setattr_for_osc(Owner, "flag", False)
    assert Owner.flag is False
    openstack_cli_cache._setattr_for_osc(Owner, "other", 1)
    assert Owner.other == 1  # type: ignore[attr-defined]
    instance = Owner()
    openstack_cli_cache._setattr_for_osc(instance, "flag", True)  # not a class: set
    assert vars(instance) == {"flag": True}
    assert command.Command.auth_required is True  # what osc-lib's shell set


COMMANDS = [
    ("server list", DEMO),
    ("server list --all-projects --long", ADMIN),
    ("flavor list --all", DEMO),
    ("flavor show m1.tiny -f json", DEMO),
    ("server show vm1 -f json", DEMO),
    ("--os-compute-api-version 2.51 server show vm1 -f yaml", DEMO),
    ("--os-compute-api-version 2.69 compute service list", ADMIN),
    ("image list", ALT),
    ("server list --help", DEMO),
    ("server lst", DEMO),
]


def test_the_memos_change_no_output(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    openstack_cli_cache.clear()
    cached = InProcessCLI(lambda: recorder)
    with_memos = [cached.run(argv, env) for argv, env in COMMANDS]
    with_memos_again = [cached.run(argv, env) for argv, env in COMMANDS]  # from the memos
    monkeypatch.setattr(openstack_cli_cache, "_PATCHES", ())
    without = [cached.run(argv, env) for argv, env in COMMANDS]
    assert with_memos == without
    assert with_memos_again == without
    assert [r.exit_code for r in without].count(0) == len(COMMANDS) - 1  # 'lst' is unknown


def test_the_command_table_is_the_one_cliff_builds() -> None:
    from openstackclient import shell
    from osc_lib.command import commandmanager

    # Every command group of the APIs the guide uses, at every version installed.
    groups = sorted(
        group
        for group in importlib.metadata.entry_points().groups
        if group in ("openstack.common", "openstack.extension")
        or group.startswith(("openstack.compute.", "openstack.image.", "openstack.identity."))
    )
    assert "openstack.compute.v2" in groups

    def table() -> list[tuple[str, str]]:  # in the table's order
        manager = commandmanager.CommandManager(
            "openstack.cli", ignored_modules=shell.IGNORED_MODULES
        )
        for group in groups:
            manager.add_command_group(group)
        return [(name, ep.value) for name, ep in manager]

    plain = table()
    openstack_cli_cache.clear()
    with openstack_cli_cache.installed():
        first, second = table(), table()
    assert first == second == plain
    assert {"server list", "compute service list"} <= dict(plain).keys()


def test_the_pure_memos_answer_as_the_libraries() -> None:
    """Version numbers, token times and masked dumps: each memo, asked twice, gives what the
    library gives (and raises what it raises)."""
    from keystoneauth1 import _utils, discover
    from oslo_utils import strutils

    c = openstack_cli_cache
    versions = ["2.1", "v3", "3", "2.104", "latest", "1.0", "v2.0"]
    for _ in range(2):
        assert [c._normalize_version_number(v) for v in versions] == [
            discover.normalize_version_number(v) for v in versions
        ]
        assert c._normalize_version_number((2, 1)) == (2, 1)  # not a string: the library's
        with pytest.raises(TypeError):
            c._normalize_version_number("two")
        when = "2026-11-02T10:00:00.000000Z"
        assert c._parse_isotime(when) == _utils.parse_isotime(when)
        with pytest.raises(ValueError):
            c._parse_isotime("yesterday")
        dumps = [
            "{'password': 'secret', 'username': 'demo'}",
            {"auth": {"password": "secret"}},
            b"'token': 'abc'",
            "nothing to hide",
        ]
        assert [c._mask_password(d) for d in dumps] == [strutils.mask_password(d) for d in dumps]
        assert c._mask_password("'password': 'x'", "!") == strutils.mask_password(
            "'password': 'x'", "!"
        )


def test_a_level_set_while_a_command_runs_answers_then_and_is_put_back_after() -> None:
    import logging

    logger = logging.getLogger("fakenova.test.levels")
    child = logging.getLogger("fakenova.test.levels.child")
    logger.setLevel(logging.ERROR)
    try:
        assert not child.isEnabledFor(logging.INFO)  # the library caches this answer
        with openstack_cli_cache.installed():
            logging.Logger.setLevel(logger, "ERROR")
            assert not child.isEnabledFor(logging.INFO)
            logging.Logger.setLevel(logger, logging.DEBUG)
            assert child.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.DEBUG)
            logging.disable(logging.INFO)
            assert not child.isEnabledFor(logging.INFO)
            logging.disable(logging.NOTSET)
        assert logger.level == logging.ERROR
        assert logging.Logger.setLevel is openstack_cli_cache._original_set_level
        assert logging.Logger.isEnabledFor is openstack_cli_cache._original_is_enabled_for
        assert not child.isEnabledFor(logging.INFO)
    finally:
        logger.setLevel(logging.NOTSET)


def test_after_a_command_every_level_and_cached_answer_is_as_before(cli: InProcessCLI) -> None:
    """osc-lib sets the root logger to DEBUG and others to their levels; afterwards each has
    its level back, and every answer a logger's cache holds is the one it would compute."""
    import logging

    cli.run("flavor list", DEMO)  # the client's loggers exist
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    loggers = [lg for lg in loggers if isinstance(lg, logging.Logger)]
    for lg in loggers[::7]:  # cached answers from before the command
        lg.isEnabledFor(logging.DEBUG)
        lg.isEnabledFor(logging.WARNING)
    levels = {lg: lg.level for lg in loggers}
    assert cli.run("server list --debug", DEMO).exit_code == 0
    assert {lg: lg.level for lg in loggers} == levels
    stale = [
        (lg.name, level)
        for lg in loggers
        for level, answer in dict(lg._cache).items()
        if answer != (level >= lg.getEffectiveLevel() and logging.root.manager.disable < level)
    ]
    assert stale == []


def test_a_command_logs_nothing_to_the_process_handlers(cli: InProcessCLI) -> None:
    """The client's DEBUG records go to its own handlers only, as in a new process: a test
    runner's capture handler on the root logger neither sees nor formats them."""
    import logging

    class Seen(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    root, seen = logging.getLogger(), Seen()
    root.addHandler(seen)
    try:
        before = list(root.handlers)
        assert cli.run("server list --debug", DEMO).exit_code == 0
        assert "REQ: curl" in cli.run("server list --debug", DEMO).stderr  # its own handler
        assert list(root.handlers) == before
    finally:
        root.removeHandler(seen)
    assert seen.records == []


@pytest.mark.parametrize("keys_case", ["body", "headers"])
def test_consume_attrs_replays_the_library(keys_case: str) -> None:
    from openstack.compute.v2 import flavor, keypair, server
    from requests.structures import CaseInsensitiveDict

    samples: list[tuple[type[resource.Resource], dict[str, Any]]] = [
        (server.Server, {"id": "x", "name": "vm", "OS-EXT-STS:vm_state": "active", "foo": 1}),
        (flavor.Flavor, {"id": "f", "name": "m1", "ram": 512, "os-flavor-access:is_public": 1}),
        (keypair.Keypair, {"name": "k", "public_key": "ssh-rsa", "type": "ssh", "user_id": "u"}),
    ]
    for cls, attrs in samples:
        for component in (resource.fields.Body, resource.fields.Header, resource.fields.URI):
            mapping = cls._get_mapping(component)
            made: Callable[[], Any] = (
                (lambda a=attrs: dict(a))
                if keys_case == "body"
                else (lambda a=attrs: CaseInsensitiveDict({k.upper(): v for k, v in a.items()}))
            )
            expected_attrs = made()
            expected = openstack_cli_cache._original_consume_attrs(
                cls(), mapping.copy(), expected_attrs
            )
            for _ in range(2):  # the first call fills the memo, the second replays it
                got_attrs = made()
                got = openstack_cli_cache._consume_attrs(cls(), mapping.copy(), got_attrs)
                assert list(got.items()) == list(expected.items())
                assert dict(got_attrs) == dict(expected_attrs)


# --- the same output as a new process --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """``fakenova serve`` in the down cells page's state (as tests/test_serve.py starts it)."""
    port = _free_port()
    argv = [sys.executable, "-m", "fakenova.cli", "serve", "--port", str(port)]
    argv += ["--scenario", "down-cells", "--unreachable", "cell2"]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("fakenova serve did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=15)


def _openstack_process(argv: list[str], user: str, base_url: str) -> tuple[int, str]:
    script = Path(sys.executable).with_name("openstack")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "openstackclient.shell"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "CLIFF_"))}
    env.update(credentials_env(user, "secret", user, base_url))
    env.update({"OS_CLIENT_CONFIG_FILE": "/dev/null", "COLUMNS": "80"})
    env["PYTHONWARNINGS"] = "ignore"
    done = subprocess.run([*command, *argv], env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout


@pytest.mark.parametrize(
    ("command", "user"),
    [
        ("server list", "demo"),
        ("--os-compute-api-version 2.69 server show vm1 -f json", "demo"),
        ("--os-compute-api-version 2.69 compute service list", "admin"),
    ],
)
def test_the_same_output_as_a_new_openstack_process(served: str, command: str, user: str) -> None:
    cli = InProcessCLI(lambda: app)
    app = build_app("down-cells", "cell2")
    env = credentials_env(user, "secret", user)
    cli.run("flavor list", credentials_env("alt_demo", "secret", "alt_demo"))  # something before
    here = cli.run(command, env)
    assert (here.exit_code, here.stdout) == _openstack_process(command.split(), user, served)
    assert here.exit_code == 0 and here.stdout.strip()


def test_flavor_create_set_list_and_delete() -> None:
    """``openstack flavor create``/``set``/``unset``/``list``/``delete`` as devstack's admin;
    a member may not create one."""
    app = build_app("empty")
    cli = InProcessCLI(lambda: app)
    created = cli.run(
        "flavor create --id p1 --ram 256 --disk 2 --vcpus 1 --private --description tiny "
        "--property hw:cpu_policy=dedicated p1 -f json",
        ADMIN,
    )
    assert created.exit_code == 0, created.stderr
    shown = json.loads(created.stdout)
    assert (shown["id"], shown["os-flavor-access:is_public"], shown["description"]) == (
        "p1",
        False,
        "tiny",
    )
    assert shown["properties"] == {"hw:cpu_policy": "dedicated"}
    assert "p1" not in cli.run("flavor list -f value -c ID", DEMO).stdout.split()
    assert "p1" in cli.run("flavor list --all -f value -c ID", ADMIN).stdout.split()

    changed = cli.run("flavor set --description new --property hw:numa_nodes=2 p1", ADMIN)
    assert changed.exit_code == 0, changed.stderr
    assert cli.run("flavor unset --property hw:cpu_policy p1", ADMIN).exit_code == 0
    after = json.loads(cli.run("flavor show p1 -f json", ADMIN).stdout)
    assert (after["description"], after["properties"]) == ("new", {"hw:numa_nodes": "2"})

    refused = cli.run("flavor create --ram 1 --disk 0 --vcpus 1 x", DEMO)
    assert refused.exit_code == 1
    assert "os_compute_api:os-flavor-manage:create" in refused.stderr
    assert cli.run("flavor delete p1", ADMIN).exit_code == 0
    gone = cli.run("flavor delete p1", ADMIN)
    assert (gone.exit_code, "No Flavor found for p1" in gone.stderr) == (1, True)


def test_the_url_copy_and_pairs_memos_answer_as_the_libraries() -> None:
    """Joined version links, versions read from URLs, the catalog's deep copy and requests'
    settings as pairs: each, asked twice, gives what the library gives."""
    import copy
    from collections import OrderedDict

    from keystoneauth1 import discover
    from requests import structures, utils

    c = openstack_cli_cache
    links = [
        ("http://openstack.example.com/compute", "http://openstack.example.com/compute/v2.1/"),
        ("http://openstack.example.com/compute/", "v2.1"),
        ("http://openstack.example.com/identity", "http://other.example.com:5000/v3/"),
        ("http://openstack.example.com/image", "/v2/"),
        ("https://host/admin", "https://host/admin/v2"),
    ]
    urls = ["http://h/compute/v2.1", "http://h/identity/v3/", "http://h/image", "", None]
    for _ in range(2):
        assert [c._combine_relative_url(*pair) for pair in links] == [
            discover._combine_relative_url(*pair) for pair in links
        ]
        assert [c._version_from_url(url) for url in urls] == [
            discover._version_from_url(url) for url in urls
        ]
    shared = {"url": "http://h/compute/v2.1", "interface": "public"}
    catalog = [
        {"type": "compute", "endpoints": [shared, shared], "weight": 1.5, "enabled": True},
        {"type": "image", "endpoints": [], "name": None},
    ]
    copied = c._deepcopy(catalog)
    assert copied == copy.deepcopy(catalog) and copied is not catalog
    assert copied[0]["endpoints"][0] is copied[0]["endpoints"][1]  # shared stays shared
    assert copied[0]["endpoints"][0] is not shared  # and is a copy
    odd = [OrderedDict(a=1), structures.CaseInsensitiveDict(b=2)]  # not plain: deepcopy's
    assert c._deepcopy(odd) == odd and type(c._deepcopy(odd)[0]) is OrderedDict
    settings = [{"a": 1}, structures.CaseInsensitiveDict({"User-Agent": "x"}), [("k", "v")], None]
    assert [c._to_key_val_list(s) for s in settings] == [utils.to_key_val_list(s) for s in settings]
    with pytest.raises(ValueError):
        c._to_key_val_list("a=b")


_URLS = [
    ("http://openstack.example.com/compute/v2.1/servers/detail", None),
    ("http://openstack.example.com/compute/v2.1/servers", {"limit": 1, "marker": "a b"}),
    ("http://openstack.example.com/compute/v2.1/servers", {"all_tenants": True}),
    ("http://openstack.example.com/compute/v2.1/servers", {"all_tenants": 1}),
    ("http://openstack.example.com/compute/v2.1/servers", {"all_tenants": 1.0}),
    ("http://openstack.example.com/image/v2/images", OrderedDict(limit=1, sort="name")),
    ("http://openstack.example.com/image/v2/images?limit=2", {"sort": "name:asc", "x": None}),
    ("  http://openstack.example.com/a%2Fb/c d?q=é", {}),
    ("http://exämple.com/v3", None),
    ("http://openstack.example.com/s", {"tag": ["a", "b"]}),  # not kept: a list
    ("http://openstack.example.com/s", [("a", "1"), ("a", "2")]),  # not kept: pairs
    (b"http://openstack.example.com/bytes", None),  # not kept: bytes
    ("mailto:someone@example.com", None),
    ("openstack.example.com/compute", None),  # MissingSchema
    ("http:///compute", None),  # InvalidURL: no host
    ("http://*.example.com/", None),  # InvalidURL: wildcard
]


def _prepared(prepare: Callable[..., None], url: Any, params: Any) -> Any:
    import requests

    prepared = requests.models.PreparedRequest()
    try:
        prepare(prepared, url, params)
    except requests.RequestException as e:
        return type(e), str(e)
    return prepared.url


def test_a_prepared_url_is_the_one_requests_prepares() -> None:
    """Each URL twice, in one memo: the same answers (or refusals) as the library's."""
    openstack_cli_cache.clear()
    library = [_prepared(openstack_cli_cache._original_prepare_url, *case) for case in _URLS]
    for _ in range(2):
        assert [_prepared(openstack_cli_cache._prepare_url, *case) for case in _URLS] == library
    assert library[2] != library[3]  # True and 1: two keys
    with_auth = [
        "http://user:p%40ss@openstack.example.com/compute",
        "http://openstack.example.com/compute",
        "http://user@openstack.example.com/",
        "http://:@openstack.example.com/",
    ]
    for _ in range(2):
        assert [openstack_cli_cache._get_auth_from_url(url) for url in with_auth] == [
            openstack_cli_cache._original_get_auth_from_url(url) for url in with_auth
        ]
    kept = {url for url, _ in openstack_cli_cache._PREPARED_URLS}
    assert "http://openstack.example.com/image/v2/images" in kept  # requests' OrderedDict
    assert "http://openstack.example.com/s" not in kept  # a list, or pairs: the library's


def test_the_interactive_shell_is_imported_only_when_used() -> None:
    """A fresh process: a command runs without cmd2; the interactive shell is cliff's own."""
    script = (
        "import sys\n"
        "from fakenova.verifier.openstack_cli import InProcessCLI, credentials_env\n"
        "from fakenova.cli import build_app\n"
        "app = build_app('down-cells')\n"
        "result = InProcessCLI(lambda: app).run("
        "'flavor list -f value -c Name', credentials_env('demo', 'secret', 'demo'))\n"
        "assert result.exit_code == 0 and 'm1.tiny' in result.stdout, result\n"
        "assert 'cmd2' not in sys.modules\n"
        "from cliff.interactive import InteractiveApp\n"
        "import cmd2\n"
        "assert issubclass(InteractiveApp, cmd2.Cmd)\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")


def test_after_a_command_the_imports_are_out_of_the_collector_reach(cli: InProcessCLI) -> None:
    import gc

    cli.run("flavor list", DEMO)
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("levels", [(), ("WARNING",), ("DEBUG",), ("WARNING", "INFO"), ("NOTSET",)])
@pytest.mark.parametrize("propagate", [True, False])
def test_records_are_skipped_only_when_no_handler_would_emit_them(
    levels: tuple[str, ...], propagate: bool
) -> None:
    """The same records reach the handlers' ``emit`` with and without the skip, for handlers
    of any level on the logger and its parent, and with no handler at all (the last resort)."""
    import logging

    class Kept(logging.Handler):
        def __init__(self, level: str, into: list[tuple[str, str]]) -> None:
            super().__init__(level)
            self.into = into

        def emit(self, record: logging.LogRecord) -> None:
            self.into.append((record.levelname, record.getMessage()))

    parent = logging.getLogger("fakenova.test.skip")
    child = logging.getLogger("fakenova.test.skip.child")
    child.propagate = propagate

    def emitted(patched: bool) -> list[tuple[str, str]]:
        into: list[tuple[str, str]] = []
        handlers = [Kept(level, into) for level in levels]
        for logger, handler in zip((child, parent), handlers, strict=False):
            logger.addHandler(handler)
        parent.setLevel(logging.DEBUG)
        resort, logging.lastResort = logging.lastResort, Kept("WARNING", into)
        try:
            with openstack_cli_cache.installed() if patched else contextlib.nullcontext():
                for level in ("debug", "info", "warning", "error"):
                    getattr(child, level)("%s from %s", level, "child")
                    getattr(parent, level)("%s from %s", level, "parent")
        finally:
            logging.lastResort = resort
            for logger, handler in zip((child, parent), handlers, strict=False):
                logger.removeHandler(handler)
            parent.setLevel(logging.NOTSET)
        return into

    try:
        assert emitted(patched=True) == emitted(patched=False)
    finally:
        child.propagate = True


def test_keystoneauth_dumps_are_skipped_only_when_nothing_would_emit_them(
    cli: InProcessCLI,
) -> None:
    """``--debug`` (its handler at DEBUG) still prints every request and response dump, as
    the library builds them; without it the command prints the same as without the skip."""
    debug = cli.run("server list --debug", DEMO)
    assert debug.stderr.count("REQ: curl") >= 3 and "RESP BODY:" in debug.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(openstack_cli_cache, "_PATCHES", ())
        plain_debug = cli.run("server list --debug", DEMO)
    strip = re.compile(
        "|".join(  # what differs between any two runs: tokens, ids, addresses, times
            [
                r"gAAAA\S+",
                r" at 0x[0-9a-f]+",
                r"\"audit_ids\": \[[^]]*\]",
                r"[0-9a-f]{32}",
                r"req-[0-9a-f-]{36}",
                r"\d{4}-\d\d-\d\dT[\d:.]+Z?",
                r"\d+\.\d+s",
            ]
        )
    )
    assert (
        strip.sub("", debug.stderr).splitlines() == strip.sub("", plain_debug.stderr).splitlines()
    )


def test_debug_output_has_no_line_of_the_server_side_log(cli: InProcessCLI) -> None:
    """``--debug`` shows the client's own log, as against a real cloud: not the decisions
    oslo.policy logs inside the fake, which shares the process and its root logger."""
    debug = cli.run("server list --debug", DEMO)
    assert "REQ: curl" in debug.stderr
    assert "enforce: rule=" not in debug.stderr


PARSED = {
    "server list": [
        [],
        ["--all-projects", "--long"],
        ["--name", "vm", "--tags", "a", "--tags", "b"],
    ],
    "server show": [["vm1"], ["vm1", "-f", "json", "-c", "id"]],
    "flavor list": [["--all"], ["--long", "--sort-column", "Name"]],
    "compute service list": [["--host", "compute1", "--long"]],
}


def _command_classes() -> dict[str, type]:
    from openstackclient.compute.v2 import flavor, server, service

    return {
        "server list": server.ListServer,
        "server show": server.ShowServer,
        "flavor list": flavor.ListFlavor,
        "compute service list": service.ListService,
    }


@pytest.mark.parametrize("command", sorted(PARSED))
def test_a_memoised_parser_is_the_one_the_command_builds(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Served from the memo, a command's parser prints the same help and parses every argv
    to the same options as the one a new command object builds; another environment (a
    default read from it) or a default a command changed gets a parser built again."""
    import argparse

    from openstackclient import shell

    openstack_cli_cache.clear()
    with _hermetic(DEMO), openstack_cli_cache.installed():
        app = shell.OpenStackShell()
        factory, name = _command_classes()[command], command
        prog = f"openstack {name}"

        def fresh() -> argparse.ArgumentParser:
            return factory(app, None, cmd_name=name).get_parser(prog)

        def memoised() -> argparse.ArgumentParser:
            get_parser = openstack_cli_cache._memoised_get_parser(factory(app, None, cmd_name=name))
            assert get_parser is not None
            return get_parser(prog)

        first, second = memoised(), memoised()
        assert second is first
        assert first.format_help() == fresh().format_help()
        for argv in PARSED[command]:
            assert first.parse_args(argv) == fresh().parse_args(argv)
        assert memoised() is first  # parsing changed nothing

        argv = PARSED[command][0]
        monkeypatch.setenv("CLIFF_MAX_TERM_WIDTH", "60")
        other_env = memoised()
        assert other_env is not first and other_env.parse_args(argv) == fresh().parse_args(argv)
        monkeypatch.delenv("CLIFF_MAX_TERM_WIDTH")
        assert memoised() is first

        changed = next(a for a in first._actions if isinstance(a.default, list))
        changed.default.append("left by a command")
        rebuilt = memoised()
        assert rebuilt is not first and rebuilt.parse_args(argv) == fresh().parse_args(argv)


def test_a_default_from_the_environment_is_the_command_own() -> None:
    """``ALL_PROJECTS`` is read while the parser of ``server list`` is built: a command with
    it asks for every project's servers, the next one without it only for its own."""
    app, queries = build_app("down-cells"), []

    def recording(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"].endswith("/servers/detail"):
            queries.append(environ.get("QUERY_STRING", ""))
        return app(environ, start_response)

    cli = InProcessCLI(lambda: recording)
    for env in (ADMIN, ADMIN | {"ALL_PROJECTS": "1"}, ADMIN):
        assert cli.run("server list", env).exit_code == 0
    assert ["all_tenants" in query for query in queries] == [False, True, False]


def test_the_memoised_global_parser_is_the_one_the_shell_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shell's global options, served from the memo: the same help and the same parse of
    a command line, and every ``OS_*`` default read from the environment it was built in."""
    from openstackclient import shell

    argvs = [
        ["server", "list"],
        ["--os-compute-api-version", "2.51", "-v", "--debug", "server", "show", "vm1"],
        ["--os-cloud", "x", "--os-username", "u", "--help"],
    ]
    openstack_cli_cache.clear()
    with _hermetic(DEMO):
        with openstack_cli_cache.installed():
            first, second = shell.OpenStackShell().parser, shell.OpenStackShell().parser
        plain = shell.OpenStackShell().parser
        assert second is first and plain is not first
        assert first.format_help() == plain.format_help()
        for argv in argvs:
            assert first.parse_known_args(argv) == plain.parse_known_args(argv)
        monkeypatch.setenv("OS_COMPUTE_API_VERSION", "2.60")
        with openstack_cli_cache.installed():
            other = shell.OpenStackShell().parser
        assert other is not first
        assert other.parse_known_args([])[0].os_compute_api_version == "2.60"
        assert first.parse_known_args([])[0].os_compute_api_version is None


def _sdk_resources() -> list[resource.Resource]:
    from openstack.compute.v2 import flavor, server, service
    from openstack.image.v2 import image

    body = {
        "id": "9c1a8f0e-0d8e-4f5e-9b44-2c3ae3c0b9f1",
        "name": "vm1",
        "status": "ACTIVE",
        "tenant_id": "demo",
        "user_id": "demo",
        "flavor": {
            "vcpus": 1,
            "ram": 512,
            "disk": 1,
            "original_name": "m1.tiny",
            "extra_specs": {},
        },
        "image": {"id": "cirros", "links": []},
        "addresses": {"private": [{"addr": "10.0.0.3", "version": 4}]},
        "metadata": {"a": "b"},
        "tags": ["x"],
        "security_groups": [{"name": "default"}],
        "OS-EXT-STS:vm_state": "active",
        "OS-EXT-AZ:availability_zone": "nova",
        "os-extended-volumes:volumes_attached": [],
        "locked": False,
        "created": "2026-11-02T10:00:00Z",
        "links": [{"rel": "self", "href": "http://x/servers/1"}],
    }
    return [
        server.Server(**body),
        server.Server.existing(**body),
        server.Server(name="only a name"),
        flavor.Flavor(
            id="1", name="m1.tiny", ram=512, vcpus=1, disk=1, **{"os-flavor-access:is_public": True}
        ),
        service.Service(id="1", binary="nova-compute", host="compute1", status="enabled"),
        image.Image(id="cirros", name="cirros", properties={"k": "v"}, size=1),
    ]


def test_to_dict_answers_as_the_library() -> None:
    """Every combination of ``to_dict``'s options, on servers (nested flavor and image), a
    flavor (its own ``__getattribute__``), a service and an image (unknown attributes kept):
    the plan gives the library's mapping, keys in the same order."""
    import itertools

    openstack_cli_cache.clear()
    for item in _sdk_resources():
        for flags in itertools.product((True, False), repeat=5):
            body, headers, computed, ignore_none, original_names = flags
            if not (body or headers or computed):
                continue
            kwargs = {
                "body": body,
                "headers": headers,
                "computed": computed,
                "ignore_none": ignore_none,
                "original_names": original_names,
            }
            plain = openstack_cli_cache._original_to_dict(item, **kwargs)
            with openstack_cli_cache.installed():
                planned, again = item.to_dict(**kwargs), item.to_dict(**kwargs)
            assert list(planned.items()) == list(again.items()) == list(plain.items())
