"""Key pairs: per user, named, imported or generated, with Nova's fingerprints.

Nova generates a 2048-bit RSA key with paramiko's random source and answers its private key
(PEM, "BEGIN RSA PRIVATE KEY") and an OpenSSH public key ending ``Generated-by-Nova``. A page
must print the same key on every run, so the fake derives the key's primes from the seeded
:class:`~fakenova.determinism.IdSource` instead: same shapes, same fingerprint rule (MD5 of
the public key blob, colon-separated), reproducible bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

if TYPE_CHECKING:
    from fakenova.compute.models.backend import ComputeBackend

SSH = "ssh"
X509 = "x509"
KEY_BITS = 2048
_SIEVE_LIMIT = 1 << 15
_WINDOW = 4096  # odd candidates sieved at once


def _small_primes(limit: int) -> list[int]:
    flags = bytearray([1]) * limit
    flags[:2] = b"\x00\x00"
    for n in range(2, int(limit**0.5) + 1):
        if flags[n]:
            flags[n * n :: n] = bytearray(len(range(n * n, limit, n)))
    return [n for n in range(3, limit) if flags[n]]


_SMALL_PRIMES = _small_primes(_SIEVE_LIMIT)


class KeypairRefused(Exception):
    """Nova's refusal: ``kind`` picks the status (invalid 400, quota 403, exists 409,
    not-found 404)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


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
            raise KeypairRefused(
                "invalid",
                "Keypair data is invalid: failed to generate X509 fingerprint. "
                f"Error message: {error}",
            ) from error
        return _colons(cert.fingerprint(hashes.SHA1()).hex())
    try:
        serialization.load_ssh_public_key(public_key.encode("utf-8"))
        blob = base64.b64decode(public_key.split(" ")[1])
    except Exception as error:  # Nova turns any failure into the same sentence
        raise KeypairRefused(
            "invalid", "Keypair data is invalid: failed to generate fingerprint"
        ) from error
    return _colons(hashlib.md5(blob, usedforsecurity=False).hexdigest())


def _colons(hexdigest: str) -> str:
    return ":".join(hexdigest[i : i + 2] for i in range(0, len(hexdigest), 2))


def _probable_prime(n: int, rng: random.Random) -> bool:
    """Miller-Rabin (the candidates were sieved already)."""
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(12):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    """A random ``bits``-bit prime: sieve a window of odd numbers by the small primes (one
    pass per prime, not one division per candidate), then test what is left."""
    while True:
        start = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        alive = bytearray([1]) * _WINDOW  # alive[i]: start + 2*i may be prime
        for p in _SMALL_PRIMES:
            first = (-start * pow(2, -1, p)) % p  # the first i with p | start + 2*i
            alive[first::p] = bytearray(len(range(first, _WINDOW, p)))
        for i in range(_WINDOW):
            candidate = start + 2 * i
            if alive[i] and candidate % 65537 != 1 and _probable_prime(candidate, rng):
                return candidate


@functools.lru_cache(maxsize=256)
def generate(seed: str) -> tuple[str, str]:
    """A reproducible RSA key pair from ``seed``: (PEM private key, OpenSSH public key)."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    e = 65537
    while True:
        p, q = _prime(KEY_BITS // 2, rng), _prime(KEY_BITS // 2, rng)
        if p != q:
            break
    p, q = max(p, q), min(p, q)
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    key = numbers.private_key()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return private, public.decode() + " Generated-by-Nova"


def quota(backend: ComputeBackend) -> int:
    return int(backend.settings.nova.get("quota", {}).get("key_pairs", 100))


def of_user(backend: ComputeBackend, user_id: str) -> list[KeyPair]:
    """The user's key pairs in Nova's listing order (by name)."""
    return sorted((k for k in backend.keypairs.values() if k.user_id == user_id), key=_name)


def _name(keypair: KeyPair) -> str:
    return keypair.name


def get(backend: ComputeBackend, user_id: str, name: str) -> KeyPair:
    found = backend.keypairs.get((user_id, name))
    if found is None:
        raise KeypairRefused("not-found", f"Keypair {name} not found for user {user_id}")
    return found


def create(
    backend: ComputeBackend, user_id: str, name: str, key_type: str, public_key: str | None
) -> tuple[KeyPair, str | None]:
    """Import ``public_key``, or generate a pair when there is none (then the private key
    is returned too). Quota first, then the key, then the name's uniqueness, as in Nova."""
    if len(of_user(backend, user_id)) >= quota(backend):
        raise KeypairRefused("quota", "Quota exceeded, too many key pairs.")
    private = None
    if public_key is None:
        private, public_key = generate(backend.ids.uuid("keypair", f"{user_id}/{name}"))
    printed = fingerprint(public_key, key_type)
    if (user_id, name) in backend.keypairs:
        raise KeypairRefused("exists", f"Key pair '{name}' already exists.")
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
