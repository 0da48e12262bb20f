"""Who asks the Network service: the project a token is scoped to, and whether it holds the
admin role (Neutron's context, as its policy reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from fakenova.network.errors import NeutronError

if TYPE_CHECKING:
    from fakenova.network.models import Network
    from fakenova.network.qos import QosPolicy


class Owned(Protocol):
    project_id: str


ItemT = TypeVar("ItemT", bound=Owned)


@dataclass
class Caller:
    """Who asks: the project the token is scoped to, and whether it holds the admin role."""

    project_id: str
    is_admin: bool = False

    def sees(self, project_id: str) -> bool:
        return self.is_admin or project_id == self.project_id

    def own(self, found: ItemT | None, missing: NeutronError) -> ItemT:
        """``found`` when the caller sees it; else ``missing``: another project's item is as
        unknown to a member as one that does not exist, as in Neutron."""
        if found is None or not self.sees(found.project_id):
            raise missing
        return found

    def reads(self, item: Network | QosPolicy) -> bool:
        """A shared network or QoS policy is every project's to read, and so is an external
        network (Neutron's ``get_network`` rule: ``rule:external``); others, their owner's."""
        return item.shared or getattr(item, "external", False) or self.sees(item.project_id)
