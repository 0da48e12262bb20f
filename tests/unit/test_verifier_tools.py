"""The verifier's tools: update mode, the drift summary, the coverage report, tabs, Python.

Most tests evaluate scratch pages through sybil directly, with a :class:`SampleRun` in the
page's namespace as the pytest plugin would put it; a few run pytest itself on a scratch copy
of the guide, to check the plugin's options, summary and exit status end to end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_page

from fakenova.compute.api.views.flavors import FlavorView
from fakenova.verifier.coverage import render_rst, version_ranges
from fakenova.verifier.run import SampleRun
from fakenova.verifier.updates import Proposal, ProposalConflict, apply_proposals, plan

ROOT = Path(__file__).resolve().parents[2]


def update(path: Path, mode: str = "update", source_root: Path | None = None) -> list[str]:
    """What ``pytest --update-samples`` does for one page: evaluate, then write the rewrites."""
    run = SampleRun(source_root or path.parent, mode)
    outcomes = run_page(path, run, source_root)
    rewrites, conflicts = plan(run.proposals)
    assert conflicts == []
    if run.writes:
        for rewrite in rewrites:
            rewrite.path.write_text(rewrite.new)
    return outcomes


FLAVOR_PAGE = """\
.. fakenova-scenario: empty

Some prose.

.. code-block:: console

   $ openstack flavor show 1 -c name -c ram -f value
   m1.tiny
   512

.. code-block:: http

   GET /compute/v2.1/flavors/1 HTTP/1.1

   HTTP/1.1 200 OK

   {
       "flavor": {
           "id": "1",
           "name": "m1.tiny",
           "ram": 512,
           "links": [...],
           ...
       }
   }

.. code-block:: json

   {"flavor": {"name": "m1.tiny", ...}}

.. code-block:: http

   GET /compute/v2.1/flavors HTTP/1.1

   HTTP/1.1 200 OK

   {"flavors": [{"id": "1", "name": "m1.tiny", "links": [...]}, ...]}
"""


def _double_the_ram(monkeypatch: pytest.MonkeyPatch) -> None:
    """Change the fake's behaviour for one field: every flavor now has twice the RAM."""
    show = FlavorView.show

    def doubled(self: FlavorView, flavor: object, extra_specs: bool) -> dict:
        body = show(self, flavor, extra_specs)  # type: ignore[arg-type]
        body["ram"] *= 2
        return body

    monkeypatch.setattr(FlavorView, "show", doubled)


def test_update_rewrites_exactly_the_samples_a_changed_field_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.rst"
    page.write_text(FLAVOR_PAGE)
    _double_the_ram(monkeypatch)
    outcomes = update(page)
    assert outcomes == ["ok"] * 5  # rewritten samples count as passed
    assert page.read_text() == FLAVOR_PAGE.replace("   512\n", "   1024\n").replace(
        '"ram": 512,', '"ram": 1024,'
    )
    assert run_page(page) == ["ok"] * 5


def test_dry_run_changes_nothing_and_still_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.rst"
    page.write_text(FLAVOR_PAGE)
    _double_the_ram(monkeypatch)
    run = SampleRun(tmp_path, "dry-run")
    outcomes = run_page(page, run)
    assert page.read_text() == FLAVOR_PAGE
    assert "line 2 differs" in outcomes[1] and "value differs" in outcomes[2]
    [rewrite], _ = plan(run.proposals)
    diff = rewrite.diff()
    assert "-   512\n+   1024\n" in diff and '-           "ram": 512,\n' in diff


def test_update_keeps_elisions_and_literal_ids(tmp_path: Path) -> None:
    """A status and a body value changed; the elided keys and the page's ids stay as written."""
    page = tmp_path / "page.rst"
    text = """\
.. fakenova-scenario: down-cells
   :unreachable: cell2

.. code-block:: http

   GET /compute/v2.1/servers HTTP/1.1
   OpenStack-API-Version: compute 2.69

   HTTP/1.1 200 OK

   {
       "servers": [
           {"id": "11111111-2222-3333-4444-555555555555", "status": "UNKNOWN", ...},
           {"id": "22222222-2222-3333-4444-555555555555", "name": "vm1", "links": [...]}
       ]
   }

.. code-block:: http

   GET /compute/v2.1/servers/22222222-2222-3333-4444-555555555555 HTTP/1.1

   HTTP/1.1 200 OK

   {"server": {"id": "22222222-2222-3333-4444-555555555555", "status": "ACTIVE", ...}}
"""
    drifted = text.replace('"status": "UNKNOWN"', '"status": "ERROR"').replace(
        '   HTTP/1.1 200 OK\n\n   {"server"', '   HTTP/1.1 202 Accepted\n\n   {"server"'
    )
    page.write_text(drifted)
    assert update(page) == ["ok"] * 3
    assert page.read_text() == text


