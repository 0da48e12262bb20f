"""What the in-process ``openstack`` runner keeps between commands: installed metadata, and
the answers of pure functions keyed by their whole input.

A fresh ``openstack`` process spends most of a short command rebuilding things that depend on
nothing but the installed packages: the command table (stevedore imports every command plugin
of every API group), the service-types data (``os_service_types`` deep-copies its whole table
to answer "what are the aliases of compute?"), and openstacksdk's per-class attribute maps
(``Resource`` walks its class's MRO and ``isinstance``-checks every attribute, for every
object it builds). Each patch below memoises one such pure function of installed code; the
memo is filled by the library's own function on first use and never by anything a command
says. A few more functions are pure in their arguments (keystoneauth's version and timestamp
parsers, osc-lib's password masking of its debug dumps, cliff's partial-name search): their
memos are keyed by the whole input, so a later command gets the answer the library would give
it, whatever came before.
Option parsers (the shell's global one, each command's) are functions of the command's
class and names and of the environment their defaults are read from: they are kept under
all of these, and built again when a command changed one of their defaults. Three patches
are not memos: the levels a command sets on loggers are set without clearing every logger's
level cache, and put back when it ends (while it runs, ``isEnabledFor`` does not use the
caches, so they hold nothing stale); a log record (or keystoneauth's dump of a
request or response) that no handler would emit is not made; and ``Resource.to_dict`` walks
a per-class plan of its fields. Nothing that a command's argv, credentials, microversion,
cloud config, tokens or HTTP answers can change is kept: the shell, the cloud config, the
client manager, sessions, auth plugins, discovery and connections are all built afresh by
the client for every command, exactly as in a new process.

The patches are installed only while a command or a guide's Python sample runs
(:func:`installed`) and restored after, so nothing else in the process (other tests, a user's
code) runs patched code.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import importlib.metadata
import importlib.util
import logging
import marshal
import os
import sys
import types
import warnings
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import cliff
import cliff.commandmanager
import keystoneauth1._utils
import keystoneauth1.access.service_catalog
import keystoneauth1.discover
import keystoneauth1.session
import openstack.config.cloud_region
import os_service_types.service_types
import requests.models
import requests.sessions
import requests.structures
import requests.utils
import stevedore
import stevedore.extension
from openstack import resource
from oslo_utils import strutils

from fakenova.memo import BoundedMemo


def _defer_interactive_shell() -> None:
    """Import ``cliff.interactive`` lazily: its module is the real one, executed on first use.

    cliff defers that import itself ("cmd2 is a slow import": cmd2 brings prompt_toolkit and
    rich, about 0.2 s), because only the interactive mode (``openstack`` without a command)
    uses it. osc-lib's shell imports it eagerly for one type annotation, which is a string and
    never evaluated. The runner always passes a command, so the module is never used; should
    anything read an attribute of it, Python's ``LazyLoader`` runs it then, unchanged."""
    name = "cliff.interactive"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    cliff.interactive = module  # type: ignore[attr-defined]


_defer_interactive_shell()

with warnings.catch_warnings():  # osc-lib's own imports warn of its deprecations
    warnings.simplefilter("ignore")
    import openstackclient.shell
    import osc_lib.cli.client_config
    import osc_lib.clientmanager
    import osc_lib.shell

# --- cliff: the command table ---------------------------------------------------------------


@dataclass(frozen=True)
class _Extension:
    """What cliff reads of a stevedore extension; ``module_name`` parsed once."""

    name: str
    entry_point: importlib.metadata.EntryPoint
    plugin: Any
    obj: None
    module_name: str


_EXTENSIONS: dict[str, tuple[_Extension, ...]] = {}


class _FailureSeen(logging.Handler):
    """Notes whether stevedore reported a plugin it could not load."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def _extension_manager(namespace: str, *args: Any, **kwargs: Any) -> Iterable[Any]:
    """``stevedore.ExtensionManager(namespace)`` as cliff calls it, scanned once per process.

    The scan reads entry points and imports each plugin's class: a function of the installed
    distributions only. cliff only iterates the manager (name, module, entry point), and an
    extension holds no instance (``invoke_on_load`` is off). A namespace in which a plugin
    failed to load is not kept, so its error is reported again by every command, as it would
    be by every process."""
    if args or kwargs:  # not how cliff calls it: no memo
        return stevedore.ExtensionManager(namespace, *args, **kwargs)
    found = _EXTENSIONS.get(namespace)
    if found is None:
        failures = _FailureSeen()
        stevedore_log = logging.getLogger("stevedore")
        stevedore_log.addHandler(failures)
        try:
            manager = stevedore.ExtensionManager(namespace)
        finally:
            stevedore_log.removeHandler(failures)
        if failures.seen:
            return manager
        found = _EXTENSIONS[namespace] = tuple(
            _Extension(ext.name, ext.entry_point, ext.plugin, ext.obj, ext.module_name)
            for ext in manager
        )
        return found
    log = stevedore.extension.LOG
    if log.isEnabledFor(logging.DEBUG):  # what the scan logs, for --debug
        for extension in found:
            log.debug("found extension %r", extension.entry_point)
    return found


# cliff.commandmanager refers to ``stevedore`` by module: give it one whose ExtensionManager
# is the memo, leaving the real module (keystoneauth's plugin loader uses it) untouched.
_stevedore_for_cliff = types.ModuleType("stevedore", "stevedore, as cliff's command table sees it")
_stevedore_for_cliff.__dict__.update(vars(stevedore))
_stevedore_for_cliff.ExtensionManager = _extension_manager  # type: ignore[attr-defined]

_original_is_module_ignored: Callable[[str, Iterable[str]], bool] = (
    cliff.commandmanager.CommandManager._is_module_ignored
)
_IGNORED: dict[tuple[str, tuple[str, ...]], bool] = {}


def _is_module_ignored(module_name: str, ignored_modules: Iterable[str]) -> bool:
    """cliff's test of a plugin's module against the shell's fixed ignore list, memoised."""
    if not isinstance(ignored_modules, tuple):
        return _original_is_module_ignored(module_name, ignored_modules)
    key = (module_name, ignored_modules)
    answer = _IGNORED.get(key)
    if answer is None:
        answer = _IGNORED[key] = _original_is_module_ignored(module_name, ignored_modules)
    return answer


