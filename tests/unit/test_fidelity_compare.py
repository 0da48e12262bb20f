"""The fidelity comparison (fidelity/): id mapping, key sets, values, known differences.

Fast and Nova-free: the answers are written here by hand, in the shape both runners record.
"""

from __future__ import annotations

from typing import Any

import pytest
from fidelity import known, steps
from fidelity.compare import Bijection, Comparison, Difference, tokenize

NOVA_VM1, FAKE_VM1 = "63777bf5-7759-4508-bc2c-49a81ac6bf34", "a4037192-2ed4-5fc1-9927-530e7d0c3166"
NOVA_VM2, FAKE_VM2 = "60dbbc46-10eb-419d-82ae-02b5bad5c75f", "142243f6-26b1-5936-8c9f-df06b6d11e54"


def answer(body: Any, status: int = 200, **headers: str) -> dict[str, Any]:
    return {"label": "x", "status": status, "headers": headers, "body": body}


def server(uuid: str, endpoint: str) -> dict[str, Any]:
    return {"id": uuid, "links": [{"rel": "self", "href": f"{endpoint}/v2.1/servers/{uuid}"}]}


NOVA_ENDPOINT = "http://4a932c04-9ed1-45c7-9333-7e34b8f56ba3"
FAKE_ENDPOINT = "http://localhost/compute"


def test_ids_endpoints_and_times_differing_by_nature_match() -> None:
    nova = answer({"server": server(NOVA_VM1, NOVA_ENDPOINT) | {"created": "2026-11-30T02:22:06Z"}})
    fake = answer({"server": server(FAKE_VM1, FAKE_ENDPOINT) | {"created": "2026-11-02T09:00:20Z"}})
    assert Comparison().answers(nova, fake) == []


def test_the_same_server_must_be_the_same_server_in_both_runs() -> None:
    comparison = Comparison()
    assert comparison.answers(answer({"id": NOVA_VM1}), answer({"id": FAKE_VM1})) == []
    # Later, the fake names vm1 where Nova names vm2: a mapping difference, not a silent pass.
    (difference,) = comparison.answers(answer({"id": NOVA_VM2}), answer({"id": FAKE_VM1}))
    assert (difference.where, difference.kind) == ("body.id", "mapping")
    # Two different fake servers cannot both be Nova's vm1 either.
    (difference,) = comparison.answers(answer({"id": NOVA_VM1}), answer({"id": FAKE_VM2}))
    assert difference.kind == "mapping"


def test_ids_inside_messages_and_links_are_mapped_too() -> None:
    mapping = Bijection()
    mapping.seed({"vm1": NOVA_VM1}, {"vm1": FAKE_VM1})
    nova = answer({"itemNotFound": {"message": f"Instance {NOVA_VM1} could not be found."}})
    fake = answer({"itemNotFound": {"message": f"Instance {FAKE_VM1} could not be found."}})
    assert Comparison(mapping).answers(nova, fake) == []
    other = answer({"itemNotFound": {"message": f"Instance {FAKE_VM2} could not be found."}})
    assert [d.kind for d in Comparison(mapping).answers(nova, other)] == ["mapping"]


def test_seeded_pairs_catch_a_list_in_the_wrong_order() -> None:
    mapping = Bijection()
    mapping.seed({"vm1": NOVA_VM1, "vm2": NOVA_VM2}, {"vm1": FAKE_VM1, "vm2": FAKE_VM2})
    nova = answer({"servers": [{"id": NOVA_VM2}, {"id": NOVA_VM1}]})
    fake = answer({"servers": [{"id": FAKE_VM1}, {"id": FAKE_VM2}]})
    differences = Comparison(mapping).answers(nova, fake)
    assert [d.where for d in differences] == ["body.servers[0].id", "body.servers[1].id"]


def test_key_sets_are_compared_at_every_level() -> None:
    nova = answer({"server": {"flavor": {"vcpus": 1, "ram": 512}, "name": "vm1"}})
    fake = answer({"server": {"flavor": {"vcpus": 1, "swap": 0}, "name": "vm1"}})
    differences = Comparison().answers(nova, fake)
    assert [(d.where, d.kind) for d in differences] == [
        ("body.server.flavor.ram", "missing-key"),
        ("body.server.flavor.swap", "extra-key"),
    ]


def test_values_types_lengths_status_and_headers() -> None:
    nova = answer({"a": "x", "b": 1, "c": [1, 2], "d": None}, 200, vary="OpenStack-API-Version")
    fake = answer({"a": "y", "b": "1", "c": [1], "d": None}, 404, location="/x")
    found = {(d.where, d.kind) for d in Comparison().answers(nova, fake)}
    assert found == {
        ("status", "status"),
        ("headers.location", "header"),
        ("headers.vary", "header"),
        ("body.a", "value"),
        ("body.b", "type"),
        ("body.c", "length"),
    }


def test_time_formats_must_agree_even_though_times_do_not() -> None:
    nova = answer({"updated_at": "2026-11-30T02:22:08.446768"})
    fake = answer({"updated_at": "2026-11-02T09:00:30Z"})
    assert [d.kind for d in Comparison().answers(nova, fake)] == ["value"]


