"""Staff accounts: login with rate limiting, user management (hashing: core.staff.passwords)."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.db.models import AuthAttempt, User
from core.db.uow import Tx, reading, writing
from core.domain import Role
from core.errors import IntervistaError
from core.staff import passwords
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, StaffPrincipal, require_given

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
LOGIN_FAILED = "Email or password is incorrect."
LOGIN_THROTTLED = "Too many failed sign-in attempts. Wait a few minutes and try again."


class AuthError(IntervistaError, ValueError):
    """A user-facing problem with an account operation; the message is safe to show."""

    code = "auth_refused"


@dataclass(frozen=True)
class StaffUser:
    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    last_login_at: datetime | None


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    error: str | None


def _view(user: User) -> StaffUser:
    return StaffUser(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=Role(user.role),
        is_active=user.is_active,
        last_login_at=user.last_login_at,
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return passwords.hash_password(password)


def validate_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    db: Tx,
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    actor_id: int | None,
    principal: Principal | None = None,
) -> StaffUser:
    """Add a staff user. ``principal``, when given, must be allowed ``MANAGE_USERS``."""
    require_given(principal, Action.MANAGE_USERS)
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise AuthError(f"{email!r} is not a valid email address.")
    if not full_name.strip():
        raise AuthError("A full name is required.")
    validate_new_password(password)
    try:
        with writing(db) as session:
            user = User(
                email=email,
                full_name=full_name.strip(),
                role=role,
                password_hash=hash_password(password),
            )
            session.add(user)
            session.flush()
            record_audit(session, actor_id, "user.create", "user", user.id, {"role": role.value})
            return _view(user)
    except IntegrityError as exc:
        raise AuthError(f"A user with the email {email} already exists.") from exc


def set_password(
    db: Tx, *, email: str, password: str, actor_id: int | None, principal: Principal | None = None
) -> StaffUser:
    """Reset a password. ``principal``, when given, needs ``MANAGE_USERS`` for someone else's
    account and ``MANAGE_OWN_ACCOUNT`` for their own."""
    require_given(principal, Action.MANAGE_OWN_ACCOUNT)  # every staff member may ask at all
    validate_new_password(password)
    with writing(db) as session:
        user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
        own = (
            isinstance(principal, StaffPrincipal)
            and user is not None
            and principal.user_id == user.id
        )
        if not own:  # someone else's (or no such) account: administrators only
            require_given(principal, Action.MANAGE_USERS)
        if user is None:
            raise AuthError(f"No user with the email {email}.")
        user.password_hash = hash_password(password)
        record_audit(session, actor_id, "user.password_reset", "user", user.id)
        return _view(user)


def set_active(
    db: Tx, *, user_id: int, active: bool, actor_id: int | None, principal: Principal | None = None
) -> StaffUser:
    """(De)activate a user. ``principal``, when given, must be allowed ``MANAGE_USERS``."""
    require_given(principal, Action.MANAGE_USERS)
    with writing(db) as session:
        user = session.get(User, user_id)
        if user is None:
            raise AuthError("That user no longer exists.")
        if user_id == actor_id and not active:
            raise AuthError("You cannot deactivate your own account.")
        user.is_active = active
        action = "user.activate" if active else "user.deactivate"
        record_audit(session, actor_id, action, "user", user.id)
        return _view(user)


def list_users(db: Tx) -> list[StaffUser]:
    with reading(db) as session:
        return [_view(u) for u in session.scalars(select(User).order_by(User.email))]


def get_user(db: Tx, user_id: int) -> StaffUser | None:
    with reading(db) as session:
        user = session.get(User, user_id)
        return _view(user) if user is not None and user.is_active else None


def _recent_failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> int:
    stmt = select(func.count(AuthAttempt.id)).where(
        AuthAttempt.kind == "staff_login",
        column == value,
        AuthAttempt.succeeded.is_(False),
        AuthAttempt.at >= since,
    )
    return int(session.scalar(stmt) or 0)


def authenticate(
    db: Tx,
    *,
    email: str,
    password: str,
    address: str,
    now: datetime,
    max_failures: int,
    window_seconds: int,
) -> LoginResult:
    """Check a sign-in. Failures are generic and rate-limited per account and per address."""
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    since = now - timedelta(seconds=window_seconds)
    with writing(db) as session:
        throttled = (
            _recent_failures(session, AuthAttempt.subject, email, since) >= max_failures
            or _recent_failures(session, AuthAttempt.address, address, since) >= max_failures * 4
        )
        if throttled:
            session.add(AuthAttempt(kind="staff_login", subject=email, address=address, at=now))
            logger.warning("sign-in throttled for %s from %s", email, address)
            return LoginResult(None, LOGIN_THROTTLED)
        user = session.scalars(select(User).where(User.email == email)).first()
        # Unknown accounts check a real (dummy) hash too: they cost what known ones cost.
        ok = passwords.verify_password(
            user.password_hash if user else passwords.dummy_hash(), password
        )
        ok = ok and user is not None and user.is_active
        session.add(
            AuthAttempt(kind="staff_login", subject=email, address=address, succeeded=ok, at=now)
        )
        if not ok or user is None:
            return LoginResult(None, LOGIN_FAILED)
        user.last_login_at = now
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        record_audit(session, user.id, "auth.login", "user", user.id, {"address": address})
        return LoginResult(_view(user), None)
