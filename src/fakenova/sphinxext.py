"""Sphinx extension: highlight the guide's samples, and say above each what it runs under.

Captions: above every sample that acts on the cloud, a small line says who sends it and what
the operator changed for it (``as admin · nova.conf reclaim_instance_interval = 3600``), and,
whether ``tox -e fidelity`` replays that kind of request on the real Nova too or only the
fake checks it. Both come from :mod:`fakenova.verifier.captions`, which reads
the page with the verifier's parsers and the committed fidelity report, so a caption cannot
say something the verifier did not do.

Highlighting: ``...`` elisions included.

Samples may elide keys and list items with a bare ``...`` (the verifier skips them). Pygments'
JSON lexer calls that an error, which ``sphinx-build -W`` turns into a failed build, and its
HTTP lexer leaves a body without ``Content-Type`` unhighlighted. These two lexers replace
``json`` and ``http`` so readers see highlighted JSON with the elisions marked as comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from pygments.lexers.data import JsonLexer
from pygments.lexers.textfmts import HttpLexer
from pygments.token import Comment, Error, Text, _TokenType

_ELLIPSIS = re.compile(r"\.\.\.")


class ElidedJsonLexer(JsonLexer):
    """JSON where a bare ``...`` stands for elided members or items."""

    name = "JSON with elisions"
    aliases = ["json"]

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:  # type: ignore[override]
        pending: list[tuple[int, str]] = []
        for index, token, value in super().get_tokens_unprocessed(text):
            if token is Error and value == ".":
                pending.append((index, value))
                if len(pending) == 3:
                    yield pending[0][0], Comment, "..."
                    pending = []
                continue
            for held_index, held in pending:
                yield held_index, Error, held
            pending = []
            yield index, token, value
        for held_index, held in pending:
            yield held_index, Error, held


class JsonBodyHttpLexer(HttpLexer):
    """HTTP transcripts whose bodies are JSON, shown with or without a Content-Type header."""

    name = "HTTP with JSON bodies"
    aliases = ["http"]

    def content_callback(self, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
        content, offset = match.group(), match.start()
        body = content.lstrip()
        # A request followed by its response: the "body" is the response; lex it as HTTP too.
        lexer = JsonBodyHttpLexer() if body.startswith("HTTP/") else ElidedJsonLexer()
        if body.startswith(("{", "[", "HTTP/")):
            for index, token, value in lexer.get_tokens_unprocessed(content):
                yield offset + index, token, value
        else:
            yield offset, Text, content

    # Pygments binds the callback when the class is built: point the state at this one.
    tokens = {**HttpLexer.tokens, "content": [(r".+", content_callback)]}


def _report(app: Any) -> Path:
    return (Path(app.srcdir) / app.config.fakenova_fidelity_report).resolve()


def _nova_version(report: Path) -> str:
    import json

    return str(json.loads(report.read_text()).get("nova", "")) if report.exists() else ""


def add_captions(app: Any, doctree: nodes.document) -> None:
    """Put each sample's caption just before it (see the module's docstring)."""
    from sphinx import addnodes

    from fakenova.verifier.captions import NOVA, load_recorded, load_replayed, page_captions

    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix not in (".rst", ".md"):
        return
    report = _report(app)
    record = (Path(app.srcdir) / app.config.fakenova_samples_requests).resolve()
    app.env.note_dependency(str(report))
    app.env.note_dependency(str(record))
    replayed, recorded = load_replayed(report), load_recorded(record)
    captions = page_captions(source, Path(app.srcdir), replayed, recorded)
    for block in list(doctree.findall(nodes.literal_block)):
        caption = captions.get(block.line or 0)
        if caption is None or Path(block.source or "").resolve() != source.resolve():
            continue
        line = nodes.container(classes=["fakenova-caption"])
        for index, part in enumerate(caption.parts):
            if index:
                line += nodes.inline(text=" · ", classes=["fakenova-sep"])
            line += nodes.inline(text=part, classes=["fakenova-context"])
        if caption.provenance:
            replayed = caption.provenance == NOVA
            text = f"also replayed on Nova {_nova_version(report)}" if replayed else "fake only"
            link = addnodes.pending_xref(
                "",
                nodes.inline(text=text),
                refdomain="std",
                reftype="doc",
                reftarget="/reference/fidelity",
                refexplicit=True,
                refwarn=True,
            )
            line += nodes.inline(
                "", "", link, classes=["fakenova-provenance", f"fakenova-{caption.provenance}"]
            )
        block.parent.insert(block.parent.index(block), line)


def setup(app: Any) -> dict[str, Any]:
    app.add_lexer("json", ElidedJsonLexer)
    app.add_lexer("http", JsonBodyHttpLexer)
    # The committed fidelity report, relative to the source directory.
    app.add_config_value("fakenova_fidelity_report", "../../fidelity/report.json", "env")
    # The sample run's record of the requests each command and snippet sends.
    app.add_config_value("fakenova_samples_requests", "contributor/sample-requests.json", "env")
    app.connect("doctree-read", add_captions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