def test_tokenize_keeps_what_is_not_mapped() -> None:
    template, tokens = tokenize(f"{FAKE_ENDPOINT}/v2.1/servers?limit=1&marker={FAKE_VM1}")
    assert template == "<endpoint>/v2.1/servers?limit=1&marker=<id>"
    assert tokens == [("id", FAKE_VM1)]
    assert tokenize("192.168.1.3 fa:16:3e:4c:2c:30 r-gyq43jn0")[0] == "<ip> <mac> <reservation>"


def test_known_differences_explain_only_what_they_name() -> None:
    entry = known.Known(
        scenario="down-cells",
        label="CLI: *",
        where="body.servers[*].OS-EXT-SRV-ATTR:root_device_name",
        kind="value",
        reason="fake virt driver",
    )
    root = Difference("body.servers[0].OS-EXT-SRV-ATTR:root_device_name", "value", "a", "b")
    other = Difference("body.servers[0].name", "value", "vm1", "vm2")
    explained, new = known.split([entry], "down-cells", "CLI: server list", [root, other])
    assert (explained, new) == ([root], [other])
    assert entry.seen == 1
    # Another scenario, another label or another kind: not explained.
    assert known.split([entry], "bad-input", "CLI: server list", [root]) == ([], [root])
    assert known.split([entry], "down-cells", "list, 2.69", [root]) == ([], [root])
    missing = Difference(root.where, "missing-key", "a")
    assert known.split([entry], "down-cells", "CLI: x", [missing]) == ([], [missing])


def test_the_committed_known_differences_all_have_reasons() -> None:
    entries = known.load()
    assert all(len(entry.reason) > 40 for entry in entries)


@pytest.mark.parametrize("pattern", ["body.servers[0]", "body.servers[*]"])
def test_glob_brackets_are_literal(pattern: str) -> None:
    entry = known.Known("*", "*", pattern, "r")
    assert entry.explains("s", "l", Difference("body.servers[0]", "value"))
    assert not entry.explains("s", "l", Difference("body.servers0", "value"))


def test_only_the_runs_own_endpoints_are_ignored() -> None:
    assert tokenize("http://docs.openstack.org/")[0] == "http://docs.openstack.org/"
    nova = answer({"href": "http://docs.openstack.org/"})
    fake = answer({"href": "http://docs.example.org/"})
    assert [d.kind for d in Comparison().answers(nova, fake)] == ["value"]


def test_random_passwords_are_compared_by_shape() -> None:
    nova = answer({"server": {"adminPass": "a7BcD9eFgH2k"}})
    assert Comparison().answers(nova, answer({"server": {"adminPass": "Zx8yWv7uTs6r"}})) == []
    short = answer({"server": {"adminPass": "Zx8yW"}})
    assert [d.kind for d in Comparison().answers(nova, short)] == ["value"]


def test_a_scenarios_nova_conf_reaches_the_fakes_settings() -> None:
    nova = {"service_down_time": 60, "api": {"max_limit": 1000}}
    conf = {"DEFAULT": {"reclaim_instance_interval": 5}, "quota": {"metadata_items": -1}}
    assert steps.fake_nova_settings(nova, conf) == {
        "service_down_time": 60,
        "reclaim_instance_interval": 5,
        "api": {"max_limit": 1000},
        "quota": {"metadata_items": -1},
    }
    assert nova == {"service_down_time": 60, "api": {"max_limit": 1000}}  # not changed


def test_every_scenario_loads_with_its_nova_conf() -> None:
    loaded = {path.stem: steps.load(path) for path in steps.scenario_paths()}
    assert loaded["quotas_unlimited"]["nova_conf"]["quota"]["metadata_items"] == -1
    assert all(isinstance(s["nova_conf"], dict) for s in loaded.values())


def _scenario(tmp_path: Any, steps_text: str) -> Any:
    path = tmp_path / "roles.yaml"
    path.write_text(f"deployment: down-cells\nsteps:\n{steps_text}")
    return path


def test_a_scenario_may_act_as_a_provisioned_user_but_not_an_unknown_one(tmp_path: Any) -> None:
    ok = _scenario(tmp_path, "  - {as: demo_reader, path: /servers}\n")
    assert steps.load(ok)["steps"][0]["as"] == "demo_reader"
    with pytest.raises(ValueError, match="unknown user 'demo_auditor'"):
        steps.load(_scenario(tmp_path, "  - {as: demo_auditor, path: /servers}\n"))


def test_the_fake_run_provisions_its_users_and_applies_policy_steps(tmp_path: Any) -> None:
    """A reader made through Keystone's admin API is refused what a member may do; a policy
    step changes a rule from then on, and its requests are recorded under that condition."""
    from fidelity import fake_run

    path = _scenario(
        tmp_path,
        "  - {label: stop, as: demo_reader, method: POST, path: '/servers/{vm1}/action',"
        " body: {os-stop: null}}\n"
        "  - policy: {'os_compute_api:servers:stop': '@'}\n"
        "  - {label: stop again, as: demo_reader, method: POST, path: '/servers/{vm1}/action',"
        " body: {os-stop: null}}\n"
        "  - policy: {'os_compute_api:servers:stop': default}\n",
    )
    run = fake_run.replay(path)
    assert [a["status"] for a in run["answers"]] == [403, 202]
    assert run["saved"]["demo_reader_user"]
    conditions = [kind["conditions"] for kind in run["replayed"]]
    assert conditions == ["", "policy os_compute_api:servers:stop=@"]
