"""What a sample runs under, as the reader should see it: who acts, and what the operator changed.

A page's ``fakenova-scenario`` and ``fakenova-use`` directives (and ``source openrc`` in a
console block) set the acting user and the cloud's conditions for the samples after them;
the verifier applies them (:meth:`fakenova.verifier.page.Page.configure`). :class:`Context`
folds the same options, read by the same parsers, into what the site prints above each
sample (``as admin · nova.conf reclaim_instance_interval = 3600``), so that the caption
and the verified behaviour come from one source. Options whose value is the deployment's
own (``conf/nova.conf`` as the fake loads it) are not shown: setting one back ends it.
"""

from __future__ import annotations

import functools
import shlex
from dataclasses import dataclass, replace
from typing import Any

from fakenova.scenarios import POLICY_DEFAULT
from fakenova.settings import load_settings


@functools.cache
def _defaults() -> tuple[dict[str, str], dict[str, str]]:
    """The deployment's nova.conf options, flattened (``group.name``), and users' projects."""
    settings = load_settings()
    flat: dict[str, str] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for name, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{name}.")
            else:
                flat[prefix + name] = _norm(value)

    walk(settings.nova, "")
    return flat, {user.name: user.project for user in settings.users}


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def _pairs(text: str) -> list[tuple[str, str]]:
    """``a=1;b=2`` as the verifier reads it (:func:`fakenova.scenarios.operate`)."""
    pairs = (item.split("=", 1) for item in text.split(";") if item.strip())
    return [(name.strip(), value.strip()) for name, value in pairs]


def _hosts(text: str) -> list[str]:
    return [host.strip() for host in text.split(",") if host.strip()]


@dataclass(frozen=True)
class Context:
    """The acting user and the conditions set so far on a page."""

    user: str = "demo"
    project: str = ""  # empty: the user's own project
    microversion: str = ""
    unreachable: tuple[str, ...] = ()
    stopped: tuple[str, ...] = ()
    nova: tuple[tuple[str, str], ...] = ()
    policy: tuple[tuple[str, str], ...] = ()
    slow_live_migrations: bool = False
    advanced: int = 0  # seconds the clock just moved on: shown on the next sample only

    def apply(self, options: dict[str, str]) -> Context:
        """This context after a ``fakenova-use`` (or ``-scenario``) with ``options``."""
        new = self
        if "user" in options:
            new = replace(new, user=options["user"], project=options.get("project", ""))
        elif "project" in options:
            new = replace(new, project=options["project"])
        if new.project == _defaults()[1].get(new.user):
            new = replace(new, project="")
        if "microversion" in options:
            new = replace(new, microversion=options["microversion"])
        cells = [c for c in new.unreachable if c not in _hosts(options.get("reachable", ""))]
        cells += [c for c in _hosts(options.get("unreachable", "")) if c not in cells]
        hosts = [h for h in new.stopped if h not in _hosts(options.get("started", ""))]
        hosts += [h for h in _hosts(options.get("stopped", "")) if h not in hosts]
        nova = dict(new.nova)
        for name, value in _pairs(options.get("nova", "")):
            nova.pop(name, None)
            if _defaults()[0].get(name) != _norm(value):
                nova[name] = value
        policy = dict(new.policy) | dict(_pairs(options.get("policy", "")))
        policy = {rule: check for rule, check in policy.items() if check != POLICY_DEFAULT}
        slow = new.slow_live_migrations
        if "live_migrations" in options:
            slow = options["live_migrations"] == "slow"
        return replace(
            new,
            unreachable=tuple(cells),
            stopped=tuple(hosts),
            nova=tuple(nova.items()),
            policy=tuple(policy.items()),
            slow_live_migrations=slow,
            advanced=new.advanced + int(options.get("advance", "0") or 0),
        )

    def after_console(self, text: str) -> Context:
        """The context after a console block: ``source openrc USER PROJECT`` switches user."""
        new = self
        for line in text.splitlines():
            if not line.startswith("$ source "):
                continue
            words = shlex.split(line[2:])
            if len(words) == 4 and words[1] in ("openrc", "conf/openrc"):
                new = new.apply({"user": words[2], "project": words[3]})
        return new

    def shown(self) -> Context:
        """The context once a sample was shown: the clock's move is no longer news."""
        return replace(self, advanced=0)

    def caption(self) -> list[str]:
        """The parts of the line shown above a sample, in reading order."""
        who = f"as {self.user}" + (f" in project {self.project}" if self.project else "")
        parts = [who]
        if self.microversion:
            parts.append(f"microversion {self.microversion} unless the request names one")
        parts += [f"nova.conf {name} = {value}" for name, value in self.nova]
        parts += [f"policy {rule}: {check}" for rule, check in self.policy]
        parts += [f"{host}'s nova-compute not reporting" for host in self.stopped]
        parts += [f"{cell} unreachable" for cell in self.unreachable]
        if self.slow_live_migrations:
            parts.append("live migrations run until completed or aborted")
        if self.advanced:
            parts.append(f"{self.advanced} s later")
        return parts

    def conditions(self) -> str:
        """The cloud's conditions, as a fidelity request kind records them
        (:func:`fakenova.verifier.provenance.conditions`)."""
        from fakenova.verifier.provenance import conditions

        return conditions(dict(self.nova), dict(self.policy), self.unreachable, self.stopped)
