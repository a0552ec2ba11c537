"""Who calls the HTTP API: staff with tokens from ``POST /api/v1/auth/login/``, integrations
with an organisation's API key.

Tokens are opaque: 256 random bits with a short prefix that names their kind (``iva_`` access,
``ivr_`` refresh, ``ivk_`` API key), stored only as SHA-256 hashes, so a leaked database holds
nothing that opens the API. An access token lives ``api_access_token_minutes``; the refresh token
``api_refresh_token_days``, and each refresh replaces both (the old refresh token stops working).
Signing out deletes the pair; a password change or a deactivation deletes all of a user's
(``core.staff.auth``), and every use re-checks that the user is still active.

Credentials that open nothing count against their address (``AuthAttempt`` rows of kind
``api_credential``); past ``api_key_max_failures`` in 15 minutes that address waits longer and
longer (2 s, doubling, at most 15 minutes) before its next unknown credential is even looked at
— answered 429 with ``Retry-After``. A valid credential is always answered on its own merits.
Passwords go through the sign-in's own throttle (``core.staff.auth.authenticate``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from core.config import Settings
from core.db.models import ApiKey, ApiToken, AuthAttempt, User
from core.db.uow import Tx, reading, writing
from core.errors import IntervistaError, NotFound
from core.staff.audit import record_audit
from core.staff.auth import StaffUser, authenticate, view_user
from core.staff.permissions import (
    API_KEY_SCOPES,
    DEFAULT_API_KEY_SCOPES,
    Action,
    ApiKeyPrincipal,
    Principal,
    require_given,
)
from core.staff.throttle import Backoff, FailureRecord, LoginThrottle, wait_seconds

logger = logging.getLogger(__name__)

ACCESS_PREFIX, REFRESH_PREFIX, KEY_PREFIX = "iva_", "ivr_", "ivk_"
_TOKEN = re.compile(r"^iv[ar]_[A-Za-z0-9_-]{43}$")
_KEY = re.compile(r"^ivk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$")
CREDENTIAL_KIND = "api_credential"
FAILURE_WINDOW = timedelta(minutes=15)
USE_RECORD_INTERVAL = timedelta(minutes=1)
MAX_KEY_NAME = 100


class ApiAuthError(IntervistaError):
    """No valid credential: 401. The message never says which part was wrong."""

    code = "not_authenticated"
    status = 401


class Throttled(IntervistaError):
    """Too many failures from this address: 429 with ``retry_after`` seconds."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ApiKeyError(IntervistaError, ValueError):
    code = "api_key_invalid"


@dataclass(frozen=True)
class TokenPair:
    access: str  # raw: returned once, never stored
    refresh: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    user: StaffUser


@dataclass(frozen=True)
class CreatedApiKey:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    expires_at: datetime | None
    key: str  # raw: shown once, never stored


@dataclass(frozen=True)
class ApiKeyView:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def _backoff(settings: Settings) -> Backoff:
    return Backoff(
        free=settings.api_key_max_failures,
        base_seconds=2.0,
        cap_seconds=FAILURE_WINDOW.total_seconds(),
    )


def _address(address: str) -> str:
    return (address or "unknown")[:64]


def _wait(db: Tx, settings: Settings, address: str, now: datetime) -> int:
    with reading(db) as session:
        count, last = session.execute(
            select(func.count(AuthAttempt.id), func.max(AuthAttempt.at)).where(
                AuthAttempt.kind == CREDENTIAL_KIND,
                AuthAttempt.address == address,
                AuthAttempt.succeeded.is_(False),
                AuthAttempt.at >= now - FAILURE_WINDOW,
            )
        ).one()
    return wait_seconds(_backoff(settings), FailureRecord(int(count or 0), last), now)


def _refuse(db: Tx, settings: Settings, address: str, now: datetime, message: str) -> ApiAuthError:
    """Record a credential that opened nothing (unless the address must wait: then 429)."""
    wait = _wait(db, settings, address, now)
    if wait > 0:
        logger.warning("API credentials from %s delayed %ss", address, wait)
        raise Throttled(f"Too many failed attempts. Wait {wait} seconds and try again.", wait)
    with writing(db) as session:
        session.add(AuthAttempt(kind=CREDENTIAL_KIND, address=address, succeeded=False, at=now))
    return ApiAuthError(message)


