"""Generated x509 key pairs (WinRM certificates), against what Nova 34 answered the oracle.

``keypairs_x509_nova.json`` holds Nova's answers: creates at 2.2, 2.91 and 2.10 (an admin for
another user), the show and list that followed, the 2.92+ refusal, the bodies the ``openstack``
CLI sends, and the certificate Nova made (or the 500 it answered, a 400 in the fake) for 103 odd
user ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from test_keypairs import World

from fakenova.compute.models.resources import openssl_names, winrm_certificates
from fakenova.compute.models.resources import pkcs12 as fake_pkcs12
from fakenova.testing import mock_cloud

V = "/compute/v2.1"
NOVA = json.loads((Path(__file__).parent / "keypairs_x509_nova.json").read_text())
ANSWERS = {answer["label"]: answer for answer in NOVA["answers"]}
PEM_START, PEM_END = "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n"


@pytest.fixture(scope="module")
def world() -> World:
    """One cloud for the read-only checks (a generated key costs a fraction of a second)."""
    return World()


def _nova(label: str) -> dict[str, Any]:
    return ANSWERS[label]["body"]


def _types(body: dict[str, Any]) -> dict[str, str]:
    return {key: type(value).__name__ for key, value in body.items()}


def _sha1(cert: x509.Certificate) -> str:
    digest = cert.fingerprint(hashes.SHA1()).hex()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _upn(cert: x509.Certificate) -> str:
    (name,) = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert isinstance(name, x509.OtherName) and name.type_id == winrm_certificates.UPN
    der = name.value
    assert der[0] == 0x0C  # UTF8String
    size, start = der[1], 2
    if size & 0x80:
        start = 2 + (size & 0x7F)
        size = int.from_bytes(der[2:start])
    return der[start : start + size].decode()


def _check_winrm_pair(body: dict[str, Any], user_id: str, now: dt.datetime | None) -> None:
    """What Nova's certificate and bundle are made of (checked on Nova's own answers too)."""
    pem = body["public_key"]
    assert pem.startswith(PEM_START) and pem.endswith(PEM_END) and pem.count(PEM_START) == 1
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert body["fingerprint"] == _sha1(cert)
    assert cert.version is x509.Version.v3
    assert (
        cert.subject == cert.issuer == x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    )
    assert cert.signature_hash_algorithm is not None
    assert cert.signature_hash_algorithm.name == "sha256"
    assert 0 < cert.serial_number < 1 << 159
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    assert public.public_numbers().e == 65537
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=3650)
    if now is not None:
        assert cert.not_valid_before_utc == now.replace(microsecond=0)
    extensions = list(cert.extensions)
    assert [e.oid for e in extensions] == [
        x509.ExtensionOID.EXTENDED_KEY_USAGE,
        x509.ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
        x509.ExtensionOID.SUBJECT_KEY_IDENTIFIER,
    ]
    assert not any(e.critical for e in extensions)
    assert list(extensions[0].value) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert _upn(cert) == f"{user_id}@localhost"
    assert extensions[2].value == x509.SubjectKeyIdentifier.from_public_key(public)
    # private_key: base64 of a PKCS#12 that opens with an empty password (and with none).
    bundle = base64.b64decode(body["private_key"], validate=True)
    for password in (b"", None):
        loaded = pkcs12.load_pkcs12(bundle, password)
        assert loaded.cert is not None and loaded.cert.certificate == cert
        assert loaded.cert.friendly_name is None and loaded.additional_certs == []
        assert isinstance(loaded.key, rsa.RSAPrivateKey)
        assert loaded.key.public_key().public_numbers() == public.public_numbers()


# --- Nova's answers, and the fake's, per microversion ---------------------------------------


@pytest.mark.parametrize(
    ("label", "mv"), [("x509 gen 2.2", "2.2"), ("x509 gen 2.91", "2.91")]
)  # fmt: skip
def test_generated_x509_per_microversion(label: str, mv: str) -> None:
    nova = _nova(label)["keypair"]
    _check_winrm_pair(nova, nova["user_id"], None)  # the checks describe Nova's pair
    w = World()
    answer = w.create(mv, name="kx", type="x509")
    assert answer.status_int == ANSWERS[label]["status"] == 201
    body = answer.json["keypair"]
    assert _types(body) == _types(nova)
    assert body["type"] == "x509" and body["name"] == "kx"
    assert body["user_id"] == w.cloud.user_id("demo")
    _check_winrm_pair(body, body["user_id"], w.cloud.clock.now)


def test_admin_generates_for_another_user() -> None:
    nova = _nova("x509 gen 2.10 admin for other user")["keypair"]
    _check_winrm_pair(nova, "other-user", None)
    w = World()
    answer = w.create("2.10", who="admin", name="kxo", type="x509", user_id="other-user")
    assert answer.status_int == 201
    body = answer.json["keypair"]
    assert _types(body) == _types(nova) and body["user_id"] == "other-user"
    _check_winrm_pair(body, "other-user", w.cloud.clock.now)


def test_show_and_list_afterwards(world: World) -> None:
    made = world.create("2.2", name="kshow", type="x509").json["keypair"]
    for mv, label in (("2.2", "show 2.2"), ("2.1", "show 2.1")):
        shown = world.demo.get(f"{V}/os-keypairs/kshow", microversion=mv).json["keypair"]
        assert _types(shown) == _types(_nova(label)["keypair"])  # no private_key, type from 2.2
        assert shown["public_key"] == made["public_key"]
        assert shown["fingerprint"] == made["fingerprint"]
    for mv, label in (("2.2", "list 2.2"), ("2.1", "list 2.1")):
        (nova,) = _nova(label)["keypairs"]
        listed = world.demo.get(f"{V}/os-keypairs", microversion=mv).json["keypairs"]
        (mine,) = [k for k in listed if k["keypair"]["name"] == "kshow"]
        assert _types(mine["keypair"]) == _types(nova["keypair"])
        assert mine["keypair"]["public_key"] == made["public_key"]


@pytest.mark.parametrize(
    ("label", "mv"),
    [
        ("x509 gen 2.92", "2.92"),
        ("x509 gen 2.104", "2.104"),
        ("x509 gen 2.1 (type not allowed)", "2.1"),
    ],
)
def test_generation_refused_as_nova_refuses(label: str, mv: str) -> None:
    w = World()
    nova = ANSWERS[label]
    answer = w.create(mv, name=_requested_name(nova), type="x509")
    assert answer.status_int == nova["status"] == 400
    assert answer.json == nova["body"]
    assert w.cloud.compute.keypairs == {}


def _requested_name(answer: dict[str, Any]) -> str:
    """The key pair name the oracle sent (it is quoted back in the 400)."""
    message = answer["body"]["badRequest"]["message"]
    return message.split("'name': '")[1].split("'")[0]


def test_duplicate_name_after_generation(world: World) -> None:
    world.create("2.2", name="kdup", type="x509")
    dup = world.create("2.2", name="kdup", type="x509")
    assert dup.status_int == 409
    assert dup.json["conflictingRequest"]["message"] == "Key pair 'kdup' already exists."
    assert _nova("x509 dup 2.2")["conflictingRequest"]["message"] == (
        "Key pair 'kx22' already exists."
    )


@pytest.mark.parametrize(
    ("label", "keypair"),
    [
        ("osc: ed25519 as x509 at 2.10", {"name": "osc", "type": "x509"}),
        ("garbage x509", {"name": "g", "type": "x509"}),
        ("osc body with a certificate file", {"name": "kimp"}),
    ],
)
def test_imports_answered_like_nova(label: str, keypair: dict[str, Any]) -> None:
    """The bodies the CLI sends for ``--type x509`` (see test_openstack_cli_x509), and a
    broken certificate: Nova's texts, cryptography's error included."""
    sent = {
        "osc: ed25519 as x509 at 2.10": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZ4b3BvcnRlZC1rZXkt"
        "Zm9yLXRlc3RzLTEyMzQ1Njc4 me@host",
        "garbage x509": f"{PEM_START}AAAA\n{PEM_END}",
        "osc body with a certificate file": _nova("certificate imported as x509")["keypair"][
            "public_key"
        ],
    }[label]
    answer = World().create(ANSWERS[label]["microversion"], **keypair, public_key=sent)
    assert answer.status_int == ANSWERS[label]["status"] == 400
    assert answer.json == ANSWERS[label]["body"]


def test_nova_accepts_the_fake_certificate_with_the_same_fingerprint() -> None:
    """Nova imported a certificate the fake generated and printed the fingerprint the fake
    prints for it."""
    nova = _nova("certificate imported as x509")["keypair"]
    answer = World().create("2.10", name="kimp2", type="x509", public_key=nova["public_key"])
    assert answer.status_int == 201
    assert answer.json["keypair"]["fingerprint"] == nova["fingerprint"]
    assert "private_key" not in answer.json["keypair"]


# --- byte for byte: Nova's own certificate and bundle, rebuilt ------------------------------


def _der_children(data: bytes) -> list[tuple[int, bytes]]:
    children, at = [], 0
    while at < len(data):
        tag, size, at = data[at], data[at + 1], at + 2
        if size & 0x80:
            width = size & 0x7F
            size, at = int.from_bytes(data[at : at + width]), at + width
        children.append((tag, data[at : at + size]))
        at += size
    return children


def _at(data: bytes, *path: int) -> bytes:
    """The content of the element reached from the DER elements ``data`` by child indexes."""
    for index in path:
        data = _der_children(data)[index][1]
    return data


def _pbes2_salt_iv(algorithm: bytes) -> tuple[bytes, bytes]:
    """(PBKDF2 salt, AES IV) of a PBES2 AlgorithmIdentifier's content."""
    return _at(algorithm, 1, 0, 1, 0), _at(algorithm, 1, 1, 1)


