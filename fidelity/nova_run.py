"""Replay scenarios against the real Nova 34, in-process, with Nova's functional-test fixtures.

Run only in the ``fidelity`` tox env, as ``python -m fidelity.nova_run OUT.json SCENARIO``:
it imports Nova, which must monkey-patch (eventlet) before anything else is imported, which is
why it is a separate process from the comparison.

The deployment mirrors ``conf/cloud.yaml`` where the guide can see it: cell0 holds the
scheduler and super-conductor on host ``controller``, cell1 a conductor and ``compute1`` and
``compute2``, cell2 a conductor and ``compute3``. Production defaults replace the test ones
where they change answers (``[api] response_validation = warn``).
"""

from __future__ import annotations

# Nova's functional package patches eventlet on import: it must come first, or every server
# silently ends up with no addresses.
from nova.tests.functional import integrated_helpers

# isort: split
import copy
import importlib.metadata
import itertools
import json
import os
import sys
import time
import unittest
import uuid
import warnings
from pathlib import Path
from typing import Any

import fixtures
import requests
import yaml
from nova import context as nova_context
from nova import objects
from nova.api import auth as nova_auth
from nova.scheduler import host_manager
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import client

from fidelity import steps as fsteps

CONF = Path(__file__).parent.parent / "conf" / "cloud.yaml"
NS = uuid.UUID("9b0b5c1e-2f0e-4a55-8a8c-5c2d0ef1d00d")
# Ids unlike the fake's, so that the comparison really exercises its id mapping; demo's project
# is the one that owns the fake Neutron's network and ports.
PROJECTS = {name: uuid.uuid5(NS, f"project:{name}").hex for name in fsteps.USERS}
PROJECTS["demo"] = nova_fixtures.PROJECT_ID
USER_IDS = {
    "demo": uuid.uuid5(NS, "user:demo").hex,
    "alt_demo": uuid.uuid5(NS, "user:alt_demo").hex,
    # Nova's stubbed auth treats the user called "admin" as the cloud administrator.
    "admin": "admin",
}
ROLES = {"demo": ["reader", "member"], "alt_demo": ["reader", "member"]}
ROLES["admin"] = ["reader", "member", "admin"]
for _name, (_project, _, _roles) in fsteps.PROVISIONED.items():
    USER_IDS[_name] = uuid.uuid5(NS, f"user:{_name}").hex
    PROJECTS[_name] = PROJECTS[_project]
    ROLES[_name] = list(_roles)
DESTINATION_RULE = "compute:servers:create:requested_destination"


class UnreachableCells(fixtures.Fixture):
    """Nova's DownCellFixture, answering in cell order as the real scatter-gather does (the
    fixture puts the broken cells first, which would reorder ``GET /os-services``)."""

    def __init__(self, mappings: list[Any]) -> None:
        super().__init__()
        self.mappings = mappings

    def _setUp(self) -> None:
        self.useFixture(nova_fixtures.DownCellFixture(down_cell_mappings=self.mappings))
        stub = nova_context.scatter_gather_cells

        def in_cell_order(ctxt: Any, cell_mappings: Any, *args: Any, **kwargs: Any) -> Any:
            results = stub(ctxt, cell_mappings, *args, **kwargs)
            return {cell.uuid: results[cell.uuid] for cell in cell_mappings}

        self.useFixture(fixtures.MonkeyPatch("nova.context.scatter_gather_cells", in_cell_order))


class CyborgAsDeployed(nova_fixtures.CyborgFixture):
    """Nova's Cyborg fixture, answering as Cyborg does for a name it has no profile of: an
    empty list (Cyborg's ``GET /device_profiles?name=``), where the fixture's table raises
    KeyError. It knows only its first profile, ``fakedev-dp``, as the fake's scenario does."""

    def fake_get_device_profile_list(self, dp_name: str) -> list[dict[str, Any]]:
        listed = []
        for name in dp_name.split(","):
            if name == self.dp_name:
                listed += super().fake_get_device_profile_list(name)
        return listed


