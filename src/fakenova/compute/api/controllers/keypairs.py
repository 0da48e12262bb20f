"""``os-keypairs``: create (generate or import), list, show and delete, per user.

Key pairs belong to a user, not a project. From 2.10 an admin may name another user
(``user_id`` in the body of a create, in the query otherwise); Nova's policy checks the user
the request is about, so a member naming someone else gets a 403. Status codes moved at 2.2:
a create answers 201 (200 before), a delete 204 (202 before).
"""

from __future__ import annotations

from fakenova.compute.api import policy as rules
from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.faults import bad_request
from fakenova.compute.api.schemas import keypairs as schemas
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import keypairs as view
from fakenova.compute.models.resources.keypairs import SSH

RULE = rules.KEYPAIRS


def _user(call: Call, rule: str) -> str:
    """The user the request is about (``user_id`` query from 2.10), once policy allows it."""
    user_id = call.context.user_id
    if call.version.at_least("2.10") and "user_id" in call.request.GET:
        user_id = call.request.GET.getall("user_id")[0] or user_id
    call.policy.authorize(call.context, RULE + rule, {"user_id": user_id})
    return user_id


def create(call: Call) -> Reply:
    body = call.body
    validate(pick(schemas.CREATE, call.version), body)
    fields = body["keypair"]
    user_id = (fields.get("user_id") if call.version.at_least("2.10") else None) or (
        call.context.user_id
    )
    call.policy.authorize(call.context, RULE + "create", {"user_id": user_id})
    key_type = fields.get("type", SSH)
    keypair, private = call.compute.create_keypair(
        call.actor, user_id, fields["name"].strip(), key_type, fields.get("public_key")
    )
    status = 201 if call.version.at_least("2.2") else 200
    return Reply(view.created(keypair, private, call.version), status)


def index(call: Call) -> Reply:
    query = call.request.GET
    validate(pick(schemas.INDEX_QUERIES, call.version), query.dict_of_lists(), query=True)
    user_id = _user(call, "index")
    found = call.compute.keypairs_of(user_id)
    max_limit = call.compute.max_limit
    paged = call.version.at_least("2.35")
    if paged:
        if "marker" in query:
            marker = query.getall("marker")[0]
            names = [k.name for k in found]
            if marker not in names:
                raise bad_request(f"Marker {marker} could not be found.")
            found = found[names.index(marker) + 1 :]
        limit = int(query.getall("limit")[0]) if "limit" in query else 0
        found = found[: min(max_limit, limit or max_limit)]
    body: dict = {"keypairs": [view.listed(k, call.version) for k in found]}
    if paged:
        last = found[-1].name if found else None
        links = call.links.collection(found, "os-keypairs", last, max_limit)
        if links:
            body["keypairs_links"] = links
    return Reply(body)


def show(call: Call, name: str) -> Reply:
    validate(pick(schemas.ONE_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    user_id = _user(call, "show")
    return Reply(view.shown(call.compute.keypair(user_id, name), call.version))


def delete(call: Call, name: str) -> Reply:
    validate(pick(schemas.ONE_QUERIES, call.version), call.request.GET.dict_of_lists(), query=True)
    user_id = _user(call, "delete")
    call.compute.delete_keypair(user_id, name)
    return Reply(None, 204 if call.version.at_least("2.2") else 202)