# --- staff tokens ------------------------------------------------------------------------------


def login(
    db: Tx, settings: Settings, *, email: str, password: str, address: str, now: datetime
) -> TokenPair:
    """Check a staff member's password (the sign-in page's own throttle) and issue a pair."""
    result = authenticate(
        db,
        email=email,
        password=password,
        address=_address(address),
        now=now,
        throttle=LoginThrottle.from_settings(settings),
    )
    if result.retry_after_seconds > 0:
        raise Throttled(result.error or "Too many attempts.", result.retry_after_seconds)
    if result.user is None:
        raise ApiAuthError(result.error or "Email or password is incorrect.", code="login_failed")
    access, refresh = _new(ACCESS_PREFIX), _new(REFRESH_PREFIX)
    access_until = now + timedelta(minutes=settings.api_access_token_minutes)
    refresh_until = now + timedelta(days=settings.api_refresh_token_days)
    with writing(db) as session:
        session.execute(delete(ApiToken).where(ApiToken.refresh_expires_at <= now))
        session.add(
            ApiToken(
                user_id=result.user.id,
                access_hash=hash_secret(access),
                access_expires_at=access_until,
                refresh_hash=hash_secret(refresh),
                refresh_expires_at=refresh_until,
                address=_address(address),
                created_at=now,
            )
        )
    return TokenPair(access, refresh, access_until, refresh_until, result.user)


def refresh(
    db: Tx, settings: Settings, *, refresh_token: str, address: str, now: datetime
) -> TokenPair:
    """Swap a live refresh token for a new pair; the old refresh and access tokens stop."""
    address = _address(address)
    access, new_refresh = _new(ACCESS_PREFIX), _new(REFRESH_PREFIX)
    access_until = now + timedelta(minutes=settings.api_access_token_minutes)
    refresh_until = now + timedelta(days=settings.api_refresh_token_days)
    user: StaffUser | None = None
    if _TOKEN.match(refresh_token or "") and refresh_token.startswith(REFRESH_PREFIX):
        with writing(db) as session:
            # One conditional UPDATE: of two racing refreshes with one token, one wins.
            token_id = session.execute(
                update(ApiToken)
                .where(ApiToken.refresh_hash == hash_secret(refresh_token))
                .where(ApiToken.refresh_expires_at > now)
                .values(
                    access_hash=hash_secret(access),
                    access_expires_at=access_until,
                    refresh_hash=hash_secret(new_refresh),
                    refresh_expires_at=refresh_until,
                    last_used_at=now,
                )
                .returning(ApiToken.user_id)
            ).scalar_one_or_none()
            row = session.get(User, token_id) if token_id is not None else None
            if row is not None and row.is_active:
                user = view_user(row)
    if user is None:
        raise _refuse(db, settings, address, now, "The refresh token is not valid.")
    return TokenPair(access, new_refresh, access_until, refresh_until, user)


def logout(db: Tx, *, access_token: str) -> bool:
    """End the pair this access token belongs to. True if there was one."""
    if not _TOKEN.match(access_token or ""):
        return False
    with writing(db) as session:
        result = session.execute(
            delete(ApiToken).where(ApiToken.access_hash == hash_secret(access_token))
        )
        return bool(getattr(result, "rowcount", 0))


def resolve_bearer(
    db: Tx, settings: Settings, token: str, *, address: str, now: datetime
) -> StaffUser:
    """The active staff member a live access token belongs to, or ApiAuthError/Throttled."""
    address = _address(address)
    found: StaffUser | None = None
    if _TOKEN.match(token or "") and token.startswith(ACCESS_PREFIX):
        with reading(db) as session:
            row = session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.access_hash == hash_secret(token))
            ).first()
            if row is not None and row[0].access_expires_at > now and row[1].is_active:
                found = view_user(row[1])
                stale = row[0].last_used_at is None or (
                    now - row[0].last_used_at >= USE_RECORD_INTERVAL
                )
                token_id = row[0].id
        if found is not None and stale:
            with writing(db) as session:
                session.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
    if found is None:
        raise _refuse(db, settings, address, now, "The access token is not valid or has expired.")
    return found


