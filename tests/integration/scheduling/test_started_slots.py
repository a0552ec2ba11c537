"""A slot that has started is not bookable: not offered, and refused by the use cases with
the stable code ``slot_in_past`` (issue 16 b)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.config import Settings
from core.db.engine import Database
from core.scheduling.booking import BookingError, book, reschedule
from core.scheduling.slots import bookable_slots
from tests.support.factories import make_interview
from tests.support.slots import make_future_slot, make_running_slot


def test_started_slots_are_neither_offered_nor_booked(any_db: Database, settings: Settings) -> None:
    now = datetime.now(UTC)
    running = make_running_slot(any_db, capacity=3, now=now)
    future = make_future_slot(any_db, capacity=1)
    assert [s.id for s in bookable_slots(any_db, now)] == [future]
    with pytest.raises(BookingError) as refused:
        book(any_db, settings, interview_id=make_interview(any_db), slot_id=running, now=now)
    assert refused.value.code == "slot_in_past"
    assert "already started" in str(refused.value)
    booked = book(any_db, settings, interview_id=make_interview(any_db), slot_id=future, now=now)
    with pytest.raises(BookingError) as moved:
        reschedule(any_db, settings, booking_id=booked.booking_id, new_slot_id=running, now=now)
    assert moved.value.code == "slot_in_past"
    assert bookable_slots(any_db, now) == []  # the future slot's one place is taken
