"""The certificate of a generated ``x509`` key pair (microversions 2.2 to 2.91).

Nova makes a WinRM client certificate: ``openssl req -x509`` (subject ``/CN=<user id>``, 3650
days, ``extendedKeyUsage = clientAuth`` and a UPN ``otherName`` ``<user id>@localhost``), then
``openssl pkcs12 -export`` with an empty password. It answers the PEM certificate as
``public_key``, the base64 of the bundle as ``private_key`` and the certificate's SHA-1 as the
fingerprint. The fake builds the same certificate and bundle from a seeded RSA key, with the
scenario clock's now as ``notBefore`` and every random value (serial, salts, IVs) derived from
the seed.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from fakenova.compute.models.resources import pkcs12
from fakenova.compute.models.resources.openssl_names import openssl_subject, openssl_upn
from fakenova.compute.models.resources.rsa_keys import rsa_key

UPN = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")  # Microsoft's user principal name
VALIDITY = dt.timedelta(days=3650)  # openssl req -days 3650


def _seeded(seed: str, label: str, size: int) -> bytes:
    """``size`` reproducible bytes standing in for one of OpenSSL's random values."""
    return hashlib.sha256(f"{seed}/x509/{label}".encode()).digest()[:size]


@functools.lru_cache(maxsize=256)
def generate(seed: str, user_id: str, now: dt.datetime) -> tuple[str, str]:
    """A reproducible WinRM certificate for ``user_id``: (base64 PKCS#12, PEM certificate).

    The serial is 159 random bits like OpenSSL's, the bundle's salts and IVs 8 and 16 bytes
    like OpenSSL's, all derived from ``seed``; the RSA key is ``rsa_key(seed)``. Raises
    :class:`~fakenova.compute.models.resources.openssl_names.OpensslRefused` where Nova's
    ``openssl`` fails on the user id.
    """
    key = rsa_key(seed)
    serial = int.from_bytes(_seeded(seed, "serial", 20)) >> 1 or 1
    cert = certificate(key, user_id, serial, now)
    bundle = pkcs12.bundle(
        key,
        cert,
        cert_salt=_seeded(seed, "cert-salt", 8),
        cert_iv=_seeded(seed, "cert-iv", 16),
        key_salt=_seeded(seed, "key-salt", 8),
        key_iv=_seeded(seed, "key-iv", 16),
        mac_salt=_seeded(seed, "mac-salt", 8),
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return base64.b64encode(bundle).decode("ascii"), pem


def certificate(
    key: rsa.RSAPrivateKey, user_id: str, serial: int, now: dt.datetime
) -> x509.Certificate:
    """What ``openssl req -x509 -days 3650 -subj /CN=<user id> -extensions v3_req_client``
    (OpenSSL 3.0) signs with ``key``: version 3, SHA-256 with RSA, issuer = subject, validity
    from ``now`` (whole seconds) for 3650 days, and the extensions in OpenSSL's order:
    extended key usage (client authentication), the UPN subject alternative name, then the
    subject key identifier OpenSSL adds by default (SHA-1 of the public key). None critical.
    """
    name = openssl_subject(user_id)
    upn = openssl_upn(user_id)
    start = now.astimezone(dt.UTC).replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + VALIDITY)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.OtherName(UPN, pkcs12.der(0x0C, upn.encode()))]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
