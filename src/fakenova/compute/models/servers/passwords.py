"""The passwords Nova generates for a server (create, rebuild, rescue, evacuate).

Nova's ``nova.utils.generate_password`` draws 12 characters from an alphabet without the
look-alikes (no 0, 1, I, O, l), with at least one digit, one upper and one lower case
letter. The fake draws from the cloud's seeded id source, per server and purpose, so a page
shows the same password on every run.
"""

from __future__ import annotations

from fakenova.determinism import IdSource

PASSWORD_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
PASSWORD_GROUPS = ("23456789", "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz")


def nova_password(token: str) -> str:
    """``token`` with at least one character of each of Nova's symbol groups (digits,
    upper and lower case), as ``nova.utils.generate_password`` guarantees: a missing group
    takes the place of a character whose group occurs more than once. Unchanged otherwise."""
    chars = list(token)
    for group in PASSWORD_GROUPS:
        if any(c in group for c in chars):
            continue
        counts = {g: sum(c in g for c in chars) for g in PASSWORD_GROUPS}
        index = next(i for i, c in enumerate(chars) if counts[_group(c)] > 1)
        chars[index] = group[ord(chars[index]) % len(group)]
    return "".join(chars)


def _group(char: str) -> str:
    return next(g for g in PASSWORD_GROUPS if char in g)


def generate(ids: IdSource, purpose: str, server_id: str) -> str:
    """The password Nova would generate, stable per server and purpose."""
    return nova_password(ids.token(purpose, server_id, 12, PASSWORD_ALPHABET))
