"""Policy decisions are memoised per cloud: same answers, fewer evaluations, bounded memory.

A decision is a pure function of (check, credentials, target), so ``Policy.allows`` keeps the
ones its cloud has taken. These tests prove the memo changes no answer, tells callers apart,
stays bounded, and never hides an override (between requests or within one).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from fakenova.cloud import Cloud
from fakenova.compute.api.policy import API_RULES, BASE_RULES, Policy, RequestContext
from fakenova.testing import World

V = "/compute/v2.1"
EXTENDED = "os_compute_api:os-extended-server-attributes"
HOST_STATUS = "os_compute_api:servers:show:host_status"

CONTEXTS = [
    RequestContext("u-admin", "p-admin", ("admin", "member", "reader"), "req-1"),
    RequestContext("u-member", "p1", ("member", "reader"), "req-2"),
    RequestContext("u-reader", "p1", ("reader",), "req-3"),
    RequestContext("u-manager", "p1", ("manager", "member", "reader"), "req-4"),
    RequestContext("u-service", "p-svc", ("service",), "req-5"),
    RequestContext("u-none", "p2", (), "req-6"),
]
TARGETS: list[dict[str, Any] | None] = [
    None,
    {"project_id": "p1"},
    {"project_id": "p2"},
    {"user_id": "u-member"},
    {"project_id": "p1", "user_id": "u-reader"},
]


def _plain_enforcer(overrides: dict[str, str]) -> oslo_policy.Enforcer:
    """oslo.policy as the fake used it before the memo: every rule parsed on its own."""
    conf = cfg.ConfigOpts()
    conf([], project="fakenova", default_config_files=[], default_config_dirs=[])
    enforcer = oslo_policy.Enforcer(conf, use_conf=False)
    rules = {**BASE_RULES, **API_RULES, **overrides}
    enforcer.set_rules(oslo_policy.Rules.from_dict(rules), overwrite=True)
    return enforcer


def _fresh(context: RequestContext) -> RequestContext:
    return RequestContext(context.user_id, context.project_id, context.roles, "req-new")


@pytest.mark.parametrize(
    "overrides", [{}, {EXTENDED: "rule:project_reader_or_admin", HOST_STATUS: "@"}]
)
def test_memoised_answers_equal_plain_oslo_policy(overrides: dict[str, str]) -> None:
    policy = Policy(overrides)
    plain = _plain_enforcer(overrides)
    rules = sorted({*BASE_RULES, *API_RULES, "no:such:rule"})
    for context in CONTEXTS:
        # oslo.policy's answer to each question, worked out once (it keeps no memo: asking it
        # twice gives the same answer at twice the cost).
        own = {"project_id": context.project_id, "user_id": context.user_id}
        expected = {
            (rule, number): bool(plain.enforce(rule, target or own, context.credentials()))
            for rule in rules
            for number, target in enumerate(TARGETS)
        }
        # Ask the fake every question twice on one context, so the second round comes from
        # the memo.
        for _round, rule, (number, target) in itertools.product(
            range(2), rules, enumerate(TARGETS)
        ):
            answer = policy.allows(context, rule, target)
            assert answer is expected[rule, number], (context, rule, target)
    assert policy._decisions  # the memo was used, across the callers


def _count_enforce(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    enforcer = cloud.policy._enforcer
    original = enforcer.enforce

    def counting(rule: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(rule)
        return original(rule, *args, **kwargs)

    monkeypatch.setattr(enforcer, "enforce", counting)
    return calls


def test_one_evaluation_per_distinct_check_and_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    w = World(vm="vm1")
    cloud, vm = w.cloud, w.vm
    demo = w.demo
    demo.get(f"{V}/servers", microversion="2.100")  # log in
    calls = _count_enforce(cloud, monkeypatch)
    first = demo.get(f"{V}/servers/{vm.uuid}", microversion="2.100")
    assert first.status_int == 200
    # show and show:flavor-extra-specs share one check, the three admin-only rules another.
    assert len(calls) == 2
    calls.clear()
    second = demo.get(f"{V}/servers/{vm.uuid}", microversion="2.100")
    assert calls == [] and second.json == first.json  # the same questions: answered
    w.admin.get(f"{V}/servers/{vm.uuid}", microversion="2.100")
    assert len(calls) == 2  # another caller: asked afresh


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import fakenova.compute.api.policy as policy_module

    monkeypatch.setattr(policy_module, "_DECISIONS", 3)
    policy = Policy({})
    for number in range(10):
        target = {"project_id": f"p{number}"}
        assert policy.allows(CONTEXTS[1], "os_compute_api:servers:show", target) is (number == 1)
        assert len(policy._decisions) <= 3


def test_an_override_between_requests_is_honoured() -> None:
    w = World(vm="vm1")
    cloud, vm = w.cloud, w.vm
    demo = w.demo
    url = f"{V}/servers/{vm.uuid}"
    before = demo.get(url, microversion="2.100").json["server"]
    assert "OS-EXT-SRV-ATTR:host" not in before and "host_status" not in before
    cloud.policy.override({EXTENDED: "rule:project_reader_or_admin", HOST_STATUS: "@"})
    after = demo.get(url, microversion="2.100").json["server"]
    assert after["OS-EXT-SRV-ATTR:host"] == vm.host and "host_status" in after
    listed = demo.get(f"{V}/servers/detail", microversion="2.100").json["servers"]
    assert listed[0]["OS-EXT-SRV-ATTR:host"] == vm.host
    cloud.policy.override({EXTENDED: "!", HOST_STATUS: "!"})
    again = demo.get(url, microversion="2.100").json["server"]
    assert again == before


def test_an_override_within_a_request_is_never_hidden_by_the_memo() -> None:
    policy = Policy({})
    context = CONTEXTS[1]  # a member of p1
    assert policy.allows(context, EXTENDED) is False
    assert policy.allows(context, EXTENDED) is False  # from the memo
    policy.override({EXTENDED: "rule:project_member_or_admin"})
    assert policy.allows(context, EXTENDED) is True
    policy.override({EXTENDED: "!"})
    assert policy.allows(context, EXTENDED) is False
    # A rule swapped in the enforcer directly is a new check as well.
    policy._enforcer.rules[EXTENDED] = policy._enforcer.rules["os_compute_api:servers:show"]
    assert policy.allows(context, EXTENDED) is True
    assert policy.allows(_fresh(context), EXTENDED) is True


def test_the_check_memos_answer_as_inspect_and_ast() -> None:
    """While the fake enforces, oslo.policy's checks see memoised ``getfullargspec`` and
    ``literal_eval``: the same answers and errors, and the real modules again afterwards."""
    import ast
    import inspect

    from oslo_policy import _checks

    from fakenova.compute.api import policy

    for text in ["True", "project_id", "'quoted'", "42", "None", "user_id", "[1, 2]", "(1,"]:
        for _ in range(2):
            try:
                expected: Any = ("value", ast.literal_eval(text))
            except (ValueError, SyntaxError) as error:
                expected = ("error", type(error))
            try:
                got: Any = ("value", policy._literal_eval(text))
            except (ValueError, SyntaxError) as error:
                got = ("error", type(error))
            assert got == expected
    check = _checks.GenericCheck("project_id", "%(project_id)s")
    for _ in range(2):
        assert policy._getfullargspec(check.__call__) == inspect.getfullargspec(check.__call__)
    Policy({}).allows(CONTEXTS[1], "os_compute_api:servers:show", {"project_id": "p1"})
    assert _checks.inspect is inspect and _checks.ast is ast
