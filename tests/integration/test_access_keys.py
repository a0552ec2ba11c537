"""Secret links: hashed storage, the join window (clock injected), refusals, and throttling that
slows guessers of unknown keys without ever refusing a real one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import AccessKey, AuthAttempt, Interview
from core.domain import InterviewStatus
from core.scheduling.access import (
    AccessDecision,
    AccessStatus,
    JoinWindow,
    check_key,
    hash_key,
)
from tests.support.factories import issue_key, make_interview

START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
WINDOW = JoinWindow(before_seconds=30, after_seconds=600)


def _check(db: Database, key: str | None, offset_s: float, address: str = "198.51.100.7"):
    return check_key(
        db, key, now=START + timedelta(seconds=offset_s), address=address, window=WINDOW
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-3600, AccessStatus.EARLY),
        (-31, AccessStatus.EARLY),
        (-30, AccessStatus.OPEN),
        (0, AccessStatus.OPEN),
        (600, AccessStatus.OPEN),
        (601, AccessStatus.LATE),
    ],
)
def test_join_window(any_db: Database, offset: float, expected: AccessStatus) -> None:
    key = issue_key(any_db, make_interview(any_db, scheduled_at=START))
    decision = _check(any_db, key, offset)
    assert decision.status is expected
    if expected is AccessStatus.EARLY:
        assert decision.opens_at == START - timedelta(seconds=30)


def test_stored_key_is_only_a_hash(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START))
    with db.read() as s:
        stored = s.scalars(select(AccessKey.key_hash)).one()
    assert stored == hash_key(key) and key not in stored and len(key) >= 43  # 256 bits


@pytest.mark.parametrize(
    "forged", [None, "", "abc", "x" * 43, "../../etc/passwd" * 3, "' OR 1=1 --" * 4]
)
def test_forged_and_malformed_keys_get_one_answer(db: Database, forged: str | None) -> None:
    issue_key(db, make_interview(db, scheduled_at=START))
    assert _check(db, forged, 0).status is AccessStatus.INVALID


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (InterviewStatus.COMPLETED, AccessStatus.COMPLETED),
        (InterviewStatus.CANCELLED, AccessStatus.CANCELLED),
        (InterviewStatus.EXPIRED, AccessStatus.EXPIRED),
        (InterviewStatus.IN_PROGRESS, AccessStatus.OPEN),  # resuming after the window is allowed
    ],
)
def test_interview_state_decides(
    db: Database, status: InterviewStatus, expected: AccessStatus
) -> None:
    iid = make_interview(db, scheduled_at=START)
    key = issue_key(db, iid)
    with db.write() as s:
        s.get(Interview, iid).status = status
    assert _check(db, key, 3600).status is expected


def test_reissued_key_revokes_the_old_one(db: Database) -> None:
    iid = make_interview(db, scheduled_at=START)
    old, new = issue_key(db, iid), issue_key(db, iid)
    assert _check(db, old, 0).status is AccessStatus.INVALID
    assert _check(db, new, 0).status is AccessStatus.OPEN


def test_expired_key(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START), ttl=timedelta(seconds=5))
    assert _check(db, key, 10).status is AccessStatus.EXPIRED


def test_practice_interview_opens_any_time(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START, practice=True))
    assert _check(db, key, -86_000).status is AccessStatus.OPEN


ATTACKER = "203.0.113.5"


def _guess(db: Database, n: int, offset_s: float = 0, address: str = ATTACKER) -> AccessDecision:
    """One wrong key of the right shape (a guesser's best effort)."""
    return _check(db, f"{n:043d}", offset_s, address=address)


def _flood(db: Database, count: int, offset_s: float = 0, address: str = ATTACKER) -> list[str]:
    return [_guess(db, n, offset_s, address).status.value for n in range(count)]


def _failures_recorded(db: Database) -> int:
    with db.read() as s:
        stmt = select(func.count()).select_from(AuthAttempt).where(AuthAttempt.succeeded.is_(False))
        return int(s.scalar(stmt) or 0)


def _key_of_kind(db: Database, kind: str) -> tuple[str | None, float]:
    """A key of the kind named, and the moment (seconds from START) to present it."""
    iid = make_interview(db, scheduled_at=START, practice=kind == "practice")
    key = issue_key(db, iid)
    if kind == "revoked":
        issue_key(db, iid)  # the new key revokes this one
    statuses = {
        "cancelled": InterviewStatus.CANCELLED,
        "in progress, late": InterviewStatus.IN_PROGRESS,
    }
    if kind in statuses:
        with db.write() as s:
            s.get(Interview, iid).status = statuses[kind]  # type: ignore[union-attr]
    moments = {"early": -3600.0, "late": 3600.0, "in progress, late": 3600.0, "practice": -9e4}
    unknown = {"unknown": "u" * 43, "malformed": "../etc/passwd", "missing": None}
    return unknown.get(kind, key), moments.get(kind, 0.0)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("valid", AccessStatus.OPEN),  # within its window: always works
        ("practice", AccessStatus.OPEN),
        ("in progress, late", AccessStatus.OPEN),
        ("early", AccessStatus.EARLY),
        ("late", AccessStatus.LATE),
        ("cancelled", AccessStatus.CANCELLED),
        ("revoked", AccessStatus.THROTTLED),  # revoked is unknown: same answer
        ("unknown", AccessStatus.THROTTLED),
        ("malformed", AccessStatus.THROTTLED),
        ("missing", AccessStatus.THROTTLED),
    ],
)
def test_after_25_bad_keys_a_real_key_from_that_address_is_still_answered(
    any_db: Database, kind: str, expected: AccessStatus
) -> None:
    key, at = _key_of_kind(any_db, kind)
    statuses = _flood(any_db, 25, at)
    # 20 free failures, the 21st answered too, then the address must wait (2 s, doubling).
    assert statuses == ["invalid"] * 21 + ["throttled"] * 4
    decision = _check(any_db, key, at, address=ATTACKER)
    assert decision.status is expected
    assert _failures_recorded(any_db) == 21  # a real key never counts; waiting ones neither
    assert _guess(any_db, 99, at).status is AccessStatus.THROTTLED  # the guesser still waits
    assert _guess(any_db, 99, at, address="198.51.100.1").status is AccessStatus.INVALID


