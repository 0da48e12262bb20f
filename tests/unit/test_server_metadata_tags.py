"""Server metadata (``/servers/{id}/metadata``) and tags (``/servers/{id}/tags``, 2.26+).

Statuses and messages were observed on the real Nova 34.0.0 through the oracle, except the
reader's 403s, which follow Nova 34's default policies (the oracle's fixtures load a test
policy that lets a reader write).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_server_update_delete import UNKNOWN, V, World, fault, invalid

from fakenova.testing import mock_cloud

KEY_RULE = "does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'"


@pytest.fixture
def w() -> World:
    return World()


# -- metadata: accepted -------------------------------------------------------------------------


def test_metadata_lifecycle(w: World) -> None:
    md = f"{w.path}/metadata"
    assert w.demo.get(md).json == {"metadata": {}}
    r = w.demo.post(md, {"metadata": {"a": "1", "b": "2"}})
    assert (r.status_int, r.json) == (200, {"metadata": {"a": "1", "b": "2"}})
    r = w.demo.post(md, {"metadata": {"b": "3", "c": "4"}})
    assert r.json == {"metadata": {"a": "1", "b": "3", "c": "4"}}
    assert w.demo.post(md, {"metadata": {}}).json == {"metadata": {"a": "1", "b": "3", "c": "4"}}
    assert w.demo.get(f"{md}/a").json == {"meta": {"a": "1"}}
    r = w.demo.put(f"{md}/a", {"meta": {"a": "9"}})
    assert (r.status_int, r.json) == (200, {"meta": {"a": "9"}})
    assert w.demo.put(f"{md}/d", {"meta": {"d": "5"}}).json == {"meta": {"d": "5"}}
    r = w.demo.put(md, {"metadata": {"x": "1", "y": "2"}})
    assert r.json == {"metadata": {"x": "1", "y": "2"}}
    r = w.demo.delete(f"{md}/x")
    assert (r.status_int, r.body) == (204, b"")
    assert w.vm.metadata == {"y": "2"}
    assert w.demo.put(md, {"metadata": {}}).json == {"metadata": {}}


def test_metadata_shows_in_the_server(w: World) -> None:
    w.demo.post(f"{w.path}/metadata", {"metadata": {"role": "db"}})
    assert w.demo.get(w.path).json["server"]["metadata"] == {"role": "db"}
    detail = w.demo.get(f"{V}/servers/detail").json["servers"]
    assert detail[0]["metadata"] == {"role": "db"}


def test_128_items_fit_and_129_exceed_the_quota(w: World) -> None:
    md = f"{w.path}/metadata"
    full = {f"q{i}": "v" for i in range(128)}
    assert w.demo.put(md, {"metadata": full}).status_int == 200
    over = "Maximum number of metadata items exceeds 128"
    assert fault(w.demo.put(f"{md}/new", {"meta": {"new": "v"}}), 403) == over
    assert fault(w.demo.post(md, {"metadata": {"new": "v"}}), 403) == over
    more = {f"k{i}": "v" for i in range(129)}
    assert fault(w.demo.put(md, {"metadata": more}), 403) == over
    assert w.vm.metadata == full
    # Overwriting an existing key does not add an item.
    assert w.demo.post(md, {"metadata": {"q0": "w"}}).status_int == 200


def test_reads_and_writes_in_every_state_nova_allows(w: World) -> None:
    md = f"{w.path}/metadata"
    w.vm.task_state = "rebooting"  # Nova checks only the vm_state of metadata writes
    assert w.demo.post(md, {"metadata": {"t": "1"}}).status_int == 200
    w.vm.task_state = None
    for state in ("paused", "suspended", "stopped"):
        w.vm.vm_state = state
        assert w.demo.post(md, {"metadata": {state: "1"}}).status_int == 200


def test_query_parameters_are_refused_from_2102(w: World) -> None:
    md = f"{w.path}/metadata"
    w.vm.metadata = {"a": "1"}
    message = "Additional properties are not allowed ('foo' was unexpected)"
    assert fault(w.demo.get(f"{md}?foo=1", microversion="2.102"), 400) == message
    assert fault(w.demo.get(f"{md}/a?foo=1", microversion="2.102"), 400) == message
    assert w.demo.get(f"{md}?foo=1", microversion="2.101").status_int == 200


# -- metadata: rejected --------------------------------------------------------------------------

MD = "metadata"
REJECTED_SET_ALL = [
    ({"meta": {"a": "1"}}, "'metadata' is a required property"),
    (None, "None is not of type 'object'"),
    ({MD: "abc"}, invalid(MD, "abc", "'abc' is not of type 'object'")),
    ({MD: None}, invalid(MD, None, "None is not of type 'object'")),
    ({MD: {"": "v"}}, invalid(MD, {"": "v"}, f"'' {KEY_RULE}")),
    ({MD: {"k": 1}}, invalid("k", 1, "1 is not of type 'string'")),
    ({MD: {"k": None}}, invalid("k", None, "None is not of type 'string'")),
    ({MD: {"a/b": "v"}}, invalid(MD, {"a/b": "v"}, f"'a/b' {KEY_RULE}")),
    ({MD: {"ü": "v"}}, invalid(MD, {"ü": "v"}, f"'ü' {KEY_RULE}")),
    (
        {MD: {"ok": "v", "a/b": "w", "c#d": "x"}},
        invalid(
            MD,
            {"ok": "v", "a/b": "w", "c#d": "x"},
            "'a/b', 'c#d' do not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
        ),
    ),
    ({MD: {"k" * 256: "v"}}, invalid(MD, {"k" * 256: "v"}, f"'{'k' * 256}' {KEY_RULE}")),
    ({MD: {"k": "v" * 256}}, invalid("k", "v" * 256, f"'{'v' * 256}' is too long")),
]


@pytest.mark.parametrize(("body", "message"), REJECTED_SET_ALL)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_rejected_collection_bodies(w: World, method: str, body: Any, message: str) -> None:
    w.vm.metadata = {"keep": "me"}
    r = w.demo.request(method, f"{w.path}/metadata", body=body)
    assert fault(r, 400) == message
    assert w.vm.metadata == {"keep": "me"}


TWO = {"a": "1", "b": "2"}
REJECTED_SET_ONE = [
    ({"meta": {"x": "9"}}, "Request body and URI mismatch"),
    ({"meta": TWO}, invalid("meta", TWO, f"{TWO} has too many properties")),
    ({"meta": {}}, invalid("meta", {}, "{} should be non-empty")),
    ({"metadata": {"a": "1"}}, "'meta' is a required property"),
]


@pytest.mark.parametrize(("body", "message"), REJECTED_SET_ONE)
def test_rejected_item_bodies(w: World, body: Any, message: str) -> None:
    w.vm.metadata = {"a": "0"}
    assert fault(w.demo.put(f"{w.path}/metadata/a", body), 400) == message
    assert w.vm.metadata == {"a": "0"}


def test_missing_keys(w: World) -> None:
    assert fault(w.demo.get(f"{w.path}/metadata/zz"), 404) == "Metadata item was not found"
    assert fault(w.demo.delete(f"{w.path}/metadata/zz"), 404) == "Metadata item was not found"


def test_locked_server_refuses_member_writes_but_not_admins(w: World) -> None:
    md = f"{w.path}/metadata"
    w.vm.metadata = {"k": "v"}
    w.vm.locked_by = "admin"
    locked = f"Instance {w.vm.uuid} is locked"
    assert fault(w.demo.post(md, {"metadata": {"l": "1"}}), 409) == locked
    assert fault(w.demo.put(md, {"metadata": {"l": "1"}}), 409) == locked
    assert fault(w.demo.put(f"{md}/l", {"meta": {"l": "1"}}), 409) == locked
    assert fault(w.demo.delete(f"{md}/k"), 409) == locked
    # The key is looked up before the lock is checked.
    assert fault(w.demo.delete(f"{md}/zz"), 404) == "Metadata item was not found"
    assert w.demo.get(md).status_int == 200
    assert w.vm.metadata == {"k": "v"}
    assert w.admin.post(md, {"metadata": {"l": "1"}}).json == {"metadata": {"k": "v", "l": "1"}}


@pytest.mark.parametrize("state", ["error", "soft-delete", "building", "shelved_offloaded"])
def test_unsettled_vm_states_refuse_writes(w: World, state: str) -> None:
    md = f"{w.path}/metadata"
    w.vm.metadata = {"k": "v"}
    w.vm.vm_state = state
    update = f"Cannot 'update metadata' instance {w.vm.uuid} while it is in vm_state {state}"
    assert fault(w.demo.post(md, {"metadata": {"t": "1"}}), 409) == update
    assert fault(w.demo.put(md, {"metadata": {"t": "1"}}), 409) == update
    assert fault(w.demo.put(f"{md}/t", {"meta": {"t": "1"}}), 409) == update
    delete = f"Cannot 'delete metadata' instance {w.vm.uuid} while it is in vm_state {state}"
    assert fault(w.demo.delete(f"{md}/k"), 409) == delete
    assert w.demo.get(md).json == {"metadata": {"k": "v"}}
    assert w.vm.metadata == {"k": "v"}


def test_metadata_of_other_projects_and_unknown_servers(w: World) -> None:
    md = f"{w.path}/metadata"
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.alt.get(md), 404) == gone
    assert fault(w.alt.post(md, {"metadata": {"o": "1"}}), 404) == gone
    assert fault(w.alt.delete(f"{md}/o"), 404) == gone
    r = w.demo.put(f"{V}/servers/{UNKNOWN}/metadata/a", {"meta": {"a": "1"}})
    assert fault(r, 404) == f"Instance {UNKNOWN} could not be found."
    assert w.vm.metadata == {}
    assert w.admin.post(md, {"metadata": {"by": "admin"}}).status_int == 200


def test_reader_reads_but_may_not_write_metadata(w: World) -> None:
    md = f"{w.path}/metadata"
    w.vm.metadata = {"k": "v"}
    assert w.reader.get(md).json == {"metadata": {"k": "v"}}
    assert w.reader.get(f"{md}/k").status_int == 200
    for method, path, body, rule in [
        ("POST", md, {"metadata": {"a": "1"}}, "create"),
        ("PUT", md, {"metadata": {"a": "1"}}, "update_all"),
        ("PUT", f"{md}/k", {"meta": {"k": "1"}}, "update"),
        ("DELETE", f"{md}/k", None, "delete"),
    ]:
        r = w.reader.request(method, path, body=body)
        assert fault(r, 403) == (
            f"Policy doesn't allow os_compute_api:server-metadata:{rule} to be performed."
        )
    assert w.vm.metadata == {"k": "v"}


def test_deleted_server_has_no_metadata_api(w: World) -> None:
    w.demo.delete(w.path)
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.demo.get(f"{w.path}/metadata"), 404) == gone


# -- tags ---------------------------------------------------------------------------------------


def test_tags_need_226(w: World) -> None:
    tags = f"{w.path}/tags"
    for method in ("GET", "PUT", "DELETE"):
        r = w.demo.request(method, tags, microversion="2.25")
        assert fault(r, 404) == "The resource could not be found."
    r = w.demo.put(f"{tags}/t1", microversion="2.25")
    assert fault(r, 404) == "The resource could not be found."
    assert w.vm.tags == []


def test_tags_lifecycle(w: World) -> None:
    tags = f"{w.path}/tags"
    assert w.demo.get(tags, microversion="2.26").json == {"tags": []}
    r = w.demo.put(tags, {"tags": ["zeta", "alpha", "mid"]}, microversion="2.26")
    assert (r.status_int, r.json) == (200, {"tags": ["alpha", "mid", "zeta"]})
    server = w.demo.get(w.path, microversion="2.26").json["server"]
    assert server["tags"] == ["alpha", "mid", "zeta"]
    assert "tags" not in w.demo.get(w.path, microversion="2.25").json["server"]

    r = w.demo.put(f"{tags}/beta", microversion="2.26")
    assert (r.status_int, r.body) == (201, b"")
    assert r.headers["Location"] == f"http://localhost{V}/servers/{w.vm.uuid}/tags/beta"
    assert r.headers["Content-Type"] == "text/html; charset=UTF-8"
    r = w.demo.put(f"{tags}/beta", microversion="2.26")
    assert (r.status_int, r.body, "Location" in r.headers) == (204, b"", False)
    assert w.demo.get(f"{tags}/beta", microversion="2.26").status_int == 204
    r = w.demo.get(f"{tags}/nope", microversion="2.26")
    assert fault(r, 404) == f"Server {w.vm.uuid} has no tag 'nope'"
    assert w.demo.delete(f"{tags}/beta", microversion="2.26").status_int == 204
    r = w.demo.delete(f"{tags}/beta", microversion="2.26")
    assert fault(r, 404) == f"Instance {w.vm.uuid} has no tag 'beta'"
    r = w.demo.put(tags, {"tags": ["d", "d", "c"]}, microversion="2.26")
    assert r.json == {"tags": ["c", "d"]}
    assert w.demo.delete(tags, microversion="2.26").status_int == 204
    assert w.demo.get(tags, microversion="2.26").json == {"tags": []}


def test_tag_limits(w: World) -> None:
    tags = f"{w.path}/tags"
    sixty = "x" * 60
    assert w.demo.put(f"{tags}/{sixty}", microversion="2.26").status_int == 201
    fifty = [f"t{i}" for i in range(50)]
    assert w.demo.put(tags, {"tags": fifty}, microversion="2.26").status_int == 200
    limit = "The number of tags exceeded the per-server limit 50"
    assert fault(w.demo.put(f"{tags}/extra", microversion="2.26"), 400) == limit
    # Counted before the duplicate check: even a tag the server has is refused at 50.
    assert fault(w.demo.put(f"{tags}/t3", microversion="2.26"), 400) == limit
    assert w.vm.tags == sorted(fifty)


def _invalid(tag: str, reason: str) -> str:
    return (
        f"Tag '{tag}' is invalid. It must be a non empty string without characters '/' and ','."
        f" Validation error message: {reason}"
    )


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("a,b", _invalid("a,b", "'a,b' does not match '^[^,/]*$'")),
        ("x" * 61, _invalid("x" * 61, f"'{'x' * 61}' is too long")),
    ],
)
def test_rejected_single_tags(w: World, tag: str, message: str) -> None:
    assert fault(w.demo.put(f"{w.path}/tags/{tag}", microversion="2.26"), 400) == message
    assert w.vm.tags == []


def test_a_body_on_single_tag_put_is_refused(w: World) -> None:
    r = w.demo.put(f"{w.path}/tags/withbody", {"x": 1}, microversion="2.26")
    assert fault(r, 400) == "{'x': 1} is not of type 'null'"
    assert w.vm.tags == []


REJECTED_TAG_LISTS = [
    ({"tags": ["a,b"]}, invalid("0", "a,b", "'a,b' does not match '^[^,/]*$'")),
    ({"tags": ["a/b"]}, invalid("0", "a/b", "'a/b' does not match '^[^,/]*$'")),
    ({"tags": [""]}, invalid("0", "", "'' should be non-empty")),
    ({"tags": ["y" * 61]}, invalid("0", "y" * 61, f"'{'y' * 61}' is too long")),
    ({"tags": [1]}, invalid("0", 1, "1 is not of type 'string'")),
    ({"tags": "abc"}, invalid("tags", "abc", "'abc' is not of type 'array'")),
    ({"tag": ["a"]}, "'tags' is a required property"),
]


@pytest.mark.parametrize(("body", "message"), REJECTED_TAG_LISTS)
def test_rejected_tag_lists(w: World, body: Any, message: str) -> None:
    w.vm.tags = ["keep"]
    assert fault(w.demo.put(f"{w.path}/tags", body, microversion="2.26"), 400) == message
    assert w.vm.tags == ["keep"]


def test_51_tags_are_too_many(w: World) -> None:
    many = [f"t{i}" for i in range(51)]
    r = w.demo.put(f"{w.path}/tags", {"tags": many}, microversion="2.26")
    assert fault(r, 400) == (
        f"Invalid input for field/attribute tags. Value: {many}. {many} is too long"
    )
    assert w.vm.tags == []


@pytest.mark.parametrize("state", ["error", "soft-delete", "building"])
def test_unsettled_vm_states_refuse_tag_writes(w: World, state: str) -> None:
    tags = f"{w.path}/tags"
    w.vm.tags = ["a", "b"]
    w.vm.vm_state = state

    def refused(action: str) -> str:
        return f"Cannot '{action}' instance {w.vm.uuid} while it is in vm_state {state}"

    assert fault(w.demo.put(f"{tags}/e", microversion="2.26"), 409) == refused("update tag")
    r = w.demo.put(tags, {"tags": ["e"]}, microversion="2.26")
    assert fault(r, 409) == refused("update tags")
    assert fault(w.demo.delete(f"{tags}/a", microversion="2.26"), 409) == refused("delete tag")
    assert fault(w.demo.delete(tags, microversion="2.26"), 409) == refused("delete tags")
    assert w.demo.get(tags, microversion="2.26").json == {"tags": ["a", "b"]}
    assert w.vm.tags == ["a", "b"]


def test_tags_ignore_the_lock_and_task_state(w: World) -> None:
    w.vm.locked_by = "admin"
    w.vm.task_state = "rebooting"
    assert w.demo.put(f"{w.path}/tags/lk", microversion="2.26").status_int == 201


def test_other_projects_get_403_from_tags_and_unknown_servers_404(w: World) -> None:
    tags = f"{w.path}/tags"
    r = w.alt.get(tags, microversion="2.26")
    assert (
        fault(r, 403) == "Policy doesn't allow os_compute_api:os-server-tags:index to be performed."
    )
    r = w.alt.put(f"{tags}/o", microversion="2.26")
    assert fault(r, 403) == (
        "Policy doesn't allow os_compute_api:os-server-tags:update to be performed."
    )
    r = w.demo.get(f"{V}/servers/{UNKNOWN}/tags", microversion="2.26")
    assert fault(r, 404) == f"Instance {UNKNOWN} has no mapping to a cell."
    assert w.vm.tags == []
    assert w.admin.put(f"{tags}/by-admin", microversion="2.26").status_int == 201


def test_reader_reads_but_may_not_write_tags(w: World) -> None:
    tags = f"{w.path}/tags"
    w.vm.tags = ["a"]
    assert w.reader.get(tags, microversion="2.26").json == {"tags": ["a"]}
    assert w.reader.get(f"{tags}/a", microversion="2.26").status_int == 204
    for method, path, body, rule in [
        ("PUT", f"{tags}/b", None, "update"),
        ("PUT", tags, {"tags": []}, "update_all"),
        ("DELETE", f"{tags}/a", None, "delete"),
        ("DELETE", tags, None, "delete_all"),
    ]:
        r = w.reader.request(method, path, body=body, microversion="2.26")
        assert fault(r, 403) == (
            f"Policy doesn't allow os_compute_api:os-server-tags:{rule} to be performed."
        )
    assert w.vm.tags == ["a"]


def test_deleted_server_has_no_tags_api(w: World) -> None:
    w.demo.delete(w.path)
    gone = f"Instance {w.vm.uuid} could not be found."
    assert fault(w.demo.get(f"{w.path}/tags", microversion="2.26"), 404) == gone
    assert fault(w.admin.put(f"{w.path}/tags/x", microversion="2.26"), 404) == gone


# -- the real openstack CLI, in-process -----------------------------------------------------------


def test_openstack_server_set_and_unset_properties_and_tags(w: World) -> None:
    with mock_cloud(world=w) as cloud:
        for argv in (
            ["server", "set", "--property", "role=db", "--property", "tier=1", "vm1"],
            ["server", "unset", "--property", "tier", "vm1"],
            ["server", "set", "--tag", "blue", "--tag", "green", "vm1"],
            ["server", "unset", "--tag", "blue", "vm1"],
        ):
            result = cloud.openstack(argv)
            assert (result.exit_code, result.stderr) == (0, ""), (argv, result.stderr)
        assert (w.vm.metadata, w.vm.tags) == ({"role": "db"}, ["green"])
        shown = cloud.openstack("server show -f json -c properties -c tags vm1")
        assert json.loads(shown.stdout) == {"properties": {"role": "db"}, "tags": ["green"]}
