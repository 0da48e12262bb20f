"""Behaviour of the expected-vs-actual matcher the evaluators are built on."""

from __future__ import annotations

import pytest

from fakenova.verifier.matching import (
    ELLIPSIS,
    ExpectedSyntaxError,
    PageBindings,
    match_json,
    match_text,
    parse_expected_json,
    render_like,
)

# Literals as a page would show them, and actual values the fake might produce.
LIT_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
LIT_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
ACT_1 = "0f6d9b3c-1111-5111-8111-111111111111"
ACT_2 = "7e2a4c1d-2222-5222-8222-222222222222"
PROJECT_LIT = "6f70656e737461636b20697320636f6f"
PROJECT_ACT = "c0ffee00c0ffee00c0ffee00c0ffee00"


def match(expected_text, actual, bindings=None):
    return match_json(expected_text, actual, bindings if bindings is not None else PageBindings())


# -- structure ---------------------------------------------------------------------------------


def test_exact_match_ignores_key_order_and_binds_nothing_static():
    bindings = PageBindings()
    assert (
        match('{"b": [1, true, null], "a": "x"}', {"a": "x", "b": [1, True, None]}, bindings)
        is None
    )
    assert bindings.items() == []


def test_missing_key_is_reported_with_its_line():
    mismatch = match('{\n    "a": 1,\n    "b": 2\n}', {"a": 1})
    assert mismatch is not None
    assert mismatch.reason == "key 'b' missing at $"
    assert mismatch.line == 3


def test_extra_key_fails_without_ellipsis():
    mismatch = match('{\n    "a": 1\n}', {"a": 1, "z": 2})
    assert mismatch is not None
    assert "unexpected key 'z' at $" in mismatch.reason
    assert mismatch.line == 3


def test_ellipsis_member_allows_other_keys():
    assert match('{"a": 1, ...}', {"a": 1, "z": 2, "y": 3}) is None
    assert match("{...}", {}) is None
    assert match('{..., "a": 1}', {"a": 2, "z": 2}) is not None


def test_ellipsis_value_matches_anything():
    assert match('{"flavor": ..., "id": 1}', {"flavor": {"id": "m1.small"}, "id": 1}) is None
    assert match('{"flavor": ...}', {"flavor": None}) is None
    assert match('{"flavor": ...}', {}) is not None  # the key must still be there


def test_whole_document_ellipsis():
    assert match("...", [1, 2, 3]) is None


@pytest.mark.parametrize(
    "expected",
    [
        '[{"id": 1}, ...]',
        '[..., {"id": 3}]',
        '[{"id": 1}, ..., {"id": 3}]',
        "[...]",
        '[..., {"id": 2}, ...]',
        '[{"id": 1}, {"id": 2}, {"id": 3}, ...]',
    ],
)
def test_ellipsis_items_at_start_middle_end_and_alone(expected):
    assert match(expected, [{"id": 1}, {"id": 2}, {"id": 3}]) is None


def test_ellipsis_item_matches_zero_items():
    assert match("[1, ..., 2]", [1, 2]) is None
    assert match("[...]", []) is None


def test_array_without_ellipsis_needs_the_same_length():
    mismatch = match("[\n    1,\n    2\n]", [1, 2, 3])
    assert mismatch is not None
    assert "unexpected item(s) from $[2]" in mismatch.reason
    mismatch = match("[\n    1,\n    2\n]", [1])
    assert mismatch is not None
    assert mismatch.line == 3


def test_backtracking_finds_the_later_occurrence():
    # The first {"x": 1} is not followed by {"y": 2}; the matcher must try the second one.
    actual = [{"x": 1}, {"z": 0}, {"x": 1}, {"y": 2}]
    assert match('[..., {"x": 1}, {"y": 2}]', actual) is None
    assert match('[..., {"x": 1}, {"y": 3}]', actual) is not None


def test_backtracking_discards_bindings_of_failed_branches():
    # Branch 1 binds LIT_A to ACT_1 at [0], then fails on "ok"; branch 2 must bind it to ACT_2.
    actual = [{"id": ACT_1, "s": "bad"}, {"id": ACT_2, "s": "ok"}]
    bindings = PageBindings()
    assert match(f'[..., {{"id": "{LIT_A}", "s": "ok"}}, ...]', actual, bindings) is None
    assert bindings.items() == [(LIT_A, ACT_2)]


# -- scalars -------------------------------------------------------------------------------------


