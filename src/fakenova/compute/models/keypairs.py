"""Key pairs: per user, named, imported or generated, with Nova's fingerprints.

Nova generates a 2048-bit RSA key with paramiko's random source and answers its private key
(PEM, "BEGIN RSA PRIVATE KEY") and an OpenSSH public key ending ``Generated-by-Nova``. A page
must print the same key on every run, so the fake derives the key's primes from the seeded
:class:`~fakenova.determinism.IdSource` instead: same shapes, same fingerprint rule (MD5 of
the public key blob, colon-separated), reproducible bytes.

A generated ``x509`` pair (microversions 2.2 to 2.91) is Nova's WinRM certificate: Nova runs
``openssl req -x509`` (subject ``/CN=<user id>``, 3650 days, an extension section with
``extendedKeyUsage = clientAuth`` and a UPN ``otherName`` ``<user id>@localhost``) and then
``openssl pkcs12 -export`` with an empty password, and answers the PEM certificate as
``public_key``, the base64 of the PKCS#12 bundle as ``private_key`` and the certificate's SHA-1
as fingerprint. The fake builds the same certificate (see :func:`certificate`) and the same
bundle, byte for byte in layout (see :func:`pkcs12_bundle`), from the seeded RSA key, with the
scenario clock's now as ``notBefore`` and every random value (serial, salts, IVs) derived from
the seed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import random
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

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
    not-found 404; openssl and nul are the 500s of a user id Nova's openssl cannot take)."""

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
def _rsa_key(seed: str) -> rsa.RSAPrivateKey:
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


@functools.lru_cache(maxsize=256)
def generate(seed: str) -> tuple[str, str]:
    """A reproducible RSA key pair from ``seed``: (PEM private key, OpenSSH public key)."""
    key = _rsa_key(seed)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return private, public.decode() + " Generated-by-Nova"


# --- x509 (WinRM) certificates ---------------------------------------------------------------

UPN = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")  # Microsoft's user principal name
VALIDITY = dt.timedelta(days=3650)  # openssl req -days 3650
PKCS12_ITERATIONS = 2048  # OpenSSL 3's default for PBKDF2 and for the PKCS#12 MAC
OPENSSL_FAILED = "oslo_concurrency.processutils.ProcessExecutionError"


def _seeded(seed: str, label: str, size: int) -> bytes:
    """``size`` reproducible bytes standing in for one of OpenSSL's random values."""
    return hashlib.sha256(f"{seed}/x509/{label}".encode()).digest()[:size]


