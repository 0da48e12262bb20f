"""Quality of Service: policies, their minimum-bandwidth rules and a port's resource request.

Only what the Compute API's answers depend on is modelled: a policy (Neutron's ``qos``
extension) holds minimum-bandwidth rules, a port names a policy with ``qos_policy_id``, and
such a port then carries a ``resource_request`` that an admin sees and Nova reads when it
schedules a server. The request is Neutron 29's extended format (the
``port-resource-request-groups`` extension, on by default since Neutron 20): one request
group per kind of minimum rule, its id a uuid5 of the port's id and the rules' ids
(neutron-lib's ``resource_request_group_uuid``), its traits the network's (every network here
is an overlay, hence ``CUSTOM_NETWORK_TUNNEL_PROVIDER``) and the vnic type's
(``neutron/services/qos/qos_plugin.py``). Other rule types, network-level policies and
packet-rate rules are not modelled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

# Placement's resource classes for a direction of guaranteed bandwidth (os-resource-classes).
BANDWIDTH_CLASSES = {
    "egress": "NET_BW_EGR_KILOBIT_PER_SEC",
    "ingress": "NET_BW_IGR_KILOBIT_PER_SEC",
}
# The traits a minimum-bandwidth group requires: the network's kind (an overlay network has
# no physnet) and the port's vnic type, as neutron-lib's placement utils spell them.
TUNNEL_TRAIT = "CUSTOM_NETWORK_TUNNEL_PROVIDER"
VNIC_TYPE_TRAIT = "CUSTOM_VNIC_TYPE_{}"
# neutron-lib's DB_INTEGER_MAX_VALUE, the upper bound of ``min_kbps``.
MAX_KBPS = 2**31 - 1


@dataclass
class MinimumBandwidthRule:
    id: str
    policy_id: str
    min_kbps: int
    direction: str = "egress"


@dataclass
class QosPolicy:
    id: str
    name: str
    project_id: str
    description: str
    shared: bool
    created_at: str
    rules: list[MinimumBandwidthRule] = field(default_factory=list)
    updated_at: str = ""
    revision_number: int = 1


def resource_request(port_id: str, vnic_type: str, policy: QosPolicy | None) -> Any:
    """What Neutron shows as the port's ``resource_request``: None without a policy or
    without minimum rules, else the request groups and the ``same_subtree`` list of their
    ids."""
    if policy is None or not policy.rules:
        return None
    name = ":".join(rule.id for rule in policy.rules)
    group = {
        "id": str(uuid.uuid5(uuid.UUID(port_id), name)),
        "required": [TUNNEL_TRAIT, VNIC_TYPE_TRAIT.format(vnic_type.upper())],
        "resources": {BANDWIDTH_CLASSES[r.direction]: r.min_kbps for r in policy.rules},
    }
    return {"request_groups": [group], "same_subtree": [group["id"]]}