_original_load_commands = cliff.commandmanager.CommandManager.load_commands


@dataclass(frozen=True)
class _Table:
    """What a namespace adds to a command table: per extension (name, module, command name or
    ``None`` when its module is ignored, entry point), and the same as one mapping when no
    command name comes twice (then adding it is one ``update``)."""

    plan: tuple[tuple[str, str, str | None, Any], ...]
    adds: dict[str, Any] | None


def _table(plan: tuple[tuple[str, str, str | None, Any], ...]) -> _Table:
    adds = {name: entry_point for _, _, name, entry_point in plan if name is not None}
    unique = len(adds) == sum(1 for _, _, name, _ in plan if name is not None)
    return _Table(plan, adds if unique else None)


# (namespace, ignored modules, convert underscores) -> the namespace's table
_TABLES: dict[tuple[str, tuple[str, ...], bool], _Table] = {}


def _load_commands(self: cliff.commandmanager.CommandManager, namespace: str) -> None:
    """``CommandManager.load_commands``: which commands a namespace adds, under which names, is
    a function of the installed plugins and of the manager's fixed ignore list. The scan goes
    through the memo of the extension manager above (which logs what the library logs); which
    of its extensions are ignored, and under which names the others are added, is worked out
    once per namespace and replayed on this manager: the same log lines, the same duplicate
    warnings, the same table."""
    ignored = self.ignored_modules
    if not isinstance(ignored, tuple):
        return _original_load_commands(self, namespace)
    self.group_list.append(namespace)
    extensions = cliff.commandmanager.stevedore.ExtensionManager(namespace)
    key = (namespace, ignored, bool(self.convert_underscores))
    table = _TABLES.get(key) if isinstance(extensions, tuple) else None
    if table is None:
        plan = tuple(
            (
                ext.name,
                ext.module_name,
                None
                if self._is_module_ignored(ext.module_name, ignored)
                else (ext.name.replace("_", " ") if self.convert_underscores else ext.name),
                ext.entry_point,
            )
            for ext in extensions
        )
        table = _table(plan)
        if isinstance(extensions, tuple):  # the scan's memo: every plugin loaded
            _TABLES[key] = table
    log = cliff.commandmanager.LOG
    debug = log.isEnabledFor(logging.DEBUG)
    commands = self.commands
    if not debug and table.adds is not None and commands.keys().isdisjoint(table.adds):
        commands.update(table.adds)  # nothing to log, no duplicate to warn of: same table
        return None
    for name, module_name, command_name, entry_point in table.plan:
        if debug:
            log.debug("found command %r", name)
        if command_name is None:
            if debug:
                log.debug("extension found in ignored module %r: skipping", module_name)
            continue
        if command_name in commands:
            log.warning(
                "found duplicate implementations of the %(name)r command in the following "
                "modules: %(modules)s: this is likely programmer error and should be reported "
                "as a bug to the relevant project(s)",
                {
                    "name": command_name,
                    "modules": ", ".join([commands[command_name].value, entry_point.value]),
                },
            )
        commands[command_name] = entry_point
    return None


# A bound for the memos keyed by what commands send and receive (a guide has a few hundred
# distinct inputs; a long-lived process must not grow without end).
_MEMO_LIMIT = 4096
_MISSING = object()


_original_partial_name = cliff.commandmanager._get_commands_by_partial_name
_PARTIAL = BoundedMemo(_MEMO_LIMIT)


def _get_commands_by_partial_name(args: list[str], commands: list[str]) -> list[str]:
    """cliff's search of the command names that ``args`` abbreviate (a new list each call)."""
    key = (tuple(args), tuple(commands))
    found = _PARTIAL.answer(key, lambda: tuple(_original_partial_name(list(args), list(commands))))
    return list(found)


