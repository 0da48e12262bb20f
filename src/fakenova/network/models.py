"""Network state: the networks from ``conf/``, one subnet each, ports and security groups.

The rules are Neutron's (``neutron/db/db_base_plugin_v2.py``, ``securitygroups_db.py``): a
member sees and changes its own project's ports and groups and the networks it owns or that
are shared; an admin sees everything. Each project gets a ``default`` security group the first
time anything of its groups is needed (Neutron's ``_ensure_default_security_group``), built
from Neutron's default rule templates. Refusals are the :mod:`~fakenova.network.errors`.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fakenova.determinism import Clock, IdSource
from fakenova.network.caller import Caller as Caller
from fakenova.network.errors import InUse, NotFound
from fakenova.network.ipam import AddressPool, IpAddressGenerationFailure
from fakenova.network.l3 import L3
from fakenova.network.qos import MinimumBandwidthRule, QosPolicy, resource_request
from fakenova.settings import Settings

DEFAULT_QUOTAS = {
    "network": 100,
    "subnet": 100,
    "subnetpool": -1,
    "port": 500,
    "router": 10,
    "floatingip": 50,
    "rbac_policy": 10,
    "security_group": 10,
    "security_group_rule": 100,
}


@dataclass
class Subnet:
    id: str
    name: str
    network_id: str
    project_id: str
    cidr: str
    created_at: str
    # Its network's ``router:external``, which a subnet shows too; devstack's public subnet
    # has no DHCP.
    external: bool = False

    @property
    def ip_version(self) -> int:
        return ipaddress.ip_network(self.cidr).version

    @property
    def gateway_ip(self) -> str:
        return str(ipaddress.ip_network(self.cidr).network_address + 1)

    @property
    def allocation_pool(self) -> dict[str, str]:
        """Everything after the gateway, up to the last host address (Neutron's default)."""
        net = ipaddress.ip_network(self.cidr)
        last = net.num_addresses - (2 if net.version == 4 else 1)
        return {"start": str(net.network_address + 2), "end": str(net.network_address + last)}


@dataclass
class Network:
    id: str
    name: str
    project_id: str
    shared: bool
    created_at: str
    subnet: Subnet
    external: bool = False

    @property
    def cidr(self) -> str:
        return self.subnet.cidr

    @property
    def version(self) -> int:
        return self.subnet.ip_version


@dataclass
class Port:
    id: str
    network_id: str
    project_id: str
    mac_address: str
    fixed_ips: list[dict[str, str]]
    security_groups: list[str]
    created_at: str
    name: str = ""
    device_id: str = ""
    device_owner: str = ""
    host: str = ""
    updated_at: str = ""
    revision_number: int = 1
    qos_policy_id: str | None = None
    admin_state_up: bool = True

    @property
    def status(self) -> str:
        """Bound and enabled: up; a port taken down by its owner goes DOWN, as OVN reports."""
        return "ACTIVE" if self.host and self.admin_state_up else "DOWN"


@dataclass
class Rule:
    id: str
    group_id: str
    project_id: str
    direction: str
    ethertype: str
    created_at: str
    protocol: str | None = None
    port_range_min: int | None = None
    port_range_max: int | None = None
    remote_ip_prefix: str | None = None
    remote_group_id: str | None = None
    description: str = ""

    def key(self) -> tuple[Any, ...]:
        """What makes two rules the same rule (Neutron's ``_rule_to_key``, ids aside)."""
        return (
            self.direction,
            self.ethertype,
            self.protocol,
            self.port_range_min,
            self.port_range_max,
            self.remote_ip_prefix,
            self.remote_group_id,
        )


@dataclass
class SecurityGroup:
    id: str
    name: str
    project_id: str
    description: str
    created_at: str
    is_default: bool = False
    rules: list[Rule] = field(default_factory=list)
    updated_at: str = ""
    revision_number: int = 1


def is_compute_port(port: Port) -> bool:
    """A port a server holds: Neutron tells Nova only about these (a device id that is a
    uuid, an owner starting ``compute:``)."""
    try:
        uuid.UUID(port.device_id)
    except ValueError:
        return False
    return port.device_owner.startswith("compute:")


class NetworkBackend:
    """All Network state of one cloud (no module-level state)."""

    def __init__(
        self,
        settings: Settings,
        ids: IdSource,
        clock: Clock,
        owner: str,
        projects: Iterable[str],
        project_names: dict[str, str] | None = None,
    ) -> None:
        self.ids = ids
        self.clock = clock
        self.projects = set(projects)
        self.project_names = dict(project_names or {})  # conf/'s names of the projects' ids
        self.networks: dict[str, Network] = {}
        self.subnets: dict[str, Subnet] = {}
        self.ports: dict[str, Port] = {}
        self.groups: dict[str, SecurityGroup] = {}
        self.pools: dict[str, AddressPool] = {}
        self.qos_policies: dict[str, QosPolicy] = {}
        # Finishes the cloud's pending work (a build reaching its host makes the server's
        # ports) before each request, as the compute API does before its own.
        self.settle: Callable[[], object] | None = None
        # Neutron's Nova notifier: told of an event about a compute port (network-vif-deleted
        # for one deleted through the API, network-changed for one whose floating IPs
        # changed), it sends it to Nova for the port's server.
        self.notify_nova: Callable[[str, Port], object] | None = None
        for raw in settings.networks:
            self._load_network(raw, owner)
        self.l3 = L3(self, on_association=self._network_changed, quota=DEFAULT_QUOTAS["floatingip"])
        for raw in settings.routers:
            self.l3.load_router(raw, owner)

    def _load_network(self, raw: dict[str, Any], owner: str) -> None:
        """A network of ``conf/``: owned by the admin project and shared unless it says
        otherwise, so that every project can boot on it; ids from the seed unless given."""
        network_id = str(raw.get("id") or self.ids.uuid("network", raw["name"]))
        project = str(raw.get("project_id") or self.project_names.get(raw.get("project"), owner))
        subnet = Subnet(
            id=str(raw.get("subnet_id") or self.ids.uuid("subnet", raw["name"])),
            name=f"{raw['name']}-subnet",
            network_id=network_id,
            project_id=project,
            cidr=raw["cidr"],
            created_at=self.now(),
            external=bool(raw.get("external", False)),
        )
        network = Network(
            network_id,
            raw["name"],
            project,
            bool(raw.get("shared", True)),
            self.now(),
            subnet,
            subnet.external,
        )
        self.networks[network_id] = network
        self.subnets[subnet.id] = subnet
        self.pools[network_id] = AddressPool(network_id, subnet.cidr)

    def _network_changed(self, port: Port) -> None:
        if self.notify_nova is not None and is_compute_port(port):
            self.notify_nova("network-changed", port)

    def now(self) -> str:
        return self.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- networks and subnets -----------------------------------------------------------------

    def visible_networks(self, caller: Caller) -> list[Network]:
        return [n for n in self.networks.values() if caller.reads(n)]

    def network(self, caller: Caller, network_id: str) -> Network:
        found = self.networks.get(network_id)
        if found is None or not caller.reads(found):
            raise NotFound(f"Network {network_id} could not be found.", "NetworkNotFound")
        return found

    def visible_subnets(self, caller: Caller) -> list[Subnet]:
        nets = {n.id for n in self.visible_networks(caller)}
        return [s for s in self.subnets.values() if s.network_id in nets]

    def subnet(self, caller: Caller, subnet_id: str) -> Subnet:
        found = self.subnets.get(subnet_id)
        if found is None or found not in self.visible_subnets(caller):
            raise NotFound(f"Subnet {subnet_id} could not be found.", "SubnetNotFound")
        return found

    # -- security groups ----------------------------------------------------------------------

    def ensure_default_group(self, project_id: str) -> SecurityGroup:
        """The project's ``default`` group, made with Neutron's default rule templates (both
        ethertypes out to anywhere, in from members of the group itself) on first use."""
        for group in self.groups.values():
            if group.is_default and group.project_id == project_id:
                return group
        group = self._new_group(project_id, "default", "Default security group", default=True)
        for ethertype in ("IPv4", "IPv6"):
            self._add_rule(
                group, direction="ingress", ethertype=ethertype, remote_group_id=group.id
            )
        return group

    def _new_group(
        self, project_id: str, name: str, description: str, *, default: bool = False
    ) -> SecurityGroup:
        group_id = self.ids.uuid("security-group", f"{project_id}/{name}")
        group = SecurityGroup(group_id, name, project_id, description, self.now(), default)
        group.updated_at = group.created_at
        self.groups[group_id] = group
        for ethertype in ("IPv4", "IPv6"):
            self._add_rule(group, direction="egress", ethertype=ethertype)
        return group

    def _add_rule(self, group: SecurityGroup, **attributes: Any) -> Rule:
        rule_id = self.ids.uuid("security-group-rule", group.id)
        rule = Rule(rule_id, group.id, group.project_id, created_at=self.now(), **attributes)
        group.rules.append(rule)
        return rule

    def visible_groups(self, caller: Caller) -> list[SecurityGroup]:
        """The caller's groups (every project's for an admin), its default made first, as
        Neutron's ``get_security_groups`` does for the project it lists."""
        self.ensure_default_group(caller.project_id)
        return [g for g in self.groups.values() if caller.sees(g.project_id)]

    def group(self, caller: Caller, group_id: str) -> SecurityGroup:
        self.ensure_default_group(caller.project_id)
        missing = NotFound(f"Security group {group_id} does not exist", "SecurityGroupNotFound")
        return caller.own(self.groups.get(group_id), missing)

    def find_group(self, caller: Caller, name_or_id: str) -> SecurityGroup | None:
        """A group of the caller's project by id or name (how Nova looks requested groups up:
        ``nova/network/security_group_api.py``); None when none or several match by name."""
        self.ensure_default_group(caller.project_id)
        found = self.groups.get(name_or_id)
        if found is not None and caller.sees(found.project_id):
            return found
        named = [
            g
            for g in self.groups.values()
            if g.name == name_or_id and g.project_id == caller.project_id
        ]
        return named[0] if len(named) == 1 else None

    def create_group(
        self, caller: Caller, name: str, description: str, project_id: str | None = None
    ) -> SecurityGroup:
        project = project_id or caller.project_id
        self.ensure_default_group(project)
        if name.lower() == "default":
            raise InUse(
                "Default security group already exists.", "SecurityGroupDefaultAlreadyExists"
            )
        return self._new_group(project, name, description)

    def update_group(self, caller: Caller, group_id: str, changes: dict[str, str]) -> SecurityGroup:
        group = self.group(caller, group_id)
        if group.is_default and changes.get("name", "default") != "default":
            raise InUse(
                "Updating default security group not allowed.", "SecurityGroupCannotUpdateDefault"
            )
        for key, value in changes.items():
            setattr(group, key, value)
        group.revision_number += 1
        group.updated_at = self.now()
        return group

    def delete_group(self, caller: Caller, group_id: str) -> None:
        group = self.group(caller, group_id)
        if group.is_default and not caller.is_admin:
            raise InUse(
                "Insufficient rights for removing default security group.",
                "SecurityGroupCannotRemoveDefault",
            )
        if any(group.id in p.security_groups for p in self.ports.values()):
            raise InUse(f"Security Group {group.id} in use.", "SecurityGroupInUse")
        del self.groups[group.id]

    def rules(self, caller: Caller) -> list[Rule]:
        return [r for g in self.visible_groups(caller) for r in g.rules]

    def rule(self, caller: Caller, rule_id: str) -> Rule:
        for found in self.rules(caller):
            if found.id == rule_id:
                return found
        raise NotFound(f"Security group rule {rule_id} does not exist", "SecurityGroupRuleNotFound")

    def create_rule(self, caller: Caller, group_id: str, attributes: dict[str, Any]) -> Rule:
        group = self.group(caller, group_id)
        candidate = Rule("", group.id, group.project_id, created_at="", **attributes)
        for existing in group.rules:
            if existing.key() == candidate.key():
                raise InUse(
                    f"Security group rule already exists. Rule id is {existing.id}.",
                    "SecurityGroupRuleExists",
                )
        if attributes.get("remote_group_id") is not None:
            self.group(caller, attributes["remote_group_id"])
        return self._add_rule(group, **attributes)

    def delete_rule(self, caller: Caller, rule_id: str) -> None:
        rule = self.rule(caller, rule_id)
        group = self.groups[rule.group_id]
        group.rules = [r for r in group.rules if r.id != rule.id]

    # -- ports --------------------------------------------------------------------------------

    def visible_ports(self, caller: Caller) -> list[Port]:
        return [p for p in self.ports.values() if caller.sees(p.project_id)]

    def port(self, caller: Caller, port_id: str) -> Port:
        missing = NotFound(f"Port {port_id} could not be found.", "PortNotFound")
        return caller.own(self.ports.get(port_id), missing)

    def create_port(
        self,
        caller: Caller,
        network_id: str,
        *,
        name: str = "",
        mac_name: str | None = None,
        fixed_ip: str | None = None,
        security_groups: list[str] | None = None,
        device_id: str = "",
        device_owner: str = "",
        host: str = "",
        qos_policy_id: str | None = None,
        port_id: str | None = None,
        admin_state_up: bool = True,
    ) -> Port:
        """A port on the network's subnet, with the next address of the walk (or
        ``fixed_ip``) and the project's default group unless groups are given. ``mac_name``
        names the MAC address in the seed (a server's port: its name and network);
        ``port_id`` gives a scenario's port a known id."""
        network = self.network(caller, network_id)
        if qos_policy_id is not None:
            self.qos_policy(caller, qos_policy_id)
        if fixed_ip is not None and self.pools[network.id].holder(fixed_ip) is not None:
            raise InUse(
                f"IP address {fixed_ip} already allocated in subnet {network.subnet.id}",
                "IpAddressAlreadyAllocated",
            )
        if security_groups is None:
            security_groups = [self.ensure_default_group(caller.project_id).id]
        port_id = port_id or self.ids.uuid("port", mac_name or network.id)
        try:
            address = self.pools[network.id].allocate(port_id, fixed_ip)
        except IpAddressGenerationFailure as error:
            raise InUse(str(error), "IpAddressGenerationFailure") from error
        mac_tail = self.ids.uuid("mac", mac_name or port_id)[:6]
        now = self.now()
        port = Port(
            id=port_id,
            network_id=network.id,
            project_id=caller.project_id,
            mac_address="fa:16:3e:" + ":".join(mac_tail[i : i + 2] for i in (0, 2, 4)),
            fixed_ips=[{"subnet_id": network.subnet.id, "ip_address": address}],
            security_groups=list(security_groups),
            created_at=now,
            updated_at=now,
            name=name,
            device_id=device_id,
            device_owner=device_owner,
            host=host,
            qos_policy_id=qos_policy_id,
            admin_state_up=admin_state_up,
        )
        self.ports[port.id] = port
        return port

    def update_port(self, port: Port, **changes: Any) -> Port:
        for key, value in changes.items():
            setattr(port, key, value)
        port.revision_number += 1
        port.updated_at = self.now()
        return port

    def delete_port(self, port_id: str) -> None:
        """The port and its addresses go; a floating IP that pointed at it points nowhere."""
        port = self.ports.pop(port_id, None)
        if port is not None:
            for fixed in port.fixed_ips:
                self.pools[port.network_id].release(port.id, fixed["ip_address"])
            self.l3.port_deleted(port.id)

    # -- quality of service -------------------------------------------------------------------

    def visible_qos_policies(self, caller: Caller) -> list[QosPolicy]:
        return [p for p in self.qos_policies.values() if caller.reads(p)]

    def qos_policy(self, caller: Caller, policy_id: str) -> QosPolicy:
        found = self.qos_policies.get(policy_id)
        if found is None or not caller.reads(found):
            raise NotFound(f"QoS policy {policy_id} could not be found.", "QosPolicyNotFound")
        return found

    def create_qos_policy(
        self, caller: Caller, name: str, description: str = "", shared: bool = False
    ) -> QosPolicy:
        """A policy of the caller's project (creating one is the admin's: Neutron's
        ``create_policy`` rule, checked by the HTTP layer)."""
        policy_id = self.ids.uuid("qos-policy", f"{caller.project_id}/{name}")
        now = self.now()
        policy = QosPolicy(policy_id, name, caller.project_id, description, shared, now, [], now)
        self.qos_policies[policy_id] = policy
        return policy

    def create_bandwidth_rule(
        self, caller: Caller, policy_id: str, min_kbps: int, direction: str
    ) -> MinimumBandwidthRule:
        """One minimum-bandwidth rule per direction and policy (Neutron's
        ``check_rules_conflict``)."""
        policy = self.qos_policy(caller, policy_id)
        for existing in policy.rules:
            if existing.direction == direction:
                raise InUse(
                    f"Rule minimum_bandwidth conflicts with rule {existing.id} which already "
                    f"exists in QoS Policy {policy.id}.",
                    "QoSRulesConflict",
                )
        rule_id = self.ids.uuid("qos-rule", policy.id)
        rule = MinimumBandwidthRule(rule_id, policy.id, min_kbps, direction)
        policy.rules.append(rule)
        policy.revision_number += 1
        policy.updated_at = self.now()
        return rule

    def resource_request(self, port: Port) -> Any:
        """The port's ``resource_request`` as Neutron computes it on every read."""
        policy = self.qos_policies.get(port.qos_policy_id or "")
        return resource_request(port.id, "normal", policy)

    def address_holder(self, network_id: str, address: str) -> Port | None:
        """The port holding ``address`` on ``network_id``, if any."""
        pool = self.pools.get(network_id)
        holder = pool.holder(address) if pool is not None else None
        return self.ports.get(holder) if holder is not None else None

    def device_ports(self, device_id: str) -> list[Port]:
        """A server's ports, oldest first."""
        return [p for p in self.ports.values() if p.device_id == device_id]

    def usage(self, project_id: str) -> dict[str, int]:
        """What the project holds, per quota resource (``quota show --usage``)."""
        groups = [g for g in self.groups.values() if g.project_id == project_id]
        return {
            "network": sum(1 for n in self.networks.values() if n.project_id == project_id),
            "subnet": sum(1 for s in self.subnets.values() if s.project_id == project_id),
            "port": sum(1 for p in self.ports.values() if p.project_id == project_id),
            "security_group": len(groups),
            "security_group_rule": sum(len(g.rules) for g in groups),
            **self.l3.usage(project_id),
        }

    def snapshot(self) -> dict[str, Any]:
        """Plain data to compare (a refused request leaves it as it was)."""
        return {
            "ports": {k: repr(v) for k, v in self.ports.items()},
            "groups": {k: repr(v) for k, v in self.groups.items()},
            "qos_policies": {k: repr(v) for k, v in self.qos_policies.items()},
            "pools": {k: p.snapshot() for k, p in self.pools.items()},
            "floating_ips": self.l3.snapshot(),
        }