@pytest.mark.parametrize(
    "label", ["x509 gen 2.2", "x509 gen 2.91", "x509 gen 2.10 admin for other user"]
)
def test_rebuilds_nova_bytes(label: str) -> None:
    """Given Nova's key, serial, time, salts and IVs, the fake writes Nova's exact bytes: the
    certificate (PKCS#1 v1.5 signatures are deterministic) and the whole PKCS#12."""
    nova = _nova(label)["keypair"]
    bundle = base64.b64decode(nova["private_key"])
    loaded = pkcs12.load_pkcs12(bundle, b"")
    assert loaded.cert is not None and isinstance(loaded.key, rsa.RSAPrivateKey)
    key, cert = loaded.key, loaded.cert.certificate
    mine = winrm_certificates.certificate(
        key, nova["user_id"], cert.serial_number, cert.not_valid_before_utc
    )
    assert mine.public_bytes(serialization.Encoding.PEM).decode() == nova["public_key"]
    # PFX: version, authSafe ContentInfo ([0] OCTET STRING: a SEQUENCE of ContentInfo), MacData
    safes = _at(_at(bundle, 0, 1, 1, 0), 0)
    # encryptedData ContentInfo -> [0] EncryptedData -> EncryptedContentInfo -> algorithm
    cert_salt, cert_iv = _pbes2_salt_iv(_at(safes, 0, 1, 0, 1, 1))
    # data ContentInfo -> [0] OCTET STRING -> SafeContents -> shrouded key bag -> [0]
    # EncryptedPrivateKeyInfo -> algorithm
    key_salt, key_iv = _pbes2_salt_iv(_at(safes, 1, 1, 0, 0, 0, 1, 0, 0))
    mac_salt = _at(bundle, 0, 2, 1)
    rebuilt = fake_pkcs12.bundle(
        key,
        cert,
        cert_salt=cert_salt,
        cert_iv=cert_iv,
        key_salt=key_salt,
        key_iv=key_iv,
        mac_salt=mac_salt,
    )
    assert rebuilt == bundle