# --- os_service_types: the service-types authority data --------------------------------------

_original_get_all_types = os_service_types.service_types.ServiceTypes.get_all_types
_ALL_TYPES: dict[str, tuple[str, ...]] = {}


def _get_all_types(self: os_service_types.ServiceTypes, service_type: str) -> list[str]:
    """``ServiceTypes.get_all_types``: the library deep-copies its whole table on every call
    to return one entry. Memoised for the data file shipped with the package (read-only);
    every call returns a new list, as the library does."""
    if self._service_types_data is not os_service_types.service_types.BUILTIN_DATA:
        return _original_get_all_types(self, service_type)
    found = _ALL_TYPES.get(service_type)
    if found is None:
        found = _ALL_TYPES[service_type] = tuple(_original_get_all_types(self, service_type))
    return list(found)


# --- openstacksdk: per-class attribute maps ---------------------------------------------------

_original_attributes_iterator = resource.Resource._attributes_iterator.__func__  # type: ignore[attr-defined]
_original_get_mapping = resource.Resource._get_mapping.__func__  # type: ignore[attr-defined]
_ATTRIBUTES: dict[tuple[type, Any], tuple[tuple[str, Any], ...]] = {}
_MAPPINGS: dict[tuple[type, type], Any] = {}
_DEFAULT_COMPONENTS = (resource.fields.Body, resource.fields.Header)


def _attributes_iterator(cls: type, components: Any = _DEFAULT_COMPONENTS) -> Iterator[Any]:
    """``Resource._attributes_iterator``: the (name, field) pairs a class's MRO defines, a
    function of the class definition. Resource classes are not changed after they are
    defined; the memo keeps the library's order."""
    try:
        key = (cls, components)
        found = _ATTRIBUTES.get(key)
    except TypeError:  # unhashable components (a list): no memo
        return _original_attributes_iterator(cls, components)
    if found is None:
        found = _ATTRIBUTES[key] = tuple(_original_attributes_iterator(cls, components))
    return iter(found)


def _get_mapping(cls: type, component: type) -> Any:
    """``Resource._get_mapping``: the server-name → attribute-name map of one kind of field
    (a function of the class definition). Each call returns a new copy of the memo (the
    library returns a new mapping, dict or case-insensitive, every time)."""
    key = (cls, component)
    found = _MAPPINGS.get(key)
    if found is None:
        found = _MAPPINGS[key] = _original_get_mapping(cls, component)
    return found.copy()