def test_update_follows_a_rewritten_block_with_its_bindings(tmp_path: Path) -> None:
    """An id in a rewritten response stands for its object in the requests after it."""
    page = tmp_path / "page.rst"
    text = """\
.. fakenova-scenario: down-cells

.. code-block:: http

   GET /compute/v2.1/servers?name=vm1 HTTP/1.1

   HTTP/1.1 200 OK

   {"servers": [{"id": "11111111-2222-3333-4444-555555555555", "name": "vm1", "links": ...}]}

.. code-block:: http

   GET /compute/v2.1/servers/11111111-2222-3333-4444-555555555555 HTTP/1.1

   HTTP/1.1 200 OK

   {"server": {"name": "vm1", ...}}
"""
    page.write_text(text.replace('"name": "vm1", "links"', '"name": "vm9", "links"'))
    assert update(page) == ["ok"] * 3
    assert page.read_text() == text


def test_update_restores_every_mutation_of_the_real_guide(tmp_path: Path) -> None:
    """The mutations tests/test_page_mutations.py makes, all at once, are all undone."""
    from tests.test_page_mutations import MUTATIONS, PAGE

    shutil.copytree(ROOT / "doc" / "source", tmp_path / "doc" / "source")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    originals = {}
    for path, original, mutated, _ in MUTATIONS:
        target = tmp_path / path
        originals.setdefault(target, target.read_text())
        target.write_text(target.read_text().replace(original, mutated, 1))
    source = tmp_path / "doc" / "source"
    outcomes = update(tmp_path / PAGE, source_root=source)
    assert all(o == "ok" for o in outcomes), [o for o in outcomes if o != "ok"]
    for target, text in originals.items():
        assert target.read_text() == text, target
    assert all(o == "ok" for o in run_page(tmp_path / PAGE, source_root=source))


def test_proposals_keep_the_block_indentation_and_refuse_a_moved_block() -> None:
    text = 'Text.\n\n.. code-block:: json\n\n   {\n       "a": 1\n   }\n\nMore.\n'
    proposal = Proposal(Path("p.rst"), 5, '{\n    "a": 1\n}\n', '{\n    "a": 2\n}\n', Path("p"), 3)
    assert apply_proposals(text, [proposal]) == text.replace('"a": 1', '"a": 2')
    with pytest.raises(ProposalConflict, match="changed since"):
        apply_proposals(text.replace('"a": 1', '"a": 3'), [proposal])


# -- the plugin, end to end -----------------------------------------------------------------


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The plugin under test comes from the scratch project's conftest; the installed plugins
    # (xdist, randomly, hypothesis ...) play no part in these runs and cost each a second.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _scratch_guide(root: Path) -> Path:
    """A scratch project: the root conftest, a two-page guide, no coverage page yet."""
    shutil.copy(ROOT / "conftest.py", root / "conftest.py")
    (root / "pytest.ini").write_text("[pytest]\naddopts = -p no:doctest\n")
    source = root / "doc" / "source"
    (source / "contributor").mkdir(parents=True)
    (source / "flavors.rst").write_text(
        FLAVOR_PAGE.replace('"ram": 512,', '"ram": 1024,')
        + "\n.. fakenova-illustrative: only shows YAML\n\n.. code-block:: yaml\n\n   a: 1\n"
    )
    (source / "other.md").write_text(
        "% fakenova-scenario: empty\n\n```console\n$ openstack flavor show 1 -c ram -f value\n"
        "512\n```\n"
    )
    return root


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    return _scratch_guide(tmp_path)


