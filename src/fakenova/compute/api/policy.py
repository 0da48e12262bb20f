"""Compute policy: Nova 34's default rules, enforced by oslo.policy (Nova's own engine).

Defaults live here, in one place; ``conf/policy.yaml`` overrides them exactly as an operator's
policy file overrides Nova's. Only the rules the fake's APIs consult are registered; the base
rules are Nova's, so an override such as ``rule:project_reader_or_admin`` means what it means
in Nova.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import logging
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from oslo_config import cfg
from oslo_policy import _checks as oslo_checks
from oslo_policy import policy as oslo_policy

from fakenova.compute.api.faults import policy_refused
from fakenova.memo import BoundedMemo

ADMIN = "rule:context_is_admin"
PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin"
PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin"
PROJECT_MANAGER_OR_ADMIN = "rule:project_manager_or_admin"

BASE_RULES = {
    "context_is_admin": "role:admin",
    "admin_or_owner": "is_admin:True or project_id:%(project_id)s",
    "admin_api": "is_admin:True",
    "project_manager_api": "role:manager and project_id:%(project_id)s",
    "project_member_api": "role:member and project_id:%(project_id)s",
    "project_reader_api": "role:reader and project_id:%(project_id)s",
    "service_api": "role:service",
    "project_manager_or_admin": "rule:project_manager_api or rule:context_is_admin",
    "project_member_or_admin": "rule:project_member_api or rule:context_is_admin",
    "project_reader_or_admin": "rule:project_reader_api or rule:context_is_admin",
    "service_or_admin": "rule:service_api or rule:context_is_admin",
}

SERVERS = "os_compute_api:servers:"
REQUESTED_DESTINATION = "compute:servers:create:requested_destination"
METADATA = "os_compute_api:server-metadata:"
TAGS = "os_compute_api:os-server-tags:"
PAUSE_SERVER = "os_compute_api:os-pause-server:"
SUSPEND_SERVER = "os_compute_api:os-suspend-server:"
LOCK_SERVER = "os_compute_api:os-lock-server:"
SHELVE = "os_compute_api:os-shelve:"
DEFERRED_DELETE = "os_compute_api:os-deferred-delete:"
ADMIN_ACTIONS = "os_compute_api:os-admin-actions:"
RESCUE = "os_compute_api:os-rescue"
UNRESCUE = "os_compute_api:os-unrescue"
ADMIN_PASSWORD = "os_compute_api:os-admin-password"
CREATE_BACKUP = "os_compute_api:os-create-backup"
MIGRATE = "os_compute_api:os-migrate-server:"
EVACUATE = "os_compute_api:os-evacuate"
INSTANCE_ACTIONS = "os_compute_api:os-instance-actions:"
MIGRATIONS = "os_compute_api:os-migrations:"
SERVER_MIGRATIONS = "os_compute_api:servers:migrations:"
CONSOLE_OUTPUT = "os_compute_api:os-console-output"
REMOTE_CONSOLES = "os_compute_api:os-remote-consoles"
SERVER_GROUPS = "os_compute_api:os-server-groups:"
KEYPAIRS = "os_compute_api:os-keypairs:"
LIMITS = "os_compute_api:limits"
QUOTA_SETS = "os_compute_api:os-quota-sets:"
QUOTA_CLASS_SETS = "os_compute_api:os-quota-class-sets:"
ANYONE = "@"
# Key pairs belong to users: the owner, or an admin acting for any user (Nova's check string).
KEYPAIR_OWNER_OR_ADMIN = "(" + ADMIN + ") or user_id:%(user_id)s"
ANYONE = "@"
AVAILABILITY_ZONE = "os_compute_api:os-availability-zone:"
IPS = "os_compute_api:ips:"
SERVER_PASSWORD = "os_compute_api:os-server-password:"
EXTENSIONS = "os_compute_api:extensions"
VOLUME_ATTACHMENTS = "os_compute_api:os-volumes-attachments:"
SECURITY_GROUPS = "os_compute_api:os-security-groups:"
FLOATING_IPS = "os_compute_api:os-floating-ips:"
FLOATING_IP_POOLS = "os_compute_api:os-floating-ip-pools"
ATTACH_INTERFACES = "os_compute_api:os-attach-interfaces:"
TENANT_USAGE = "os_compute_api:os-simple-tenant-usage:"
SERVER_DIAGNOSTICS = "os_compute_api:os-server-diagnostics"
AGGREGATES = "os_compute_api:os-aggregates:"
AGGREGATE_IMAGES = "compute:aggregates:images"
API_RULES = {
    SERVERS + "index": PROJECT_READER_OR_ADMIN,
    SERVERS + "detail": PROJECT_READER_OR_ADMIN,
    SERVERS + "index:get_all_tenants": ADMIN,
    SERVERS + "detail:get_all_tenants": ADMIN,
    SERVERS + "allow_all_filters": ADMIN,
    SERVERS + "show": PROJECT_READER_OR_ADMIN,
    SERVERS + "show:flavor-extra-specs": PROJECT_READER_OR_ADMIN,
    SERVERS + "show:host_status": ADMIN,
    SERVERS + "show:host_status:unknown-only": ADMIN,
    SERVERS + "create": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create:forced_host": ADMIN,
    REQUESTED_DESTINATION: ADMIN,
    SERVERS + "create:attach_volume": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create:attach_network": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create:trusted_certs": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create:zero_disk_flavor": ADMIN,
    "os_compute_api:os-networks:list": PROJECT_READER_OR_ADMIN,
    "os_compute_api:os-networks:show": PROJECT_READER_OR_ADMIN,
    "os_compute_api:os-tenant-networks:list": PROJECT_READER_OR_ADMIN,
    "os_compute_api:os-tenant-networks:show": PROJECT_READER_OR_ADMIN,
    SERVERS + "update": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "delete": PROJECT_MEMBER_OR_ADMIN,
    METADATA + "index": PROJECT_READER_OR_ADMIN,
    METADATA + "show": PROJECT_READER_OR_ADMIN,
    METADATA + "create": PROJECT_MEMBER_OR_ADMIN,
    METADATA + "update_all": PROJECT_MEMBER_OR_ADMIN,
    METADATA + "update": PROJECT_MEMBER_OR_ADMIN,
    METADATA + "delete": PROJECT_MEMBER_OR_ADMIN,
    TAGS + "index": PROJECT_READER_OR_ADMIN,
    TAGS + "show": PROJECT_READER_OR_ADMIN,
    TAGS + "update": PROJECT_MEMBER_OR_ADMIN,
    TAGS + "update_all": PROJECT_MEMBER_OR_ADMIN,
    TAGS + "delete": PROJECT_MEMBER_OR_ADMIN,
    TAGS + "delete_all": PROJECT_MEMBER_OR_ADMIN,
    "os_compute_api:os-extended-server-attributes": ADMIN,
    "os_compute_api:os-services:list": ADMIN,
    "os_compute_api:os-services:update": ADMIN,
    "os_compute_api:os-services:delete": ADMIN,
    "os_compute_api:os-hypervisors:list": ADMIN,
    "os_compute_api:os-hypervisors:list-detail": ADMIN,
    "os_compute_api:os-hypervisors:statistics": ADMIN,
    "os_compute_api:os-hypervisors:show": ADMIN,
    "os_compute_api:os-hypervisors:uptime": ADMIN,
    "os_compute_api:os-hypervisors:search": ADMIN,
    "os_compute_api:os-hypervisors:servers": ADMIN,
    "os_compute_api:os-flavor-extra-specs:index": PROJECT_READER_OR_ADMIN,
    "os_compute_api:os-flavor-extra-specs:show": PROJECT_READER_OR_ADMIN,
    "os_compute_api:os-flavor-access": ADMIN,
    "os_compute_api:os-flavor-access:add_tenant_access": ADMIN,
    "os_compute_api:os-flavor-access:remove_tenant_access": ADMIN,
    "os_compute_api:os-flavor-extra-specs:create": ADMIN,
    "os_compute_api:os-flavor-extra-specs:update": ADMIN,
    "os_compute_api:os-flavor-extra-specs:delete": ADMIN,
    "os_compute_api:os-flavor-manage:create": ADMIN,
    "os_compute_api:os-flavor-manage:update": ADMIN,
    "os_compute_api:os-flavor-manage:delete": ADMIN,
    # server actions: power, lock, rebuild, rescue, images, shelve, soft delete, admin
    SERVERS + "reboot": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "rebuild": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "rebuild:trusted_certs": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create_image": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "create_image:allow_volume_backed": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "start": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "stop": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "trigger_crash_dump": PROJECT_MEMBER_OR_ADMIN,
    PAUSE_SERVER + "pause": PROJECT_MEMBER_OR_ADMIN,
    PAUSE_SERVER + "unpause": PROJECT_MEMBER_OR_ADMIN,
    SUSPEND_SERVER + "suspend": PROJECT_MEMBER_OR_ADMIN,
    SUSPEND_SERVER + "resume": PROJECT_MEMBER_OR_ADMIN,
    LOCK_SERVER + "lock": PROJECT_MEMBER_OR_ADMIN,
    LOCK_SERVER + "unlock": PROJECT_MEMBER_OR_ADMIN,
    LOCK_SERVER + "unlock:unlock_override": ADMIN,
    RESCUE: PROJECT_MEMBER_OR_ADMIN,
    UNRESCUE: PROJECT_MEMBER_OR_ADMIN,
    ADMIN_PASSWORD: PROJECT_MEMBER_OR_ADMIN,
    CREATE_BACKUP: PROJECT_MEMBER_OR_ADMIN,
    DEFERRED_DELETE + "restore": PROJECT_MEMBER_OR_ADMIN,
    DEFERRED_DELETE + "force": PROJECT_MEMBER_OR_ADMIN,
    SHELVE + "shelve": PROJECT_MEMBER_OR_ADMIN,
    SHELVE + "unshelve": PROJECT_MEMBER_OR_ADMIN,
    SHELVE + "unshelve_to_host": ADMIN,
    SHELVE + "shelve_offload": ADMIN,
    ADMIN_ACTIONS + "reset_state": ADMIN,
    ADMIN_ACTIONS + "inject_network_info": ADMIN,
    SERVERS + "resize": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "confirm_resize": PROJECT_MEMBER_OR_ADMIN,
    SERVERS + "revert_resize": PROJECT_MEMBER_OR_ADMIN,
    MIGRATE + "migrate": PROJECT_MANAGER_OR_ADMIN,
    MIGRATE + "migrate:host": ADMIN,
    MIGRATE + "migrate_live": PROJECT_MANAGER_OR_ADMIN,
    MIGRATE + "migrate_live:host": ADMIN,
    EVACUATE: ADMIN,
    INSTANCE_ACTIONS + "list": PROJECT_READER_OR_ADMIN,
    INSTANCE_ACTIONS + "show": PROJECT_READER_OR_ADMIN,
    INSTANCE_ACTIONS + "events": ADMIN,
    INSTANCE_ACTIONS + "events:details": ADMIN,
    MIGRATIONS + "index": PROJECT_MANAGER_OR_ADMIN,
    MIGRATIONS + "index:all_projects": ADMIN,
    MIGRATIONS + "index:host": ADMIN,
    SERVER_MIGRATIONS + "index": PROJECT_MANAGER_OR_ADMIN,
    SERVER_MIGRATIONS + "index:host": ADMIN,
    SERVER_MIGRATIONS + "show": ADMIN,
    SERVER_MIGRATIONS + "force_complete": PROJECT_MANAGER_OR_ADMIN,
    SERVER_MIGRATIONS + "delete": PROJECT_MANAGER_OR_ADMIN,
    CONSOLE_OUTPUT: PROJECT_MEMBER_OR_ADMIN,
    REMOTE_CONSOLES: PROJECT_MEMBER_OR_ADMIN,
    SERVER_GROUPS + "create": PROJECT_MEMBER_OR_ADMIN,
    SERVER_GROUPS + "delete": PROJECT_MEMBER_OR_ADMIN,
    SERVER_GROUPS + "index": PROJECT_READER_OR_ADMIN,
    SERVER_GROUPS + "index:all_projects": ADMIN,
    SERVER_GROUPS + "show": PROJECT_READER_OR_ADMIN,
    KEYPAIRS + "index": KEYPAIR_OWNER_OR_ADMIN,
    KEYPAIRS + "create": KEYPAIR_OWNER_OR_ADMIN,
    KEYPAIRS + "delete": KEYPAIR_OWNER_OR_ADMIN,
    KEYPAIRS + "show": KEYPAIR_OWNER_OR_ADMIN,
    LIMITS: ANYONE,
    LIMITS + ":other_project": ADMIN,
    QUOTA_SETS + "update": ADMIN,
    QUOTA_SETS + "defaults": ANYONE,
    QUOTA_SETS + "show": PROJECT_READER_OR_ADMIN,
    QUOTA_SETS + "delete": ADMIN,
    QUOTA_SETS + "detail": PROJECT_READER_OR_ADMIN,
    QUOTA_CLASS_SETS + "show": ADMIN,
    QUOTA_CLASS_SETS + "update": ADMIN,
    # the smaller routes: zones, addresses, password, extensions, volume attachments
    AVAILABILITY_ZONE + "list": ANYONE,
    AVAILABILITY_ZONE + "detail": ADMIN,
    IPS + "index": PROJECT_READER_OR_ADMIN,
    IPS + "show": PROJECT_READER_OR_ADMIN,
    SERVER_PASSWORD + "show": PROJECT_READER_OR_ADMIN,
    SERVER_PASSWORD + "clear": PROJECT_MEMBER_OR_ADMIN,
    EXTENSIONS: ANYONE,
    VOLUME_ATTACHMENTS + "index": PROJECT_READER_OR_ADMIN,
    VOLUME_ATTACHMENTS + "show": PROJECT_READER_OR_ADMIN,
    # a server's security groups (nova/policies/security_groups.py)
    SECURITY_GROUPS + "list": PROJECT_READER_OR_ADMIN,
    SECURITY_GROUPS + "get": PROJECT_READER_OR_ADMIN,
    SECURITY_GROUPS + "show": PROJECT_READER_OR_ADMIN,
    SECURITY_GROUPS + "create": PROJECT_MEMBER_OR_ADMIN,
    SECURITY_GROUPS + "update": PROJECT_MEMBER_OR_ADMIN,
    SECURITY_GROUPS + "delete": PROJECT_MEMBER_OR_ADMIN,
    SECURITY_GROUPS + "rule:create": PROJECT_MEMBER_OR_ADMIN,
    SECURITY_GROUPS + "rule:delete": PROJECT_MEMBER_OR_ADMIN,
    SECURITY_GROUPS + "add": PROJECT_MEMBER_OR_ADMIN,
    # the floating-IP proxy (nova/policies/floating_ips.py, floating_ip_pools.py)
    FLOATING_IPS + "add": PROJECT_MEMBER_OR_ADMIN,
    FLOATING_IPS + "remove": PROJECT_MEMBER_OR_ADMIN,
    FLOATING_IPS + "list": PROJECT_READER_OR_ADMIN,
    FLOATING_IPS + "create": PROJECT_MEMBER_OR_ADMIN,
    FLOATING_IPS + "show": PROJECT_READER_OR_ADMIN,
    FLOATING_IPS + "delete": PROJECT_MEMBER_OR_ADMIN,
    FLOATING_IP_POOLS: ANYONE,
    SECURITY_GROUPS + "remove": PROJECT_MEMBER_OR_ADMIN,
    # a server's interfaces (nova/policies/attach_interfaces.py)
    ATTACH_INTERFACES + "list": PROJECT_READER_OR_ADMIN,
    ATTACH_INTERFACES + "show": PROJECT_READER_OR_ADMIN,
    ATTACH_INTERFACES + "create": PROJECT_MEMBER_OR_ADMIN,
    ATTACH_INTERFACES + "delete": PROJECT_MEMBER_OR_ADMIN,
    # usage reports (nova/policies/simple_tenant_usage.py) and diagnostics
    TENANT_USAGE + "list": ADMIN,
    TENANT_USAGE + "show": PROJECT_READER_OR_ADMIN,
    SERVER_DIAGNOSTICS: ADMIN,
    # host aggregates (nova/policies/aggregates.py)
    AGGREGATES + "index": ADMIN,
    AGGREGATES + "create": ADMIN,
    AGGREGATES + "show": ADMIN,
    AGGREGATES + "update": ADMIN,
    AGGREGATES + "delete": ADMIN,
    AGGREGATES + "add_host": ADMIN,
    AGGREGATES + "remove_host": ADMIN,
    AGGREGATES + "set_metadata": ADMIN,
    AGGREGATE_IMAGES: ADMIN,
    # os-hosts, the usage audit log and external events (nova/policies/hosts.py,
    # instance_usage_audit_log.py, server_external_events.py)
    "os_compute_api:os-hosts:list": ADMIN,
    "os_compute_api:os-hosts:show": ADMIN,
    "os_compute_api:os-hosts:update": ADMIN,
    "os_compute_api:os-hosts:reboot": ADMIN,
    "os_compute_api:os-hosts:shutdown": ADMIN,
    "os_compute_api:os-hosts:start": ADMIN,
    "os_compute_api:os-instance-usage-audit-log:list": ADMIN,
    "os_compute_api:os-instance-usage-audit-log:show": ADMIN,
    "os_compute_api:os-server-external-events:create": "rule:service_or_admin",
}


# oslo.policy asks ``inspect.getfullargspec(check.__call__)`` at every node of every check it
# evaluates (to learn whether the check takes the rule's name), which is most of a decision's
# cost (Nova pays it too). The answer for a bound method is that of its function, which never
# changes: while the fake enforces, the checks module sees an ``inspect`` whose
# ``getfullargspec`` remembers it per function. Nothing else in the process sees the memo.
_ARGSPECS: dict[Callable[..., Any], inspect.FullArgSpec] = {}


def _getfullargspec(func: Any) -> inspect.FullArgSpec:
    if type(func) is not types.MethodType:
        return inspect.getfullargspec(func)
    spec = _ARGSPECS.get(func.__func__)
    if spec is None:
        spec = _ARGSPECS[func.__func__] = inspect.getfullargspec(func)
    return spec


_inspect_for_checks = types.ModuleType("inspect", "inspect, as oslo.policy's checks see it")
_inspect_for_checks.__dict__.update(vars(inspect))
_inspect_for_checks.getfullargspec = _getfullargspec  # type: ignore[attr-defined]

# A generic check (``project_id:%(project_id)s``) first tries its left side as a Python
# literal, compiling it every time; for a key name that fails with ValueError. The outcome is a
# function of the text: kept for texts that are no literal and for immutable literals.
_LITERALS: dict[str, tuple[bool, Any]] = {}
_IMMUTABLE = (str, int, float, bool, type(None), bytes)


def _literal_eval(text: Any) -> Any:
    if type(text) is not str:
        return ast.literal_eval(text)
    known = _LITERALS.get(text)
    if known is None:
        try:
            value = ast.literal_eval(text)
        except ValueError as error:
            known = _LITERALS[text] = (False, str(error))
        else:
            if type(value) not in _IMMUTABLE:
                return value
            known = _LITERALS[text] = (True, value)
    is_literal, value = known
    if not is_literal:
        raise ValueError(value)
    return value


_ast_for_checks = types.ModuleType("ast", "ast, as oslo.policy's checks see it")
_ast_for_checks.__dict__.update(vars(ast))
_ast_for_checks.literal_eval = _literal_eval  # type: ignore[attr-defined]


@contextlib.contextmanager
def _remembered_argspecs() -> Iterator[None]:
    """The two memos above in place while oslo.policy evaluates a check."""
    saved = oslo_checks.inspect, oslo_checks.ast  # type: ignore[attr-defined]
    oslo_checks.inspect, oslo_checks.ast = _inspect_for_checks, _ast_for_checks
    try:
        yield
    finally:
        oslo_checks.inspect, oslo_checks.ast = saved


# What oslo.policy calls a token's scope: ``system`` or ``domain`` for a token scoped there,
# ``project`` for any other (an unscoped token included, as oslo.policy counts it).
PROJECT_SCOPE = "project"


@dataclass(frozen=True)
class RequestContext:
    """Who is calling, from their validated token (Nova's ``nova.context``). A token scoped
    to the system or a domain, or unscoped, gives a context without a project."""

    user_id: str
    project_id: str | None
    roles: tuple[str, ...]
    request_id: str
    scope: str = PROJECT_SCOPE

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def credentials(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "project_id": self.project_id,
            "roles": list(self.roles),
            "is_admin": self.is_admin,
        }


_DECISIONS = 4096
# oslo.policy logs every decision at DEBUG (the credentials masked, the target dumped). Nova
# runs with ``debug = false``, so oslo.log leaves its loggers at INFO, and a client never sees
# a server's log anyway. In one process with a client whose ``--debug`` sets the root logger
# to DEBUG, those lines would be built for every check and printed among the client's own.
_OSLO_POLICY_LOG = logging.getLogger("oslo_policy")


def _log_as_nova_does() -> None:
    """oslo.policy's logger at INFO, unless somebody chose its level already."""
    if _OSLO_POLICY_LOG.level == logging.NOTSET:
        _OSLO_POLICY_LOG.setLevel(logging.INFO)


class Policy:
    """One enforcer per cloud (oslo.policy's own config object, never the global one)."""

    def __init__(self, overrides: dict[str, str]) -> None:
        conf = cfg.ConfigOpts()
        conf([], project="fakenova", default_config_files=[], default_config_dirs=[])
        # Rules are handed over whole (defaults, then overrides) instead of read from a file:
        # the enforcer never touches the filesystem or oslo.config's global state.
        self._configured = dict(overrides)  # the deployment's policy.yaml
        self._overrides = dict(overrides)
        _log_as_nova_does()
        self._enforcer = oslo_policy.Enforcer(conf, use_conf=False)
        # Decisions already taken (see :meth:`allows`), at most _DECISIONS of them.
        self._decisions = BoundedMemo(_DECISIONS)  # key -> (check, allowed)
        self._load()

    def _load(self) -> None:
        rules = {**BASE_RULES, **API_RULES, **self._overrides}
        # Each distinct check string is parsed once and shared by every rule that uses it
        # (``show:host_status`` and the extended attributes are both ``rule:context_is_admin``),
        # so a request's decision memo answers both from one evaluation. Parsing is the same
        # ``Rules.from_dict`` would do; the rules mean exactly what they did.
        parsed = oslo_policy.Rules.from_dict({check: check for check in set(rules.values())})
        shared = {name: parsed[check] for name, check in rules.items()}
        self._enforcer.set_rules(oslo_policy.Rules(shared), overwrite=True)

    def override(self, rules: dict[str, str]) -> None:
        """Apply more overrides, as an operator editing policy.yaml of a running cloud would
        (Nova re-reads the file): scenarios and pages use it to show a deployment's choice."""
        self._overrides.update(rules)
        self._load()

    def restore(self, names: Iterable[str]) -> None:
        """Take overrides back: each rule is again what the deployment's policy.yaml says,
        or Nova's default where it says nothing."""
        for name in names:
            if name in self._configured:
                self._overrides[name] = self._configured[name]
            else:
                self._overrides.pop(name, None)
        self._load()

    def allows(self, context: RequestContext, rule: str, target: dict[str, Any] | None = None):
        """Whether ``rule`` allows ``context`` on ``target``.

        A decision is a pure function of the rule's check, the credentials and the target (the
        fake's rules test roles, ids and flags, never anything outside the request), and a
        cloud asks the same questions over and over (a server show asks five rules that come
        down to two checks, and every show of a member's server asks them again). Decisions
        are therefore kept per cloud, keyed by the check object the enforcer holds *now* (by
        identity, kept alive in the entry), the credentials and the target: :meth:`override`
        replaces every check, and so does replacing a rule in the enforcer, so earlier entries
        become unreachable and a changed policy is evaluated afresh, even within a request.
        """
        if context.scope != PROJECT_SCOPE and rule in API_RULES:
            # Nova 34 enforces scope, and every rule it registers is for project-scoped
            # tokens: oslo.policy refuses before the check string is read (Nova's 403 from
            # :meth:`authorize`, a quiet no where Nova only asks).
            return False
        if target is None:
            target = {"project_id": context.project_id, "user_id": context.user_id}
        check = self._enforcer.rules.get(rule)
        key: tuple[Any, ...] | None = None
        if check is not None and rule not in self._enforcer.registered_rules:
            try:
                key = (
                    id(check),
                    frozenset(target.items()),
                    context.user_id,
                    context.project_id,
                    context.roles,
                )
            except TypeError:  # a target value that cannot be a key: ask oslo.policy each time
                key = None
            if key is not None:
                cached = self._decisions.get(key)
                if cached is not None and cached[0] is check:
                    return cached[1]
        with _remembered_argspecs():
            allowed = bool(self._enforcer.enforce(rule, target, context.credentials()))
        if key is not None:
            self._decisions.keep(key, (check, allowed))
        return allowed

    def authorize(
        self, context: RequestContext, rule: str, target: dict[str, Any] | None = None
    ) -> None:
        """Raise Nova's 403 unless ``rule`` allows ``context`` on ``target``."""
        if not self.allows(context, rule, target):
            raise policy_refused(rule)