def test_candidates_sharing_an_address_are_not_locked_out_by_a_guesser(any_db: Database) -> None:
    """Behind one proxy (or on loopback, where every browser is 'local') many candidates share
    an address: 25 wrong keys from it stop none of their links."""
    keys = [issue_key(any_db, make_interview(any_db, scheduled_at=START)) for _ in range(3)]
    _flood(any_db, 25, address="local")
    for offset, key in enumerate(keys):
        assert _check(any_db, key, offset, address="local").status is AccessStatus.OPEN
    assert _guess(any_db, 7, 1, address="local").status is AccessStatus.THROTTLED  # 2 s wait


# After 21 failures at START, in order: (seconds from START, answer, seconds left to wait).
# Each answered guess doubles the next wait: 2, 4, 8, 16 s … (at most the 15-minute window).
WAITS = [
    (0, AccessStatus.THROTTLED, 2),
    (1, AccessStatus.THROTTLED, 1),
    (2, AccessStatus.INVALID, 0),  # the 22nd failure: the next waits 4 s
    (2, AccessStatus.THROTTLED, 4),
    (6, AccessStatus.INVALID, 0),  # the 23rd: 8 s
    (13, AccessStatus.THROTTLED, 1),
    (14, AccessStatus.INVALID, 0),  # the 24th: 16 s
    (14, AccessStatus.THROTTLED, 16),
]


def test_the_waits_grow(any_db: Database) -> None:
    _flood(any_db, 21)
    for n, (at, expected, wait) in enumerate(WAITS):
        decision = _guess(any_db, 1000 + n, at)
        assert (decision.status, decision.retry_after_seconds) == (expected, wait), at


def test_a_guesser_is_held_to_a_trickle(any_db: Database) -> None:
    """One guess a second for ten minutes: a few dozen are answered, the rest turned away
    unrecorded (what keeps a link secret is its 256 random bits; this keeps the rate small)."""
    answered = sum(_guess(any_db, n, n).status is AccessStatus.INVALID for n in range(600))
    assert answered == 29, answered  # 21 at once, then after 2, 4, 8 … 256 s
    assert _failures_recorded(any_db) == answered


def test_use_is_recorded_at_most_once_a_minute(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START))
    for offset in (0, 10, 20, 70):  # page reruns
        assert _check(db, key, offset).status is AccessStatus.OPEN
    with db.read() as s:
        row = s.scalars(select(AccessKey)).one()
        assert (row.use_count, row.last_used_at) == (2, START + timedelta(seconds=70))
