"""APIs Nova removed but still routes (``wsgi.removed``): 410 Gone, at every microversion.

Nova keeps these routes so that an old client learns the API is gone rather than that it
never existed: the XenAPI agents, cells v1, certificates, cloudpipe, fping, nova-network's
fixed IPs, DNS entries, bulk floating IPs, network writes and default security group rules,
the XVP consoles and virtual interfaces. Their controllers raise webob's 410 before looking
at the caller, the body or the server named in the path, so the answer is the same for a
member and an admin, for any body, and for a server that does not exist.

Their request schemas are empty mappings: the body is never checked, but a GET's query
schema cannot be read as soon as a query parameter comes, and a KeyError escapes (Nova's
500, as on ``os-tenant-networks``).
"""

from __future__ import annotations

from collections.abc import Callable

from fakenova.compute.api.controllers.base import Call, Reply, finds_its_method
from fakenova.compute.api.controllers.server_actions import action_name
from fakenova.compute.api.faults import bad_request, gone
from fakenova.compute.api.validation import empty_query_schema


def gone_route(call: Call, **_path: str) -> Reply:
    """Any method of a removed API's route."""
    if call.request.method == "GET":
        empty_query_schema(call.request.GET)
    raise gone()


def gone_actions(*names: str) -> Callable[..., Reply]:
    """``POST .../action`` of a removed API: Nova still finds the method by the body's one
    key (so an unknown key is its usual 400) and the method answers 410."""

    @finds_its_method
    def action(call: Call, **_path: str) -> Reply:
        name = action_name(call)
        if name not in names:
            raise bad_request(f"There is no such action: {name}")
        call.check_url_project()
        raise gone()

    return action


# POST /os-fixed-ips/{address}/action
fixed_ip_action = gone_actions("reserve", "unreserve")
# POST /os-networks/{network_id}/action (os-networks and os-networks-associate)
network_action = gone_actions(
    "disassociate", "disassociate_host", "disassociate_project", "associate_host"
)
