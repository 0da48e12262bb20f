"""What Nova's ``openssl`` makes of a user id in the certificate of a generated x509 key pair.

Nova hands ``/CN=<user id>`` to ``openssl req -subj`` and writes ``<user id>@localhost`` into an
OpenSSL configuration file, so a user id an admin names (microversion 2.10) goes through two
parsers, which change some ids (comments, quotes, escapes, variables, Latin-1) and fail on
others. Nova lets those failures escape as a 500; the fake answers them with the 400 of
invalid key pair data instead (a fake never answers bad input with a 500), so
:class:`OpensslRefused` carries the reason.
"""

from __future__ import annotations

import warnings

from cryptography import x509
from cryptography.x509.oid import NameOID


class OpensslRefused(ValueError):
    """A user id Nova's openssl cannot take (Nova: a 500)."""


# The two parsers, as OpenSSL 3.0 runs them (checked against Nova 34 with 86 odd user ids): the
# subject parser splits at ``/`` (a new attribute) and ``+`` (a multi-valued RDN) and unescapes
# ``\x``; the configuration parser drops ``#`` comments, removes quotes, unescapes (``\n``
# ``\r`` ``\t`` ``\b`` become control characters), expands ``$variables`` (only the file's own
# two values exist), and the subject alternative name list splits at ``,``. Both read the UTF-8
# bytes as Latin-1 (no ``-utf8``), so ``é`` becomes ``Ã©``. Not modelled (refused instead):
# ``${ENV::NAME}``, which OpenSSL reads from nova-api's environment; a comma followed by another
# valid general name (``a,DNS:x``); subject attribute names beyond the common ones below, which
# are skipped as OpenSSL skips the names it does not know.
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


def _openssl_failed(what: str) -> OpensslRefused:
    return OpensslRefused(f"openssl cannot {what}")


def _as_openssl_reads(text: str) -> str:
    """The user id's UTF-8 bytes, one character each, as OpenSSL's ASCII input mode reads
    them; a NUL cannot reach the command at all."""
    if "\0" in text:
        raise OpensslRefused("a user id cannot hold a NUL character")
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