def test_numbers_compare_by_value_but_bool_is_not_a_number():
    assert match('{"n": 1}', {"n": 1.0}) is None
    assert match('{"n": 1.5}', {"n": 1.5}) is None
    mismatch = match('{"n": 1}', {"n": True})
    assert mismatch is not None
    assert mismatch.reason == "value differs at $.n: expected 1, got true"
    assert match('{"n": null}', {"n": 0}) is not None
    assert match('{"n": "1"}', {"n": 1}) is not None


def test_value_mismatch_reason_names_the_path():
    mismatch = match('{"servers": [{"status": "ACTIVE"}]}', {"servers": [{"status": "BUILD"}]})
    assert mismatch is not None
    assert mismatch.reason == "value differs at $.servers[0].status: expected 'ACTIVE', got 'BUILD'"


# -- dynamic values ------------------------------------------------------------------------------


def test_uuid_matches_by_shape_and_binds():
    bindings = PageBindings()
    assert match(f'{{"id": "{LIT_A}"}}', {"id": ACT_1}, bindings) is None
    assert bindings.lookup(LIT_A) == ACT_1
    assert bindings.lookup(LIT_B) is None
    assert match(f'{{"id": "{LIT_A}"}}', {"id": "not-a-uuid"}) is not None


def test_same_literal_twice_needs_the_same_actual():
    bindings = PageBindings()
    assert match(f'{{"id": "{LIT_A}"}}', {"id": ACT_1}, bindings) is None
    mismatch = match(f'{{"server_id": "{LIT_A}"}}', {"server_id": ACT_2}, bindings)
    assert mismatch is not None
    assert mismatch.reason == (
        f"'{LIT_A}' stands for '{ACT_1}' earlier on this page, "
        f"but here it is '{ACT_2}' (at $.server_id)"
    )
    assert match(f'{{"server_id": "{LIT_A}"}}', {"server_id": ACT_1}, bindings) is None


def test_two_literals_need_two_different_actuals():
    bindings = PageBindings()
    assert match(f'{{"id": "{LIT_A}"}}', {"id": ACT_1}, bindings) is None
    mismatch = match(f'{{"id": "{LIT_B}"}}', {"id": ACT_1}, bindings)
    assert mismatch is not None
    assert f"'{LIT_A}' already stands for it" in mismatch.reason
    # Within one document too.
    assert match(f'["{LIT_A}", "{LIT_B}"]', [ACT_1, ACT_1]) is not None
    assert match(f'["{LIT_A}", "{LIT_A}"]', [ACT_1, ACT_2]) is not None


def test_failed_match_discards_its_bindings():
    bindings = PageBindings()
    mismatch = match(
        f'{{"id": "{LIT_A}", "status": "ACTIVE"}}', {"id": ACT_1, "status": "ERROR"}, bindings
    )
    assert mismatch is not None
    assert bindings.items() == []
    # So a later match binds the literal freshly, to another value.
    assert match(f'{{"id": "{LIT_A}"}}', {"id": ACT_2}, bindings) is None
    assert bindings.lookup(LIT_A) == ACT_2


def test_transaction_discards_bindings_when_the_block_raises():
    bindings = PageBindings()
    with pytest.raises(RuntimeError), bindings.transaction() as tx:
        assert match(f'"{LIT_A}"', ACT_1, tx) is None
        raise RuntimeError("a later step of the same block failed")
    assert bindings.items() == []
    with bindings.transaction() as tx:
        assert match(f'"{LIT_A}"', ACT_1, tx) is None
    assert bindings.items() == [(LIT_A, ACT_1)]


def test_shapes_inside_hrefs():
    expected = f'{{"href": "http://openstack.example.com/v2.1/{PROJECT_LIT}/servers/{LIT_A}"}}'
    bindings = PageBindings()
    actual = {"href": f"http://openstack.example.com/v2.1/{PROJECT_ACT}/servers/{ACT_1}"}
    assert match(expected, actual, bindings) is None
    assert dict(bindings.items()) == {PROJECT_LIT: PROJECT_ACT, LIT_A: ACT_1}
    # The literal parts must still be equal.
    other_host = {"href": f"http://compute.example.com/v2.1/{PROJECT_ACT}/servers/{ACT_1}"}
    assert match(expected, other_host) is not None