@pytest.fixture(scope="module")
def updated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A scratch guide after ``pytest --update-samples`` (its page rewritten, its coverage page
    written) and that run: made once, each test continues on its own copy of it."""
    root = _scratch_guide(tmp_path_factory.mktemp("updated"))
    return root, _pytest(root, "--update-samples")


def _copy(updated: tuple[Path, subprocess.CompletedProcess[str]], where: Path) -> Path:
    shutil.copytree(updated[0], where, ignore=shutil.ignore_patterns("__pycache__"))
    return where


def test_the_plugin_updates_summarises_and_writes_the_coverage_page(
    guide: Path, updated: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    page = guide / "doc" / "source" / "flavors.rst"
    drifted = page.read_text()
    coverage = guide / "doc" / "source" / "contributor" / "coverage.rst"

    dry = _pytest(guide, "--update-samples-dry-run")
    assert dry.returncode == 1, dry.stdout
    assert page.read_text() == drifted and not coverage.exists()
    assert '-           "ram": 1024,\n+           "ram": 512,' in dry.stdout
    assert "would rewrite: doc/source/flavors.rst:11" in dry.stdout
    dry_summary = dry.stdout[dry.stdout.index("guide samples") :]
    assert dry_summary.splitlines()[1] == (
        "page                    run  passed  failed  skipped  to rewrite"
    )
    assert "\nrewritten:" not in dry_summary

    # The same guide, updated: by the module's one ``--update-samples`` run.
    written = updated[1]
    guide = _copy(updated, tmp_path / "updated")
    page = guide / "doc" / "source" / "flavors.rst"
    coverage = guide / "doc" / "source" / "contributor" / "coverage.rst"
    assert written.returncode == 0, written.stdout
    assert page.read_text() == drifted.replace('"ram": 1024,', '"ram": 512,')
    summary = written.stdout[written.stdout.index("guide samples") :]
    assert summary.splitlines()[1:4] == [
        "page                    run  passed  failed  skipped  rewritten",
        "doc/source/flavors.rst    6       5       0        1          1",
        "doc/source/other.md       2       2       0        0          0",
    ]
    assert "rewritten: doc/source/flavors.rst:11\n" in summary
    assert "rewritten: doc/source/contributor/coverage.rst (coverage)" in summary
    assert "``GET /v2.1/flavors/{flavor_id}``" in coverage.read_text()

    checked = _pytest(guide)
    assert checked.returncode == 0, checked.stdout
    assert "coverage: doc/source/contributor/coverage.rst is up to date" in checked.stdout

    (guide / "doc" / "source" / "other.md").unlink()  # the guide changed: the page is stale
    stale = _pytest(guide)
    assert stale.returncode == 1
    note = next(line for line in stale.stdout.splitlines() if line.startswith("coverage: "))
    assert "contributor/coverage.rst" in note and "out of date: regenerate" in note
    assert "`tox -e update -- doc/source examples`" in note

    partial = _pytest(guide, "doc/source/flavors.rst", "-k", "line:5")
    assert "coverage: not checked: 1 of the guide's 6 samples ran" in partial.stdout


def test_a_parallel_run_sums_up_the_pages_and_judges_the_coverage_page(
    updated: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    """Under xdist the controller runs no sample: the workers' shares come back to it."""
    assert updated[1].returncode == 0
    guide = _copy(updated, tmp_path / "updated")
    parallel = ("-p", "xdist.plugin", "-n", "2")
    fresh = _pytest(guide, *parallel)
    assert fresh.returncode == 0, fresh.stdout
    assert "doc/source/flavors.rst    6       5       0        1          0" in fresh.stdout
    assert "coverage: doc/source/contributor/coverage.rst is up to date" in fresh.stdout

    (guide / "doc" / "source" / "other.md").unlink()
    stale = _pytest(guide, *parallel)
    assert stale.returncode == 1, stale.stdout
    note = next(line for line in stale.stdout.splitlines() if line.startswith("coverage: "))
    assert "contributor/coverage.rst" in note and "out of date: regenerate" in note


# -- coverage -----------------------------------------------------------------------------


