"""Webhook signatures: what a receiver accepts and refuses (table-driven)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from core.integrations.signing import new_secret, sign, verify

SECRET = "whsec_test"
BODY = b'{"event":"review.decided","id":"evt_1"}'
NOW = 1_790_000_000


def test_the_signature_is_hmac_sha256_of_the_timestamp_and_the_body() -> None:
    mac = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == f"v1={mac}"


@pytest.mark.parametrize(
    ("case", "signature", "timestamp", "body", "now", "accepted"),
    [
        ("as sent", sign(SECRET, NOW, BODY), str(NOW), BODY, NOW, True),
        ("four minutes late", sign(SECRET, NOW, BODY), str(NOW), BODY, NOW + 240, True),
        ("among several", f"v1=00, {sign(SECRET, NOW, BODY)}", str(NOW), BODY, NOW, True),
        ("six minutes late", sign(SECRET, NOW, BODY), str(NOW), BODY, NOW + 360, False),
        ("from the future", sign(SECRET, NOW, BODY), str(NOW), BODY, NOW - 360, False),
        ("body changed", sign(SECRET, NOW, BODY), str(NOW), BODY + b" ", NOW, False),
        ("timestamp moved", sign(SECRET, NOW, BODY), str(NOW + 1), BODY, NOW, False),
        ("other secret", sign("whsec_other", NOW, BODY), str(NOW), BODY, NOW, False),
        ("no scheme", sign(SECRET, NOW, BODY)[3:], str(NOW), BODY, NOW, False),
        ("empty", "", str(NOW), BODY, NOW, False),
        ("not a number", sign(SECRET, NOW, BODY), "yesterday", BODY, NOW, False),
    ],
)
def test_verify(
    case: str, signature: str, timestamp: str, body: bytes, now: int, accepted: bool
) -> None:
    got = verify(SECRET, signature=signature, timestamp=timestamp, body=body, now=now)
    assert got is accepted, case


def test_secrets_are_random_and_long() -> None:
    made = {new_secret() for _ in range(50)}
    assert len(made) == 50
    assert all(s.startswith("whsec_") and len(s) >= 40 for s in made)
