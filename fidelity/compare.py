"""Compare two answers to the same request: one from the real Nova, one from fakenova.

Everything is compared: status, the headers that matter, key sets at every level and values.
Values that differ by nature between two deployments are not compared literally but mapped:
ids (UUIDs, 32- and 56-digit hex: servers, projects, users, request ids, hostIds), reservation
ids, MAC and IPv4 addresses are paired the first time they are seen, and every later sighting
must agree (a bijection: the same server is the same server in both runs, and two servers are
never one);
timestamps are compared by shape only; the endpoint in front of a link (the fake's
``http://localhost/compute``, the test Nova's ``http://<uuid>``) is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Order matters: an endpoint may contain an id, a UUID contains hex runs. The endpoints are the
# two runs' own (the fake is called as localhost, the test Nova at a UUID host): any other URL,
# such as a link to docs.openstack.org, is compared literally.
_TOKENS = re.compile(
    r"(?P<endpoint>https?://(?:localhost|[0-9a-f]{8}-[0-9a-f-]{27})(?::\d+)?(?:/compute)?)"
    r"|(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\b[0-9a-f]{56}\b|\b[0-9a-f]{32}\b)"
    r"|(?P<time>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
    r"|(?P<mac>\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b)"
    r"|(?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}\b)"
    r"|(?P<reservation>\br-[0-9a-z]{8}\b)"
)
MAPPED = ("id", "mac", "ip", "reservation")
# Keys whose values are random by design: only their shape (length, kinds of characters) counts.
SHAPE_ONLY = ("adminPass",)


@dataclass(frozen=True)
class Difference:
    """One way an answer of the fake differs from Nova's. ``where`` is a path such as
    ``body.servers[0].links[1].href``; ``kind`` is one of status, header, missing-key (Nova
    has it, the fake not), extra-key, value, type, length, mapping."""

    where: str
    kind: str
    nova: Any = None
    fake: Any = None

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: Nova {self.nova!r}, fake {self.fake!r}"


def tokenize(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A string's template (values that differ by nature replaced by placeholders) and the
    mapped values it held, in order."""
    mapped: list[tuple[str, str]] = []

    def placeholder(match: re.Match[str]) -> str:
        kind = match.lastgroup or ""
        if kind in MAPPED:
            mapped.append((kind, match.group()))
            return f"<{kind}>"
        if kind == "time":
            return "<time:" + re.sub(r"\d", "9", match.group()) + ">"
        return "<endpoint>"

    return _TOKENS.sub(placeholder, text), mapped


def _shape(text: str) -> str:
    """Length and the kinds of characters used, wherever they are."""
    kinds = {
        "9" if c.isdigit() else "a" if c.islower() else "A" if c.isupper() else c for c in text
    }
    return f"{len(text)}:{''.join(sorted(kinds))}"


class Bijection:
    """Pairs of values seen in the same place of both runs; each side's value has one partner."""

    def __init__(self) -> None:
        self.to_nova: dict[str, str] = {}
        self.to_fake: dict[str, str] = {}

    def pair(self, nova: str, fake: str) -> str | None:
        """Record the pair, or say why it contradicts an earlier one."""
        known_nova = self.to_nova.get(fake)
        known_fake = self.to_fake.get(nova)
        if known_nova is None and known_fake is None:
            self.to_nova[fake], self.to_fake[nova] = nova, fake
            return None
        if known_nova == nova:
            return None
        if known_nova is not None:
            return f"fake {fake} was Nova's {known_nova} before"
        return f"Nova's {nova} was the fake's {known_fake} before"

    def seed(self, nova: dict[str, Any], fake: dict[str, Any]) -> None:
        """Pair what both deployments name alike (vm1, db-group, demo_project...)."""
        for name in nova.keys() & fake.keys():
            (n_template, n_tokens), (f_template, f_tokens) = (
                tokenize(str(nova[name])),
                tokenize(str(fake[name])),
            )
            if n_template == f_template:
                for (_, n), (_, f) in zip(n_tokens, f_tokens, strict=True):
                    self.pair(n, f)


class Comparison:
    """Compares answers in order, sharing one :class:`Bijection` across a scenario."""

    def __init__(self, mapping: Bijection | None = None) -> None:
        self.mapping = mapping or Bijection()

    def answers(self, nova: dict[str, Any], fake: dict[str, Any]) -> list[Difference]:
        out: list[Difference] = []
        if nova["status"] != fake["status"]:
            out.append(Difference("status", "status", nova["status"], fake["status"]))
        n_headers, f_headers = nova["headers"], fake["headers"]
        for name in sorted(n_headers.keys() | f_headers.keys()):
            if name not in f_headers or name not in n_headers:
                out.append(
                    Difference(
                        f"headers.{name}", "header", n_headers.get(name), f_headers.get(name)
                    )
                )
            else:
                out += self.values(f"headers.{name}", n_headers[name], f_headers[name])
        out += self.values("body", nova["body"], fake["body"])
        return out

    def values(self, where: str, nova: Any, fake: Any) -> list[Difference]:
        if type(nova) is not type(fake):
            return [Difference(where, "type", nova, fake)]
        if isinstance(nova, dict):
            return self._dicts(where, nova, fake)
        if isinstance(nova, list):
            out = []
            if len(nova) != len(fake):
                out.append(Difference(where, "length", len(nova), len(fake)))
            for index, (n, f) in enumerate(zip(nova, fake, strict=False)):
                out += self.values(f"{where}[{index}]", n, f)
            return out
        if isinstance(nova, str):
            return self._strings(where, nova, fake)
        return [] if nova == fake else [Difference(where, "value", nova, fake)]

    def _dicts(self, where: str, nova: dict[str, Any], fake: dict[str, Any]) -> list[Difference]:
        out = [Difference(f"{where}.{k}", "missing-key", nova[k]) for k in nova if k not in fake]
        out += [
            Difference(f"{where}.{k}", "extra-key", None, fake[k]) for k in fake if k not in nova
        ]
        for key in nova:
            if key not in fake:
                continue
            if key in SHAPE_ONLY and isinstance(nova[key], str) and isinstance(fake[key], str):
                if _shape(nova[key]) != _shape(fake[key]):
                    out.append(Difference(f"{where}.{key}", "value", nova[key], fake[key]))
                continue
            out += self.values(f"{where}.{key}", nova[key], fake[key])
        return out

    def _strings(self, where: str, nova: str, fake: str) -> list[Difference]:
        (n_template, n_tokens), (f_template, f_tokens) = tokenize(nova), tokenize(fake)
        if n_template != f_template or [k for k, _ in n_tokens] != [k for k, _ in f_tokens]:
            return [Difference(where, "value", nova, fake)]
        for (_, n), (_, f) in zip(n_tokens, f_tokens, strict=True):
            problem = self.mapping.pair(n, f)
            if problem:
                return [Difference(where, "mapping", nova, f"{fake} ({problem})")]
        return []