@functools.lru_cache(maxsize=256)
def generate_x509(seed: str, user_id: str, now: dt.datetime) -> tuple[str, str]:
    """A reproducible WinRM certificate for ``user_id``: (base64 PKCS#12, PEM certificate).

    The serial is 159 random bits like OpenSSL's, the bundle's salts and IVs 8 and 16 bytes
    like OpenSSL's, all derived from ``seed``; the RSA key is :func:`generate`'s. Raises
    :class:`KeypairRefused` (``openssl``, ``nul``) where Nova's ``openssl`` fails on the user id.
    """
    key = _rsa_key(seed)
    serial = int.from_bytes(_seeded(seed, "serial", 20)) >> 1 or 1
    cert = certificate(key, user_id, serial, now)
    bundle = pkcs12_bundle(
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
            x509.SubjectAlternativeName([x509.OtherName(UPN, _der(0x0C, upn.encode()))]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


# What Nova's openssl makes of a user id. Nova hands ``/CN=<user id>`` to ``openssl req -subj``
# and writes ``<user id>@localhost`` into an OpenSSL configuration file, so both parsers see it:
# the subject parser splits at ``/`` (a new attribute) and ``+`` (a multi-valued RDN) and
# unescapes ``\x``; the configuration parser drops ``#`` comments, removes quotes, unescapes
# (``\n`` ``\r`` ``\t`` ``\b`` become control characters), expands ``$variables`` (only the
# file's own two values exist), and the subject alternative name list splits at ``,``. Both
# read the UTF-8 bytes as Latin-1 (no ``-utf8``), so ``é`` becomes ``Ã©``. What makes either
# fail is Nova's 500. Checked against Nova 34 with 86 odd user ids. Not modelled (the fake
# answers the 500 instead): ``${ENV::NAME}``, which OpenSSL reads from nova-api's environment;
# a comma followed by another valid general name (``a,DNS:x``); subject attribute names
# beyond the common ones below, which the fake skips as OpenSSL skips the names it does not
# know.
_ATTRIBUTES: dict[str, tuple[x509.ObjectIdentifier, int, int]] = {
    name: (oid, low, high)  # OpenSSL's short and long names, its length limits
    for names, oid, low, high in (
        (("CN", "commonName"), NameOID.COMMON_NAME, 1, 64),
        (("C", "countryName"), NameOID.COUNTRY_NAME, 2, 2),
        (("L", "localityName"), NameOID.LOCALITY_NAME, 1, 128),
        (("ST", "stateOrProvinceName"), NameOID.STATE_OR_PROVINCE_NAME, 1, 128),
        (("O", "organizationName"), NameOID.ORGANIZATION_NAME, 1, 64),
        (("OU", "organizationalUnitName"), NameOID.ORGANIZATIONAL_UNIT_NAME, 1, 64),
        (("emailAddress",), NameOID.EMAIL_ADDRESS, 1, 128),
    )
    for name in names
}
_PRINTABLE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?")


def _openssl_failed(what: str) -> KeypairRefused:
    return KeypairRefused("openssl", f"openssl cannot {what}")


def _as_openssl_reads(text: str) -> str:
    """The user id's UTF-8 bytes, one character each, as OpenSSL's ASCII input mode reads
    them; a NUL cannot reach the command at all."""
    if "\0" in text:
        raise KeypairRefused("nul", "embedded null byte")
    return text.encode().decode("latin-1")


def openssl_subject(user_id: str) -> x509.Name:
    """The subject ``openssl req -subj /CN=<user id>`` builds (OpenSSL 3.0)."""
    text = _as_openssl_reads("/CN=" + user_id)
    rdns: list[list[x509.NameAttribute]] = []
    at, joins_previous = 1, False
    while at < len(text):
        multi, joins_previous = joins_previous, False
        equals = text.find("=", at)
        if equals < 0:
            raise _openssl_failed("find the '=' of a subject attribute")
        kind, at = text[at:equals], equals + 1
        value: list[str] = []
        while at < len(text) and text[at] != "/":
            if text[at] == "+":
                joins_previous = True
                break
            if text[at] == "\\":
                at += 1
                if at == len(text):
                    raise _openssl_failed("end a subject with an escape")
            value.append(text[at])
            at += 1
        at += 1  # past the "/" or "+" (or the end)
        known = _ATTRIBUTES.get(kind)
        if known is None or not value:
            continue  # OpenSSL skips unknown attributes and empty values, with a warning
        oid, low, high = known
        string = "".join(value)
        if not low <= len(string) <= high:
            raise _openssl_failed(f"add a {kind} of {len(string)} characters")
        if oid == NameOID.COUNTRY_NAME and not set(string) <= _PRINTABLE:
            raise _openssl_failed("add a country that is no PrintableString")
        if oid == NameOID.EMAIL_ADDRESS and not string.isascii():
            raise _openssl_failed("add an email address that is no IA5String")
        with warnings.catch_warnings():
            # OpenSSL counts characters, cryptography UTF-8 bytes (and warns past 64 of them
            # when told not to refuse): the limits were checked above.
            warnings.simplefilter("ignore", UserWarning)
            attribute = x509.NameAttribute(oid, string, _validate=False)
        if multi and rdns:
            rdns[-1].append(attribute)
        else:
            rdns.append([attribute])
    return x509.Name([x509.RelativeDistinguishedName(rdn) for rdn in rdns])


_QUOTES = "\"'`"
_NAME_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# The values of Nova's configuration file, by (section, name).
_CONFIG = {
    ("default", "distinguished_name"): "req_distinguished_name",
    ("v3_req_client", "extendedKeyUsage"): "clientAuth",
}


def _variable(raw: str, at: int) -> tuple[str, int]:
    """Expand the ``$name``, ``${name}``, ``$(section::name)`` ... starting at ``raw[at]``,
    read in section ``v3_req_client`` (then ``default``, as OpenSSL falls back)."""

    def name(start: int) -> tuple[str, int]:
        end = start
        while end < len(raw) and raw[end] in _NAME_CHARS:
            end += 1
        return raw[start:end], end

    at += 1
    close = {"{": "}", "(": ")"}.get(raw[at : at + 1])
    if close:
        at += 1
    section = "v3_req_client"
    variable, at = name(at)
    if raw[at : at + 2] == "::":
        section, (variable, at) = variable, name(at + 2)
    if close:
        if raw[at : at + 1] != close:
            raise _openssl_failed("find the closing brace of a configuration variable")
        at += 1
    value = _CONFIG.get((section, variable), _CONFIG.get(("default", variable)))
    if value is None:
        raise _openssl_failed("expand a configuration variable")
    return value, at


_ESCAPED = {"r": "\r", "n": "\n", "b": "\b", "t": "\t"}


def openssl_upn(user_id: str) -> str:
    """The UPN OpenSSL 3.0 reads back from Nova's ``subjectAltName = otherName:...;UTF8:<user
    id>@localhost`` configuration line."""
    raw = _as_openssl_reads(user_id + "@localhost")
    if "\n" in raw:
        raise _openssl_failed("parse a configuration line broken in two")
    # Comments first: a "#" outside quotes and escapes ends the line.
    at = 0
    while at < len(raw):
        if raw[at] == "#":
            raw = raw[:at]
            break
        if raw[at] in _QUOTES:
            close = raw.find(raw[at], at + 1)
            at = len(raw) if close < 0 else close + 1
        elif raw[at] == "\\":
            at += 2
        else:
            at += 1
    raw = raw.rstrip(" \t\r")
    # Then the value: quotes, escapes and variables.
    out: list[str] = []
    at = 0
    while at < len(raw):
        char = raw[at]
        if char in _QUOTES:
            at += 1
            while at < len(raw) and raw[at] != char:
                if raw[at] == "\\":
                    at += 1
                    if at == len(raw):
                        break
                out.append(raw[at])
                at += 1
            at += 1
        elif char == "\\":
            if at + 1 == len(raw):
                break
            out.append(_ESCAPED.get(raw[at + 1], raw[at + 1]))
            at += 2
        elif char == "$":
            value, at = _variable(raw, at)
            out.append(value)
        else:
            out.append(char)
            at += 1
    upn = "".join(out)
    if "," in upn:
        raise _openssl_failed("parse the subject alternative names")
    return upn


# --- PKCS#12, as ``openssl pkcs12 -export -password pass:`` (OpenSSL 3.0) writes it ----------

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


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8)
    return bytes([tag, 0x80 | len(length)]) + length + content


def _seq(*parts: bytes) -> bytes:
    return _der(0x30, b"".join(parts))


def _set_of_one(part: bytes) -> bytes:
    return _der(0x31, part)


def _explicit(part: bytes) -> bytes:
    return _der(0xA0, part)


def _octets(data: bytes) -> bytes:
    return _der(0x04, data)


def _integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1))


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(arc) for arc in dotted.split("."))
    body = bytearray()
    for arc in (first * 40 + second, *rest):
        chunk = [arc & 0x7F]
        while arc := arc >> 7:
            chunk.append(0x80 | (arc & 0x7F))
        body += bytes(reversed(chunk))
    return _der(0x06, bytes(body))


_NULL = b"\x05\x00"


def _pbes2(plain: bytes, salt: bytes, iv: bytes) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier, ciphertext): PBKDF2-HMAC-SHA256 of the empty password, then
    AES-256-CBC with PKCS#7 padding, the parameters OpenSSL 3 picks by default."""
    key = PBKDF2HMAC(hashes.SHA256(), 32, salt, PKCS12_ITERATIONS).derive(b"")
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    kdf = _seq(
        _oid(_PBKDF2),
        _seq(_octets(salt), _integer(PKCS12_ITERATIONS), _seq(_oid(_HMAC_SHA256), _NULL)),
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
    for _ in range(PKCS12_ITERATIONS - 1):
        digest = hashlib.sha256(digest).digest()
    return digest


def pkcs12_bundle(
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
        _explicit(_seq(_integer(0), _seq(_oid(_DATA), cert_algorithm, _der(0x80, cert_encrypted)))),
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
            _integer(PKCS12_ITERATIONS),
        ),
    )


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
        seed = backend.ids.uuid("keypair", f"{user_id}/{name}")
        if key_type == X509:
            private, public_key = generate_x509(seed, user_id, backend.clock.now)
        else:
            private, public_key = generate(seed)
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
