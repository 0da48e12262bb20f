"""Access addresses are stored and shown the way Nova's objects store them (netaddr's text).

Oracle-checked: Nova 34 answers ``"accessIPv6": "::babe:4317:a84"`` for a server created, or
updated, with ``::babe:67.23.10.132``.
"""

from __future__ import annotations

import pytest

from fakenova.compute.api.controllers.server_update import access_ip
from fakenova.testing import World


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("::babe:67.23.10.132", "::babe:4317:a84"),
        ("2001:DB8::1", "2001:db8::1"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("67.23.10.132", "67.23.10.132"),
    ],
)
def test_access_ip_text_is_netaddrs(given: str, shown: str) -> None:
    assert access_ip(given) == shown


def test_create_and_update_normalise_the_ipv6_access_address() -> None:
    w = World()
    client = w.demo
    access = {"accessIPv4": "67.23.10.132", "accessIPv6": "::babe:67.23.10.132"}
    created = w.create_server("nat", mv="2.37", networks="none", **access)
    assert created.status_int == 202, created.text
    path = f"/compute/v2.1/servers/{created.json['server']['id']}"
    shown = client.get(path, microversion="2.37").json["server"]
    assert (shown["accessIPv4"], shown["accessIPv6"]) == ("67.23.10.132", "::babe:4317:a84")
    update = {"server": {"accessIPv6": "2001:DB8:0:0::7"}}
    updated = client.put(path, update, microversion="2.75").json["server"]
    assert updated["accessIPv6"] == "2001:db8::7"
