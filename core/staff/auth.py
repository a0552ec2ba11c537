"""Staff accounts: sign-in with growing delays after failures (core.staff.throttle), user
management (hashing: core.staff.passwords). Changing a password or deactivating an account ends
the user's sessions (core.staff.sessions)."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db.models import ApiToken, AuthAttempt, StaffSession, User
from core.db.uow import Tx, reading, writing
from core.domain import Role
from core.errors import IntervistaError
from core.staff import password_policy, passwords
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, StaffPrincipal, require_given
from core.staff.throttle import FailureRecord, LoginThrottle, describe_wait

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = password_policy.MIN_LENGTH
MAX_PASSWORD_LENGTH = password_policy.MAX_LENGTH
LOGIN_FAILED = "Email or password is incorrect."
LOGIN_THROTTLED = "Too many failed sign-in attempts. Wait {wait} and try again."
LOGIN_KIND = "staff_login"


class AuthError(IntervistaError, ValueError):
    """A user-facing problem with an account operation; the message is safe to show."""

    code = "auth_refused"


class PasswordRejected(AuthError):
    """A new password breaks the policy (core.staff.password_policy). ``code`` names the rule
    (``password_too_short``, ``password_common`` …); the message says what to change."""

    code = "password_rejected"


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
    retry_after_seconds: int = 0  # > 0: throttled, the password was not even checked


def view_user(user: User) -> StaffUser:
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


def validate_new_password(password: str, *, email: str = "") -> None:
    """Refuse a new password that breaks the policy, with the rule's code and message.

    The one check every entry point uses (the pages, the command line and the HTTP API, through
    ``create_user`` and ``set_password`` or directly); it runs before any hashing, and looks at
    nothing but the length of an over-long password."""
    found = password_policy.problem(password, email=normalise_email(email))
    if found is not None:
        raise PasswordRejected(found.message, code=found.code)


def generate_password() -> str:
    """16 random URL-safe characters (96 bits) that the policy accepts."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_policy.problem(password) is None:
            return password


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
    validate_new_password(password, email=email)
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
            return view_user(user)
    except IntegrityError as exc:
        raise AuthError(f"A user with the email {email} already exists.") from exc


def set_password(
    db: Tx, *, email: str, password: str, actor_id: int | None, principal: Principal | None = None
) -> StaffUser:
    """Reset a password. ``principal``, when given, needs ``MANAGE_USERS`` for someone else's
    account and ``MANAGE_OWN_ACCOUNT`` for their own."""
    require_given(principal, Action.MANAGE_OWN_ACCOUNT)  # every staff member may ask at all
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
        validate_new_password(password, email=user.email)
        user.password_hash = hash_password(password)
        ended = _end_sessions(session, user.id)
        record_audit(
            session, actor_id, "user.password_reset", "user", user.id, {"sessions_ended": ended}
        )
        return view_user(user)


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
        if active:
            record_audit(session, actor_id, "user.activate", "user", user.id)
        else:
            ended = _end_sessions(session, user.id)
            details = {"sessions_ended": ended}
            record_audit(session, actor_id, "user.deactivate", "user", user.id, details)
        return view_user(user)


def _end_sessions(session: Session, user_id: int) -> int:
    """Delete every session of the user (their cookies and API tokens stop working); how many
    browser sessions there were."""
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    result = session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def list_users(db: Tx) -> list[StaffUser]:
    with reading(db) as session:
        return [view_user(u) for u in session.scalars(select(User).order_by(User.email))]


def get_user(db: Tx, user_id: int) -> StaffUser | None:
    with reading(db) as session:
        user = session.get(User, user_id)
        return view_user(user) if user is not None and user.is_active else None


def _failures(
    session: Session, key: ColumnElement[bool], since: datetime, after: datetime | None = None
) -> FailureRecord:
    """Failed sign-ins matching ``key`` since ``since`` (and after ``after``, a success): how
    many, and the last one's time."""
    stmt = select(func.count(AuthAttempt.id), func.max(AuthAttempt.at)).where(
        AuthAttempt.kind == LOGIN_KIND,
        key,
        AuthAttempt.succeeded.is_(False),
        AuthAttempt.at >= since,
    )
    if after is not None:
        stmt = stmt.where(AuthAttempt.at > after)
    count, last = session.execute(stmt).one()
    return FailureRecord(int(count or 0), last)


def _last_success(session: Session, key: ColumnElement[bool]) -> datetime | None:
    return session.scalar(
        select(func.max(AuthAttempt.at)).where(
            AuthAttempt.kind == LOGIN_KIND, key, AuthAttempt.succeeded.is_(True)
        )
    )


def login_wait(
    session: Session, *, email: str, address: str, now: datetime, throttle: LoginThrottle
) -> int:
    """Seconds this account must wait before an attempt from this address is checked.

    The account from this address counts its failures since its last success there; the
    address counts every failure (a success of its own must not wipe a guessing spree)."""
    since = now - throttle.window
    pair = and_(AuthAttempt.subject == email, AuthAttempt.address == address)
    return throttle.wait(
        _failures(session, pair, since, after=_last_success(session, pair)),
        _failures(session, AuthAttempt.address == address, since),
        now,
    )


def authenticate(
    db: Tx,
    *,
    email: str,
    password: str,
    address: str,
    now: datetime,
    throttle: LoginThrottle,
) -> LoginResult:
    """Check a sign-in. Failures get one generic answer; repeated failures for this account
    from this address, or from this address at all, must wait longer and longer (never a
    lock-out: the same account from another address is not delayed)."""
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    with writing(db) as session:
        wait = login_wait(session, email=email, address=address, now=now, throttle=throttle)
        if wait > 0:  # not checked and not counted: waiting is the whole answer
            logger.warning("sign-in delayed %ss for %s from %s", wait, email, address)
            return LoginResult(None, LOGIN_THROTTLED.format(wait=describe_wait(wait)), wait)
        user = session.scalars(select(User).where(User.email == email)).first()
        if len(password) > MAX_PASSWORD_LENGTH:  # no stored password is this long: no argon2
            ok = False  # (for every account, known or not: no timing oracle either)
        else:  # unknown accounts check a real (dummy) hash too: they cost what known ones cost
            ok = passwords.verify_password(
                user.password_hash if user else passwords.dummy_hash(), password
            )
        ok = ok and user is not None and user.is_active
        session.add(
            AuthAttempt(kind=LOGIN_KIND, subject=email, address=address, succeeded=ok, at=now)
        )
        if not ok or user is None:
            return LoginResult(None, LOGIN_FAILED)
        user.last_login_at = now
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        record_audit(session, user.id, "auth.login", "user", user.id, {"address": address})
        return LoginResult(view_user(user), None)
