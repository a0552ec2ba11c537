"""Booking on both databases: atomic capacity under 50 concurrent requests, named refusals,
reschedule and cancel with links and emails."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import AccessKey, Booking, EmailOutbox, Interview
from core.domain import AccessKeyState, BookingStatus, InterviewStatus
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.scheduling.booking import BookingError, book, cancel, reschedule
from core.scheduling.slots import create_slots
from tests.support.factories import make_candidate, make_interview

NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)


def _slot(db: Database, start: datetime = START, capacity: int = 3, minutes: int = 45) -> int:
    return create_slots(
        db, [(start, start + timedelta(minutes=minutes))], capacity=capacity, now=NOW
    )[0].id


def test_fifty_concurrent_bookings_into_capacity_three(
    any_db: Database, settings: Settings
) -> None:
    slot_id = _slot(any_db, capacity=3)
    interviews = [make_interview(any_db) for _ in range(50)]
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(50)

    def attempt(interview_id: int) -> None:
        barrier.wait()
        try:
            book(any_db, settings, interview_id=interview_id, slot_id=slot_id, now=NOW)
            result = "booked"
        except BookingError as exc:
            result = exc.code
        except Exception as exc:
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in interviews]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(outcomes)) == ["booked", "slot_full"], outcomes
    assert outcomes.count("booked") == 3 and outcomes.count("slot_full") == 47
    with any_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Booking)) == 3
        assert s.scalar(select(func.count()).select_from(EmailOutbox)) == 3
        assert s.scalar(select(func.count()).select_from(AccessKey)) == 3


@pytest.mark.parametrize(
    "case",
    [
        "missing_interview",
        "missing_slot",
        "slot_in_past",
        "interview_already_booked",
        "candidate_already_booked",
        "interview_not_bookable",
    ],
)
def test_refusals_name_their_cause(any_db: Database, settings: Settings, case: str) -> None:
    slot_id = _slot(any_db)
    candidate = make_candidate(any_db)
    interview = make_interview(any_db, candidate_id=candidate)
    kwargs = {"interview_id": interview, "slot_id": slot_id, "now": NOW}
    if case == "missing_interview":
        kwargs["interview_id"] = 999_999
    elif case == "missing_slot":
        kwargs["slot_id"] = 999_999
    elif case == "slot_in_past":
        kwargs["now"] = START + timedelta(minutes=1)
    elif case == "interview_already_booked":
        book(any_db, settings, **kwargs)
        kwargs["slot_id"] = _slot(any_db, START + timedelta(hours=3))
    elif case == "candidate_already_booked":
        book(any_db, settings, **kwargs)
        overlapping = _slot(any_db, START + timedelta(minutes=30))
        kwargs.update(
            interview_id=make_interview(any_db, candidate_id=candidate), slot_id=overlapping
        )
    elif case == "interview_not_bookable":
        with any_db.write() as s:
            s.get(Interview, interview).status = InterviewStatus.COMPLETED
    with pytest.raises(BookingError) as info:
        book(any_db, settings, **kwargs)
    assert info.value.code == case
    assert str(info.value) and "bad request" not in str(info.value).lower()


def test_booking_issues_a_working_link_and_reschedule_replaces_it(
    db: Database, settings: Settings
) -> None:
    window = JoinWindow(30, 600)
    interview = make_interview(db)
    first = book(db, settings, interview_id=interview, slot_id=_slot(db), now=NOW)
    assert first.link and first.link.startswith(f"{settings.public_base_url}/interview?key=")
    key = first.link.split("key=")[1]
    assert check_key(db, key, now=START, address="a", window=window).status is AccessStatus.OPEN
    later = START + timedelta(days=1)
    moved = reschedule(
        db, settings, booking_id=first.booking_id, new_slot_id=_slot(db, later), now=NOW
    )
    new_key = moved.link.split("key=")[1]  # type: ignore[union-attr]
    assert check_key(db, key, now=later, address="a", window=window).status is (
        AccessStatus.INVALID
    )
    assert check_key(db, new_key, now=later, address="a", window=window).status is (
        AccessStatus.OPEN
    )
    with db.read() as s:
        assert s.get(Interview, interview).scheduled_at == later
        kinds = [m.kind for m in s.scalars(select(EmailOutbox).order_by(EmailOutbox.id))]
    assert kinds == ["invitation", "reschedule"]


def test_cancel_frees_the_place_and_revokes_the_link(db: Database, settings: Settings) -> None:
    slot_id = _slot(db, capacity=1)
    first = book(db, settings, interview_id=make_interview(db), slot_id=slot_id, now=NOW)
    with pytest.raises(BookingError, match="full"):
        book(db, settings, interview_id=make_interview(db), slot_id=slot_id, now=NOW)
    cancel(db, settings, booking_id=first.booking_id, now=NOW)
    book(db, settings, interview_id=make_interview(db), slot_id=slot_id, now=NOW)
    with db.read() as s:
        statuses = sorted(b.status for b in s.scalars(select(Booking)))
        keys = {k.interview_id: k.state for k in s.scalars(select(AccessKey))}
        cancel_ics = s.scalars(
            select(EmailOutbox.ics_content).where(EmailOutbox.kind == "cancellation")
        ).one()
    assert statuses == [BookingStatus.ACTIVE, BookingStatus.CANCELLED]
    assert keys[first.interview_id] is AccessKeyState.REVOKED
    assert "METHOD:CANCEL" in (cancel_ics or "")
    with pytest.raises(BookingError) as info:
        cancel(db, settings, booking_id=first.booking_id, now=NOW)
    assert info.value.code == "missing_booking"