@pytest.mark.parametrize(
    "literal, actual",
    [
        (f"req-{LIT_A}", f"req-{ACT_1}"),
        ("a" * 56, "0123456789abcdef" * 3 + "01234567"),
        ("r-abc123xy", "r-9zz00q1w"),
        ("2026-11-02T09:00:10Z", "2026-11-02T09:04:59Z"),
        ("2026-11-02T09:00:10.000000", "2026-11-03T10:11:12.123456"),
        ("2026-11-02T09:00:10+00:00", "2026-11-02T09:00:11+00:00"),
        ("2026-11-02 09:00:10", "2026-11-02 09:00:11"),
    ],
)
def test_other_dynamic_shapes_match_by_shape(literal, actual):
    bindings = PageBindings()
    assert match(f'{{"v": "{literal}"}}', {"v": actual}, bindings) is None
    assert bindings.lookup(literal) == actual


@pytest.mark.parametrize(
    "actual",
    [
        "2026-11-02T09:00:10.000000",
        "2026-11-02T09:00:10+00:00",
        "2026-11-02 09:00:10",
        "2026-11-02T09:00:10.000000Z",
    ],
)
def test_timestamps_of_a_different_format_do_not_match(actual):
    assert match('{"created": "2026-11-02T09:00:10Z"}', {"created": actual}) is not None


def test_request_id_is_not_a_bare_uuid():
    assert match(f'{{"v": "req-{LIT_A}"}}', {"v": ACT_1}) is not None
    assert match(f'{{"v": "{"a" * 32}"}}', {"v": "a" * 56}) is not None


def test_admin_pass_matches_any_string_and_binds():
    bindings = PageBindings()
    assert (
        match(
            '{"server": {"adminPass": "wKLKY4kfsTxZ"}}',
            {"server": {"adminPass": "Zq8s2Ud9kQ3x"}},
            bindings,
        )
        is None
    )
    assert bindings.lookup("wKLKY4kfsTxZ") == "Zq8s2Ud9kQ3x"
    assert match('{"adminPass": "wKLKY4kfsTxZ"}', {"adminPass": "other"}, bindings) is not None
    assert match('{"adminPass": "wKLKY4kfsTxZ"}', {"adminPass": None}) is not None


# -- text ----------------------------------------------------------------------------------------

TABLE = """\
+--------+--------------------------------------+
| Field  | Value                                |
+--------+--------------------------------------+
| id     | {id}                                 |
| status | {status}                               |
+--------+--------------------------------------+
"""


def test_text_table_with_uuids_and_trailing_whitespace():
    bindings = PageBindings()
    expected = TABLE.format(id=LIT_A, status="ACTIVE") + "\n\n"
    actual = "\n".join(line + "   " for line in TABLE.format(id=ACT_1, status="ACTIVE").split("\n"))
    assert match_text(expected, actual, bindings) is None
    assert bindings.items() == [(LIT_A, ACT_1)]


def test_text_mismatch_reports_the_expected_line():
    mismatch = match_text(
        TABLE.format(id=LIT_A, status="ACTIVE"),
        TABLE.format(id=ACT_1, status="BUILD "),
        PageBindings(),
    )
    assert mismatch is not None
    assert mismatch.line == 5
    assert mismatch.reason.startswith("line 5 differs: expected '| status | ACTIVE")


def test_text_ellipsis_lines_elide_zero_or_more_lines():
    actual = "header\nrow 1\nrow 2\nrow 3\nfooter"
    bindings = PageBindings()
    assert match_text("header\n...\nfooter", actual, bindings) is None
    assert match_text("header\n  ...\nrow 3\nfooter", actual, bindings) is None
    assert match_text("...\nrow 2\n...", actual, bindings) is None
    assert match_text("header\nrow 1\n...\nrow 2\nrow 3\nfooter", actual, bindings) is None
    assert match_text("...", "", bindings) is None
    mismatch = match_text("header\n...\nrow 4\nfooter", actual, bindings)
    assert mismatch is not None
    assert mismatch.line == 3


def test_text_uuid_binding_is_shared_with_json_on_the_page():
    bindings = PageBindings()
    assert match(f'{{"id": "{LIT_A}"}}', {"id": ACT_1}, bindings) is None
    mismatch = match_text(f"server {LIT_A} deleted", f"server {ACT_2} deleted", bindings)
    assert mismatch is not None
    assert "earlier on this page" in mismatch.reason
    assert match_text(f"server {LIT_A} deleted", f"server {ACT_1} deleted", bindings) is None


