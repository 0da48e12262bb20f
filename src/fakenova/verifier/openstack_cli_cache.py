"""What the in-process ``openstack`` runner keeps between commands: installed metadata only.

A fresh ``openstack`` process spends most of a short command rebuilding things that depend on
nothing but the installed packages: the command table (stevedore imports every command plugin
of every API group), the service-types data (``os_service_types`` deep-copies its whole table
to answer "what are the aliases of compute?"), and openstacksdk's per-class attribute maps
(``Resource`` walks its class's MRO and ``isinstance``-checks every attribute, for every
object it builds). Each patch below memoises one such pure function of installed code; the
memo is filled by the library's own function on first use and never by anything a command
says. Nothing that a command's argv, environment, credentials, microversion, cloud config,
tokens or HTTP answers can change is kept: the shell, its option parser, the cloud config,
the client manager, sessions, auth plugins, discovery and connections are all built afresh
by the client for every command, exactly as in a new process.

The patches are installed only while a command runs (:func:`installed`) and restored after,
so nothing else in the process (the SDK sample runner, other tests) runs patched code.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import types
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import cliff.commandmanager
import openstack.config.cloud_region
import os_service_types.service_types
import stevedore
import stevedore.extension
from openstack import resource

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


# --- installing -------------------------------------------------------------------------------

_PATCHES: tuple[tuple[Any, str, Any], ...] = (
    (cliff.commandmanager, "stevedore", _stevedore_for_cliff),
    (cliff.commandmanager.CommandManager, "_is_module_ignored", staticmethod(_is_module_ignored)),
    (os_service_types.service_types.ServiceTypes, "get_all_types", _get_all_types),
    (resource.Resource, "_attributes_iterator", classmethod(_attributes_iterator)),
    (resource.Resource, "_get_mapping", classmethod(_get_mapping)),
    (resource.Resource, "_consume_attrs", _consume_attrs),
    (openstack.config.cloud_region, "importlib_metadata", _metadata_for_sdk),
)


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """The memos above in place while the block runs; the libraries' own code after."""
    saved = [(owner, name, vars(owner)[name]) for owner, name, _ in _PATCHES]
    for owner, name, patch in _PATCHES:
        setattr(owner, name, patch)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def clear() -> None:
    """Forget every memo (tests: prove a command's output does not depend on them)."""
    for memo in (_EXTENSIONS, _IGNORED, _ALL_TYPES, _ATTRIBUTES, _MAPPINGS, _PLANS, _VERSIONS):
        memo.clear()
