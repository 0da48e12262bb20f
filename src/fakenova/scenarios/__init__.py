"""Named starting states for the guide's pages.

A page picks one with its scenario directive; ``fakenova serve --scenario NAME`` serves the same
state to a reader. Scenarios only *use* the cloud (boot servers, break things): they never
change ``conf/``.
"""

from __future__ import annotations

from collections.abc import Callable

from fakenova.cloud import Cloud
from fakenova.compute.models.deployment.services import restart
from fakenova.compute.models.servers.states import PAUSED, STOPPED, PowerState

Scenario = Callable[[Cloud], None]


def empty(cloud: Cloud) -> None:
    """The deployment as configured, with no servers."""


def down_cells(cloud: Cloud) -> None:
    """Servers spread over two cells, all healthy; the page then makes ``cell2`` unreachable.

    ``demo`` owns vm1 (cell1) and vm2 (cell2, in an affinity group); ``alt_demo`` owns vm3
    (cell2), so an admin's all-projects listing differs from a member's.
    """
    compute = cloud.compute
    demo, demo_user = cloud.project_id("demo"), cloud.user_id("demo")
    alt, alt_user = cloud.project_id("alt_demo"), cloud.user_id("alt_demo")
    group = compute.create_server_group("db-group", "affinity", demo, demo_user)
    compute.boot_directly("vm1", project_id=demo, user_id=demo_user, host="compute1")
    compute.boot_directly(
        "vm2", project_id=demo, user_id=demo_user, host="compute3", server_group=group
    )
    compute.boot_directly("vm3", project_id=alt, user_id=alt_user, host="compute3", flavor="2")


def server_concepts(cloud: Cloud) -> None:
    """A few servers in different states, names, flavors, hosts and tags (server concepts).

    ``demo`` owns t1 (compute1, tag web), t2 (compute2, m1.small, then stopped), test11
    (compute1, tags web and db), test21 (compute2) and t14 (compute1, then paused), and the
    ``web-group`` anti-affinity group; ``alt_demo`` owns alt1 (compute3, m1.small). The
    clock moves a minute between the boots and the stop, and another between the stop and
    the pause, so ``changes-since`` can tell them apart.
    """
    compute = cloud.compute
    demo, demo_user = cloud.project_id("demo"), cloud.user_id("demo")
    alt, alt_user = cloud.project_id("alt_demo"), cloud.user_id("alt_demo")
    compute.create_server_group("web-group", "anti-affinity", demo, demo_user)
    servers = {}
    for name, host, flavor, tags in (
        ("t1", "compute1", "1", ["web"]),
        ("t2", "compute2", "2", []),
        ("test11", "compute1", "1", ["web", "db"]),
        ("test21", "compute2", "1", []),
        ("t14", "compute1", "1", []),
    ):
        servers[name] = compute.boot_directly(
            name, project_id=demo, user_id=demo_user, host=host, flavor=flavor
        )
        servers[name].tags = tags
    compute.boot_directly("alt1", project_id=alt, user_id=alt_user, host="compute3", flavor="2")
    # Direct state changes, as if the owner had stopped t2 and then paused t14.
    for name, vm_state, power_state in (
        ("t2", STOPPED, PowerState.SHUTDOWN),
        ("t14", PAUSED, PowerState.PAUSED),
    ):
        server = servers[name]
        server.updated_at = compute.clock.advance(60).replace(microsecond=0)
        server.vm_state, server.power_state = vm_state, power_state
    compute.clock.advance(60)
    compute.heartbeat()


# The id Nova's own test Neutron gives its port with a resource request, so that a replay on
# the real Nova and the fake name the same port.
QOS_PORT_ID = "2f2613ce-95a9-490a-b3c4-5f1c28c1f886"


def ports_with_resource_request(cloud: Cloud) -> None:
    """An admin's shared QoS policy ``min-bw`` with a minimum-bandwidth rule (1000 kbps
    egress), and ``qos-port``, demo's port on ``private`` that uses it and so carries a
    resource request."""
    from fakenova.network.models import Caller

    network = cloud.network
    admin = Caller(cloud.project_id("admin"), is_admin=True)
    policy = network.create_qos_policy(admin, "min-bw", shared=True)
    network.create_bandwidth_rule(admin, policy.id, 1000, "egress")
    demo = Caller(cloud.project_id("demo"))
    (private,) = [n for n in network.networks.values() if n.name == "private"]
    network.create_port(
        demo, private.id, name="qos-port", qos_policy_id=policy.id, port_id=QOS_PORT_ID
    )


