"""Console output and remote consoles as Nova 34 answers them with a default nova.conf (only
VNC enabled) and its fake virt driver (texts and URL shape observed on the oracle)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fakenova import testing

V = "/compute/v2.1"
NOVNC = re.compile(r"^http://127\.0\.0\.1:6080/vnc_auto\.html\?path=%3Ftoken%3D[0-9a-f-]{36}$")
WEBOB_400 = (
    "The server could not comply with the request since it is either malformed or otherwise "
    "incorrect."
)


class World(testing.World):
    """demo's vm1 on compute1."""

    def __init__(self) -> None:
        super().__init__(vm="vm1")

    def console(self, protocol: str, kind: str, mv: str = "2.6", who: str = "demo") -> Any:
        body = {"remote_console": {"protocol": protocol, "type": kind}}
        return self.client(who).post(self.path + "/remote-consoles", body, microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


@pytest.mark.parametrize(
    ("length", "output"),
    [
        (None, "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"),
        (2, "ANOTHER\nLAST LINE"),
        ("1", "LAST LINE"),
        (0, ""),
        (-1, "ANOTHER\nLAST LINE"),  # nova-compute slices [-length:], so -1 drops a line
    ],
)
def test_console_output_length(w: World, length: Any, output: str) -> None:
    answer = w.act({"os-getConsoleOutput": {"length": length}})
    assert (answer.status_int, answer.json) == (200, {"output": output})


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        (
            {"length": -2},
            "Invalid input for field/attribute length. Value: -2. -2 is less than the minimum "
            "of -1",
        ),
        (
            {"length": "x"},
            "Invalid input for field/attribute length. Value: x. 'x' does not match '^-?[0-9]+$'",
        ),
        (
            {"foo": 1},
            "Invalid input for field/attribute os-getConsoleOutput. Value: {'foo': 1}. "
            "Additional properties are not allowed ('foo' was unexpected)",
        ),
        (
            None,
            "Invalid input for field/attribute os-getConsoleOutput. Value: None. None is not of "
            "type 'object'",
        ),
    ],
)
def test_console_output_bad_bodies(w: World, inner: Any, message: str) -> None:
    answer = w.act({"os-getConsoleOutput": inner})
    assert (answer.status_int, _message(answer)) == (400, message)


def test_console_output_of_a_stopped_server_and_of_a_shelved_one(w: World) -> None:
    w.act({"os-stop": None})
    assert w.act({"os-getConsoleOutput": {}}).status_int == 200
    w.act({"shelve": None})
    w.demo.get(w.path)  # the offload settles
    answer = w.act({"os-getConsoleOutput": {}})
    assert (answer.status_int, _message(answer)) == (409, f"Instance {w.vm.uuid} is not ready")
    answer = w.console("vnc", "novnc")
    assert (answer.status_int, _message(answer)) == (409, f"Instance {w.vm.uuid} is not ready")


def test_another_project_gets_404(w: World) -> None:
    answer = w.act({"os-getConsoleOutput": {}}, who="alt")
    assert answer.status_int == 404
    assert w.console("vnc", "novnc", who="alt").status_int == 404


def test_remote_console_vnc(w: World) -> None:
    answer = w.console("vnc", "novnc")
    assert answer.status_int == 200
    console = answer.json["remote_console"]
    assert (console["protocol"], console["type"]) == ("vnc", "novnc")
    assert NOVNC.match(console["url"])
    assert w.console("vnc", "novnc").json["remote_console"]["url"] != console["url"]


@pytest.mark.parametrize(
    ("protocol", "kind", "mv", "message"),
    [
        ("vnc", "xvpvnc", "2.6", "Invalid console type xvpvnc"),
        ("vnc", "spice-html5", "2.6", "Invalid console type spice-html5"),
        ("spice", "spice-html5", "2.6", "Unavailable console type spice-html5."),
        ("rdp", "rdp-html5", "2.6", WEBOB_400),
        ("serial", "serial", "2.6", "Unavailable console type serial."),
        (
            "mks",
            "webmks",
            "2.6",
            "Invalid input for field/attribute protocol. Value: mks. 'mks' is not one of "
            "['vnc', 'spice', 'serial', 'rdp']",
        ),
        ("mks", "webmks", "2.8", "Unavailable console type webmks."),
        ("spice", "spice-direct", "2.99", "Unavailable console type spice-direct."),
    ],
)
def test_remote_console_refusals(w: World, protocol: str, kind: str, mv: str, message: str) -> None:
    answer = w.console(protocol, kind, mv)
    assert (answer.status_int, _message(answer)) == (400, message)


def test_remote_consoles_from_26(w: World) -> None:
    assert w.console("vnc", "novnc", mv="2.5").status_int == 404


def test_legacy_vnc_action_until_25(w: World) -> None:
    answer = w.act({"os-getVNCConsole": {"type": "novnc"}}, mv="2.5")
    assert answer.status_int == 200
    assert answer.json["console"]["type"] == "novnc"
    assert NOVNC.match(answer.json["console"]["url"])
    answer = w.act({"os-getVNCConsole": {"type": "novnc"}}, mv="2.6")
    assert (answer.status_int, _message(answer)) == (404, "The resource could not be found.")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"os-getSPICEConsole": {"type": "spice-html5"}},
            400,
            "Unavailable console type spice-html5.",
        ),
        ({"os-getSerialConsole": {"type": "serial"}}, 400, "Unavailable console type serial."),
        ({"os-getRDPConsole": {"type": "rdp-html5"}}, 400, WEBOB_400),
        (
            {"os-getVNCConsole": {"type": "xvpvnc"}},
            500,
            "Unexpected API Error. Please contact the administrator\n"
            "<class 'nova.exception.ConsoleTypeInvalid'>",
        ),
    ],
)
def test_legacy_console_refusals(w: World, body: Any, status: int, message: str) -> None:
    answer = w.act(body)
    assert (answer.status_int, _message(answer)) == (status, message)


def test_consoles_while_live_migrating(w: World) -> None:
    w.vm.task_state = "migrating"
    assert w.act({"os-getConsoleOutput": {}}).status_int == 200
    answer = w.act({"os-getVNCConsole": {"type": "novnc"}})
    assert (answer.status_int, _message(answer)) == (
        409,
        f"Cannot 'get_vnc_console' instance {w.vm.uuid} while it is in task_state migrating",
    )
    assert w.console("vnc", "novnc").status_int == 500
