"""PKCS#12, as ``openssl pkcs12 -export -password pass:`` (OpenSSL 3.0) writes it.

Nova answers a generated x509 key pair's private key as the base64 of such a bundle. The
``cryptography`` package reads PKCS#12 but cannot write it reproducibly (it draws salts, IVs
and the MAC salt at random, even with ``NoEncryption()``, and its encryption builder refuses an
empty password), and a page must print the same bytes on every run: so the bundle's DER is
written here, with the salts and IVs given by the caller, from ``cryptography``'s primitives.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

ITERATIONS = 2048  # OpenSSL 3's default for PBKDF2 and for the PKCS#12 MAC

_DATA = "1.2.840.113549.1.7.1"
_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
_CERT_BAG = "1.2.840.113549.1.12.10.1.3"
_X509_CERTIFICATE = "1.2.840.113549.1.9.22.1"
_LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_HMAC_SHA256 = "1.2.840.113549.2.9"
_AES256_CBC = "2.16.840.1.101.3.4.1.42"
_SHA256 = "2.16.840.1.101.3.4.2.1"


def der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8)
    return bytes([tag, 0x80 | len(length)]) + length + content


def _seq(*parts: bytes) -> bytes:
    return der(0x30, b"".join(parts))


def _set_of_one(part: bytes) -> bytes:
    return der(0x31, part)


def _explicit(part: bytes) -> bytes:
    return der(0xA0, part)


def _octets(data: bytes) -> bytes:
    return der(0x04, data)


def _integer(value: int) -> bytes:
    return der(0x02, value.to_bytes(value.bit_length() // 8 + 1))


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(arc) for arc in dotted.split("."))
    body = bytearray()
    for arc in (first * 40 + second, *rest):
        chunk = [arc & 0x7F]
        while arc := arc >> 7:
            chunk.append(0x80 | (arc & 0x7F))
        body += bytes(reversed(chunk))
    return der(0x06, bytes(body))


_NULL = b"\x05\x00"


def _pbes2(plain: bytes, salt: bytes, iv: bytes) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier, ciphertext): PBKDF2-HMAC-SHA256 of the empty password, then
    AES-256-CBC with PKCS#7 padding, the parameters OpenSSL 3 picks by default."""
    key = PBKDF2HMAC(hashes.SHA256(), 32, salt, ITERATIONS).derive(b"")
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    kdf = _seq(
        _oid(_PBKDF2),
        _seq(_octets(salt), _integer(ITERATIONS), _seq(_oid(_HMAC_SHA256), _NULL)),
    )
    return _seq(_oid(_PBES2), _seq(kdf, _seq(_oid(_AES256_CBC), _octets(iv)))), ciphertext


def _pkcs12_mac_key(salt: bytes) -> bytes:
    """RFC 7292 appendix B's key derivation (ID 3, SHA-256) for the empty password, which
    OpenSSL passes as the BMPString terminator alone (two zero bytes)."""
    block = 64

    def stretched(data: bytes) -> bytes:
        size = block * -(-len(data) // block)
        return (data * (size // len(data) + 1))[:size]

    digest = hashlib.sha256(bytes([3]) * block + stretched(salt) + stretched(b"\0\0")).digest()
    for _ in range(ITERATIONS - 1):
        digest = hashlib.sha256(digest).digest()
    return digest


def bundle(
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    *,
    cert_salt: bytes,
    cert_iv: bytes,
    key_salt: bytes,
    key_iv: bytes,
    mac_salt: bytes,
) -> bytes:
    """The PKCS#12 of ``openssl pkcs12 -export -password pass:``, with given salts and IVs.

    cryptography cannot write it reproducibly: its PKCS#12 writer draws salts, IVs and the MAC
    salt at random (even with ``NoEncryption()``, for the MAC), and its encryption builder
    refuses an empty password. So the fake writes the DER itself, in OpenSSL 3.0's layout:
    an encrypted-data safe with the certificate bag, then a data safe with the shrouded
    PKCS#8 key bag, both bags carrying ``localKeyID`` = the certificate's SHA-1 (no friendly
    name), PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC) for both, and a SHA-256
    MAC (2048 iterations, 8-byte salt). Given OpenSSL's own salts and IVs, this reproduces
    a bundle Nova answered byte for byte; it loads with an empty password (or none).
    """
    local_key_id = _set_of_one(
        _seq(_oid(_LOCAL_KEY_ID), _set_of_one(_octets(cert.fingerprint(hashes.SHA1()))))
    )
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    cert_bag = _seq(
        _oid(_CERT_BAG),
        _explicit(_seq(_oid(_X509_CERTIFICATE), _explicit(_octets(cert_der)))),
        local_key_id,
    )
    cert_algorithm, cert_encrypted = _pbes2(_seq(cert_bag), cert_salt, cert_iv)
    cert_safe = _seq(
        _oid(_ENCRYPTED_DATA),
        _explicit(_seq(_integer(0), _seq(_oid(_DATA), cert_algorithm, der(0x80, cert_encrypted)))),
    )
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_algorithm, key_encrypted = _pbes2(pkcs8, key_salt, key_iv)
    key_bag = _seq(
        _oid(_SHROUDED_KEY_BAG),
        _explicit(_seq(key_algorithm, _octets(key_encrypted))),
        local_key_id,
    )
    key_safe = _seq(_oid(_DATA), _explicit(_octets(_seq(key_bag))))
    safes = _seq(cert_safe, key_safe)
    mac = hmac.new(_pkcs12_mac_key(mac_salt), safes, hashlib.sha256).digest()
    return _seq(
        _integer(3),
        _seq(_oid(_DATA), _explicit(_octets(safes))),
        _seq(
            _seq(_seq(_oid(_SHA256), _NULL), _octets(mac)),
            _octets(mac_salt),
            _integer(ITERATIONS),
        ),
    )
