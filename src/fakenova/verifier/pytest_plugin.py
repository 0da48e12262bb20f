"""The pytest side of the verifier: update mode, the drift summary and the coverage page.

Loaded by the root ``conftest.py`` (``pytest_plugins``). It adds:

``--update-samples``
    rewrite, in place, every sample whose output changed (see :mod:`.updates`), and the
    coverage page; rewritten samples count as passed.
``--update-samples-dry-run``
    the same, but only print the unified diffs; the samples still fail.

Two flags rather than ``--update-samples[=dry-run]``: an option with an optional value
would swallow the path that follows it (``pytest --update-samples doc/source/x.rst``).

At the end of a run it prints, per page, how many samples ran, passed, failed, were skipped
(illustrative) and were rewritten, and checks ``contributor/coverage.rst`` when the run
covered every sample of the guide (see :mod:`.coverage` for why the page is committed).
"""

from __future__ import annotations

import functools
import gc
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sybil.example import SybilFailure
from sybil.integration.pytest import SybilItem

from fakenova.verifier.collect import guide_sybils
from fakenova.verifier.coverage import render_rst
from fakenova.verifier.run import RUN_KEY, SampleRun
from fakenova.verifier.updates import FileRewrite, plan

_STATE = pytest.StashKey["_State"]()
_WORKER_OUTPUT = "fakenova-guide-samples"  # the key of a worker's share in xdist's output


@dataclass
class _State:
    run: SampleRun
    root: Path
    coverage_page: Path
    samples_requests: Path
    samples: dict[str, tuple[Path, int]] = field(default_factory=dict)  # nodeid → page, line
    page_sizes: dict[Path, int] = field(default_factory=dict)  # collected page → its samples
    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid → passed/failed/skipped
    rewrites: list[FileRewrite] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    coverage_note: str = ""
    coverage_stale: bool = False


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakenova", "the guide's executable samples")
    group.addoption(
        "--update-samples",
        action="store_true",
        help="rewrite samples whose output changed, keeping elisions and literal ids",
    )
    group.addoption(
        "--update-samples-dry-run",
        action="store_true",
        help="print the diffs --update-samples would apply, change nothing",
    )
    parser.addini("fakenova_guide", "the guide's Sphinx source directory", default="doc/source")
    parser.addini(
        "fakenova_coverage_page",
        "the generated coverage page",
        default="doc/source/contributor/coverage.rst",
    )
    parser.addini(
        "fakenova_samples_requests",
        "the generated record of the compute requests of each command and snippet",
        default="doc/source/contributor/sample-requests.json",
    )


# The collector's young generation is collected once this many more container objects exist
# than were freed (700 by default). Until its first command a session mostly grows: pages
# parsed into regions, clouds built, the clients imported, all kept until exit, and a guide
# run collected ~560 times, walking objects that live on; from configure on at this threshold,
# ~125 times in all (most of them while conftest.py imports the fake, before this runs).
YOUNG_THRESHOLD = 20_000


def pytest_configure(config: pytest.Config) -> None:
    young, middle, old = gc.get_threshold()
    if young < YOUNG_THRESHOLD:  # never lower what the process chose
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    mode = "check"
    if config.getoption("update_samples_dry_run"):
        mode = "dry-run"
    elif config.getoption("update_samples"):
        mode = "update"
    if mode != "check" and getattr(config.option, "numprocesses", None):
        # Each xdist worker would rewrite and judge only its share of the pages.
        raise pytest.UsageError("--update-samples cannot run with -n (pytest-xdist)")
    root = config.rootpath
    source = root / str(config.getini("fakenova_guide"))
    state = _State(
        run=SampleRun(source, mode),
        root=root,
        coverage_page=root / str(config.getini("fakenova_coverage_page")),
        samples_requests=root / str(config.getini("fakenova_samples_requests")),
    )
    config.stash[_STATE] = state
    config.pluginmanager.register(_Reporter(state), "fakenova-guide-samples")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A sample that fails reports its own message and diff, and nothing else: not sybil's
    "Example at ... did not evaluate as expected" preamble, not the clients' captured logs."""
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if report.failed and excinfo is not None and isinstance(excinfo.value, SybilFailure):
        report.longrepr = str(excinfo.value.result)
        report.sections = [s for s in report.sections if not s[0].startswith("Captured")]