# --- determinism ----------------------------------------------------------------------------


def test_same_seed_same_bytes() -> None:
    first, second = World(seed="alpha"), World(seed="alpha")
    one = first.create("2.2", name="kx", type="x509").body
    assert second.create("2.2", name="kx", type="x509").body == one
    other = World(seed="beta").create("2.2", name="kx", type="x509").json["keypair"]
    assert other["public_key"] != json.loads(one)["keypair"]["public_key"]
    # Another name (or the same name again, after a delete) is another key and certificate.
    again = first.create("2.2", name="ky", type="x509").json["keypair"]
    assert again["private_key"] != json.loads(one)["keypair"]["private_key"]


def test_validity_follows_the_scenario_clock() -> None:
    w = World()
    w.cloud.clock.advance(86400 * 3 + 0.75)
    body = w.create("2.2", name="kx", type="x509").json["keypair"]
    cert = x509.load_pem_x509_certificate(body["public_key"].encode())
    assert cert.not_valid_before_utc == w.cloud.clock.now.replace(microsecond=0)
    assert w.cloud.clock.now.microsecond == 750000
    shown = w.demo.get(f"{V}/os-keypairs/kx", microversion="2.2").json["keypair"]
    assert shown["created_at"] == w.cloud.clock.now.replace(tzinfo=None).isoformat()


# --- what Nova's openssl makes of a user id -------------------------------------------------


