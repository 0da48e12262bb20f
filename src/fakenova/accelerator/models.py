"""Accelerator state: device profiles and the accelerator requests (ARQs) bound to servers.

Cyborg's rules, as far as Nova's answers depend on them: ``GET /device_profiles?name=`` takes
a comma-separated list of names and answers the profiles that bear one of them (an unknown
name matches none; Cyborg's ``DeviceProfilesController.get_all``). Creating ARQs for a profile
makes one per accelerator its groups ask for (``resources:RC: N`` is N of them); binding gives
each the instance and host, and deleting a server's ARQs frees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fakenova.determinism import IdSource

RESOURCES = re.compile(r"resources[a-zA-Z0-9_-]*:(.+)")


@dataclass(frozen=True)
class DeviceProfile:
    name: str
    uuid: str
    # Each group maps ``resources:RC`` / ``trait:TRAIT`` / ``accel:...`` keys to values.
    groups: tuple[dict[str, str], ...]

    def accelerators(self) -> list[int]:
        """The group index of each accelerator the profile asks for, in group order."""
        wanted = []
        for index, group in enumerate(self.groups):
            for key, value in group.items():
                if RESOURCES.fullmatch(key):
                    wanted.extend([index] * int(value))
        return wanted


@dataclass
class AcceleratorRequest:
    uuid: str
    device_profile_name: str
    device_profile_group_id: int
    instance_uuid: str
    hostname: str
    state: str = "Bound"


@dataclass
class AcceleratorBackend:
    """All accelerator state of one cloud (no module-level state)."""

    ids: IdSource
    device_profiles: dict[str, DeviceProfile] = field(default_factory=dict)
    arqs: dict[str, AcceleratorRequest] = field(default_factory=dict)

    def create_device_profile(self, name: str, groups: list[dict[str, str]]) -> DeviceProfile:
        profile = DeviceProfile(name, self.ids.uuid("device_profile", name), tuple(groups))
        self.device_profiles[name] = profile
        return profile

    def profiles_named(self, names: str) -> list[DeviceProfile]:
        """What ``GET /device_profiles?name=NAMES`` lists."""
        wanted = names.split(",")
        return [p for p in self.device_profiles.values() if p.name in wanted]

    def bind(self, profile: DeviceProfile, instance_uuid: str, hostname: str) -> None:
        """Create the profile's ARQs and bind them to the instance on ``hostname``."""
        for number, group_id in enumerate(profile.accelerators()):
            uuid = self.ids.uuid("arq", f"{instance_uuid}/{number}")
            self.arqs[uuid] = AcceleratorRequest(
                uuid, profile.name, group_id, instance_uuid, hostname
            )

    def bound_to(self, instance_uuid: str) -> list[AcceleratorRequest]:
        return [a for a in self.arqs.values() if a.instance_uuid == instance_uuid]

    def delete_for(self, instance_uuid: str) -> None:
        for arq in self.bound_to(instance_uuid):
            del self.arqs[arq.uuid]
