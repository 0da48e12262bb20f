"""``GET /os-availability-zone`` and ``/os-availability-zone/detail``.

Anyone may list the zones; the detailed view (hosts and their services) is for admins. Both
take any query parameter until 2.101 and none from 2.102, checked before policy.
"""

from __future__ import annotations

from fakenova.compute.api.controllers.base import Call, Reply
from fakenova.compute.api.policy import AVAILABILITY_ZONE
from fakenova.compute.api.schemas import pick
from fakenova.compute.api.schemas.small_routes import STRICT_FROM_2102
from fakenova.compute.api.validation import validate
from fakenova.compute.api.views import availability_zones as view


def _zones(call: Call, rule: str, *, detailed: bool) -> Reply:
    validate(pick(STRICT_FROM_2102, call.version), call.request.GET.dict_of_lists(), query=True)
    call.authorize(AVAILABILITY_ZONE + rule)
    return Reply(view.listed(call.compute.availability_zones(detailed=detailed)))


def index(call: Call) -> Reply:
    return _zones(call, "list", detailed=False)


def detail(call: Call) -> Reply:
    return _zones(call, "detail", detailed=True)
