"""The image properties a server keeps, and the ones Nova knows by name.

At create and rebuild Nova copies the image's properties into the server's system metadata
(each value as a string of at most 255 characters, leaving out the block device mappings an
image can carry), and reads them from there afterwards: a resize checks the new flavor
against them, a snapshot of the server inherits them, and from 2.98 the server's ``image``
shows them. Only the names Nova's image
metadata object defines (or their legacy spellings) are shown; ``image_meta_props.json``
lists them as Nova 34 has them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("image_meta_props.json")
NOT_KEPT = ("mappings", "block_device_mapping", "img_mappings", "img_block_device_mapping")
# What a snapshot does not take from its server (``[DEFAULT] non_inheritable_image_properties``
# at its default, and the names Nova always drops: signatures, Cinder's encryption key, and
# the ``os_glance`` namespace Glance keeps for itself).
NOT_INHERITED = (
    "cache_in_nova",
    "bittorrent",
    "cinder_encryption_key_id",
    "cinder_encryption_key_deletion_policy",
    "img_signature",
    "img_signature_hash_method",
    "img_signature_key_type",
    "img_signature_certificate_uuid",
)


@functools.cache
def _names() -> frozenset[str]:
    data = json.loads(TABLE.read_text())
    return frozenset(data["fields"]) | frozenset(data["legacy"])


def kept(properties: Mapping[str, Any]) -> dict[str, str]:
    """What the server keeps of an image's ``properties``."""
    return {k: str(v)[:255] for k, v in properties.items() if k not in NOT_KEPT}


def inherited(kept_properties: Mapping[str, str]) -> dict[str, str]:
    """What a snapshot of the server starts its properties with."""
    return {
        k: v
        for k, v in kept_properties.items()
        if k not in NOT_INHERITED and not k.startswith("os_glance")
    }


def shown(kept_properties: Mapping[str, str]) -> dict[str, str]:
    """What 2.98's ``image.properties`` shows of them: the names Nova knows."""
    names = _names()
    return {k: v for k, v in kept_properties.items() if k in names}
