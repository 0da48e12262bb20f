"""``os-keypairs`` bodies: ``type`` from 2.2; a list shows name, key and fingerprint, a show
adds the row's bookkeeping (``id``, ``created_at``, the never-set soft-delete fields)."""

from __future__ import annotations

from typing import Any

from fakenova.compute.api.microversions import Version
from fakenova.compute.models.resources.keypairs import KeyPair


def _time(value: Any) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def created(keypair: KeyPair, private_key: str | None, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if private_key is not None:
        body["private_key"] = private_key
    if version.at_least("2.2"):
        body["type"] = keypair.type
    body.update(
        name=keypair.name,
        public_key=keypair.public_key,
        fingerprint=keypair.fingerprint,
        user_id=keypair.user_id,
    )
    return {"keypair": body}


def listed(keypair: KeyPair, version: Version) -> dict[str, Any]:
    body = {
        "name": keypair.name,
        "public_key": keypair.public_key,
        "fingerprint": keypair.fingerprint,
    }
    if version.at_least("2.2"):
        body["type"] = keypair.type
    return {"keypair": body}


def shown(keypair: KeyPair, version: Version) -> dict[str, Any]:
    body: dict[str, Any] = listed(keypair, version)["keypair"]
    body.update(
        user_id=keypair.user_id,
        created_at=_time(keypair.created_at),
        deleted=False,
        deleted_at=None,
        id=keypair.id,
        updated_at=None,
    )
    return {"keypair": body}
