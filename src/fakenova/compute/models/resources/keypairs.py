"""Key pairs: per user, named, imported or generated, with Nova's fingerprints.

Nova generates a 2048-bit RSA key and answers its private key (PEM, "BEGIN RSA PRIVATE KEY")
and an OpenSSH public key ending ``Generated-by-Nova``; the fake's key comes from a seed
(:mod:`~fakenova.compute.models.resources.rsa_keys`) so a page prints the same key on every run. A
generated ``x509`` pair is Nova's WinRM certificate
(:mod:`~fakenova.compute.models.resources.winrm_certificates`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from fakenova.compute.models.errors import Conflict, Invalid, NotFound
from fakenova.compute.models.resources import quotas, winrm_certificates
from fakenova.compute.models.resources.openssl_names import OpensslRefused
from fakenova.compute.models.resources.rsa_keys import rsa_key

if TYPE_CHECKING:
    from fakenova.compute.models.actor import Actor
    from fakenova.compute.models.backend import ComputeBackend

SSH = "ssh"
X509 = "x509"


@dataclass
class KeyPair:
    id: int
    user_id: str
    name: str
    type: str
    public_key: str
    fingerprint: str
    created_at: dt.datetime


def fingerprint(public_key: str, key_type: str) -> str:
    """Nova's fingerprint: MD5 of an SSH key's blob, SHA-1 of an x509 certificate."""
    if key_type == X509:
        try:
            cert = x509.load_pem_x509_certificate(public_key.encode("utf-8"))
        except (ValueError, TypeError, binascii.Error) as error:
            raise Invalid(
                "Keypair data is invalid: failed to generate X509 fingerprint. "
                f"Error message: {error}",
            ) from error
        return _colons(cert.fingerprint(hashes.SHA1()).hex())
    try:
        serialization.load_ssh_public_key(public_key.encode("utf-8"))
        blob = base64.b64decode(public_key.split(" ")[1])
    except Exception as error:  # Nova turns any failure into the same sentence
        raise Invalid("Keypair data is invalid: failed to generate fingerprint") from error
    return _colons(hashlib.md5(blob, usedforsecurity=False).hexdigest())


def _colons(hexdigest: str) -> str:
    return ":".join(hexdigest[i : i + 2] for i in range(0, len(hexdigest), 2))


@functools.lru_cache(maxsize=256)
def generate(seed: str) -> tuple[str, str]:
    """A reproducible RSA key pair from ``seed``: (PEM private key, OpenSSH public key)."""
    key = rsa_key(seed)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return private, public.decode() + " Generated-by-Nova"


def of_user(backend: ComputeBackend, user_id: str) -> list[KeyPair]:
    """The user's key pairs in Nova's listing order (by name)."""
    return sorted((k for k in backend.keypairs.values() if k.user_id == user_id), key=_name)


def _name(keypair: KeyPair) -> str:
    return keypair.name


def get(backend: ComputeBackend, user_id: str, name: str) -> KeyPair:
    found = backend.keypairs.get((user_id, name))
    if found is None:
        raise NotFound(f"Keypair {name} not found for user {user_id}")
    return found


def create(
    backend: ComputeBackend,
    actor: Actor,
    user_id: str,
    name: str,
    key_type: str,
    public_key: str | None,
) -> tuple[KeyPair, str | None]:
    """Import ``public_key`` for ``user_id``, or generate a pair when there is none (then the
    private key is returned too). Quota first (the caller's limits), then the key, then the
    name's uniqueness, as in Nova."""
    quotas.check_key_pairs(backend, actor, user_id)
    private = None
    if public_key is None:
        seed = backend.ids.uuid("keypair", f"{user_id}/{name}")
        if key_type == X509:
            try:
                private, public_key = winrm_certificates.generate(seed, user_id, backend.clock.now)
            except OpensslRefused as refused:
                raise Invalid(f"Keypair data is invalid: {refused}") from None
        else:
            private, public_key = generate(seed)
    printed = fingerprint(public_key, key_type)
    if (user_id, name) in backend.keypairs:
        raise Conflict(f"Key pair '{name}' already exists.")
    backend.keypair_serial += 1
    keypair = KeyPair(
        backend.keypair_serial,
        user_id,
        name,
        key_type,
        public_key,
        printed,
        backend.clock.now,
    )
    backend.keypairs[(user_id, name)] = keypair
    return keypair, private


def delete(backend: ComputeBackend, user_id: str, name: str) -> None:
    get(backend, user_id, name)
    del backend.keypairs[(user_id, name)]
