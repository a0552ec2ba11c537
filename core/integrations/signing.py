"""Webhook signatures: how we sign a delivery, and how a receiver checks one.

Every webhook request carries::

    X-Intervista-Timestamp: 1733212800                     (Unix seconds, when it was sent)
    X-Intervista-Signature: v1=<hex HMAC-SHA256(secret, b"<timestamp>." + body)>

The timestamp is inside the signed content, so a captured request cannot be replayed later
with a fresh timestamp; receivers reject timestamps outside a tolerance (five minutes by
default). ``verify`` accepts a header holding several ``v1=`` values separated by commas, so
receivers written against it keep working if a later version signs with two secrets at once.

Pure functions, no I/O: used by the delivery worker and by ``verify`` in receivers and tests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "v1"
SIGNATURE_HEADER = "X-Intervista-Signature"
TIMESTAMP_HEADER = "X-Intervista-Timestamp"
EVENT_HEADER = "X-Intervista-Event"
DELIVERY_HEADER = "X-Intervista-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    """A fresh endpoint secret (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def verify(
    secret: str,
    *,
    signature: str,
    timestamp: str,
    body: bytes,
    now: float,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when ``signature`` (the header) signs ``body`` at ``timestamp`` (the header) with
    ``secret`` and the timestamp is within ``tolerance_seconds`` of ``now`` (Unix seconds)."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent_at) > tolerance_seconds:
        return False
    expected = sign(secret, sent_at, body)
    offered = [part.strip() for part in signature.split(",")]
    return any(hmac.compare_digest(expected, part) for part in offered if part)
