"""What a browser sees of a staff session: the cookie, the two routes, and safe redirects.

No web framework here: ``server.py`` serves the routes with Starlette and the pages send the
browser to them (``core/ui/session.py``); both take their names and rules from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

COOKIE_NAME = "intervista_session"
#: GET ?grant=…&next=…: exchanges a one-time sign-in grant for the session cookie.
GRANT_PATH = "/auth/session"
#: POST: ends the cookie's session and clears the cookie.
SIGN_OUT_PATH = "/auth/sign-out"
MAX_NEXT_LENGTH = 2000
_NOT_NEXT = ("/auth/", "/_stcore/", "/media/", "/component/", "/static/")


def safe_next_path(value: str | None) -> str:
    """``value`` if it is a path on this site ("/review?interview=3"), else "/".

    Refuses anything a browser could read as another site ("//evil", "/\\evil",
    "https://evil", "javascript:…"), control characters, and our own auth routes."""
    if not value or len(value) > MAX_NEXT_LENGTH:
        return "/"
    if value.startswith("//") or "\\" in value:  # "//x", "///x": another host to a browser
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "/"
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "/"
    if parts.path.startswith("//") or parts.path.startswith(_NOT_NEXT):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class CookieSpec:
    """The session cookie's attributes (Starlette's ``set_cookie`` keywords)."""

    secure: bool
    expires: datetime | None
    max_age: int | None
    httponly: bool = True
    samesite: Literal["lax"] = "lax"
    path: str = "/"


def cookie_secure(mode: Literal["auto", "always", "never"], scheme: str, base_url: str) -> bool:
    """Secure flag: ``auto`` sets it when the request came over https (directly, or through a
    trusted proxy's X-Forwarded-Proto) or the site's public address is https."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return scheme in {"https", "wss"} or base_url.startswith("https://")


def session_cookie(*, secure: bool, expires_at: datetime, now: datetime) -> CookieSpec:
    """The cookie carrying a session token until the session's absolute end."""
    return CookieSpec(
        secure=secure,
        expires=expires_at,
        max_age=max(0, int((expires_at - now).total_seconds())),
    )
