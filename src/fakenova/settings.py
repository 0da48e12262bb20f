"""Deployment settings, read from ``conf/`` (cloud.yaml and policy.yaml).

These are the knobs an operator would set in nova.conf, keystone and glance: which cells and
hosts exist, the flavors and images, the users, policy overrides and timing options such as
``service_down_time``. They are plain data; the backends turn them into state.
"""

from __future__ import annotations

import copy
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_CONF = Path(__file__).resolve().parents[2] / "conf"


@dataclass(frozen=True)
class UserSettings:
    name: str
    password: str
    project: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ServiceSettings:
    binary: str
    host: str


@dataclass(frozen=True)
class CellSettings:
    name: str
    services: tuple[ServiceSettings, ...] = ()
    computes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HostSettings:
    name: str
    zone: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    # The compute's my_ip: a migration's dest_host shows it.
    ip: str | None = None


@dataclass(frozen=True)
class FlavorSettings:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    rxtx_factor: float = 1.0
    is_public: bool = True
    description: str | None = None
    extra_specs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Everything in ``conf/``; build a cloud from it with :func:`fakenova.cloud.build_cloud`."""

    seed: str
    region: str
    nova: dict[str, Any]
    domain: str
    projects: tuple[str, ...]
    users: tuple[UserSettings, ...]
    cells: tuple[CellSettings, ...]
    hosts: dict[str, HostSettings]
    flavors: tuple[FlavorSettings, ...]
    images: tuple[dict[str, Any], ...]
    networks: tuple[dict[str, Any], ...]
    routers: tuple[dict[str, Any], ...]
    policy_overrides: dict[str, str]

    def nova_option(self, dotted: str) -> Any:
        """A nova.conf option by ``group.name`` (or ``name`` for [DEFAULT])."""
        node: Any = self.nova
        for part in dotted.split("."):
            node = node[part]
        return node


def conf_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the settings live: an explicit path, ``$FAKENOVA_CONF``, or the repo's ``conf/``."""
    chosen = explicit or os.environ.get("FAKENOVA_CONF") or REPO_CONF
    return Path(chosen)


def load_settings(directory: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Read ``cloud.yaml`` and ``policy.yaml``; ``overrides`` replace top-level keys (tests)."""
    base = conf_dir(directory)
    raw = _parsed((base / "cloud.yaml").read_text())
    policy_file = base / "policy.yaml"
    policy = _parsed(policy_file.read_text()) if policy_file.exists() else {}
    raw.update(overrides)
    identity = raw["identity"]
    return Settings(
        seed=str(raw["seed"]),
        region=raw["region"],
        nova=raw["nova"],
        domain=identity["domain"],
        projects=tuple(identity["projects"]),
        users=tuple(
            UserSettings(u["name"], u["password"], u["project"], tuple(u["roles"]))
            for u in identity["users"]
        ),
        cells=tuple(
            CellSettings(
                name=c["name"],
                services=tuple(ServiceSettings(**s) for s in c.get("services", ())),
                computes=tuple(c.get("computes", ())),
            )
            for c in raw["cells"]
        ),
        hosts={name: HostSettings(name=name, **h) for name, h in raw["hosts"].items()},
        flavors=tuple(FlavorSettings(**f) for f in raw["flavors"]),
        images=tuple(raw.get("images", ())),
        networks=tuple(raw.get("networks", ())),
        routers=tuple(raw.get("routers", ())),
        policy_overrides=dict(raw.get("policy_overrides", policy or {})),
    )


def _parsed(text: str) -> Any:
    """``text`` as YAML, a fresh copy each call: the tests build thousands of clouds from one
    ``conf/``, and parsing cloud.yaml cost more than building the cloud from it."""
    return copy.deepcopy(_parse(text))


# libyaml's parser under PyYAML's safe constructor: the same documents, ten times faster than
# the pure-Python parser (PyYAML's own choice when built without libyaml).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=8)
def _parse(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)
