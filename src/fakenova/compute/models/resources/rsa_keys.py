"""Reproducible RSA keys: the key Nova would draw at random, derived from a seed instead.

Nova makes its keys with paramiko's (or openssl's) random source; a page must print the same
key on every run, so the fake derives the primes from a seed: a 2048-bit key of the same shape
(e = 65537), found by sieving windows of odd candidates and Miller-Rabin.
"""

from __future__ import annotations

import functools
import hashlib
import random

from cryptography.hazmat.primitives.asymmetric import rsa

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
def rsa_key(seed: str) -> rsa.RSAPrivateKey:
    """A reproducible 2048-bit RSA key from ``seed``."""
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
    return numbers.private_key()
