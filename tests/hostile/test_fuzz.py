"""Property-based fuzzing of the compute API: whatever the body or query, never a 5xx.

Bodies are built from JSON values near the real shapes (the right keys with any values, and
any keys), so the fuzzing reaches the checks past "is it an object": schemas, lookups,
policies and state machines. The app is built once per test; accepted requests change the
cloud (that is fine: the property is about answers, and later examples meet new states).
``derandomize=True`` makes every CI run try the same ~2,000 examples.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakenova.testing import Client, World

API = "/compute/v2.1"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", "1", "auto", "none", IMAGE, "HARD", "2.1", "0", "true", " x "]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
microversions = st.sampled_from(
    [None, "2.1", "2.19", "2.26", "2.37", "2.52", "2.73", "2.90", "latest", "2.999", "x"]
)


def fields(*names: str) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with some of ``names`` (any values) and maybe a stray key."""
    return st.fixed_dictionaries(
        {}, optional={name: json_values for name in names}
    ) | st.dictionaries(st.sampled_from(names) | st.text(max_size=6), json_values, max_size=5)


SERVER_FIELDS = (
    "name", "imageRef", "flavorRef", "networks", "min_count", "max_count", "metadata",
    "availability_zone", "description", "tags", "hostname", "user_data", "key_name",
    "security_groups", "accessIPv4", "config_drive", "block_device_mapping_v2",
)  # fmt: skip
ACTIONS = (
    "reboot", "pause", "unpause", "suspend", "resume", "os-start", "os-stop", "lock",
    "unlock", "rebuild", "rescue", "unrescue", "changePassword", "createImage",
    "createBackup", "resize", "confirmResize", "revertResize", "shelve", "unshelve",
    "shelveOffload", "restore", "forceDelete", "trigger_crash_dump", "migrate",
    "os-migrateLive", "evacuate", "os-resetState", "injectNetworkInfo",
)  # fmt: skip
ACTION_FIELDS = (
    "type", "imageRef", "flavorRef", "name", "adminPass", "locked_reason", "metadata",
    "rescue_image_ref", "backup_type", "rotation", "host", "block_migration", "state",
    "availability_zone", "description", "OS-DCF:diskConfig",
)  # fmt: skip
QUERY_KEYS = (
    "limit", "marker", "sort_key", "sort_dir", "name", "status", "changes-since",
    "changes-before", "tags", "tags-any", "not-tags", "locked", "deleted", "all_tenants",
    "ip", "image", "flavor", "host", "project_id", "soft_deleted", "reservation_id",
)  # fmt: skip
query_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "1",
            "-1",
            "0",
            "abc",
            "2026-11-02T09:00:00Z",
            "True",
            "created_at",
            "desc",
            "ACTIVE",
            "x:y",
        ]
    ),
)


class Fuzzed(World):
    """A cloud with one server per caller, and the requests fuzzing sends."""

    def __init__(self) -> None:
        super().__init__()
        self.servers = [self._created("vm1", "demo"), self._created("vm2", "admin")]

    def _created(self, name: str, who: str) -> str:
        response = self.create_server(name, who)
        assert response.status_int == 202, response.text
        return response.json["server"]["id"]

    def send(self, caller: Client, method: str, path: str, body: Any, version: str | None) -> None:
        """One request: never a 5xx, and a JSON answer is valid JSON."""
        response = caller.request(method, path, body=body, microversion=version)
        assert response.status_int < 500, (method, path, body, version, response.text)
        if response.body and response.content_type == "application/json":
            json.loads(response.body)


@pytest.fixture(scope="module")
def fuzzed() -> Fuzzed:
    return Fuzzed()


@pytest.fixture(autouse=True)
def _no_fake_errors(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.ERROR, logger="fakenova"):
        yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


callers = st.sampled_from(["demo", "admin"])


def _caller(fuzzed: Fuzzed, name: str) -> Client:
    return fuzzed.demo if name == "demo" else fuzzed.admin


@settings(FUZZ, max_examples=400)
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries({"server": fields(*SERVER_FIELDS)}),
        st.fixed_dictionaries(
            {
                "server": st.fixed_dictionaries(
                    {
                        "name": st.just("f"),
                        "imageRef": st.just(IMAGE),
                        "flavorRef": st.sampled_from(["1", "2", "42"]),
                    },
                    optional={k: json_values for k in SERVER_FIELDS[3:]},
                )
            }
        ),
    ),
    version=microversions,
    who=callers,
)
def test_create_never_fails(fuzzed: Fuzzed, body: Any, version: str | None, who: str) -> None:
    fuzzed.send(_caller(fuzzed, who), "POST", f"{API}/servers", body, version)