def test_text_missing_and_extra_lines():
    mismatch = match_text("a\nb\nc", "a\nb", PageBindings())
    assert mismatch is not None
    assert mismatch.line == 3
    assert "line 3 is missing" in mismatch.reason
    mismatch = match_text("a\nb", "a\nb\nc", PageBindings())
    assert mismatch is not None
    assert mismatch.line == 2
    assert "'c'" in mismatch.reason


# -- parsing -------------------------------------------------------------------------------------


def test_parse_expected_json_with_ellipsis():
    parsed = parse_expected_json('{"a": [1, ...], ..., "b": ...}')
    assert parsed == {"a": [1, ELLIPSIS], ELLIPSIS: ELLIPSIS, "b": ELLIPSIS}
    assert parse_expected_json('"..."') == "..."  # a quoted ellipsis is just a string


@pytest.mark.parametrize(
    "text, line",
    [
        ('{\n    "a": 1\n    "b": 2\n}', 3),  # missing comma
        ('{\n    "a": 1,\n}', 3),  # trailing comma
        ("[\n    1,\n    2", 3),  # unexpected end
        ('{\n    "a": 1,\n    "a": 2\n}', 3),  # duplicate key
        ('{\n  "a": tru\n}', 2),  # bad word
        ('{"a": 1}\n\n{"b": 2}', 3),  # two documents
        ("", 1),
    ],
)
def test_syntax_errors_carry_line_numbers(text, line):
    with pytest.raises(ExpectedSyntaxError) as raised:
        parse_expected_json(text)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")
    with pytest.raises(ExpectedSyntaxError):
        match_json(text, {}, PageBindings())


def test_mismatch_line_points_into_nested_documents():
    expected = (
        '{\n    "server": {\n        "id": 1,\n        "flavor": {\n'
        '            "name": "m1.small"\n        }\n    }\n}'
    )
    mismatch = match(expected, {"server": {"id": 1, "flavor": {"name": "m1.tiny"}}})
    assert mismatch is not None
    assert mismatch.line == 5
    assert mismatch.reason.startswith("value differs at $.server.flavor.name")


# -- diffs and rendering -------------------------------------------------------------------------


def test_json_diff_shows_only_the_real_difference():
    expected = (
        f'{{\n    "server": {{\n        "id": "{LIT_A}",\n        "status": "ACTIVE",\n'
        f"        ...\n    }}\n}}"
    )
    actual = {"server": {"name": "vm", "status": "ERROR", "id": ACT_1}}
    mismatch = match(expected, actual)
    assert mismatch is not None
    changed = [
        line
        for line in mismatch.diff.splitlines()
        if line[:1] in "+-" and line[:3] not in ("---", "+++")
    ]
    assert changed == ['-        "status": "ACTIVE",', '+        "status": "ERROR",']
    assert mismatch.diff.startswith("--- expected\n+++ actual")
    assert ACT_1 not in mismatch.diff  # the uuid is shown as the page's literal


def test_text_diff_substitutes_bound_values():
    bindings = PageBindings()
    assert match_text(f"id {LIT_A}", f"id {ACT_1}", bindings) is None
    mismatch = match_text(f"id {LIT_A}\nstatus ACTIVE", f"id {ACT_1}\nstatus ERROR", bindings)
    assert mismatch is not None
    assert "-status ACTIVE\n+status ERROR" in mismatch.diff
    assert ACT_1 not in mismatch.diff


def test_render_like_orders_keys_like_the_expected_and_keeps_the_indent():
    expected = parse_expected_json('{"b": 1, "a": {"y": 2, "x": 1}}')
    rendered = render_like(expected, {"a": {"x": 1, "y": 2, "z": 3}, "c": 0, "b": 1}, indent=2)
    assert rendered == (
        '{\n  "b": 1,\n  "a": {\n    "y": 2,\n    "x": 1,\n    "z": 3\n  },\n  "c": 0\n}'
    )
    # What the expected elides is rendered as `...`.
    rendered = render_like(parse_expected_json('{"a": 1, ...}'), {"z": 9, "a": 1})
    assert rendered == '{\n    "a": 1,\n    ...\n}'
    rendered = render_like(
        parse_expected_json('{"links": [...], "meta": {...}}'),
        {"links": [{"rel": "self"}], "meta": {"k": "v"}},
    )
    assert rendered == '{\n    "links": [...],\n    "meta": {...}\n}'


def test_json_diff_uses_the_expected_indent():
    mismatch = match('{\n  "a": 1,\n  "b": 2\n}', {"a": 1, "b": 3})
    assert mismatch is not None
    assert '+  "b": 3' in mismatch.diff
    assert mismatch.line == 3