class _Source:
    """A stand-in value that remembers which input key it came from."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


_original_consume_attrs = resource.Resource._consume_attrs
_PLANS: dict[tuple[Any, ...], tuple[tuple[tuple[str, Any], ...], tuple[Any, ...]]] = {}


def _consume_attrs(
    self: resource.Resource, mapping: MutableMapping[str, Any], attrs: MutableMapping[str, Any]
) -> dict[str, Any]:
    """``Resource._consume_attrs``: which of a response's keys a class's fields take, under
    which names (a case-insensitive search of the class's map for each key, the bulk of
    building a resource). Which keys match depends only on the map and on the keys, not on
    the values: the library's own function is run once per (map, keys) on stand-in values
    that record where each result came from, and later calls replay that plan on the real
    values — the same result, in the same order, and the same keys removed from ``attrs``."""
    try:
        key = (type(mapping), tuple(mapping.items()), tuple(attrs))
        plan = _PLANS.get(key)
    except TypeError:  # something unhashable: no memo
        return _original_consume_attrs(self, mapping, attrs)
    if plan is None:
        probe = {name: _Source(name) for name in attrs}
        taken = _original_consume_attrs(self, mapping, probe)
        consumed = tuple(name for name in attrs if name not in probe)
        plan = _PLANS[key] = (
            tuple((field, source.key) for field, source in taken.items()),
            consumed,
        )
    picks, consumed = plan
    relevant = {field: attrs[source] for field, source in picks}
    for name in consumed:
        attrs.pop(name)
    return relevant


_original_to_dict = resource.Resource.to_dict
_original_attr_to_dict = resource.Resource._attr_to_dict
_resource_getattribute = resource.Resource.__getattribute__
# (class, components, original_names) -> ((key, attribute, field to read directly or None), ...)
_TO_DICT_PLANS: dict[tuple[type, tuple[type, ...], bool], tuple[tuple[str, str, Any], ...]] = {}


def _to_dict_plan(
    cls: type, components: tuple[type, ...], original_names: bool
) -> tuple[tuple[str, str, Any], ...]:
    """Which attribute ``to_dict`` reads under which key, in the library's order (a function
    of the class definition): each field under its name (or its server name) and under its
    ``aka``. A field is read through its descriptor directly where ``getattr`` would reach
    exactly that descriptor: the class uses ``Resource.__getattribute__`` (whose only special
    name is ``id``) and the name resolves, in the MRO, to that field (a data descriptor, which
    an instance's own attribute cannot hide)."""
    key = (cls, components, original_names)
    plan = _TO_DICT_PLANS.get(key)
    if plan is None:
        plain = cls.__getattribute__ is _resource_getattribute
        steps = []
        for attr, component in cls._attributes_iterator(components):  # type: ignore[attr-defined]
            owner = next((c for c in cls.__mro__ if attr in vars(c)), None)
            direct = plain and attr != "id" and owner is not None and vars(owner)[attr] is component
            name = component.name if original_names else attr
            for mapped in filter(None, (name, component.aka)):
                steps.append((mapped, attr, component if direct else None))
        plan = _TO_DICT_PLANS[key] = tuple(steps)
    return plan


def _to_dict(
    self: resource.Resource,
    body: bool = True,
    headers: bool = True,
    computed: bool = True,
    ignore_none: bool = False,
    original_names: bool = False,
    _to_munch: bool = False,
) -> dict[str, Any]:
    """``Resource.to_dict``, which every resource runs when it is built (and the client again
    to print it): the library walks the class's fields and, for each, goes through
    ``getattr`` and ``Resource.__getattribute__`` to the field's descriptor. The walk is a
    plan per class (:func:`_to_dict_plan`), and a field read directly by its descriptor
    where ``getattr`` reaches nothing else; each value is converted by the library's own
    rules, in the same order, into the same keys. Munch output, unknown body attributes and
    classes with their own ``_attr_to_dict`` take the library's path."""
    cls = type(self)
    if (
        _to_munch
        or not (body or headers or computed)
        or (body and self._allow_unknown_attrs_in_body)
        or cls._attr_to_dict is not _original_attr_to_dict
    ):
        return _original_to_dict(
            self, body, headers, computed, ignore_none, original_names, _to_munch
        )
    components = tuple(
        component
        for wanted, component in (
            (body, resource.fields.Body),
            (headers, resource.fields.Header),
            (computed, resource.fields.Computed),
        )
        if wanted
    )
    mapping: dict[str, Any] = {}
    for key, attr, field in _to_dict_plan(cls, components, original_names):
        if key in mapping:
            continue
        if field is None:
            value = getattr(self, attr, None)
        else:
            try:
                value = field.__get__(self, cls)
            except AttributeError:  # what getattr would then try: the library's path
                value = getattr(self, attr, None)
        if isinstance(value, resource.Resource):
            value = value.to_dict(_to_munch=False)
        elif value and isinstance(value, list):
            value = [
                raw.to_dict(_to_munch=False) if isinstance(raw, resource.Resource) else raw
                for raw in value
            ]
        if ignore_none and value is None:
            continue
        mapping[key] = value
    return mapping


# --- importlib.metadata: installed versions ----------------------------------------------------

_VERSIONS: dict[str, str] = {}


def _version(distribution: str) -> str:
    """``importlib.metadata.version`` (openstacksdk puts its own in the User-Agent of every
    session): read from the installed distribution once."""
    found = _VERSIONS.get(distribution)
    if found is None:
        found = _VERSIONS[distribution] = importlib.metadata.version(distribution)
    return found


_metadata_for_sdk = types.ModuleType("importlib.metadata", "importlib.metadata, for the SDK")
_metadata_for_sdk.__dict__.update(vars(importlib.metadata))
_metadata_for_sdk.version = _version  # type: ignore[attr-defined]


# --- keystoneauth and osc-lib: pure functions of their arguments ----------------------------

_original_normalize = keystoneauth1.discover.normalize_version_number
_VERSION_NUMBERS = BoundedMemo(_MEMO_LIMIT)


def _normalize_version_number(version: Any) -> Any:
    """``discover.normalize_version_number`` ("2.1" -> (2, 1)), asked ~180 times a command
    for a handful of strings. Memoised for strings only (``1`` and ``1.0`` are equal keys
    but distinct inputs); the answer is a tuple of numbers, immutable."""
    if type(version) is not str:
        return _original_normalize(version)
    return _VERSION_NUMBERS.answer(version, lambda: _original_normalize(version))


_original_parse_isotime = keystoneauth1._utils.parse_isotime
_TIMES = BoundedMemo(_MEMO_LIMIT)


def _parse_isotime(timestr: str) -> Any:
    """``keystoneauth1._utils.parse_isotime``: the token's expiry is parsed again every time
    a request asks whether it will expire soon. The answer is an aware ``datetime``
    (immutable)."""
    if type(timestr) is not str:
        return _original_parse_isotime(timestr)
    return _TIMES.answer(timestr, lambda: _original_parse_isotime(timestr))


_original_mask_password = strutils.mask_password
_MASKED = BoundedMemo(_MEMO_LIMIT)


def _mask_password(message: object, secret: str = "***") -> str:
    """``strutils.mask_password`` over osc-lib's debug dumps of its options (a few dozen
    regular expressions over a long string, three times a command). The library first turns
    the message into text, as here; the memo is keyed by that text."""
    text = message.decode(errors="ignore") if isinstance(message, bytes) else str(message)
    return str(_MASKED.answer((text, secret), lambda: _original_mask_password(text, secret)))


_strutils_for_osc = types.ModuleType("oslo_utils.strutils", "strutils, as osc-lib sees it")
_strutils_for_osc.__dict__.update(vars(strutils))
_strutils_for_osc.mask_password = _mask_password  # type: ignore[attr-defined]


_original_combine_relative_url = keystoneauth1.discover._combine_relative_url
_JOINED = BoundedMemo(_MEMO_LIMIT)


def _combine_relative_url(discovery_url: str, version_url: str) -> str:
    """``discover._combine_relative_url``: a version document's link joined to the URL it
    was read from (``urljoin`` and two ``urlparse``), for every link of every version, each
    time a client looks an endpoint up. A function of the two strings."""
    if type(discovery_url) is not str or type(version_url) is not str:
        return _original_combine_relative_url(discovery_url, version_url)
    key = (discovery_url, version_url)
    return str(
        _JOINED.answer(key, lambda: _original_combine_relative_url(discovery_url, version_url))
    )


_original_version_from_url = keystoneauth1.discover._version_from_url
_URL_VERSIONS = BoundedMemo(_MEMO_LIMIT)


def _version_from_url(url: str | None) -> Any:
    """``discover._version_from_url`` (the ``v2.1`` of an endpoint's path, as a tuple, or
    None): asked for every endpoint of the catalog an ``EndpointData`` is made for."""
    if type(url) is not str:
        return _original_version_from_url(url)
    return _URL_VERSIONS.answer(url, lambda: _original_version_from_url(url))


def _deepcopy(value: Any, memo: Any = None) -> Any:
    """``copy.deepcopy`` of the service catalog, which keystoneauth copies whole for every
    endpoint lookup (about 16 a command). The catalog is parsed JSON: dicts, lists, strings,
    numbers, booleans and None, which ``marshal`` copies in C with the same structure (its
    references keep shared containers shared, as deepcopy's memo does). Anything else
    (a subclass, an object, a memo passed in) is copied by ``copy.deepcopy`` itself."""
    if memo is None:
        try:
            return marshal.loads(marshal.dumps(value))
        except ValueError:  # not only builtin containers and scalars
            pass
    return copy.deepcopy(value, memo)


_copy_for_catalog = types.ModuleType("copy", "copy, as keystoneauth's service catalog sees it")
_copy_for_catalog.__dict__.update(vars(copy))
_copy_for_catalog.deepcopy = _deepcopy  # type: ignore[attr-defined]


# --- osc-lib: the shell's class attributes ----------------------------------------------------


def _setattr_for_osc(owner: Any, name: str, value: Any) -> None:
    """``setattr`` as osc-lib's shell sees it. Each new shell sets ``auth_required`` on cliff's
    ``Command`` and two of its subclasses. Setting a class attribute makes Python drop what it
    had looked up on that class and on every subclass: in a new process nothing is loaded yet
    and that is cheap, but here every command plugin is (about 1,000 subclasses), and each
    shell paid for walking them all. Setting an attribute to the very object it already holds
    changes nothing, so that is skipped; any other value is set."""
    if isinstance(owner, type) and vars(owner).get(name, _MISSING) is value:
        return
    setattr(owner, name, value)


# --- requests: a request's URL --------------------------------------------------------------

_original_prepare_url = requests.models.PreparedRequest.prepare_url
_PREPARED_URLS = BoundedMemo(_MEMO_LIMIT)
_SCALARS = (str, int, float, bool, type(None))
# requests merges a request's parameters with the session's into an OrderedDict.
_PLAIN_PARAMS = (dict, collections.OrderedDict)


def _prepare_url(self: requests.models.PreparedRequest, url: Any, params: Any) -> None:
    """``PreparedRequest.prepare_url``, which requests runs for every request: the URL
    parsed, its host checked (and IDNA-encoded if not ASCII), the query parameters encoded
    and the whole re-quoted. Its answer is a function of the URL and the parameters; kept for
    a URL given as text and parameters that are none or a plain mapping of names to single
    values (the key holds each value's type: ``True`` and ``1`` encode differently). Anything
    else, and every refusal (which is raised again each time), goes to the library."""
    if type(url) is str and (
        params is None
        or (
            type(params) in _PLAIN_PARAMS
            and all(type(k) is str and type(v) in _SCALARS for k, v in params.items())
        )
    ):
        key = (url, None if params is None else tuple((k, type(v), v) for k, v in params.items()))

        def prepared() -> str | None:
            scratch = requests.models.PreparedRequest()
            _original_prepare_url(scratch, url, params)
            return scratch.url

        self.url = _PREPARED_URLS.answer(key, prepared)
        return
    _original_prepare_url(self, url, params)


_original_get_auth_from_url = requests.utils.get_auth_from_url
_URL_AUTH = BoundedMemo(_MEMO_LIMIT)


def _get_auth_from_url(url: Any) -> tuple[str, str]:
    """``get_auth_from_url``, which requests runs on every prepared URL: the user name and
    password a URL carries, a function of the URL. For a URL without them (every URL a
    client here sends) the library gets there by catching the ``TypeError`` of unquoting
    ``None``, which costs more than the rest of it."""
    if type(url) is not str:
        return _original_get_auth_from_url(url)
    return _URL_AUTH.answer(url, lambda: _original_get_auth_from_url(url))


# --- requests: turning settings into pairs -----------------------------------------------------

_original_to_key_val_list = requests.utils.to_key_val_list
_PLAIN_MAPPINGS = (dict, requests.structures.CaseInsensitiveDict)


def _to_key_val_list(value: Any) -> Any:
    """``requests.utils.to_key_val_list``, which ``requests`` runs on the session's and the
    request's headers, params, proxies and hooks, several times a request. For a ``dict`` or
    requests' own header dict (what they almost always are) the library's answer is
    ``list(value.items())``, after an ``isinstance`` against a runtime ``Protocol`` that
    Python 3.11 re-derives on every call; everything else goes to the library's function."""
    if type(value) in _PLAIN_MAPPINGS:
        return list(value.items())
    return _original_to_key_val_list(value)


# --- logging: levels a command sets, and put back after it ----------------------------------

_original_set_level = logging.Logger.setLevel
_original_is_enabled_for = logging.Logger.isEnabledFor
# Each logger whose level the running command changed, with the level it had before.
_LEVELS_BEFORE: dict[logging.Logger, int] = {}


def _set_level(self: logging.Logger, level: int | str) -> None:
    """``Logger.setLevel`` while a command runs. The library's clears the level cache of
    every logger of the process (about 1,200 once the command plugins are imported; some
    0.35 ms, with the cache cold), and a command made two such clears: osc-lib setting the
    root logger to DEBUG, and the runner putting it back afterwards. Here the level is set
    and the logger's level before the command noted, and nothing is cleared: while a command
    runs, :func:`_is_enabled_for` neither reads nor fills the caches, and afterwards every
    noted logger gets its level back (:func:`_levels_put_back`), so the answers the caches
    held before the command are true again."""
    checked = logging._checkLevel(level)  # type: ignore[attr-defined]
    if checked != self.level:
        _LEVELS_BEFORE.setdefault(self, self.level)
        self.level = checked


def _is_enabled_for(self: logging.Logger, level: int) -> bool:
    """``Logger.isEnabledFor`` while a command runs, without the level cache: the library's
    answer, computed as it computes what it caches."""
    if self.disabled:
        return False
    if self.manager.disable >= level:
        return False
    return level >= self.getEffectiveLevel()


def _levels_put_back() -> None:
    """Every logger whose level the command changed gets its level back, as a new process
    would find it (the root logger's too, which osc-lib sets to DEBUG)."""
    for logger, before in _LEVELS_BEFORE.items():
        logger.level = before
    _LEVELS_BEFORE.clear()


# --- logging: records that no handler would emit --------------------------------------------


def _would_be_emitted(logger: logging.Logger, level: int) -> bool:
    """Whether a record of ``level`` made by ``logger`` would reach a handler that emits it:
    the walk ``Logger.callHandlers`` makes, comparing levels only (a handler's filters can
    only drop more). With no handler on the way, the library's own path decides (the last
    resort handler, or its one-time warning), so the answer is yes."""
    current: logging.Logger | None = logger
    found = False
    while current is not None:
        for handler in current.handlers:
            found = True
            if level >= handler.level:
                return True
        if not current.propagate:
            break
        current = current.parent
    return not found


_original_log = logging.Logger._log


def _log(
    self: logging.Logger, level: int, msg: object, args: Any, *rest: Any, **kwargs: Any
) -> None:
    """``Logger._log`` (behind ``debug``, ``info`` and the rest, once the level check passed):
    osc-lib sets the root logger to DEBUG and its console handler to WARNING, so a command
    makes about 55 records (caller lookup, ``LogRecord``) that every handler then drops. A
    record nothing would emit is not made. Where making it could itself be seen, the
    library's own path runs: ``extra`` (which ``makeRecord`` may refuse), a filter on the
    logger, a record factory of someone else's."""
    if (
        not self.filters
        and not kwargs.get("extra")
        and not (rest[1:2] and rest[1])
        and logging.getLogRecordFactory() is logging.LogRecord
        and not _would_be_emitted(self, level)
    ):
        return
    _original_log(self, level, msg, args, *rest, **kwargs)


_original_http_log_request = keystoneauth1.session.Session._http_log_request
_original_http_log_response = keystoneauth1.session.Session._http_log_response


def _debug_logger(session: Any, split_loggers: Any, split_name: str, given: Any) -> Any:
    """The logger keystoneauth's request and response dumps write to (as they choose it)."""
    if session._get_split_loggers(split_loggers):
        return keystoneauth1._utils.get_logger(f"keystoneauth1.session.{split_name}")
    return given or keystoneauth1._utils.get_logger("keystoneauth1.session")


def _http_log_request(self: Any, url: str, *args: Any, **kwargs: Any) -> None:
    """``Session._http_log_request``: builds a ``curl`` line of the request (headers sorted
    and masked, the body encoded) for a DEBUG record, every request. Its only effect is that
    record: when no handler would emit it, the line is not built."""
    logger = _debug_logger(self, kwargs.get("split_loggers"), "request", kwargs.get("logger"))
    if not args and not _would_be_emitted(logger, logging.DEBUG):
        return None
    return _original_http_log_request(self, url, *args, **kwargs)


def _http_log_response(self: Any, *args: Any, **kwargs: Any) -> None:
    """``Session._http_log_response``: the status line and headers, then the body (decoded),
    as DEBUG records of the response and body loggers; nothing else. When neither would be
    emitted, nothing is built."""
    split = self._get_split_loggers(kwargs.get("split_loggers"))
    loggers = (
        (keystoneauth1._utils.get_logger("keystoneauth1.session.response"),
         keystoneauth1._utils.get_logger("keystoneauth1.session.body"))
        if split
        else (kwargs.get("logger"),)
    )  # fmt: skip
    if args or any(
        logger is None or _would_be_emitted(logger, logging.DEBUG) for logger in loggers
    ):
        return _original_http_log_response(self, *args, **kwargs)
    return None


# --- cliff: a command's option parser ---------------------------------------------------------

# The distributions whose every ``get_parser`` has been read: each builds its parser from the
# class's attributes, the environment and the installed formatter plugins only, never from the
# application, its client manager or the cloud. A command of another plugin is not memoised.
_PARSER_MODULES = ("openstackclient.", "osc_lib.", "cliff.")
_PARSER_MEMO_LIMIT = 256


@dataclass
class _BuiltParser:
    parser: argparse.ArgumentParser
    # What building set on the command (cliff's display commands keep their formatter group).
    kept: tuple[tuple[str, Any], ...]
    # The defaults as built: ``parse_args`` hands a default object (a list, a dict) to the
    # command as it is, which could change it; a parser whose defaults moved is built again.
    defaults: Any


_PARSERS = BoundedMemo(_PARSER_MEMO_LIMIT)  # key -> _BuiltParser


def _defaults_of(parser: argparse.ArgumentParser) -> Any:
    return [(action.dest, action.default, action.const) for action in parser._actions], dict(
        parser._defaults
    )


def _parser_from_memo(
    key: tuple[Any, ...], owner: object, build: Callable[[], argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    """The parser built under ``key`` before, with what building set on ``owner`` set again;
    or a new one from ``build`` (kept unless building set anything but a part of the parser
    on ``owner``, or its defaults have moved since)."""
    found = _PARSERS.get(key)
    if found is not None and _defaults_of(found.parser) == found.defaults:
        for name, value in found.kept:
            setattr(owner, name, value)
        return found.parser
    before = dict(vars(owner))
    parser = build()
    kept = tuple(
        (name, value) for name, value in vars(owner).items() if before.get(name) is not value
    )
    if all(isinstance(value, argparse._ActionsContainer) for _, value in kept):
        _PARSERS.keep(key, _BuiltParser(parser, kept, copy.deepcopy(_defaults_of(parser))))
    return parser


def _memoised_get_parser(cmd: Any) -> Callable[[str], argparse.ArgumentParser] | None:
    """``cmd.get_parser`` served from a memo keyed by everything its parser is built from:
    the command's class and name, the program name and the whole environment (defaults such as
    ``OS_ALL_PROJECTS`` or ``CLIFF_MAX_TERM_WIDTH`` are read while building). None when the
    command is not one whose parser is known to depend on nothing else (a plugin's, one with
    command hooks, which get the command itself)."""
    cls = type(cmd)
    hooks = getattr(cmd, "_hooks", None)  # a stevedore manager: true even when empty
    if not cls.__module__.startswith(_PARSER_MODULES) or hooks is None or any(True for _ in hooks):
        return None
    build = cmd.get_parser

    def get_parser(prog_name: str) -> argparse.ArgumentParser:
        key = (cls, cmd.cmd_name, prog_name, tuple(sorted(os.environ.items())))
        return _parser_from_memo(key, cmd, lambda: build(prog_name))

    return get_parser


_original_prepare_to_run_command = osc_lib.shell.OpenStackShell.prepare_to_run_command


def _prepare_to_run_command(self: Any, cmd: Any) -> None:
    """``OpenStackShell.prepare_to_run_command``, which cliff calls just before it asks the
    command for its parser: the command's ``get_parser`` becomes the memo's, for this command
    object only."""
    _original_prepare_to_run_command(self, cmd)
    memoised = _memoised_get_parser(cmd)
    if memoised is not None:
        cmd.get_parser = memoised


_original_build_option_parser = openstackclient.shell.OpenStackShell.build_option_parser


def _build_option_parser(
    self: Any, description: str | None, version: str | None, argparse_kwargs: Any = None
) -> argparse.ArgumentParser:
    """``OpenStackShell.build_option_parser``, the global options (about 120 of them): built
    from the shell class's attributes, the installed client and auth plugins and the
    environment (every ``OS_*`` default). With ``deferred_help`` (how the shell is made) no
    option refers to the shell itself. Memoised by all of these for the shell as made by
    ``openstackclient.shell.main`` (and the program name argparse takes from ``sys.argv``);
    anything else gets the library's own build."""
    if type(self) is not openstackclient.shell.OpenStackShell or argparse_kwargs is not None:
        return _original_build_option_parser(self, description, version, argparse_kwargs)
    if self.deferred_help is not True:
        return _original_build_option_parser(self, description, version, argparse_kwargs)
    key = (
        type(self),
        description,
        version,
        self.DEFAULT_VERBOSE_LEVEL,
        sys.argv[0] if sys.argv else None,  # argparse's ``prog``
        tuple(sorted(os.environ.items())),
    )
    return _parser_from_memo(
        key, self, lambda: _original_build_option_parser(self, description, version)
    )


# --- installing -------------------------------------------------------------------------------

_PATCHES: tuple[tuple[Any, str, Any], ...] = (
    (cliff.commandmanager, "stevedore", _stevedore_for_cliff),
    (cliff.commandmanager.CommandManager, "_is_module_ignored", staticmethod(_is_module_ignored)),
    (os_service_types.service_types.ServiceTypes, "get_all_types", _get_all_types),
    (resource.Resource, "_attributes_iterator", classmethod(_attributes_iterator)),
    (resource.Resource, "_get_mapping", classmethod(_get_mapping)),
    (resource.Resource, "_consume_attrs", _consume_attrs),
    (resource.Resource, "to_dict", _to_dict),
    (openstack.config.cloud_region, "importlib_metadata", _metadata_for_sdk),
    (cliff.commandmanager.CommandManager, "load_commands", _load_commands),
    (cliff.commandmanager, "_get_commands_by_partial_name", _get_commands_by_partial_name),
    (keystoneauth1.discover, "normalize_version_number", _normalize_version_number),
    (keystoneauth1._utils, "parse_isotime", _parse_isotime),
    (osc_lib.shell, "strutils", _strutils_for_osc),
    (osc_lib.shell, "setattr", _setattr_for_osc),
    (osc_lib.clientmanager, "strutils", _strutils_for_osc),
    (osc_lib.cli.client_config, "strutils", _strutils_for_osc),
    (logging.Logger, "setLevel", _set_level),
    (logging.Logger, "isEnabledFor", _is_enabled_for),
    (keystoneauth1.discover, "_combine_relative_url", _combine_relative_url),
    (keystoneauth1.discover, "_version_from_url", _version_from_url),
    (keystoneauth1.access.service_catalog, "copy", _copy_for_catalog),
    (requests.sessions, "to_key_val_list", _to_key_val_list),
    (requests.models, "to_key_val_list", _to_key_val_list),
    (requests.models.PreparedRequest, "prepare_url", _prepare_url),
    (requests.models, "get_auth_from_url", _get_auth_from_url),
    (logging.Logger, "_log", _log),
    (keystoneauth1.session.Session, "_http_log_request", _http_log_request),
    (keystoneauth1.session.Session, "_http_log_response", _http_log_response),
    (osc_lib.shell.OpenStackShell, "prepare_to_run_command", _prepare_to_run_command),
    (openstackclient.shell.OpenStackShell, "build_option_parser", _build_option_parser),
)


_DEPTH: list[int] = [0]  # blocks of installed() running: a command run from a Python sample


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """The memos above in place while the block runs; the libraries' own code after. A block
    inside another (``mock_cloud().openstack(...)`` in a sample) changes nothing: the outer
    one installed them and puts everything back."""
    if _DEPTH[0]:
        _DEPTH[0] += 1
        try:
            yield
        finally:
            _DEPTH[0] -= 1
        return
    # A name the owner does not define (a builtin that a module's global shadows) is removed
    # again afterwards.
    saved = [(owner, name, vars(owner).get(name, _MISSING)) for owner, name, _ in _PATCHES]
    _DEPTH[0] = 1
    for owner, name, patch in _PATCHES:
        setattr(owner, name, patch)
    try:
        yield
    finally:
        _DEPTH[0] = 0
        _levels_put_back()
        for owner, name, original in saved:
            if original is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def clear() -> None:
    """Forget every memo (tests: prove a command's output does not depend on them)."""
    _PARSERS.clear()
    _TO_DICT_PLANS.clear()
    memos = (_EXTENSIONS, _IGNORED, _ALL_TYPES, _ATTRIBUTES, _MAPPINGS, _PLANS, _VERSIONS, _TABLES)
    answers = (_PARTIAL, _VERSION_NUMBERS, _TIMES, _MASKED, _JOINED, _URL_VERSIONS, _PREPARED_URLS)
    answers += (_URL_AUTH,)
    for memo in (*memos, *answers):
        memo.clear()