@pytest.mark.parametrize(("user_id", "nova"), NOVA["user_ids"], ids=repr)
def test_user_id_as_nova_openssl_reads_it(user_id: str, nova: dict[str, str]) -> None:
    try:
        subject = openssl_names.openssl_subject(user_id)
        upn = openssl_names.openssl_upn(user_id)
    except openssl_names.OpensslRefused:
        # Nova's openssl failed too (a ProcessExecutionError, or a ValueError for a NUL).
        assert set(nova) == {"error"}
        return
    assert nova == {"subject": subject.public_bytes().hex(), "upn": upn}


# Nova answers a 500 (its catch-all) when its openssl cannot take the user id an admin names;
# the fake never answers bad input with a 500 and gives the 400 of invalid key pair data.
@pytest.mark.parametrize(
    ("user_id", "reason"),
    [
        ("a/b", "openssl cannot find the '=' of a subject attribute"),
        ("x" * 65, "openssl cannot add a CN of 65 characters"),
        ("a\x00b", "a user id cannot hold a NUL character"),
    ],
)
def test_a_user_id_nova_openssl_cannot_take_is_a_400(user_id: str, reason: str) -> None:
    nova = dict(NOVA["user_ids"]).get(user_id)
    assert nova is None or set(nova) == {"error"}  # a 500 in Nova, when it was recorded
    w = World()
    answer = w.create("2.10", who="admin", name="ko", type="x509", user_id=user_id)
    assert (answer.status_int, answer.json) == (
        400,
        {"badRequest": {"code": 400, "message": f"Keypair data is invalid: {reason}"}},
    )
    assert w.cloud.compute.keypairs == {}


def test_a_user_id_nova_openssl_changes() -> None:
    w = World()
    answer = w.create("2.10", who="admin", name="ko", type="x509", user_id="a#b")
    assert answer.status_int == 201
    cert = x509.load_pem_x509_certificate(answer.json["keypair"]["public_key"].encode())
    assert _upn(cert) == "a"  # "#" starts a comment in Nova's openssl configuration
    assert cert.subject.rfc4514_string() == "CN=a#b"


# --- the real CLI -----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_openstack_cli_x509(tmp_path: Path) -> None:
    """python-openstackclient 10.5 never asks Nova to generate: it makes an ed25519 key itself
    and sends its public half; ``--type`` is dropped on the way (OSC passes ``key_type``, which
    openstacksdk 4.22's Keypair does not know), so Nova stores an ssh key, as it did for the
    same body ("osc body, no public key given"). An x509 pair made through the API shows as
    one."""
    w = World()
    with mock_cloud(world=w) as cloud:

        def run(command: str, code: int = 0) -> str:
            result = cloud.openstack(command)
            assert result.exit_code == code, result.stderr
            return result.stdout if code == 0 else result.stderr

        printed = run("keypair create --type x509 kcli")
        assert printed.startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
        assert printed.rstrip().endswith("-----END OPENSSH PRIVATE KEY-----")
        stored = w.cloud.compute.keypairs[(w.cloud.user_id("demo"), "kcli")]
        assert stored.type == "ssh" and stored.public_key.startswith("ssh-ed25519 ")
        assert _nova("osc body, no public key given")["keypair"]["type"] == "ssh"

        made = w.create("2.2", name="kapi", type="x509").json["keypair"]
        shown = json.loads(run("keypair show kapi -f json"))
        assert shown["type"] == "x509" and shown["fingerprint"] == made["fingerprint"]
        assert len(shown["fingerprint"].split(":")) == 20
        listed = json.loads(run("keypair list -f json"))
        assert {"Name": "kapi", "Fingerprint": made["fingerprint"], "Type": "x509"} in listed

        certificate = tmp_path / "cert.pem"
        certificate.write_text(made["public_key"])
        refused = run(f"keypair create --type x509 --public-key {certificate} kimp", code=1)
        message = _nova("osc body with a certificate file")["badRequest"]["message"]
        assert refused.rstrip().endswith(message)


def test_fixture_holds_sha1_fingerprints() -> None:
    """Nova's x509 fingerprints are 20 colon-separated bytes of the certificate's SHA-1."""
    nova = _nova("x509 gen 2.2")["keypair"]
    der = x509.load_pem_x509_certificate(nova["public_key"].encode()).public_bytes(
        serialization.Encoding.DER
    )
    digest = hashlib.sha1(der, usedforsecurity=False).hexdigest()
    assert nova["fingerprint"].replace(":", "") == digest
