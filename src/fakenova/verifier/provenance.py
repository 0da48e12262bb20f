"""Which REST samples send a kind of request that ``tox -e fidelity`` also replays on Nova 34.

The fidelity run (``fidelity/``) replays scenarios derived from the guide's pages against the
real Nova and against the fake; its committed report lists, per scenario, every request it
replayed as a :class:`RequestKind`. The site's build reads that list and marks each REST sample
whose request has the same kind, on the same page, as replayed on Nova; any other sample as
checked against the fake only.

Two requests are of the same kind when all of these are equal: the user sending it, the
method, the compute route the fake matches the path to (``/v2.1/servers/{server_id}/action``,
so two servers' ids are the same kind but ``/servers/detail`` and ``/servers/{server_id}`` are
not), the names of the query parameters, the microversion asked (``2.1`` when none is), and
for a server action the action's name (the body's key), and the cloud's conditions: the
nova.conf options and policy rules that differ from the deployment's, the cells cut off and
the hosts not reporting. The objects themselves (which
server) are not compared: the two runs build their own, with their own ids.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import webob

_VERSION = re.compile(r"^\s*(?:compute\s+)?(\d+\.\d+|latest)\s*$", re.IGNORECASE)
_COMPUTE_PREFIX = "/compute"


@dataclass(frozen=True, order=True)
class RequestKind:
    """A request, reduced to what makes it the same operation under the same conditions."""

    user: str
    method: str
    route: str
    query: str = ""  # the query parameters' names, sorted, comma-separated
    microversion: str = "2.1"
    action: str = ""
    conditions: str = ""  # see conditions()

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@functools.cache
def _router() -> Any:
    # Imported here: the compute URL table pulls in the whole fake, which only this needs.
    from fakenova.compute import urls
    from fakenova.http import RoutedApp

    table = [*urls.UNVERSIONED, *urls.VERSIONED]
    return RoutedApp([(method, template, template) for method, template, _ in table])


@functools.lru_cache(maxsize=4096)
def compute_route(method: str, path: str) -> str | None:
    """The compute route template ``path`` (under ``/compute`` or not) reaches, if any (kept:
    a page sends the same paths many times, and every request it sends is matched here)."""
    path = urlsplit(path).path
    if path.startswith(_COMPUTE_PREFIX + "/") or path == _COMPUTE_PREFIX:
        path = path[len(_COMPUTE_PREFIX) :] or "/"
    matched = _router().match(webob.Request.blank(path, method=method))
    return None if matched is None else str(matched[0])


def microversion_of(headers: dict[str, str], default: str | None = None) -> str:
    """The compute microversion a request asks for: its header, else ``default``, else 2.1."""
    for name, value in headers.items():
        if name.lower() in ("openstack-api-version", "x-openstack-nova-api-version"):
            found = _VERSION.match(value)
            if found:
                return found.group(1)
    return default or "2.1"


def conditions(
    nova: dict[str, Any],
    policy: dict[str, str],
    unreachable: Iterable[str] = (),
    stopped: Iterable[str] = (),
) -> str:
    """A cloud's conditions as one comparable string. ``nova`` names options as a page does
    (``group.name``, ``[DEFAULT]`` options by name); those set to the deployment's own value
    do not count."""
    from fakenova.verifier.context import _defaults, _norm

    items = [
        f"nova {name}={_norm(value)}"
        for name, value in nova.items()
        if _defaults()[0].get(name) != _norm(value)
    ]
    items += [f"policy {rule}={check.strip()}" for rule, check in policy.items()]
    items += [f"unreachable {cell}" for cell in unreachable]
    items += [f"stopped {host}" for host in stopped]
    return "; ".join(sorted(items))


def kind_of(
    user: str,
    method: str,
    path: str,
    headers: dict[str, str],
    body: Any,
    default: str | None,
    where: str = "",
) -> RequestKind | None:
    """The kind of a compute request (``None`` for a path no compute route matches).

    ``body`` is the decoded JSON body or its text; only a server action's key is read;
    ``where`` is the cloud's :func:`conditions`."""
    route = compute_route(method, path)
    if route is None:
        return None
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    action = ""
    if route.endswith("/action") and isinstance(body, dict) and len(body) == 1:
        action = next(iter(body))
    query = ",".join(sorted({name for name, _ in parse_qsl(urlsplit(path).query, True)}))
    return RequestKind(
        user=user,
        method=method.upper(),
        route=route,
        query=query,
        microversion=microversion_of(headers, default),
        action=action,
        conditions=where,
    )


def replayed_kinds(report: dict[str, Any]) -> dict[str, set[RequestKind]]:
    """From the fidelity report: the kinds of request replayed on Nova, by page (docname)."""
    found: dict[str, set[RequestKind]] = {}
    for scenario in report.get("scenarios", []):
        if not scenario.get("page"):
            continue
        kinds = found.setdefault(scenario["page"], set())
        kinds.update(RequestKind(**kind) for kind in scenario.get("replayed", []))
    return found