def test_coverage_records_routes_microversions_and_the_clients_requests(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(FLAVOR_PAGE)
    run = SampleRun(tmp_path)
    assert run_page(page, run) == ["ok"] * 5
    report = run.coverage.report()
    compute = {f"{op['method']} {op['template']}": op for op in report["services"]["compute"]}
    show = compute["GET /v2.1/flavors/{flavor_id}"]
    assert show["pages"] == ["page"]
    assert show["microversions"] == "2.1, 2.61"  # the REST sample's, the CLI's
    assert show["requests"] >= 2  # the REST sample and the CLI's request
    assert compute["GET /v2.1/servers"]["requests"] == 0
    identity = {f"{op['method']} {op['template']}": op for op in report["services"]["identity"]}
    assert identity["POST /v3/auth/tokens"]["requests"] >= 1  # the CLI authenticates
    rst = render_rst(report)
    assert "   * - ``GET /v2.1/flavors/{flavor_id}``\n     - 2.1, 2.61\n     - :doc:`/page`" in rst
    assert "Not exercised by any sample:" in rst and "* ``GET /v2.1/servers``" in rst


def test_version_ranges_join_consecutive_microversions() -> None:
    assert version_ranges({"2.71", "2.1", "2.69", "2.68", "2.100"}) == (
        "2.1, 2.68 to 2.69, 2.71, 2.100"
    )
    assert version_ranges(set()) == ""


# -- tabs and Python samples ----------------------------------------------------------------

TABS = """\
.. fakenova-scenario: empty

.. tabs::

   .. tab:: openstack CLI

      .. code-block:: console

         $ openstack flavor show 1 -c ram -f value
         512

   .. tab:: REST

      .. code-block:: http

         GET /compute/v2.1/flavors/1 HTTP/1.1

         HTTP/1.1 200 OK

         {"flavor": {"ram": 512, ...}}

.. tabs::

   .. code-tab:: console openstack CLI

      $ openstack flavor show 1 -c ram -f value
      512

   .. code-tab:: http REST

      GET /compute/v2.1/flavors/1 HTTP/1.1

      HTTP/1.1 200 OK

      {"flavor": {"ram": 512, ...}}

   .. code-tab:: python openstacksdk

      print(conn.compute.get_flavor("1").ram)

      # prints:
      # 512
"""


def test_tab_contents_and_code_tabs_are_verified(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(TABS)
    assert run_page(page) == ["ok"] * 6
    page.write_text(TABS.replace("512", "1024"))
    failures = run_page(page)[1:]
    assert len(failures) == 5
    for line, failure in zip((10, 20, 27, 35, 42), failures, strict=True):
        assert f"page.rst:{line}: " in failure


def test_myst_code_tabs_are_verified(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "% fakenova-scenario: empty\n\n````{tabs}\n```{code-tab} console openstack CLI\n"
        "$ openstack flavor show 1 -c ram -f value\n512\n```\n````\n"
    )
    assert run_page(page) == ["ok", "ok"]
    page.write_text(page.read_text().replace("512", "256"))
    assert "line 1 differs" in run_page(page)[1]


PYTHON = """\
.. fakenova-scenario: down-cells
   :unreachable: cell2

.. code-block:: python

   servers = sorted(conn.compute.servers(), key=lambda s: s.status)
   for server in servers:
       print(server.name, server.status)

   # prints:
   # vm1 ACTIVE
   # None UNKNOWN

.. code-block:: python

   import openstack

   again = openstack.connect()
   print(len(servers), again.compute.get_server(servers[0].id).name)

   # prints:
   # 2 vm1
"""


def test_python_samples_run_against_the_page_cloud(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(PYTHON)
    assert run_page(page) == ["ok", "ok", "ok"]


def test_python_samples_print_the_same_without_the_runner_memos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakenova.verifier import openstack_cli_cache

    page = tmp_path / "page.rst"
    page.write_text(PYTHON)
    assert run_page(page) == ["ok", "ok", "ok"]
    monkeypatch.setattr(openstack_cli_cache, "_PATCHES", ())
    openstack_cli_cache.clear()
    assert run_page(page) == ["ok", "ok", "ok"]


@pytest.mark.parametrize(
    ("original", "mutated", "line", "reason"),
    [
        ("# vm1 ACTIVE", "# vm1 SHUTOFF", 11, "line 1 differs"),
        ("servers[0].id", "servers[5].id", 19, "IndexError: list index out of range"),
        ("\n   # prints:\n   # 2 vm1\n", "\n", 19, "no '# prints:' section"),
    ],
)
def test_python_samples_fail_where_they_are_wrong(
    tmp_path: Path, original: str, mutated: str, line: int, reason: str
) -> None:
    page = tmp_path / "page.rst"
    page.write_text(PYTHON.replace(original, mutated))
    failure = next(o for o in run_page(page) if o != "ok")
    assert f"page.rst:{line}" in failure and reason in failure


def test_update_rewrites_what_a_python_sample_prints(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(PYTHON.replace("# vm1 ACTIVE\n", "# vm1 SHUTOFF\n   # vm4 ACTIVE\n"))
    assert update(page) == ["ok", "ok", "ok"]
    assert page.read_text() == PYTHON


def test_a_session_collects_young_objects_less_often() -> None:
    """The verifier's plugin (loaded by the root conftest, as in this session) raised the
    collector's young-generation threshold; the other generations keep Python's defaults."""
    import gc

    from fakenova.verifier.pytest_plugin import YOUNG_THRESHOLD

    young, middle, old = gc.get_threshold()
    assert young >= YOUNG_THRESHOLD and (middle, old) == (10, 10)