# Plugins with nothing to do in a session that runs samples only (``pytest doc/source``, a page):
# pytest's log capture walks every logger of the process at each of a test's three phases, twice
# (the in-process client imports ~1,300: a few hundred microseconds a phase, about a second over
# the guide), and a failed sample's report drops the captured logs anyway (above); Hypothesis's
# summary imports Hypothesis itself. A session that also runs tests keeps both.
_IDLE_FOR_SAMPLES = ("logging-plugin", "hypothesispytest")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not items or not all(isinstance(item, SybilItem) for item in items):
        return
    for name in _IDLE_FOR_SAMPLES:
        plugin = config.pluginmanager.get_plugin(name)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)
            handler = getattr(plugin, "log_file_handler", None)
            if handler is not None:  # what the logging plugin's pytest_unconfigure does
                handler.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what collection made (the fake and the verifier imported, every page parsed into
    its regions: some 90,000 objects, kept until exit) out of the garbage collector's reach,
    as the CLI runner does again after its first command imports the client: otherwise each
    full collection of the run walks all of it again. Reference counting still frees any of
    it that is let go; only what is already cyclic garbage now is never collected."""
    gc.freeze()


@pytest.fixture(scope="session", name=RUN_KEY)
def fakenova_run(request: pytest.FixtureRequest) -> SampleRun:
    """The session's :class:`SampleRun`; sybil puts it in every page's namespace."""
    return request.config.stash[_STATE].run


class _Reporter:
    """Hooks that need the session's state (registered as an instance by pytest_configure)."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            example = getattr(item, "example", None)
            if example is not None and RUN_KEY in getattr(item, "fixturenames", ()):
                page = Path(example.path)
                self.state.samples[item.nodeid] = (page, example.line)
                if page not in self.state.page_sizes:  # the whole page, whatever is deselected
                    self.state.page_sizes[page] = sum(1 for _ in example.document.examples())

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid in self.state.samples and (
            report.when == "call" or report.outcome != "passed"
        ):
            self.state.outcomes.setdefault(report.nodeid, report.outcome)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        worker_output = getattr(session.config, "workeroutput", None)
        if worker_output is not None:  # an xdist worker: its share goes to the controller
            worker_output[_WORKER_OUTPUT] = {
                "samples": {n: [str(page), line] for n, (page, line) in self.state.samples.items()},
                "page_sizes": {str(page): size for page, size in self.state.page_sizes.items()},
                "outcomes": self.state.outcomes,
                "coverage": self.state.run.coverage.dump(),
            }
        _finish(self.state, session)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """xdist's controller collects no samples and runs none: each worker's samples,
        outcomes and recorded requests come back with it, so the controller sums up the pages
        and judges the whole guide's coverage page as a serial run does."""
        share = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
        if share:
            for nodeid, (page, line) in share["samples"].items():
                self.state.samples[nodeid] = (Path(page), line)
            self.state.outcomes.update(share["outcomes"])
            for page, size in share["page_sizes"].items():
                self.state.page_sizes[Path(page)] = size
            self.state.run.coverage.absorb(share["coverage"])

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        _summary(self.state, terminalreporter)


@functools.lru_cache(maxsize=1024)
def _resolved(path: Path) -> Path:
    """``path.resolve()``: a summary names each page once per sample, and each resolve asks
    the file system about every component of the path."""
    return path.resolve()


def _shown(state: _State, path: Path) -> str:
    try:
        return _resolved(path).relative_to(_resolved(state.root)).as_posix()
    except ValueError:
        return str(path)


def _guide_size(source: Path, collected: dict[Path, int]) -> int:
    """How many samples the whole guide has: a run that ran fewer is not a full run. Pages
    collected in this run were counted then; only the others are parsed here."""
    count = 0
    for sybil in guide_sybils(source):
        for path in sorted(source.rglob("*")):
            if path.is_file() and sybil.should_parse(path):
                known = collected.get(path)
                count += len(list(sybil.parse(path).examples())) if known is None else known
    return count