class Deployment(integrated_helpers._IntegratedTestBase):
    """Nova's integrated test base with the guide's cells, hosts, users and settings."""

    NUMBER_OF_CELLS = 2
    ADMIN_API = False
    scenario_path: Path
    out: Path

    def setUp(self) -> None:
        super().setUp()
        self.flags(response_validation="warn", group="api")
        # Nova's test base turns library deprecation warnings into errors (a 500 from the API
        # in the middle of a replay); production only logs them.
        warnings.resetwarnings()
        warnings.simplefilter("ignore")
        # The test stack's stubbed keystone context ignores the request id the request-id
        # middleware made; keystone's, in production, takes it (and the global one), so an
        # instance action is recorded under the id the answer carries.
        stub = nova_auth.NovaKeystoneContext._create_context

        def with_request_ids(env: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("request_id", env.get("openstack.request_id"))
            kwargs.setdefault("global_request_id", env.get("openstack.global_request_id"))
            if env.get("HTTP_X_IDENTITY_STATUS") == "Confirmed":
                # A step with a token scope: keystonemiddleware's headers (keystone_headers),
                # read by Nova's own context, as in production.
                return nova_context.RequestContext.from_environ(env, **kwargs)
            return stub(env, **kwargs)

        target = "nova.api.auth.NovaKeystoneContext._create_context"
        self.useFixture(fixtures.MonkeyPatch(target, with_request_ids))
        # Hosts the weighers find equally fit come in the order of Placement's candidates,
        # which follows the compute nodes' random uuids: a replay would land a server on
        # compute1 in one run and on compute2 in the next. Ties are taken in host name order,
        # as the fake takes them; hosts of different weight keep Nova's order.
        weigh = host_manager.HostManager.get_weighed_hosts

        def ties_by_name(manager: Any, hosts: Any, spec: Any) -> Any:
            return sorted(weigh(manager, hosts, spec), key=lambda w: (-w.weight, w.obj.host))

        target = "nova.scheduler.host_manager.HostManager.get_weighed_hosts"
        self.useFixture(fixtures.MonkeyPatch(target, ties_by_name))

    def _setup_services(self) -> None:
        # Nova's tests look for api-paste.ini next to the package (a source checkout); a wheel
        # installs it under the environment's etc/nova.
        paste = Path(sys.prefix) / "etc" / "nova" / "api-paste.ini"
        if paste.exists():
            self.flags(api_paste_config=str(paste), group="wsgi")
        super()._setup_services()

    def _setup_conductor_service(self) -> Any:
        # Scheduler, then super-conductor, in cell0 on "controller", as the fake registers them.
        cell0 = self.cell_mappings["cell0"]
        self._scheduler = self.service("scheduler", "controller", cell0)
        self._conductor = self.service("conductor", "controller", cell0)
        return self._conductor

    def service(self, binary: str, host: str, cell: Any) -> Any:
        return self.useFixture(nova_fixtures.ServiceFixture(binary, host, cell=cell)).service

    def report_states(self) -> None:
        """Every service reports in once, as a running one does each report_interval: a
        service that never did has no ``updated_at``, which no settled deployment shows.
        Done through each cell's database, where the API reads them."""
        admin = nova_context.get_admin_context()
        for mapping in self.cell_mappings.values():
            with nova_context.target_cell(admin, mapping) as cell:
                for svc in objects.ServiceList.get_all(cell):
                    svc.report_count += 1
                    svc.save()

    def _setup_scheduler_service(self) -> Any:
        return self._scheduler

    def _setup_compute_service(self) -> Any:
        conductors = [self._conductor]
        for cell, hosts in (("cell1", ["compute1", "compute2"]), ("cell2", ["compute3"])):
            conductors.append(
                self.service("conductor", f"{cell}-conductor", self.cell_mappings[cell])
            )
            for host in hosts:
                self._start_compute(host, cell_name=cell)
        self.hosts_as_configured()
        # All services share one process and one CONF.host (each compute started sets it),
        # which names the host of a conductor's instance action events: the guide's
        # conductor runs on "controller".
        self.flags(host="controller")
        # A conductor's task manager took CONF.host as it was when the conductor started (the
        # test default, or the last compute's name), and any of the three conductors may take
        # the API's call, as they share one message bus here. In the guide's deployment the
        # API's calls go to the super-conductor: every conductor reports its host.
        for conductor in conductors:
            conductor.manager.compute_task_mgr.host = "controller"
        return self.computes["compute1"]

    def hosts_as_configured(self) -> None:
        """Each host's vCPUs, memory and disk of ``conf/cloud.yaml`` in place of the fake virt
        driver's 1000 vCPUs and 800 GB, so that what fits where (a NoValidHost) is decided as
        in the guide's cloud; Nova's own ``reserved_host_memory_mb`` (512) applies to both."""
        from nova.virt import fake as fake_virt

        for host, size in yaml.safe_load(CONF.read_text())["hosts"].items():
            driver = self.computes[host].manager.driver
            driver.vcpus, driver.memory_mb = size["vcpus"], size["memory_mb"]
            driver.local_gb = size["disk_gb"]
            driver.resources = fake_virt.Resources(
                vcpus=driver.vcpus, memory_mb=driver.memory_mb, local_gb=driver.local_gb
            )
        self._run_periodics()

    def distinct_ports(self) -> None:
        """Ports the fake Neutron creates (for ``networks: auto`` or a network's uuid) all get
        the same address and a random MAC; give each its own, so that the comparison's
        address mapping stays a bijection."""
        create, numbers = self.neutron.create_port, itertools.count(40)

        def create_port(body: Any = None) -> Any:
            made = create(body)
            port, n = self.neutron._ports[made["port"]["id"]], next(numbers)
            port["fixed_ips"] = [dict(port["fixed_ips"][0], ip_address=f"192.168.1.{n}")]
            port["mac_address"] = f"fa:16:3e:00:01:{n:02x}"
            # The fixture makes every port the default port's project's (demo's); Neutron
            # gives it the project Nova asks for, the server's owner's.
            owner = ((body or {}).get("port") or {}).get("tenant_id")
            if owner:
                port["tenant_id"] = port["project_id"] = owner
            return {"port": copy.deepcopy(port)}

        self.neutron.create_port = create_port

    def clients(self) -> dict[str, client.TestOpenStackClient]:
        base = self.api_fixture.base_url
        return {
            name: client.TestOpenStackClient(
                USER_IDS[name], base, project_id=PROJECTS[name], roles=ROLES[name]
            )
            for name in (*fsteps.USERS, *fsteps.PROVISIONED)
        }

    # -- deployments (one per fakenova scenario) --------------------------------------------

    def boot(
        self, api: Any, name: str, host: str, port: str, flavor: str = "1", group: str = ""
    ) -> str:
        """Boot as the owner onto ``host`` (2.74's ``host``, allowed to members while booting:
        a requested host, unlike a requested zone, leaves the zone the API records empty).
        The fake Neutron gives addresses only to the ports it knows, hence ``port``."""
        api.microversion = "2.74"
        networks: Any = "none"
        if port == "private":
            networks = [{"uuid": self.neutron.network_1["id"]}]
        elif port:
            networks = [{"port": getattr(self.neutron, port)["id"]}]
        server = self._build_server(name, self.image, flavor, networks, host=host)
        request: dict[str, Any] = {"server": server}
        if group:
            request["os:scheduler_hints"] = {"group": group}
        created = api.post_server(request)
        api.microversion = None
        return self._wait_for_state_change(created, "ACTIVE")["id"]

    def image_as_configured(self) -> str:
        """The image of ``conf/cloud.yaml`` (cirros, no properties) in the fake Glance, in
        place of a test image that happens to share its id."""
        image = yaml.safe_load(CONF.read_text())["images"][0]
        if image["id"] in self.glance.images:
            self.glance.delete(None, image["id"])
        keep = ("id", "name", "disk_format", "container_format", "size", "min_disk", "min_ram")
        meta = {k: image[k] for k in keep} | {"visibility": "public", "properties": {}}
        self.glance.create(None, meta | {"status": "active", "tags": []})
        return str(image["id"])

    def flavors_as_configured(self, admin: Any) -> None:
        """The flavors of ``conf/cloud.yaml`` (devstack's), not the test suite's."""
        wanted = {str(f["id"]): f for f in yaml.safe_load(CONF.read_text())["flavors"]}
        for flavor in every_flavor(admin):
            if flavor["id"] not in wanted:
                admin.api_delete(f"/flavors/{flavor['id']}")
        present = {f["id"] for f in every_flavor(admin)}
        for flavor_id, f in wanted.items():
            if flavor_id in present:
                continue
            body = {"name": f["name"], "id": flavor_id, "ram": f["ram"], "vcpus": f["vcpus"]}
            admin.api_post("/flavors", {"flavor": body | {"disk": f["disk"]}})
            if f.get("extra_specs"):
                extra = {"extra_specs": f["extra_specs"]}
                admin.api_post(f"/flavors/{flavor_id}/os-extra_specs", extra)

    def down_cells(self, users: dict[str, Any]) -> dict[str, str]:
        """fakenova.scenarios.down_cells, rebuilt: vm1 (cell1), vm2 (cell2, in db-group) of
        demo, vm3 (cell2) of alt_demo."""
        self.flavors_as_configured(users["admin"])
        self.image = self.image_as_configured()
        self.policy.set_rules({DESTINATION_RULE: ""}, overwrite=False)
        # The fake Neutron serves one port; vm2 and vm3 need one each (vm3's, alt_demo's own).
        port_2 = copy.deepcopy(nova_fixtures.NeutronFixture.port_2)
        self.neutron._ports[port_2["id"]] = port_2
        alt_port = copy.deepcopy(port_2) | {"id": str(uuid.uuid5(NS, "port:vm3"))}
        alt_port |= {"mac_address": "fa:16:3e:00:00:03", "tenant_id": PROJECTS["alt_demo"]}
        alt_port |= {"project_id": PROJECTS["alt_demo"]}
        alt_port["fixed_ips"] = [dict(port_2["fixed_ips"][0], ip_address="192.168.1.31")]
        self.neutron._ports[alt_port["id"]] = alt_port
        self.neutron.port_vm3 = alt_port
        demo = users["demo"]
        demo.microversion = "2.64"
        group = demo.post_server_groups({"name": "db-group", "policy": "affinity"})["id"]
        saved = {"db-group": group, "image": self.image}
        # A second apart, so that the default sort (created_at, newest first) is not decided by
        # random ids, as it is not in the fake (ten seconds apart) or in real life.
        saved["vm1"] = self.boot(demo, "vm1", "compute1", "port_1")
        time.sleep(1)
        saved["vm2"] = self.boot(demo, "vm2", "compute3", "port_2", group=group)
        time.sleep(1)
        saved["vm3"] = self.boot(users["alt_demo"], "vm3", "compute3", "port_vm3", flavor="2")
        self.policy.set_rules({DESTINATION_RULE: "rule:project_admin_api"}, overwrite=False)
        return saved

    def empty(self, users: dict[str, Any]) -> dict[str, str]:
        """fakenova.scenarios.empty: the deployment as configured, no servers."""
        self.flavors_as_configured(users["admin"])
        self.image = self.image_as_configured()
        return {"image": self.image}

    def server_concepts(self, users: dict[str, Any]) -> dict[str, str]:
        """fakenova.scenarios.server_concepts, rebuilt: demo's t1 (compute1, tag web), t2
        (compute2, m1.small, stopped), test11 (compute1, tags web and db), test21 (compute2),
        t14 (compute1, paused) and web-group (anti-affinity); alt_demo's alt1 (compute3,
        m1.small). The fake moves its clock a minute between the boots, the stop and the pause;
        here they are a second apart (changes-since samples with the page's times are not
        replayed)."""
        saved = self.empty(users)
        self.policy.set_rules({DESTINATION_RULE: ""}, overwrite=False)
        demo = users["demo"]
        demo.microversion = "2.64"
        body = {"name": "web-group", "policy": "anti-affinity"}
        saved["web-group"] = demo.post_server_groups(body)["id"]
        for name, host, flavor, tags in (
            ("t1", "compute1", "1", ["web"]),
            ("t2", "compute2", "2", []),
            ("test11", "compute1", "1", ["web", "db"]),
            ("test21", "compute2", "1", []),
            ("t14", "compute1", "1", []),
        ):
            saved[name] = self.boot(demo, name, host, "private", flavor=flavor)
            if tags:
                demo.microversion = "2.26"
                demo.api_put(f"/servers/{saved[name]}/tags", {"tags": tags})
                demo.microversion = None
            time.sleep(1)
        saved["alt1"] = self.boot(users["alt_demo"], "alt1", "compute3", "private", flavor="2")
        self.policy.set_rules({DESTINATION_RULE: "rule:project_admin_api"}, overwrite=False)
        time.sleep(1)
        demo.api_post(f"/servers/{saved['t2']}/action", {"os-stop": None})
        self._wait_for_state_change({"id": saved["t2"]}, "SHUTOFF")
        time.sleep(1)
        demo.api_post(f"/servers/{saved['t14']}/action", {"pause": None})
        self._wait_for_state_change({"id": saved["t14"]}, "PAUSED")
        return saved

    def accelerators(self, users: dict[str, Any]) -> dict[str, str]:
        """fakenova.scenarios.accelerators, rebuilt: the empty deployment, Cyborg knowing
        ``fakedev-dp`` (one FPGA with the trait CUSTOM_FAKE_DEVICE), and on every compute
        host a device provider in Placement with two such FPGAs (as Nova's accelerator tests
        make them)."""
        saved = self.empty(users)
        cyborg = self.useFixture(CyborgAsDeployed())
        self._create_trait(cyborg.trait)
        for host in self.computes:
            (node,) = self.placement.get(f"/resource_providers?name={host}").body[
                "resource_providers"
            ]
            body = {"name": f"FakeDevice-{host}", "parent_provider_uuid": node["uuid"]}
            device = self.placement.post("/resource_providers", body, version="1.20").body
            inventory = {"total": 2, "max_unit": 2, "min_unit": 1, "step_size": 1}
            inventory |= {"reserved": 0, "allocation_ratio": 1.0}
            self._update_inventory(
                device["uuid"],
                {"resource_provider_generation": 0, "inventories": {"FPGA": inventory}},
            )
            self._set_provider_traits(device["uuid"], [cyborg.trait])
        return saved

    # -- replay -----------------------------------------------------------------------------

    def test_replay(self) -> None:
        """Replay the scenario named by ``scenario_path`` and write the answers to ``out``.

        Then the process ends at once: stopping Nova's services one by one takes many times
        longer than the replay, and a process that is about to exit has nothing to clean."""
        self.finish({"scenario": self.replay(fsteps.load(self.scenario_path))})

    def finish(self, answers: dict[str, Any]) -> None:
        """Write ``answers`` and Nova's version to ``out``, and end the process (above)."""
        version = importlib.metadata.version("nova")
        self.out.write_text(json.dumps({"version": version, **answers}, indent=1))
        os._exit(0)

    def replay(self, scenario: dict[str, Any]) -> dict[str, Any]:
        users = self.clients()
        setup = {
            "down-cells": self.down_cells,
            "empty": self.empty,
            "server-concepts": self.server_concepts,
            # Nova's test Neutron always holds its port with a resource request, under the
            # id the fake's scenario gives its own.
            "ports-with-resource-request": self.empty,
            "accelerators": self.accelerators,
        }[scenario["deployment"]]
        for group, options in scenario["nova_conf"].items():
            self.flags(**options, group=None if group == "DEFAULT" else group)
        if "filter_scheduler" in scenario["nova_conf"]:
            # The scheduler chose its filters when it started: a scenario's list replaces them.
            hosts = self._scheduler.manager.host_manager
            hosts.enabled_filters = hosts._choose_host_filters(hosts._load_filters())
        self.distinct_ports()
        self.enforce_new_defaults()
        saved = setup(users)
        self.report_states()
        identities = {f"{n}_project": PROJECTS[n] for n in fsteps.USERS}
        identities |= {f"{n}_user": USER_IDS[n] for n in (*fsteps.USERS, *fsteps.PROVISIONED)}
        saved |= identities
        answers, down = [], set()
        for step in scenario["steps"]:
            step = fsteps.fill(step, saved)
            if "unreachable" in step or "reachable" in step:
                down = down | set(step.get("unreachable", [])) - set(step.get("reachable", []))
                self._set_down(down)
                continue
            if "not_replayable" in step:
                continue
            if "policy" in step:
                self.override_policy(step["policy"])
                continue
            if "archive" in step:
                answers.append(self.archive(step))
                continue
            if "wait" in step and "migration" in step:
                self._wait_for_migration_status({"id": step["wait"]}, [step["migration"]])
                continue
            if "wait" in step and "event" in step:
                self._wait_for_instance_action_event(
                    {"id": step["wait"]}, step["action"], step["event"], step["result"]
                )
                continue
            if "wait" in step:
                self._wait_for_state_change({"id": step["wait"]}, step.get("status", "ACTIVE"))
                continue
            answers.append(self.request(users[step["as"]], step, saved))
        self._set_down(set())
        return {"name": scenario["name"], "saved": saved, "answers": answers}

    def enforce_new_defaults(self) -> None:
        """Nova 34's own ``[oslo_policy] enforce_new_defaults`` (True), which Placement's
        fixture turns off on the configuration it shares with Nova; without it the deprecated
        admin-or-owner defaults still count, and a reader passes every member's rule. The
        rules are loaded again so that the option takes effect."""
        import nova.policy

        self.flags(enforce_new_defaults=True, group="oslo_policy")
        nova.policy.reset()
        nova.policy.init(suppress_deprecation_warnings=True)

    def override_policy(self, rules: dict[str, str]) -> None:
        """An operator's ``policy.yaml`` lines; ``default`` puts Nova's own rule back."""
        from nova import policies

        defaults = {rule.name: rule.check_str for rule in policies.list_rules()}
        wanted = {
            name: defaults[name] if check == "default" else check for name, check in rules.items()
        }
        self.policy.set_rules(wanted, overwrite=False)

    def archive(self, step: dict[str, Any]) -> dict[str, Any]:
        """Nova's own ``nova-manage db archive_deleted_rows`` (its command class, as the
        ``nova-manage`` console script runs it), verbose so that its table of rows per table
        can be read back from what it prints."""
        import contextlib
        import io

        from nova.cmd import manage

        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = manage.DbCommands().archive_deleted_rows(verbose=True, **step["archive"])
        tables = {}
        for line in printed.getvalue().splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if line.startswith("|") and len(cells) == 2 and cells[1].isdigit():
                tables[cells[0]] = int(cells[1])
        sys.stderr.write(printed.getvalue())  # the harness log keeps what Nova printed
        return fsteps.archive_answer(step, code, tables)

    def _set_down(self, cells: set[str]) -> None:
        if getattr(self, "_down", None) is not None:
            self._down.cleanUp()
            self._down = None
        if cells:
            self._down = UnreachableCells([self.cell_mappings[c] for c in sorted(cells)])
            self._down.setUp()

    def request(self, api: Any, step: dict[str, Any], saved: dict[str, str]) -> dict[str, Any]:
        auth = keystone_headers(step["as"], step["scope"]) if "scope" in step else stub_auth(api)
        headers = {**auth, **fsteps.headers_for(step)}
        body = json.dumps(step["body"]) if "body" in step else None
        # Raw answers, redirects included: the fake is compared with what Nova sends, not with
        # what a client makes of it.
        # The test Nova serves the version root at its host, /v2.1 below it.
        base = api.base_url.removesuffix("/v2.1") if step.get("root") else api.base_url
        response = requests.request(
            step["method"],
            base + step["path"],
            data=body,
            headers={"Content-Type": "application/json", **headers},
            allow_redirects=False,
        )
        decoded = fsteps.decode(response.content)
        for name, dotted in step.get("save", {}).items():
            saved[name] = fsteps.dig(decoded, dotted)
        return fsteps.record(step, response.status_code, response.headers, decoded)


def every_flavor(admin: client.TestOpenStackClient) -> list[dict[str, Any]]:
    """All the flavors, page after page: a scenario's ``[api] max_limit`` cuts the list."""
    flavors: list[dict[str, Any]] = []
    while True:
        marker = f"?marker={flavors[-1]['id']}" if flavors else ""
        body = admin.api_get(f"/flavors{marker}").body
        flavors += body["flavors"]
        if not body.get("flavors_links"):
            return flavors


def stub_auth(api: client.TestOpenStackClient) -> dict[str, str]:
    """The headers Nova's stubbed auth reads for ``api``'s user. The client's own helper
    refuses version headers it did not set; a fidelity run sends malformed ones too, so it
    builds these itself."""
    return {
        "X-Auth-User": api.auth_user,
        "X-User-Id": api.auth_user,
        "X-Auth-Project-Id": api.project_id,
        "X-Roles": ",".join(api.roles),
    }


def keystone_headers(name: str, scope: str) -> dict[str, str]:
    """What keystonemiddleware's ``auth_token`` hands Nova for a valid token of ``scope``
    (:data:`fidelity.steps.SCOPES`) of user ``name``: the user, the roles it carries, and the
    scope's own header (``OpenStack-System-Scope: all``, ``X-Domain-Id``); no project
    headers, as the token names no project. ``X-Is-Admin-Project`` is ``True`` when Keystone
    has no admin project configured, as devstack's has not."""
    headers = {
        "X-Identity-Status": "Confirmed",
        "X-User-Id": USER_IDS[name],
        "X-User-Name": name,
        "X-User-Domain-Id": "default",
        "X-User-Domain-Name": "Default",
        "X-Roles": ",".join(fsteps.SCOPES[scope]),
        "X-Is-Admin-Project": "True",
    }
    if scope == "system":
        headers["OpenStack-System-Scope"] = "all"
    elif scope == "domain":
        headers |= {"X-Domain-Id": "default", "X-Domain-Name": "Default"}
    return headers


def run(case: Deployment) -> int:
    """Run ``case``'s one test, which writes its answers and ends the process."""
    outcome = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(case)
    return 0 if outcome.wasSuccessful() else 1


def main(argv: list[str]) -> int:
    """``nova_run OUT.json SCENARIO.yaml``: one scenario, one fresh deployment, one process."""
    out, path = argv
    case = Deployment("test_replay")
    case.scenario_path, case.out = Path(path), Path(out)
    # Nova's test base turns RPC casts into calls, so that a failure in a conductor or a
    # compute comes back as the API's answer (a 500). A scenario of asynchronous failures
    # says ``casts: async`` to have them cast, as in production (and then waits).
    case.CAST_AS_CALL = fsteps.load(Path(path)).get("casts") != "async"
    return run(case)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
