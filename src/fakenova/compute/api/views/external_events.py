"""``os-server-external-events`` bodies: each event as sent, with its status and code."""

from __future__ import annotations

from typing import Any

ACCEPTED = 200


def answered(sent: list[dict[str, Any]], codes: list[int]) -> dict[str, Any]:
    """An accepted event is ``completed`` whatever status it was sent with; the others
    ``failed``."""
    return {
        "events": [
            event | {"status": "completed" if code == ACCEPTED else "failed", "code": code}
            for event, code in zip(sent, codes, strict=True)
        ]
    }
