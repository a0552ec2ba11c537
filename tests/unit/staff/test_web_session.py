"""What the browser sees of a staff session: where a sign-in may send it, and cookie flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest

from core.staff.web import cookie_secure, safe_next_path, session_cookie

CookieMode = Literal["auto", "always", "never"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/review?interview=3", "/review?interview=3"),
        ("/", "/"),
        ("/interviews", "/interviews"),
        ("/review?interview=3#frag", "/review?interview=3"),
        (None, "/"),
        ("", "/"),
        ("review", "/"),  # relative: not a path on this site
        ("//evil.example/x", "/"),  # protocol-relative: another site
        ("///evil.example", "/"),
        ("/\\evil.example", "/"),  # browsers read \ as /
        ("\\\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/review\r\nSet-Cookie: x=1", "/"),  # header injection
        ("/review\x00", "/"),
        ("/auth/sign-out", "/"),  # never our own auth routes
        ("/auth/session?grant=x", "/"),
        ("/_stcore/health", "/"),
        ("/" + "a" * 3000, "/"),
    ],
)
def test_next_is_a_path_on_this_site_or_home(value: str | None, expected: str) -> None:
    assert safe_next_path(value) == expected


@pytest.mark.parametrize(
    ("mode", "scheme", "base", "secure"),
    [
        ("auto", "http", "http://127.0.0.1:8501", False),
        ("auto", "https", "http://127.0.0.1:8501", True),  # TLS here or a trusted proxy's
        ("auto", "http", "https://interviews.example.com", True),  # public address is https
        ("always", "http", "http://127.0.0.1:8501", True),
        ("never", "https", "https://interviews.example.com", False),
    ],
)
def test_secure_flag(mode: CookieMode, scheme: str, base: str, secure: bool) -> None:
    assert cookie_secure(mode, scheme, base) is secure


def test_cookie_expires_with_the_session() -> None:
    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    spec = session_cookie(secure=True, expires_at=now + timedelta(hours=12), now=now)
    assert (spec.max_age, spec.expires, spec.httponly, spec.samesite, spec.path) == (
        12 * 3600,
        now + timedelta(hours=12),
        True,
        "lax",
        "/",
    )
