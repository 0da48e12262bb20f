"""The line the site shows above each sample: its context and where its request is checked.

The pages are read by the verifier's own parsers (:meth:`GuideParser.blocks`), and the
directives folded by :class:`~fakenova.verifier.context.Context`, so a caption says what the
verifier applied before running the sample. The provenance part compares a REST sample's
request with the kinds of request the committed fidelity report lists for its page
(:mod:`fakenova.verifier.provenance`). A command or a Python snippet does not show its
requests: the sample run records them (``contributor/sample-requests.json``, committed and
checked like the coverage page), and such a sample counts as replayed when every compute
request it sends is of a replayed kind. A sample the record does not know gets no mark.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sybil import Document

from fakenova.verifier.context import Context
from fakenova.verifier.parsers import line_of_region, parser_for
from fakenova.verifier.provenance import RequestKind, kind_of, replayed_kinds
from fakenova.verifier.transcripts import (
    TranscriptError,
    is_response,
    parse_request,
    split_exchange,
)

NOVA = "nova"  # the request's kind is also replayed on the real Nova by tox -e fidelity
FAKE = "fake"  # checked against the fake only


@dataclass(frozen=True)
class Caption:
    """What one sample runs under; ``provenance`` is :data:`NOVA`, :data:`FAKE` or ``""``."""

    parts: tuple[str, ...]
    provenance: str = ""


def load_replayed(report: Path) -> dict[str, set[RequestKind]]:
    """The replayed request kinds by page, from a fidelity report (none when it is missing)."""
    if not report.exists():
        return {}
    return replayed_kinds(json.loads(report.read_text()))


Recorded = dict[str, dict[int, set[RequestKind]]]


def load_recorded(record: Path) -> Recorded:
    """The compute requests of each command and snippet, by page and line (none when the
    record is missing)."""
    if not record.exists():
        return {}
    return {
        docname: {int(line): {RequestKind(**k) for k in kinds} for line, kinds in lines.items()}
        for docname, lines in json.loads(record.read_text()).items()
    }


def page_captions(
    path: Path,
    source_root: Path,
    replayed: dict[str, set[RequestKind]],
    recorded: Recorded | None = None,
) -> dict[int, Caption]:
    """The caption of each sample that acts on the cloud, by the line its directive is on.

    Responses shown on their own (a JSON block, an included example) get none: they belong
    to the request above them."""
    docname = path.resolve().relative_to(source_root.resolve()).with_suffix("").as_posix()
    kinds = replayed.get(docname, set())
    sent = (recorded or {}).get(docname, {})
    document = Document(path.read_text(), str(path))
    context: Context | None = None
    found: dict[int, Caption] = {}
    for region, block in parser_for(path, source_root).blocks(document):
        if block.kind == "scenario":
            context = Context().apply(block.options)
        elif block.kind == "use" and context is not None:
            context = context.apply(block.options)
        if context is None or block.kind not in ("http", "console", "python"):
            continue
        if block.kind == "http" and is_response(block.text):
            continue
        line = line_of_region(document, region)
        provenance = ""
        if block.kind == "http":
            kind = _kind(context, block.text)
            provenance = NOVA if kind is not None and kind in kinds else FAKE
        elif line in sent:
            provenance = NOVA if sent[line] and sent[line] <= kinds else FAKE
        found[line] = Caption(tuple(context.caption()), provenance)
        context = context.shown()
        if block.kind == "console":
            context = context.after_console(block.text)
    return found


def _kind(context: Context, text: str) -> RequestKind | None:
    """The kind of the block's request; none for a request the identity middleware answers
    (a ``401``): the fidelity harness's Nova runs without it, so such an answer is never
    replayed, whatever else the scenario sends."""
    try:
        request_text, response_text, _ = split_exchange(text)
        request = parse_request(request_text)
    except TranscriptError:
        return None
    if response_text is not None and response_text.split(None, 2)[1:2] == ["401"]:
        return None
    return kind_of(
        context.user,
        request.method,
        request.path,
        dict(request.headers),
        request.body,
        context.microversion or None,
        context.conditions(),
    )