def _coverage(state: _State) -> list[FileRewrite]:
    """The rewrites of the coverage page and of the samples' request record, if they are out
    of date (only judged on a full run)."""
    ran = len(state.outcomes)
    total = _guide_size(state.run.source_root, state.page_sizes)
    page = state.coverage_page
    if ran < total:
        state.coverage_note = f"not checked: {ran} of the guide's {total} samples ran"
        return []
    if not page.exists() and not state.run.updating:
        state.coverage_note = f"no {_shown(state, page)}: --update-samples writes it"
        return []
    recorder = state.run.coverage
    requests = json.dumps(recorder.samples_report(), indent=1, sort_keys=True) + "\n"
    stale = []
    for path, fresh in ((page, render_rst(recorder.report())), (state.samples_requests, requests)):
        old = path.read_text() if path.exists() else ""
        if old != fresh:
            stale.append(FileRewrite(path, old, fresh, ()))
    if not stale:
        state.coverage_note = f"{_shown(state, page)} is up to date"
    return stale


def _finish(state: _State, session: pytest.Session) -> None:
    """Apply (or only plan) the rewrites, judge the coverage page, fail on what is left."""
    run = state.run
    state.rewrites, state.conflicts = plan(run.proposals)
    stale = _coverage(state)
    if stale and run.updating:
        state.rewrites += stale
    elif stale:
        state.coverage_stale = True
        state.coverage_note = (
            f"{' and '.join(_shown(state, r.path) for r in stale)} "
            f"{'is' if len(stale) == 1 else 'are'} out of date: regenerate "
            f"{'it' if len(stale) == 1 else 'them'} with "
            "`tox -e update -- doc/source examples` (the guide's samples only, seconds)"
        )
    if run.writes:
        for rewrite in state.rewrites:
            rewrite.path.parent.mkdir(parents=True, exist_ok=True)
            rewrite.path.write_text(rewrite.new)
    if state.conflicts or state.coverage_stale:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _rewritten(state: _State) -> dict[tuple[Path, int], str]:
    """(page, line) of each rewritten sample → the example file it includes, if any."""
    done = {}
    for rewrite in state.rewrites:
        for proposal in rewrite.proposals:
            key = (proposal.page.resolve(), proposal.page_line)
            included = proposal.source_path.resolve() != key[0]
            done[key] = _shown(state, proposal.source_path) if included else ""
    return done


def _summary(state: _State, terminalreporter: pytest.TerminalReporter) -> None:
    """The drift summary: per page, samples run, passed, failed, skipped and rewritten."""
    if not state.outcomes:
        return
    write = terminalreporter.write_line
    verb = {"check": "", "update": "rewritten", "dry-run": "would rewrite"}[state.run.mode]
    terminalreporter.write_sep("=", "guide samples")
    rewritten = _rewritten(state)
    pages: dict[Path, Counter[str]] = {}
    for nodeid, (page, _) in state.samples.items():
        if nodeid in state.outcomes:
            pages.setdefault(_resolved(page), Counter())[state.outcomes[nodeid]] += 1
    width = max(len(_shown(state, page)) for page in pages)
    column = "to rewrite" if state.run.mode == "dry-run" else "rewritten"
    write(f"{'page':<{width}}  run  passed  failed  skipped  {column}")
    for page, counts in sorted(pages.items()):
        lines = sorted(line for p, line in rewritten if p == page)
        write(
            f"{_shown(state, page):<{width}}  {counts.total():>3}  {counts['passed']:>6}  "
            f"{counts['failed']:>6}  {counts['skipped']:>7}  {len(lines):>{len(column)}}"
        )
    for (page, line), where in sorted(rewritten.items()):
        shown = f"{_shown(state, page)}:{line}"
        write(f"{verb}: {shown}" + (f" ({where})" if where else ""))
    generated = (state.coverage_page, state.samples_requests)
    coverage = [r for r in state.rewrites if r.path in generated]
    for rewrite in coverage:
        write(f"{verb}: {_shown(state, rewrite.path)} (coverage)")
    if not coverage and state.coverage_note:
        write(f"coverage: {state.coverage_note}", red=state.coverage_stale)
    for conflict in state.conflicts:
        write(f"not rewritten: {conflict}", red=True)
    if state.run.mode == "dry-run":
        for rewrite in state.rewrites:
            write("")
            for line in rewrite.diff(Path(_shown(state, rewrite.path))).splitlines():
                write(line)
