"""``GET /os-migrations``: every move of every server, for admins (Nova 34 also lets a
project manager list their own project's, without hosts).

2.23 adds each migration's type and links to in-progress live migrations; 2.59 uuids,
paging newest first (``limit``, ``marker`` by uuid), ``changes-since`` and a strict query;
2.66 ``changes-before``; 2.80 ``user_id`` and ``project_id``, as filters and in the bodies.
Below 2.59 unknown parameters are dropped, and the list is each cell's in database order.
A deleted server's migrations are not listed (Nova deletes them with it).
"""

from __future__ import annotations

import datetime as dt

from oslo_utils import timeutils

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.policy import MIGRATIONS
from fakenova.compute.api.validation import check_query
from fakenova.compute.api.views.migrations import MigrationView
from fakenova.compute.models.moves.migrations import Migration

FILTERS = ("hidden", "host", "instance_uuid", "source_compute", "status", "migration_type")


def _known(call: Call) -> tuple[str, ...]:
    v = call.version
    names = FILTERS
    if v.at_least("2.59"):
        names += ("limit", "marker", "changes-since")
    if v.at_least("2.66"):
        names += ("changes-before",)
    if v.at_least("2.80"):
        names += ("user_id", "project_id")
    return names


def _naive(value: str) -> dt.datetime:
    parsed = timeutils.parse_isotime(value)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)


def _matches(migration: Migration, query: dict[str, str]) -> bool:
    checks = {
        "status": lambda v: migration.status == v,
        "host": lambda v: v in (migration.source_compute, migration.dest_compute),
        "source_compute": lambda v: "host" in query or migration.source_compute == v,
        "migration_type": lambda v: migration.migration_type == v,
        "instance_uuid": lambda v: migration.instance_uuid == v,
        "user_id": lambda v: migration.user_id == v,
        "project_id": lambda v: migration.project_id == v,
    }
    return all(check(query[name]) for name, check in checks.items() if name in query)


def _changed(migration: Migration, since: dt.datetime | None, before: dt.datetime | None) -> bool:
    updated = migration.updated_at
    if since is None and before is None:
        return True
    if updated is None:
        return False
    updated = updated.astimezone(dt.UTC).replace(tzinfo=None) if updated.tzinfo else updated
    return (since is None or updated >= since) and (before is None or updated <= before)


def index(call: Call) -> Reply:
    v = call.version
    known = _known(call)
    if v.at_least("2.59"):
        check_query(call.request.GET, known)
    # Below 2.59 Nova's query schema drops what it does not know; each name's last value.
    query = {k: call.request.GET[k] for k in call.request.GET if k in known}
    call.authorize(MIGRATIONS + "index")
    if query.get("project_id") != call.context.project_id:
        call.authorize(MIGRATIONS + "index:all_projects")
    with_hosts = call.policy.allows(call.context, MIGRATIONS + "index:host")
    since = _naive(query["changes-since"]) if "changes-since" in query else None
    before = _naive(query["changes-before"]) if "changes-before" in query else None
    if since and before and before < since:
        raise bad_request(
            "The value of changes-since must be less than or equal to changes-before."
        )
    found = [
        m for m in call.compute.migrations() if _matches(m, query) and _changed(m, since, before)
    ]
    view = MigrationView(v, call.backend, call.links, with_hosts)
    if not v.at_least("2.59"):
        return Reply({"migrations": [view.listed(m) for m in found]})
    found.sort(key=lambda m: (m.created_at, m.id), reverse=True)
    max_limit = call.compute.max_limit
    limit = min(int(query.get("limit", max_limit)), max_limit)
    if "marker" in query:
        # Nova finds the marker among every record, deleted ones too, and pages on from its
        # place in the order, whether or not it matches the filters.
        marker = call.compute.migration_by_uuid(query["marker"])
        if marker is None:
            raise bad_request(f"Marker {query['marker']} could not be found.")
        found = [m for m in found if (m.created_at, m.id) < (marker.created_at, marker.id)]
    page = found[:limit]
    body: dict[str, object] = {"migrations": [view.listed(m) for m in page]}
    last = page[-1].uuid if page else None
    if links := call.links.collection(page, "os-migrations", last, max_limit):
        body["migrations_links"] = links
    return Reply(body)
