"""Secret links: hashed storage, the join window (clock injected), refusals, throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import AccessKey, Interview
from core.domain import InterviewStatus
from core.scheduling.access import AccessStatus, JoinWindow, check_key, hash_key
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


def test_repeated_failures_from_one_address_are_throttled(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START))
    for i in range(20):
        _check(db, f"{i:043d}", 0, address="203.0.113.5")
    assert _check(db, key, 0, address="203.0.113.5").status is AccessStatus.THROTTLED
    assert _check(db, key, 0, address="198.51.100.1").status is AccessStatus.OPEN


def test_use_is_recorded_at_most_once_a_minute(db: Database) -> None:
    key = issue_key(db, make_interview(db, scheduled_at=START))
    for offset in (0, 10, 20, 70):  # page reruns
        assert _check(db, key, offset).status is AccessStatus.OPEN
    with db.read() as s:
        row = s.scalars(select(AccessKey)).one()
        assert (row.use_count, row.last_used_at) == (2, START + timedelta(seconds=70))