# The device profile an operator created in the accelerator service: one FPGA of a kind
# Placement knows by a trait (the names Nova's own functional tests use for Cyborg).
DEVICE_PROFILE = "fakedev-dp"
DEVICE_PROFILE_GROUPS = [{"resources:FPGA": "1", "trait:CUSTOM_FAKE_DEVICE": "required"}]


def accelerators(cloud: Cloud) -> None:
    """The deployment as configured, with an accelerator service (Cyborg) that knows the
    device profile ``fakedev-dp`` (one FPGA), and FPGAs on every compute host (two each in
    the oracle's Placement; the fake's scheduler does not count them, so it would place more
    such servers than the hosts have FPGAs, where Nova finds no host). No flavor names the
    profile yet, and there are no servers."""
    cloud.compute.accelerators.create_device_profile(DEVICE_PROFILE, DEVICE_PROFILE_GROUPS)


SCENARIOS: dict[str, Scenario] = {
    "empty": empty,
    "down-cells": down_cells,
    "server-concepts": server_concepts,
    "ports-with-resource-request": ports_with_resource_request,
    "accelerators": accelerators,
}


# What an operator may do to a running cloud between a page's samples (page options).
OPERATOR = ("policy", "nova", "stopped", "started", "advance", "live_migrations")
# ``policy: RULE=default`` takes an override back (no check string is spelled so).
POLICY_DEFAULT = "default"


def conf_value(text: str) -> int | bool | str:
    """A nova.conf value as oslo.config reads it for the option's type: whole numbers as
    integers, ``true``/``false`` (any case) as booleans, anything else as text."""
    if text.lstrip("-").isdigit():
        return int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def operate(cloud: Cloud, options: dict[str, str]) -> None:
    """Apply operator options, in this order:

    ``policy``
        ``RULE=CHECK`` overrides, ``;``-separated, as if added to ``policy.yaml``;
        ``RULE=default`` takes the rule's override back (policy.yaml's value, else Nova's).
    ``nova``
        ``OPTION=VALUE`` nova.conf settings (``[DEFAULT]`` options by name, others as
        ``group.name``), ``;``-separated, as if set in nova.conf and the services restarted;
        integers are read as integers. Only this cloud's copy of the settings changes.
    ``stopped`` / ``started``
        comma-separated hosts whose nova-compute stops reporting / starts again.
    ``advance``
        seconds the scenario's clock moves on (queued work due by then settles first).
    ``live_migrations``
        ``slow``: live migrations run until forced to complete or aborted; ``normal``.
    """
    if mode := options.get("live_migrations"):
        cloud.compute.slow_live_migrations = mode == "slow"
    if rules := options.get("policy"):
        pairs = [tuple(part.strip() for part in r.split("=", 1)) for r in rules.split(";")]
        asked = dict(pair for pair in pairs if pair[0])
        cloud.policy.restore(rule for rule, check in asked.items() if check == POLICY_DEFAULT)
        cloud.policy.override({k: v for k, v in asked.items() if v != POLICY_DEFAULT})
    if conf := options.get("nova"):
        for name, value in (o.split("=", 1) for o in conf.split(";") if o.strip()):
            *groups, last = name.strip().split(".")
            node = cloud.settings.nova
            for group in groups:
                node = node.setdefault(group, {})
            node[last] = conf_value(value.strip())
    for host in filter(None, (h.strip() for h in options.get("stopped", "").split(","))):
        cloud.compute.stop_reporting(host)
    for host in filter(None, (h.strip() for h in options.get("started", "").split(","))):
        restart(cloud.compute, host)
    if seconds := options.get("advance"):
        compute = cloud.compute
        compute.tasks.settle()
        compute.clock.advance(float(seconds))
        compute.heartbeat()


def apply(cloud: Cloud, name: str) -> None:
    try:
        scenario = SCENARIOS[name]
    except KeyError:
        known = ", ".join(sorted(SCENARIOS))
        raise KeyError(f"unknown scenario {name!r}; known: {known}") from None
    scenario(cloud)
    cloud.notes["scenario"] = name
