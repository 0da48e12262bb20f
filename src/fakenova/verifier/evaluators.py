"""Sybil evaluators: one small function per kind of block, all sharing the page's :class:`Page`.

Each evaluator either returns quietly (the sample holds) or raises :class:`SampleFailure`
naming the file and line, with a unified diff when there is something to compare.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable

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
from fakenova.verifier.transcripts import (
    TranscriptError,
    is_response,
    parse_request,
    parse_response,
    split_exchange,
)


def scenario(example: Example, block: Block) -> None:
    try:
        example.namespace[NAMESPACE_KEY] = Page.start(block.arguments, block.options)
    except (KeyError, ValueError) as error:
        raise SampleFailure(block.where(), str(error).strip('"')) from None


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


def _check_answer(page: Page, block: Block, text: str, first_line: int, answer: Answer) -> None:
    response = parse_response(text)
    if response.status != answer.status:
        raise SampleFailure(
            block.where(first_line),
            f"status {response.status} shown, but {answer.source} answered {answer.status}:\n"
            f"{answer.text[:500]}",
        )
    actual_headers = {name.lower(): value for name, value in answer.headers.items()}
    for index, (name, value) in enumerate(response.headers, start=1):
        actual = actual_headers.get(name.lower())
        if actual is None:
            raise SampleFailure(block.where(first_line + index), f"no {name} header in the answer")
        mismatch = match_text(value, actual, page.bindings)
        if mismatch is not None:
            raise SampleFailure(
                block.where(first_line + index), f"header {name}: {mismatch.reason}", mismatch.diff
            )
    if response.body is not None:
        _check_json(page, block, response.body, first_line + response.body_line - 1, answer)


def _check_json(page: Page, block: Block, text: str, first_line: int, answer: Answer) -> None:
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
        raise SampleFailure(
            block.where(first_line + mismatch.line - 1),
            f"{mismatch.reason} (answer to {answer.source})",
            mismatch.diff,
        )


def http(example: Example, block: Block) -> None:
    """A request (sent to the fake), a response (checked), or a request and its response."""
    page = page_of(example.namespace, block)
    try:
        if is_response(block.text):
            if page.last_answer is None:
                raise SampleFailure(block.where(), "a response with no request before it")
            _check_answer(page, block, block.text, 1, page.last_answer)
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
        answer = page.send(request.method, path, dict(request.headers), body)
        if response_text is not None:
            _check_answer(page, block, response_text, response_line, answer)
    except TranscriptError as error:
        raise SampleFailure(block.where(error.line), str(error)) from None


def json_block(example: Example, block: Block) -> None:
    """A JSON block or included example: the body of the latest answer on the page."""
    page = page_of(example.namespace, block)
    if page.last_answer is None:
        raise SampleFailure(block.where(), "a JSON sample with no request before it")
    _check_json(page, block, block.text, 1, page.last_answer)


def _console_commands(text: str) -> list[tuple[int, str, list[str]]]:
    """``(line, command, expected output lines)`` for each ``$ `` prompt in a console block."""
    commands: list[tuple[int, str, list[str]]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            start, command = index + 1, line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + " " + lines[index].strip()
            commands.append((start, command, []))
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
    # devstack's openrc: ``source openrc USER PROJECT``
    if len(argv) != 3 or argv[0] != "openrc":
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
    for line, command, expected in commands:
        argv = shlex.split(command)
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
        mismatch = match_text("\n".join(expected), printed, page.bindings)
        if mismatch is not None:
            raise SampleFailure(
                block.where(line + mismatch.line),
                f"$ {command}: {mismatch.reason}",
                mismatch.diff,
            )


def illustrative(example: Example, block: Block) -> None:
    pytest.skip(f"illustrative, not executed: {block.reason}")


def unsupported(example: Example, block: Block) -> None:
    raise SampleFailure(
        block.where(),
        block.reason
        or f"a {block.arguments or 'plain'!s} block cannot be verified: use http, json or "
        "console, or put '.. fakenova-illustrative: REASON' before it",
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
    "illustrative": illustrative,
    "unsupported": unsupported,
    "missing-include": missing_include,
}


def evaluate(example: Example) -> str | None:
    """Run one block. A failure is returned as text, which sybil reports without a traceback."""
    block: Block = example.parsed
    try:
        EVALUATORS[block.kind](example, block)
    except SampleFailure as failure:
        return str(failure)
    return None