# --- API keys ----------------------------------------------------------------------------------


def clean_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(s.strip().lower() for s in scopes if s.strip()))
    unknown = [s for s in chosen if s not in API_KEY_SCOPES]
    if unknown:
        raise ApiKeyError(
            f"Unknown scope {', '.join(unknown)}; choose from {', '.join(API_KEY_SCOPES)}.",
            code="api_key_scope_unknown",
        )
    return chosen or DEFAULT_API_KEY_SCOPES


def _view(k: ApiKey) -> ApiKeyView:
    return ApiKeyView(
        k.id,
        k.name,
        k.prefix,
        tuple(k.scopes),
        k.created_at,
        k.expires_at,
        k.revoked_at,
        k.last_used_at,
    )


def create_api_key(
    db: Tx,
    *,
    name: str,
    scopes: Iterable[str] = (),
    now: datetime,
    expires_days: float | None = None,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> CreatedApiKey:
    """A new key (its text returned once). Administrators only (``MANAGE_INTEGRATIONS``)."""
    require_given(principal, Action.MANAGE_INTEGRATIONS)
    name = " ".join(name.split())
    if not name or len(name) > MAX_KEY_NAME:
        raise ApiKeyError(f"A key needs a name of 1 to {MAX_KEY_NAME} characters.")
    if expires_days is not None and not 0 < expires_days <= 3650:
        raise ApiKeyError("A key expires after more than 0 and at most 3650 days (or never).")
    chosen = clean_scopes(scopes)
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires = now + timedelta(days=expires_days) if expires_days else None
    with writing(db) as session:
        row = ApiKey(
            name=name,
            prefix=prefix,
            key_hash=hash_secret(raw),
            scopes=list(chosen),
            created_by_id=actor_id,
            created_at=now,
            expires_at=expires,
        )
        session.add(row)
        session.flush()
        record_audit(
            session, actor_id, "api_key.create", "api_key", row.id, {"scopes": list(chosen)}
        )
        return CreatedApiKey(row.id, name, prefix, chosen, expires, raw)


def revoke_api_key(
    db: Tx,
    key_id: int,
    *,
    now: datetime,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> ApiKeyView:
    require_given(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        row = session.get(ApiKey, key_id, with_for_update=True)
        if row is None:
            raise NotFound(f"There is no API key #{key_id}.")
        if row.revoked_at is None:
            row.revoked_at = now
            record_audit(session, actor_id, "api_key.revoke", "api_key", row.id)
        return _view(row)


def list_api_keys(db: Tx, *, principal: Principal | None = None) -> list[ApiKeyView]:
    require_given(principal, Action.MANAGE_INTEGRATIONS)
    with reading(db) as session:
        return [_view(k) for k in session.scalars(select(ApiKey).order_by(ApiKey.id.desc()))]


def resolve_api_key(
    db: Tx, settings: Settings, raw: str, *, address: str, now: datetime
) -> ApiKeyPrincipal:
    """The principal of a live key (its scopes), or ApiAuthError/Throttled."""
    address = _address(address)
    found: ApiKeyPrincipal | None = None
    if _KEY.match(raw or ""):
        with reading(db) as session:
            row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_secret(raw))).first()
            live = (
                row is not None
                and row.revoked_at is None
                and (row.expires_at is None or row.expires_at > now)
            )
            if row is not None and live:
                found = ApiKeyPrincipal(key_id=row.id, scopes=tuple(row.scopes))
                stale = row.last_used_at is None or now - row.last_used_at >= USE_RECORD_INTERVAL
        if found is not None and stale:
            with writing(db) as session:
                session.execute(
                    update(ApiKey).where(ApiKey.id == found.key_id).values(last_used_at=now)
                )
    if found is None:
        raise _refuse(db, settings, address, now, "The API key is not valid.")
    return found
