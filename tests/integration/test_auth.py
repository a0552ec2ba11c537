"""Staff sign-in on both databases: success, generic failures, rate limits, deactivation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import AuditLog, User
from core.domain import Role
from core.staff import auth
from core.staff.throttle import Backoff, LoginThrottle
from tests.support.factories import PASSWORD, make_user

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
THROTTLE = LoginThrottle(Backoff(3, 2.0, 60.0), Backoff(12, 2.0, 60.0), timedelta(seconds=600))


def _login(
    db: Database, email: str, password: str, address: str = "10.0.0.1", now: datetime = NOW
) -> auth.LoginResult:
    return auth.authenticate(
        db,
        email=email,
        password=password,
        address=address,
        now=now,
        throttle=THROTTLE,
    )


def test_sign_in_succeeds_and_is_audited(any_db: Database) -> None:
    user = make_user(any_db, Role.RECRUITER, email="a@example.com")
    result = _login(any_db, " A@Example.com", PASSWORD)
    assert result.user is not None and result.user.id == user.id
    with any_db.read() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "auth.login")
            )
            == 1
        )
        assert s.scalars(select(User.last_login_at)).first() == NOW


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("a@example.com", "wrong password"),
        ("nobody@example.com", PASSWORD),
        ("", ""),
    ],
)
def test_failures_are_generic(any_db: Database, email: str, password: str) -> None:
    make_user(any_db, email="a@example.com")
    assert _login(any_db, email, password) == auth.LoginResult(None, auth.LOGIN_FAILED)


def test_failures_from_other_addresses_do_not_delay_the_account(any_db: Database) -> None:
    """No lock-out: wrong passwords from elsewhere never stop the right one (see
    tests/integration/staff/test_sign_in_throttle.py for the delays themselves)."""
    make_user(any_db, email="a@example.com")
    for i in range(12):
        _login(any_db, "a@example.com", "nope", address=f"10.0.1.{i}")
    assert _login(any_db, "a@example.com", PASSWORD).user is not None


def test_address_is_delayed_across_accounts(any_db: Database) -> None:
    make_user(any_db, email="a@example.com")
    for i in range(13):
        _login(any_db, f"guess{i}@example.com", "nope", address="203.0.113.9")
    delayed = _login(any_db, "a@example.com", PASSWORD, address="203.0.113.9")
    assert delayed.user is None and delayed.retry_after_seconds > 0
    assert _login(any_db, "a@example.com", PASSWORD, address="198.51.100.1").user is not None


def test_deactivated_user_cannot_sign_in(any_db: Database) -> None:
    admin = make_user(any_db, Role.ADMIN)
    user = make_user(any_db, email="a@example.com")
    auth.set_active(any_db, user_id=user.id, active=False, actor_id=admin.id)
    assert _login(any_db, "a@example.com", PASSWORD).error == auth.LOGIN_FAILED
    assert auth.get_user(any_db, user.id) is None


@pytest.mark.parametrize(
    ("email", "name", "password", "message"),
    [
        ("not-an-email", "X", "long enough pw", "not a valid email"),
        ("x@example.com", " ", "long enough pw", "full name"),
        ("x@example.com", "X", "short", "at least 10"),
    ],
)
def test_create_user_rejects_bad_input(
    any_db: Database, email: str, name: str, password: str, message: str
) -> None:
    with pytest.raises(auth.AuthError, match=message):
        auth.create_user(
            any_db,
            email=email,
            full_name=name,
            role=Role.RECRUITER,
            password=password,
            actor_id=None,
        )
    assert auth.list_users(any_db) == []


def test_duplicate_email_is_a_clear_error(any_db: Database) -> None:
    make_user(any_db, email="a@example.com")
    with pytest.raises(auth.AuthError, match="already exists"):
        make_user(any_db, email="A@example.com")
    assert len(auth.list_users(any_db)) == 1


def test_passwords_are_hashed_with_argon2(db: Database, argon2id_hashing: None) -> None:
    make_user(db, email="a@example.com")
    with db.read() as s:
        stored = s.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
