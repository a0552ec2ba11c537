"""Server-side staff sessions on both databases: the one-time grant, the cookie's token (stored
only as a hash), absolute and idle expiry, sign-out, and revocation by a password change or a
deactivation."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import StaffSession, User
from core.domain import Role
from core.staff import auth, sessions
from tests.support.factories import make_user

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = sessions.SessionPolicy(absolute=timedelta(hours=12), idle=timedelta(minutes=30))


def _signed_in(db: Database, user_id: int, now: datetime = T0) -> sessions.IssuedToken:
    started = sessions.start(db, user_id=user_id, now=now, policy=POLICY, address="10.0.0.1")
    issued = sessions.exchange_grant(db, started.grant, now=now, policy=POLICY)
    assert issued is not None
    return issued


def _rows(db: Database) -> list[StaffSession]:
    with db.read() as s:
        rows = list(s.scalars(select(StaffSession)))
        s.expunge_all()
        return rows


def test_grant_becomes_a_cookie_token_once(any_db: Database) -> None:
    user = make_user(any_db, Role.RECRUITER)
    started = sessions.start(any_db, user_id=user.id, now=T0, policy=POLICY)
    assert started.grant_expires_at == T0 + timedelta(seconds=60)
    issued = sessions.exchange_grant(any_db, started.grant, now=T0, policy=POLICY)
    assert issued is not None and issued.expires_at == T0 + timedelta(hours=12)
    assert sessions.exchange_grant(any_db, started.grant, now=T0, policy=POLICY) is None
    found = sessions.resume(any_db, issued.token, now=T0 + timedelta(minutes=1), policy=POLICY)
    assert found is not None and found.user == auth.get_user(any_db, user.id)
    assert found.session_id == started.session_id == issued.session_id


def test_only_hashes_are_stored(any_db: Database) -> None:
    user = make_user(any_db)
    started = sessions.start(any_db, user_id=user.id, now=T0, policy=POLICY)
    (pending,) = _rows(any_db)
    assert pending.grant_hash == sessions.hash_secret(started.grant) and not pending.token_hash
    issued = sessions.exchange_grant(any_db, started.grant, now=T0, policy=POLICY)
    assert issued is not None and len(issued.token) >= 43  # 256 random bits
    (row,) = _rows(any_db)
    assert row.token_hash == sessions.hash_secret(issued.token)
    assert row.grant_hash is None and row.grant_expires_at is None
    stored = " ".join(str(v) for v in vars(row).values())
    assert issued.token not in stored and started.grant not in stored


@pytest.mark.parametrize(
    "grant",
    ["", "short", "x" * 43, "x" * 500, None],
)
def test_forged_or_malformed_grants_and_tokens_open_nothing(
    any_db: Database, grant: str | None
) -> None:
    _signed_in(any_db, make_user(any_db).id)
    assert sessions.exchange_grant(any_db, grant, now=T0, policy=POLICY) is None
    assert sessions.resume(any_db, grant, now=T0, policy=POLICY) is None


def test_a_grant_expires_after_a_minute(any_db: Database) -> None:
    user = make_user(any_db)
    started = sessions.start(any_db, user_id=user.id, now=T0, policy=POLICY)
    late = T0 + timedelta(seconds=60)
    assert sessions.exchange_grant(any_db, started.grant, now=late, policy=POLICY) is None


def test_racing_exchanges_of_one_grant_issue_one_token(any_db: Database) -> None:
    user = make_user(any_db)
    started = sessions.start(any_db, user_id=user.id, now=T0, policy=POLICY)
    results: list[sessions.IssuedToken | None] = []
    barrier = threading.Barrier(6)

    def exchange() -> None:
        barrier.wait()
        results.append(sessions.exchange_grant(any_db, started.grant, now=T0, policy=POLICY))

    threads = [threading.Thread(target=exchange) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 6 and len([r for r in results if r is not None]) == 1


def test_idle_expiry_slides_with_use_and_absolute_expiry_does_not(any_db: Database) -> None:
    user = make_user(any_db)
    issued = _signed_in(any_db, user.id)
    now = T0
    for _ in range(20):  # used every 25 minutes: alive past the 30-minute idle limit
        now += timedelta(minutes=25)
        if now >= T0 + timedelta(hours=12):
            break
        assert sessions.resume(any_db, issued.token, now=now, policy=POLICY) is not None
    end = T0 + timedelta(hours=12)
    assert sessions.resume(any_db, issued.token, now=end, policy=POLICY) is None
    assert _rows(any_db) == []  # an ended session's row is deleted


def test_an_idle_session_ends(any_db: Database) -> None:
    issued = _signed_in(any_db, make_user(any_db).id)
    idle = T0 + timedelta(minutes=30)
    assert sessions.check(any_db, issued.session_id, now=idle, policy=POLICY) is None
    assert sessions.resume(any_db, issued.token, now=T0, policy=POLICY) is None  # row gone


def test_sign_out_ends_the_session_by_id_or_by_token(any_db: Database) -> None:
    user = make_user(any_db)
    first, second = _signed_in(any_db, user.id), _signed_in(any_db, user.id)
    assert sessions.end(any_db, session_id=first.session_id)
    assert sessions.end(any_db, token=second.token)
    assert not sessions.end(any_db, token=second.token)  # already ended
    for issued in (first, second):
        assert sessions.resume(any_db, issued.token, now=T0, policy=POLICY) is None


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_password_change_and_deactivation_end_every_session_of_that_user(
    any_db: Database, change: str
) -> None:
    admin = make_user(any_db, Role.ADMIN)
    user, other = make_user(any_db), make_user(any_db)
    tokens = [_signed_in(any_db, user.id), _signed_in(any_db, user.id)]
    pending = sessions.start(any_db, user_id=user.id, now=T0, policy=POLICY)
    kept = _signed_in(any_db, other.id)
    if change == "password":
        auth.set_password(
            any_db, email=user.email, password="a brand new password", actor_id=admin.id
        )
    else:
        auth.set_active(any_db, user_id=user.id, active=False, actor_id=admin.id)
    for issued in tokens:
        assert sessions.resume(any_db, issued.token, now=T0, policy=POLICY) is None
        assert sessions.check(any_db, issued.session_id, now=T0, policy=POLICY) is None
    assert sessions.exchange_grant(any_db, pending.grant, now=T0, policy=POLICY) is None
    assert sessions.resume(any_db, kept.token, now=T0, policy=POLICY) is not None


def test_a_deactivated_user_session_is_refused_even_if_left_behind(any_db: Database) -> None:
    user = make_user(any_db)
    issued = _signed_in(any_db, user.id)
    with any_db.write() as s:  # deactivated by some other path that forgot the sessions
        row = s.get(User, user.id)
        assert row is not None
        row.is_active = False
    assert sessions.resume(any_db, issued.token, now=T0, policy=POLICY) is None


def test_starting_a_session_clears_out_ended_ones(any_db: Database) -> None:
    user = make_user(any_db)
    _signed_in(any_db, user.id)
    later = T0 + timedelta(hours=13)
    sessions.start(any_db, user_id=user.id, now=later, policy=POLICY)
    assert [r.created_at for r in _rows(any_db)] == [later]
