"""The verifier end to end: small pages parsed by sybil and evaluated against the fake."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_page


def run_text(tmp_path: Path, text: str, name: str = "page.rst") -> list[str]:
    """Write ``text`` as a page in ``tmp_path`` and evaluate it (:func:`run_page`)."""
    path = tmp_path / name
    path.write_text(text)
    return run_page(path)


FLAVOR = """\
.. fakenova-scenario: empty

.. code-block:: http

   GET /compute/v2.1/flavors/1 HTTP/1.1

   HTTP/1.1 200 OK
   OpenStack-API-Version: compute 2.1

   {"flavor": {"id": "1", "name": "m1.tiny", ...}}
"""


def test_a_true_page_passes(tmp_path: Path) -> None:
    assert run_text(tmp_path, FLAVOR) == ["ok", "ok"]


@pytest.mark.parametrize(
    ("original", "mutated", "reason"),
    [
        ("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "status 404 shown"),
        ("compute 2.1\n", "compute 2.2\n", "header OpenStack-API-Version"),
        ('"m1.tiny"', '"m1.small"', "value differs at $.flavor.name"),
        ('"name"', '"label"', "key 'label' missing"),
    ],
)
def test_any_change_to_a_sample_fails_and_names_the_line(
    tmp_path: Path, original: str, mutated: str, reason: str
) -> None:
    outcomes = run_text(tmp_path, FLAVOR.replace(original, mutated))
    assert outcomes[0] == "ok"
    assert reason in outcomes[1]
    line = next(n for n, text in enumerate(FLAVOR.split("\n"), 1) if original.strip() in text)
    assert f"page.rst:{line}" in outcomes[1]


def test_a_body_mismatch_prints_a_unified_diff_in_the_samples_layout(tmp_path: Path) -> None:
    [_, failure] = run_text(tmp_path, FLAVOR.replace('"m1.tiny"', '"m1.small"'))
    assert "--- expected" in failure
    assert "+++ actual" in failure
    # A sample written on one line is answered on one line: only the differing line shows.
    assert '\n-{"flavor": {"id": "1", "name": "m1.small", ...}}' in failure
    assert '\n+{"flavor": {"id": "1", "name": "m1.tiny", ...}}' in failure


def test_a_sample_without_a_scenario_fails_loudly(tmp_path: Path) -> None:
    page = FLAVOR.replace(".. fakenova-scenario: empty\n", "")
    [failure] = run_text(tmp_path, page)
    assert "no '.. fakenova-scenario: NAME' directive" in failure


def test_an_unknown_scenario_is_reported(tmp_path: Path) -> None:
    outcomes = run_text(tmp_path, FLAVOR.replace("empty", "no-such-scenario"))
    assert "unknown scenario 'no-such-scenario'" in outcomes[0]


def test_a_block_in_another_language_fails_unless_marked_illustrative(tmp_path: Path) -> None:
    page = FLAVOR + "\n.. code-block:: yaml\n\n   key: value\n"
    assert "cannot be verified" in run_text(tmp_path, page)[-1]
    marked = FLAVOR + (
        "\n.. fakenova-illustrative: shows YAML\n\n.. code-block:: yaml\n\n   key: value\n"
    )
    assert run_text(tmp_path, marked)[-1] == "skip: illustrative, not executed: shows YAML"


def test_directive_syntax_inside_a_code_block_is_not_a_directive(tmp_path: Path) -> None:
    page = FLAVOR + (
        "\n.. fakenova-illustrative: syntax\n\n.. code-block:: rst\n\n"
        "   .. fakenova-scenario: down-cells\n"
    )
    assert run_text(tmp_path, page) == ["ok", "ok", "skip: illustrative, not executed: syntax"]


def test_ids_are_consistent_across_a_page(tmp_path: Path) -> None:
    page = """\
.. fakenova-scenario: down-cells

.. code-block:: http

   GET /compute/v2.1/servers?name=vm1 HTTP/1.1

   HTTP/1.1 200 OK

   {"servers": [{"id": "11111111-2222-3333-4444-555555555555", "name": "vm1", "links": ...}]}

.. code-block:: http

   GET /compute/v2.1/servers/11111111-2222-3333-4444-555555555555 HTTP/1.1

   HTTP/1.1 200 OK

   {"server": {"id": "11111111-2222-3333-4444-555555555555", "name": "vm1", ...}}
"""
    assert run_text(tmp_path, page) == ["ok", "ok", "ok"]
    # The same literal cannot stand for another server later on the page.
    other = (
        page
        + """
.. code-block:: http

   GET /compute/v2.1/servers?name=vm2 HTTP/1.1

   HTTP/1.1 200 OK

   {"servers": [{"id": "11111111-2222-3333-4444-555555555555", "name": "vm2", "links": ...}]}
"""
    )
    assert "stands for" in run_text(tmp_path, other)[-1]


def test_an_id_never_seen_on_the_page_cannot_be_requested(tmp_path: Path) -> None:
    page = """\
.. fakenova-scenario: down-cells

.. code-block:: http

   GET /compute/v2.1/servers/11111111-2222-3333-4444-555555555555 HTTP/1.1
"""
    assert "has not appeared in an earlier response" in run_text(tmp_path, page)[1]


def test_console_blocks_run_the_real_client(tmp_path: Path) -> None:
    page = """\
.. fakenova-scenario: empty

