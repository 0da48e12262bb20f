"""The server concepts page lists exactly the statuses the fake (like Nova) can show.

The page's *Server status* section is a definition list whose terms are the statuses; the
fake's table (:data:`fakenova.compute.models.servers.states.STATUS_BY_STATE`) plus ``UNKNOWN`` (an
unknown state pair, or a server in an unreachable cell) is every status a server can have.
A status added to one and not the other fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from fakenova.compute.models.servers.states import STATUS_BY_STATE, status_for

PAGE = Path(__file__).resolve().parents[1] / "doc" / "source" / "api-guide" / "server_concepts.rst"


def _section(text: str, title: str) -> str:
    lines = text.splitlines()
    start = lines.index(title)
    assert set(lines[start + 1]) == {"="}, f"{title!r} is not a section title"
    end = next(
        (i - 1 for i in range(start + 2, len(lines)) if lines[i] and set(lines[i]) == {"="}),
        len(lines),
    )
    return "\n".join(lines[start + 2 : end])


def _listed_statuses() -> list[str]:
    section = _section(PAGE.read_text(), "Server status")
    # Definition-list terms: a line that is only a literal, such as ``ACTIVE``.
    return re.findall(r"^``([A-Z_]+)``$", section, flags=re.MULTILINE)


def _fake_statuses() -> set[str]:
    shown = {status for tasks in STATUS_BY_STATE.values() for status in tasks.values()}
    return shown | {status_for("no-such-vm-state", None)}


def test_the_page_lists_every_status_the_fake_can_show_and_no_other() -> None:
    listed = _listed_statuses()
    assert len(listed) == len(set(listed)), f"a status is listed twice: {listed}"
    assert set(listed) == _fake_statuses()


def test_the_list_is_alphabetical() -> None:
    listed = _listed_statuses()
    assert listed == sorted(listed)