@settings(FUZZ, max_examples=250)
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "server": fields(
                    "name",
                    "description",
                    "hostname",
                    "accessIPv4",
                    "accessIPv6",
                    "OS-DCF:diskConfig",
                )
            }
        ),
    ),
    version=microversions,
    index=st.integers(0, 1),
    who=callers,
)
def test_update_never_fails(
    fuzzed: Fuzzed, body: Any, version: str | None, index: int, who: str
) -> None:
    path = f"{API}/servers/{fuzzed.servers[index]}"
    fuzzed.send(_caller(fuzzed, who), "PUT", path, body, version)


@settings(FUZZ, max_examples=600)
@given(
    action=st.sampled_from(ACTIONS) | st.text(max_size=8),
    args=st.one_of(json_values, fields(*ACTION_FIELDS)),
    extra=st.booleans(),
    version=microversions,
    index=st.integers(0, 1),
    who=callers,
)
def test_actions_never_fail(
    fuzzed: Fuzzed, action: str, args: Any, extra: bool, version: str | None, index: int, who: str
) -> None:
    body = {action: args, **({"other": None} if extra else {})}
    path = f"{API}/servers/{fuzzed.servers[index]}/action"
    fuzzed.send(_caller(fuzzed, who), "POST", path, body, version)


@settings(FUZZ, max_examples=400)
@given(
    query=st.lists(
        st.tuples(st.sampled_from(QUERY_KEYS) | st.text(max_size=6), query_values), max_size=5
    ),
    detail=st.booleans(),
    version=microversions,
    who=callers,
)
def test_list_queries_never_fail(
    fuzzed: Fuzzed, query: list[tuple[str, str]], detail: bool, version: str | None, who: str
) -> None:
    from urllib.parse import urlencode

    path = f"{API}/servers{'/detail' if detail else ''}?{urlencode(query)}"
    fuzzed.send(_caller(fuzzed, who), "GET", path, None, version)


@settings(FUZZ, max_examples=150)
@given(
    request_id=st.text(max_size=40) | st.just("req-"),
    query=st.dictionaries(
        st.sampled_from(["limit", "marker", "changes-since", "changes-before"])
        | st.text(max_size=5),
        query_values,
        max_size=3,
    ),
    version=microversions,
    index=st.integers(0, 1),
    who=callers,
)
def test_instance_actions_never_fail(
    fuzzed: Fuzzed,
    request_id: str,
    query: dict[str, str],
    version: str | None,
    index: int,
    who: str,
) -> None:
    from urllib.parse import quote, urlencode

    base = f"{API}/servers/{fuzzed.servers[index]}/os-instance-actions"
    caller = _caller(fuzzed, who)
    fuzzed.send(caller, "GET", f"{base}?{urlencode(query)}", None, version)
    fuzzed.send(caller, "GET", f"{base}/{quote(request_id, safe='') or 'x'}", None, version)


@settings(FUZZ, max_examples=200)
@given(
    method=st.sampled_from(["POST", "PUT", "GET", "DELETE"]),
    key=st.text(max_size=12),
    body=st.one_of(
        json_values,
        st.fixed_dictionaries({"metadata": json_values}),
        st.fixed_dictionaries({"meta": json_values}),
    ),
    item=st.booleans(),
    version=microversions,
    who=callers,
)
def test_metadata_never_fails(
    fuzzed: Fuzzed, method: str, key: str, body: Any, item: bool, version: str | None, who: str
) -> None:
    from urllib.parse import quote

    base = f"{API}/servers/{fuzzed.servers[0]}/metadata"
    path = f"{base}/{quote(key, safe='') or 'k'}" if item else base
    if not item and method == "DELETE":
        method = "GET"
    fuzzed.send(
        _caller(fuzzed, who), method, path, body if method in ("POST", "PUT") else None, version
    )


@settings(FUZZ, max_examples=100)
@given(
    method=st.sampled_from(["PUT", "GET", "DELETE"]),
    tag=st.text(max_size=70),
    body=st.one_of(json_values, st.fixed_dictionaries({"tags": json_values})),
    item=st.booleans(),
    version=microversions,
)
def test_tags_never_fail(
    fuzzed: Fuzzed, method: str, tag: str, body: Any, item: bool, version: str | None
) -> None:
    from urllib.parse import quote

    base = f"{API}/servers/{fuzzed.servers[0]}/tags"
    path = f"{base}/{quote(tag, safe='') or 't'}" if item else base
    fuzzed.send(fuzzed.demo, method, path, body if method == "PUT" and not item else None, version)
