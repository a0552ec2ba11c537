"""Staff sessions kept on the server: start, exchange a sign-in grant, resume, end.

Signing in happens in a Streamlit script, which cannot set a cookie; so it goes in two steps:

1. :func:`start` (the password was just checked) creates the session with a one-time sign-in
   *grant*: 256 random bits, stored as a SHA-256 hash, valid for ``GRANT_TTL``;
2. the browser is sent to ``/auth/session?grant=…`` (``server.py``), where
   :func:`exchange_grant` swaps the grant, once, for the session *token*: another 256 random
   bits, stored only as a hash and handed to the browser in an HttpOnly cookie.

Every new Streamlit session (a reload, a new tab) finds its user with :func:`resume` (the
cookie's token); a session already signed in re-checks itself with :func:`check` on each run.
A session ends ``absolute`` after it started, or ``idle`` after it was last used. Signing out
deletes the row (:func:`end`); a password change and a deactivation delete all the user's rows
(``core.staff.auth``). Expired rows are deleted when the next session starts.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeGuard

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import StaffSession, User
from core.db.uow import Tx, reading, writing
from core.staff.auth import StaffUser, view_user

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32  # 256 random bits, for the grant and for the token
GRANT_TTL = timedelta(seconds=60)
#: ``last_seen_at`` is written at most this often (a run per click must not write each time).
TOUCH_INTERVAL = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    absolute: timedelta  # a session ends this long after it started
    idle: timedelta  # ... or this long after it was last used
    grant_ttl: timedelta = GRANT_TTL

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionPolicy:
        return cls(
            absolute=timedelta(hours=settings.staff_session_hours),
            idle=timedelta(minutes=settings.staff_session_idle_minutes),
        )


@dataclass(frozen=True)
class SessionUser:
    """A live session and who it belongs to."""

    session_id: int
    user: StaffUser


@dataclass(frozen=True)
class StartedSession:
    session_id: int
    user_id: int
    grant: str  # the raw one-time grant: send it to the browser, never store it
    grant_expires_at: datetime


@dataclass(frozen=True)
class IssuedToken:
    session_id: int
    token: str  # the raw token for the cookie, never stored
    expires_at: datetime  # the cookie's expiry: the session's absolute end


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _plausible(raw: str | None) -> TypeGuard[str]:
    """A token or grant worth looking up (43 url-safe characters; anything else is refused)."""
    return raw is not None and 32 <= len(raw) <= 128


def start(
    db: Tx, *, user_id: int, now: datetime, policy: SessionPolicy, address: str = ""
) -> StartedSession:
    """Open a session for a user whose password was just checked; return its one-time grant."""
    grant = _new_secret()
    with writing(db) as session:
        _purge_expired(session, now, policy)
        row = StaffSession(
            user_id=user_id,
            grant_hash=hash_secret(grant),
            grant_expires_at=now + policy.grant_ttl,
            address=(address or "")[:64],
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.absolute,
        )
        session.add(row)
        session.flush()
        return StartedSession(row.id, user_id, grant, now + policy.grant_ttl)


def exchange_grant(
    db: Tx, grant: str | None, *, now: datetime, policy: SessionPolicy
) -> IssuedToken | None:
    """Swap a sign-in grant, once and before it expires, for the session's cookie token.

    None when the grant is unknown, used, expired, or its session ended meanwhile."""
    if not _plausible(grant):
        return None
    token = _new_secret()
    with writing(db) as session:
        # One conditional UPDATE: of two racing exchanges of one grant, exactly one wins.
        claimed = session.execute(
            update(StaffSession)
            .where(StaffSession.grant_hash == hash_secret(grant))
            .where(StaffSession.grant_expires_at > now)
            .values(grant_hash=None, grant_expires_at=None, token_hash=hash_secret(token))
            .returning(StaffSession.id)
        ).scalar_one_or_none()
        if claimed is None:
            return None
        row = session.get(StaffSession, claimed)
        if row is None or _live_user(session, row, now, policy) is None:
            return None
        return IssuedToken(claimed, token, row.expires_at)


def resume(
    db: Tx, token: str | None, *, now: datetime, policy: SessionPolicy
) -> SessionUser | None:
    """The session a cookie's token belongs to, if it is still live (and mark it used)."""
    if not _plausible(token):
        return None
    return _find(db, StaffSession.token_hash == hash_secret(token), now, policy)


def check(db: Tx, session_id: int, *, now: datetime, policy: SessionPolicy) -> SessionUser | None:
    """Re-check a session this Streamlit session already holds (and mark it used)."""
    return _find(db, StaffSession.id == session_id, now, policy)


def _find(
    db: Tx, where: ColumnElement[bool], now: datetime, policy: SessionPolicy
) -> SessionUser | None:
    """Read first (every page run asks); write only to mark it used or to delete it."""
    with reading(db) as session:
        row = session.scalars(select(StaffSession).where(where)).first()
        found, needs_write = _judge(session, row, now, policy)
        if not needs_write:
            return found
    with writing(db) as session:
        row = session.scalars(select(StaffSession).where(where)).first()
        return _live_user(session, row, now, policy)


def end(db: Tx, *, session_id: int | None = None, token: str | None = None) -> bool:
    """Sign out: delete the session (by id, or by its cookie's token). True if one ended."""
    conditions = []
    if session_id is not None:
        conditions.append(StaffSession.id == session_id)
    if _plausible(token):
        conditions.append(StaffSession.token_hash == hash_secret(token))
    if not conditions:
        return False
    with writing(db) as session:
        result = session.execute(delete(StaffSession).where(or_(*conditions)))
        return bool(getattr(result, "rowcount", 0))


def _judge(
    session: Session, row: StaffSession | None, now: datetime, policy: SessionPolicy
) -> tuple[SessionUser | None, bool]:
    """(the live session, or None; whether the row must be written: marked used or deleted)"""
    if row is None:
        return None, False
    user = session.get(User, row.user_id)
    expired = now >= row.expires_at or now >= row.last_seen_at + policy.idle
    if expired or user is None or not user.is_active:
        return None, True
    return SessionUser(row.id, view_user(user)), now - row.last_seen_at >= TOUCH_INTERVAL


def _live_user(
    session: Session, row: StaffSession | None, now: datetime, policy: SessionPolicy
) -> SessionUser | None:
    """The row's session if it is live (marked used); an ended session's row is deleted."""
    found, needs_write = _judge(session, row, now, policy)
    if row is not None and found is None:
        logger.info("staff session %s ended (expired, or the user was deactivated)", row.id)
        session.delete(row)
    elif row is not None and needs_write:
        row.last_seen_at = now
    return found


def _purge_expired(session: Session, now: datetime, policy: SessionPolicy) -> None:
    session.execute(
        delete(StaffSession).where(
            or_(StaffSession.expires_at <= now, StaffSession.last_seen_at <= now - policy.idle)
        )
    )
