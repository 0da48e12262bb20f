"""Sybil evaluators: one small function per kind of block, all sharing the page's :class:`Page`.

Each evaluator either returns quietly (the sample holds) or raises :class:`SampleFailure`
naming the file and line, with a unified diff when there is something to compare. Under
``pytest --update-samples`` an evaluator also works out, for each mismatch it can explain,
the :class:`~fakenova.verifier.updates.Edit` that fixes it, goes on as if the sample showed
the fix, and hands the block's fixed text to the run (see :func:`evaluate`).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import pytest
from sybil import Example

from fakenova.verifier.blocks import Block
from fakenova.verifier.matching import (
    ExpectedSyntaxError,
    dynamic_literals,
    match_json,
    match_text,
)
from fakenova.verifier.page import NAMESPACE_KEY, Answer, Page, SampleFailure, page_of
from fakenova.verifier.python_sdk import SnippetError, chunks, run_chunk
from fakenova.verifier.run import run_of
from fakenova.verifier.tables import check as check_table
from fakenova.verifier.transcripts import (
    TranscriptError,
    is_response,
    parse_request,
    parse_response,
    split_exchange,
)
from fakenova.verifier.updates import Edit, Proposal, apply_edits


def scenario(example: Example, block: Block) -> None:
    try:
        page = Page.start(block.arguments, block.options)
    except (KeyError, ValueError) as error:
        raise SampleFailure(block.where(), str(error).strip('"')) from None
    run = run_of(example.namespace)
    if run is not None:
        page.updating = run.updating
        page.app.recorder = run.coverage.for_page(Path(example.path), page.running)
    example.namespace[NAMESPACE_KEY] = page


class Fixes:
    """A block's mismatches. When checking, the first raises, as it always did; when updating,
    each fixable one is kept with its :class:`Edit` and the evaluator goes on."""

    def __init__(self, page: Page, block: Block) -> None:
        self.page, self.block = page, block
        self.failures: list[SampleFailure] = []
        self.edits: list[Edit] = []

    def mismatch(self, failure: SampleFailure, edit: Edit | None = None) -> None:
        if edit is None or not self.page.updating:
            raise failure
        self.failures.append(failure)
        self.edits.append(edit)

    def done(self) -> None:
        """Raise the first mismatch, carrying the block's text with every edit applied."""
        if self.failures:
            failure = self.failures[0]
            failure.proposed = apply_edits(self.block.text, self.edits)
            raise failure


def _span(text: str) -> int:
    """How many lines ``text`` covers in its block (trailing newlines do not count)."""
    return text.rstrip("\n").count("\n") + 1


