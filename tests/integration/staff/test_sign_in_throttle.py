"""Sign-in throttling on both databases: a flood of wrong passwords from one address slows that
address down, and never stops the right password from another address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import AuthAttempt
from core.staff import auth
from core.staff.throttle import Backoff, LoginThrottle, describe_wait
from tests.support.factories import PASSWORD, make_user

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"
THROTTLE = LoginThrottle(
    per_account_address=Backoff(free=3, base_seconds=2.0, cap_seconds=60.0),
    per_address=Backoff(free=8, base_seconds=2.0, cap_seconds=60.0),
    window=timedelta(minutes=15),
)


def _login(
    db: Database, email: str, password: str, address: str, now: datetime
) -> auth.LoginResult:
    return auth.authenticate(
        db, email=email, password=password, address=address, now=now, throttle=THROTTLE
    )


def _attempts(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuthAttempt)) or 0)


def test_a_flood_from_one_address_does_not_stop_the_right_password_from_another(
    any_db: Database,
) -> None:
    make_user(any_db, email="rec@example.com")
    now, refused, delayed = T0, 0, 0
    for _ in range(200):  # two a second for 100 s, as fast as the attacker likes
        result = _login(any_db, "rec@example.com", "guess", ATTACKER, now)
        assert result.user is None
        if result.retry_after_seconds:
            delayed += 1
        else:
            refused += 1
        now += timedelta(milliseconds=500)
    # Most of the flood was turned away unchecked: delays 2, 4, 8 … 60 s leave few checks.
    assert refused <= 12 and delayed >= 185, (refused, delayed)
    assert _attempts(any_db) == refused  # delayed attempts are not even recorded
    # The attacker's address must wait, even with the right password ...
    blocked = _login(any_db, "rec@example.com", PASSWORD, ATTACKER, now)
    assert blocked.user is None and blocked.retry_after_seconds > 0
    assert blocked.error == auth.LOGIN_THROTTLED.format(
        wait=describe_wait(blocked.retry_after_seconds)
    )
    # ... the recruiter in the office signs in at once.
    office = _login(any_db, "rec@example.com", PASSWORD, OFFICE, now)
    assert office.user is not None and office.error is None


def test_guessing_many_accounts_from_one_address_slows_that_address_only(
    any_db: Database,
) -> None:
    make_user(any_db, email="rec@example.com")
    for i in range(9):  # 8 free failures per address, then 2 s
        assert _login(any_db, f"guess{i}@example.com", "nope", ATTACKER, T0).error == (
            auth.LOGIN_FAILED
        )
    slowed = _login(any_db, "rec@example.com", PASSWORD, ATTACKER, T0)
    assert slowed.retry_after_seconds == 2
    assert _login(any_db, "rec@example.com", PASSWORD, OFFICE, T0).user is not None
    later = T0 + timedelta(seconds=2)
    assert _login(any_db, "rec@example.com", PASSWORD, ATTACKER, later).user is not None


def test_a_few_typos_cost_nothing_and_success_clears_them(any_db: Database) -> None:
    make_user(any_db, email="rec@example.com")
    clock = iter(T0 + timedelta(seconds=s) for s in range(100))  # one attempt a second
    for _ in range(3):
        typo = _login(any_db, "rec@example.com", "typo", OFFICE, next(clock))
        assert typo.error == auth.LOGIN_FAILED
    assert _login(any_db, "rec@example.com", PASSWORD, OFFICE, next(clock)).user is not None
    # Counting starts again after the success: three more typos are free again.
    for _ in range(3):
        typo = _login(any_db, "rec@example.com", "typo", OFFICE, next(clock))
        assert typo.error == auth.LOGIN_FAILED
    assert _login(any_db, "rec@example.com", PASSWORD, OFFICE, next(clock)).user is not None


def test_the_delay_passes_and_old_failures_are_forgotten(any_db: Database) -> None:
    make_user(any_db, email="rec@example.com")
    for minute in range(6):  # 3 free, then 2 s, 4 s, 8 s
        now = T0 + timedelta(minutes=minute)
        assert _login(any_db, "rec@example.com", "nope", OFFICE, now).error == auth.LOGIN_FAILED
    last = T0 + timedelta(seconds=300)
    assert _login(any_db, "rec@example.com", PASSWORD, OFFICE, last).retry_after_seconds == 8
    assert _login(any_db, "rec@example.com", PASSWORD, OFFICE, last + timedelta(seconds=8)).user
    # Failures older than the window no longer count.
    for _ in range(5):
        _login(any_db, "rec@example.com", "nope", OFFICE, T0 + timedelta(hours=1))
    assert (
        _login(any_db, "rec@example.com", "nope", OFFICE, T0 + timedelta(hours=1, minutes=16)).error
        == auth.LOGIN_FAILED
    )