.. code-block:: console

   $ openstack flavor show 1 -c name -c ram -f value
   m1.tiny
   512
   $ source openrc admin admin
   $ openstack compute service list -c Binary -f value
   nova-scheduler
   ...
"""
    assert run_text(tmp_path, page) == ["ok", "ok"]
    wrong = page.replace("512", "1024")
    assert "line 2 differs" in run_text(tmp_path, wrong)[1]


def test_a_json_block_is_compared_with_the_latest_answer(tmp_path: Path) -> None:
    page = """\
.. fakenova-scenario: empty

.. code-block:: http

   GET /compute/v2.1/flavors/42 HTTP/1.1

.. code-block:: json

   {"flavor": {"name": "m1.nano", ...}}
"""
    assert run_text(tmp_path, page) == ["ok", "ok", "ok"]
    assert "value differs" in run_text(tmp_path, page.replace("nano", "micro"))[2]


def test_included_examples_are_checked_and_must_exist(tmp_path: Path) -> None:
    (tmp_path / "flavor.json").write_text('{"flavor": {"name": "m1.nano", ...}}\n')
    page = """\
.. fakenova-scenario: empty

.. code-block:: http

   GET /compute/v2.1/flavors/42 HTTP/1.1

.. literalinclude:: flavor.json
   :language: json

.. literalinclude:: missing.json
"""
    outcomes = run_text(tmp_path, page)
    assert outcomes[:3] == ["ok", "ok", "ok"]
    assert "missing.json does not exist" in outcomes[3]


def test_myst_pages_use_percent_comments(tmp_path: Path) -> None:
    page = """\
% fakenova-scenario: down-cells user=admin unreachable=cell2

```http
GET /compute/v2.1/os-services?host=compute3 HTTP/1.1
OpenStack-API-Version: compute 2.69

HTTP/1.1 200 OK

{"services": [{"binary": "nova-compute", "host": "compute3", "status": "UNKNOWN"}]}
```
"""
    assert run_text(tmp_path, page, name="page.md") == ["ok", "ok"]


def test_a_page_can_act_as_a_user_it_created(tmp_path: Path) -> None:
    """A reader made by an administrator on the page (the users page does this) can then be
    the page's user, with its own token, by ``fakenova-use`` or ``source openrc``."""
    page = """\
.. fakenova-scenario: empty
   :user: admin

.. code-block:: console

   $ openstack user create --project demo --password secret demo_reader -f value -c name
   demo_reader
   $ openstack role add --user demo_reader --project demo reader

.. fakenova-use:
   :user: demo_reader

.. code-block:: http

   POST /compute/v2.1/os-server-groups HTTP/1.1
   Content-Type: application/json

   {"server_group": {"name": "g", "policies": ["affinity"]}}

   HTTP/1.1 403 Forbidden

.. code-block:: console

   $ source openrc demo_reader demo
   $ openstack server list -f value
"""
    assert run_text(tmp_path, page) == ["ok"] * 5


def test_a_user_nobody_created_is_refused_by_name(tmp_path: Path) -> None:
    scenario = ".. fakenova-scenario: empty"
    page = FLAVOR.replace(scenario, scenario + "\n   :user: nobody")
    assert "no user 'nobody' in conf/cloud.yaml, nor created earlier" in run_text(tmp_path, page)[0]


def test_a_created_user_without_a_default_project_needs_one_named(tmp_path: Path) -> None:
    page = """\
.. fakenova-scenario: empty
   :user: admin

.. code-block:: console

   $ openstack user create --password secret loner -f value -c name
   loner

.. fakenova-use:
   :user: loner
"""
    assert "has no default project" in run_text(tmp_path, page)[-1]


TOKEN = """\
.. fakenova-scenario: empty

.. code-block:: http

   POST /identity/v3/auth/tokens HTTP/1.1
   Content-Type: application/json

   {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo",
    "domain": {"id": "default"}, "password": "secret"}}}, "scope": {"project": {"name":
    "demo", "domain": {"id": "default"}}}}}

   HTTP/1.1 201 Created
   X-Subject-Token: gAAAAABpNhMzQ8v2kR7nYcG1tZ0fQe9bW3mUuLk8oJdHs4aXv6iNfPq5rTyE2cD0gM1l

.. code-block:: http

   GET /compute/v2.1/servers HTTP/1.1
   X-Auth-Token: gAAAAABpNhMzQ8v2kR7nYcG1tZ0fQe9bW3mUuLk8oJdHs4aXv6iNfPq5rTyE2cD0gM1l

   HTTP/1.1 200 OK
"""


def test_a_token_shown_by_its_literal_is_the_token_it_stood_for(tmp_path: Path) -> None:
    """Tokens match by shape, like ids, and a request sends the token its literal was bound
    to; a token literal the page never got is an error, not a made-up token."""
    assert run_text(tmp_path, TOKEN) == ["ok", "ok", "ok"]
    shown = "X-Auth-Token: gAAAAABpNhMzQ8v2kR7nYcG1tZ0fQe9bW3mUuLk8oJdHs4aXv6iNfPq5rTyE2cD0gM1l"
    other = TOKEN.replace(shown, shown.replace("gAAAAABp", "gAAAAABq"))
    assert "has not appeared in an earlier response" in run_text(tmp_path, other)[-1]
    made_up = TOKEN.replace(shown, "X-Auth-Token: not-a-token").replace(
        "200 OK", "401 Unauthorized"
    )
    assert run_text(tmp_path, made_up)[-1] == "ok"