def _lines_of(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def _adopt_text(page: Page, rendered: str, actual: str) -> bool:
    """Bind as if the sample showed ``rendered``; whether it really matches (it should)."""
    return match_text(rendered, actual, page.bindings) is None


def _adopt_json(page: Page, rendered: str, actual: object) -> bool:
    try:
        return match_json(rendered, actual, page.bindings) is None
    except ExpectedSyntaxError:
        return False


def use(example: Example, block: Block) -> None:
    try:
        page_of(example.namespace, block).configure(block.options)
    except (KeyError, ValueError) as error:
        raise SampleFailure(block.where(), str(error).strip('"')) from None


def _bound_path(page: Page, block: Block, path: str, line: int) -> str:
    """Replace literal ids in a request path by the actual ids they stood for earlier."""
    for literal in dynamic_literals(path):
        actual = page.bindings.lookup(literal)
        if actual is None:
            raise SampleFailure(
                block.where(line),
                f"{literal} in the request has not appeared in an earlier response on this "
                "page, so the verifier cannot tell which object it stands for",
            )
        path = path.replace(literal, actual)
    return path


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _check_answer(
    page: Page, block: Block, text: str, first_line: int, answer: Answer, fixes: Fixes
) -> None:
    response = parse_response(text)
    if response.status != answer.status:
        status_line = text.lstrip("\n").split("\n", 1)[0].strip()
        protocol = status_line.split()[0]
        fixes.mismatch(
            SampleFailure(
                block.where(first_line),
                f"status {response.status} shown, but {answer.source} answered "
                f"{answer.status}:\n{answer.text[:500]}",
            ),
            Edit(first_line, 1, (f"{protocol} {answer.status} {_phrase(answer.status)}",)),
        )
    actual_headers = {name.lower(): value for name, value in answer.headers.items()}
    for index, (name, value) in enumerate(response.headers, start=1):
        line = first_line + index
        actual = actual_headers.get(name.lower())
        if actual is None:
            fixes.mismatch(
                SampleFailure(block.where(line), f"no {name} header in the answer"),
                Edit(line, 1, ()),
            )
            continue
        mismatch = match_text(value, actual, page.bindings)
        if mismatch is not None:
            adopted = page.updating and _adopt_text(page, mismatch.rendered, actual)
            fixes.mismatch(
                SampleFailure(
                    block.where(line), f"header {name}: {mismatch.reason}", mismatch.diff
                ),
                Edit(line, 1, (f"{name}: {mismatch.rendered}",)) if adopted else None,
            )
    if response.body is not None:
        _check_json(page, block, response.body, first_line + response.body_line - 1, answer, fixes)


def _check_json(
    page: Page, block: Block, text: str, first_line: int, answer: Answer, fixes: Fixes
) -> None:
    try:
        actual = answer.json()
    except ValueError:
        raise SampleFailure(
            block.where(first_line),
            f"{answer.source} answered {answer.status} with a body that is not JSON:\n"
            f"{answer.text[:500]}",
        ) from None
    try:
        mismatch = match_json(text, actual, page.bindings)
    except ExpectedSyntaxError as error:
        raise SampleFailure(block.where(first_line + error.line - 1), str(error)) from None
    if mismatch is not None:
        adopted = page.updating and _adopt_json(page, mismatch.rendered, actual)
        fixes.mismatch(
            SampleFailure(
                block.where(first_line + mismatch.line - 1),
                f"{mismatch.reason} (answer to {answer.source})",
                mismatch.diff,
            ),
            Edit(first_line, _span(text), _lines_of(mismatch.rendered)) if adopted else None,
        )


# Request headers that carry a token: Compute's own, and Identity's for the token checked.
TOKEN_HEADERS = ("x-auth-token", "x-subject-token")


def http(example: Example, block: Block) -> None:
    """A request (sent to the fake), a response (checked), or a request and its response."""
    page = page_of(example.namespace, block)
    fixes = Fixes(page, block)
    try:
        if is_response(block.text):
            if page.last_answer is None:
                raise SampleFailure(block.where(), "a response with no request before it")
            _check_answer(page, block, block.text, 1, page.last_answer, fixes)
            fixes.done()
            return
        request_text, response_text, response_line = split_exchange(block.text)
        request = parse_request(request_text)
        path = _bound_path(page, block, request.path, 1)
        body = request.body
        if body is not None:
            try:
                json.loads(body)
            except ValueError:
                raise SampleFailure(
                    block.where(request.body_line), "request body is not JSON"
                ) from None
        # A token the page got earlier (Identity's ``X-Subject-Token``, ``openstack token
        # issue``) is shown by its literal, like an id: send the token it stands for.
        headers = {
            name: _bound_path(page, block, value, line) if name.lower() in TOKEN_HEADERS else value
            for line, (name, value) in enumerate(request.headers, start=2)
        }
        answer = page.send(request.method, path, headers, body)
        if response_text is not None:
            _check_answer(page, block, response_text, response_line, answer, fixes)
        fixes.done()
    except TranscriptError as error:
        raise SampleFailure(block.where(error.line), str(error)) from None


def json_block(example: Example, block: Block) -> None:
    """A JSON block or included example: the body of the latest answer on the page."""
    page = page_of(example.namespace, block)
    if page.last_answer is None:
        raise SampleFailure(block.where(), "a JSON sample with no request before it")
    fixes = Fixes(page, block)
    _check_json(page, block, block.text, 1, page.last_answer, fixes)
    fixes.done()


def _console_commands(text: str) -> list[tuple[int, str, list[str], int]]:
    """``(line, command, expected output lines, line of the output)`` for each ``$ `` prompt
    in a console block."""
    commands: list[tuple[int, str, list[str], int]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            start, command = index + 1, line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + " " + lines[index].strip()
            commands.append((start, command, [], index + 2))
        elif commands:
            commands[-1][2].append(line)
        elif line.strip():
            raise ValueError(f"console output before any '$ ' prompt: {line!r}")
        index += 1
    return commands


def _run_openstack(page: Page, argv: list[str]) -> str:
    result = page.cli.run(argv, page.env)
    return result.stdout + result.stderr


def _source_openrc(page: Page, argv: list[str]) -> str:
    # devstack's openrc: ``source openrc USER PROJECT``; ``conf/openrc`` is this repo's copy.
    if len(argv) != 3 or argv[0] not in ("openrc", "conf/openrc"):
        raise ValueError("expected 'source openrc USER PROJECT'")
    page.configure({"user": argv[1], "project": argv[2]})
    return ""


def _export(page: Page, argv: list[str]) -> str:
    for assignment in argv:
        name, _, value = assignment.partition("=")
        if not name.startswith("OS_"):
            raise ValueError(f"only OS_* variables can be exported, not {name}")
        page.env[name] = value
    return ""


COMMANDS: dict[str, Callable[[Page, list[str]], str]] = {
    "openstack": _run_openstack,
    "source": _source_openrc,
    "export": _export,
}


def console(example: Example, block: Block) -> None:
    """Run each ``$ command`` and compare what it prints with the lines after it."""
    page = page_of(example.namespace, block)
    try:
        commands = _console_commands(block.text)
    except ValueError as error:
        raise SampleFailure(block.where(), str(error)) from None
    if not commands:
        raise SampleFailure(block.where(), "a console block with no '$ ' command")
    fixes = Fixes(page, block)
    for line, command, expected, output_line in commands:
        # Ids a command names stand for what they stood for in earlier output on the page.
        argv = [_bound_path(page, block, arg, line) for arg in shlex.split(command)]
        runner = COMMANDS.get(argv[0])
        if runner is None:
            raise SampleFailure(
                block.where(line),
                f"cannot run {argv[0]!r}: console samples may use {', '.join(COMMANDS)} "
                "(mark anything else with fakenova-illustrative and a reason)",
            )
        try:
            printed = runner(page, argv[1:])
        except ValueError as error:
            raise SampleFailure(block.where(line), str(error)) from None
        shown = "\n".join(expected).rstrip()
        mismatch = match_text(shown, printed, page.bindings)
        if mismatch is not None:
            adopted = page.updating and _adopt_text(page, mismatch.rendered, printed)
            fixes.mismatch(
                SampleFailure(
                    block.where(output_line + mismatch.line - 1),
                    f"$ {command}: {mismatch.reason}",
                    mismatch.diff,
                ),
                Edit(output_line, _span(shown) if shown else 0, _lines_of(mismatch.rendered))
                if adopted
                else None,
            )
    fixes.done()


def _commented(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"# {line}" if line else "#" for line in lines)


def python(example: Example, block: Block) -> None:
    """An openstacksdk snippet: run each chunk, compare what it prints with its ``# prints:``."""
    page = page_of(example.namespace, block)
    fixes = Fixes(page, block)
    for chunk in chunks(block.text):
        first = block.first_line + chunk.line - 1
        try:
            printed = run_chunk(example.namespace, page, chunk, str(block.source_path), first)
        except SnippetError as error:
            line = error.line - block.first_line + 1 if error.line else chunk.line
            raise SampleFailure(block.where(line), f"the snippet raised {error}") from None
        shown = "\n".join(chunk.expected)
        mismatch = match_text(shown, printed, page.bindings)
        if mismatch is None:
            continue
        adopted = page.updating and _adopt_text(page, mismatch.rendered, printed)
        rendered = _commented(_lines_of(mismatch.rendered))
        if chunk.expected_line:
            where = chunk.expected_line + mismatch.line - 1
            edit = Edit(chunk.expected_line, len(chunk.expected), rendered)
            reason = f"the snippet printed something else: {mismatch.reason}"
        else:
            where = chunk.end_line
            edit = Edit(chunk.end_line + 1, 0, ("", "# prints:", *rendered))
            reason = "the snippet prints output that no '# prints:' section after it shows"
        fixes.mismatch(
            SampleFailure(block.where(where), reason, mismatch.diff), edit if adopted else None
        )
    fixes.done()


def illustrative(example: Example, block: Block) -> None:
    pytest.skip(f"illustrative, not executed: {block.reason}")


def table(example: Example, block: Block) -> None:
    """A verified table: each row is acted out on a new server of its own."""
    page_of(example.namespace, block)  # the page must have its scenario, like any sample
    check_table(block)


def unsupported(example: Example, block: Block) -> None:
    raise SampleFailure(
        block.where(),
        block.reason
        or f"a {block.arguments or 'plain'!s} block cannot be verified: use http, json, "
        "console or python, or put '.. fakenova-illustrative: REASON' before it",
    )


def missing_include(example: Example, block: Block) -> None:
    assert block.included_from is not None
    page, line = block.included_from
    raise SampleFailure(f"{page}:{line}", f"included file {block.source_path} does not exist")


EVALUATORS: dict[str, Callable[[Example, Block], None]] = {
    "scenario": scenario,
    "use": use,
    "http": http,
    "json": json_block,
    "console": console,
    "python": python,
    "illustrative": illustrative,
    "table": table,
    "unsupported": unsupported,
    "missing-include": missing_include,
}


def evaluate(example: Example) -> str | None:
    """Run one block. A failure is returned as text, which sybil reports without a traceback.

    A failure that carries the block's fixed text is handed to the run as a proposal; when
    the run rewrites the pages, the sample then counts as passed (and as rewritten).
    """
    block: Block = example.parsed
    page = example.namespace.get(NAMESPACE_KEY)
    if page is not None and block.kind in ("console", "python"):
        page.sample_line = example.line  # its requests are recorded as this sample's
    try:
        EVALUATORS[block.kind](example, block)
    except SampleFailure as failure:
        run = run_of(example.namespace)
        if run is not None and failure.proposed not in (None, block.text):
            assert failure.proposed is not None
            run.proposals.append(
                Proposal(
                    block.source_path,
                    block.first_line,
                    block.text,
                    failure.proposed,
                    Path(example.path),
                    example.line,
                )
            )
            if run.writes:
                return None
        return str(failure)
    finally:
        if page is not None:
            page.sample_line = None
    return None
