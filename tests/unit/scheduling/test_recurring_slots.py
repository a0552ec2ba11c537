"""Recurring slot plans: whole slots in local wall-clock time, across DST, with clear errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.scheduling.slots import RecurringPlan, SlotError, plan_recurring

KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset(range(5))


def _plan(**kw: object) -> RecurringPlan:
    base = dict(
        first_day=date(2026, 1, 5),
        last_day=date(2026, 1, 9),
        weekdays=WEEKDAYS,
        day_start=time(10),
        day_end=time(16),
        slot_minutes=45,
        zone=KOLKATA,
    )
    base.update(kw)
    return RecurringPlan(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "count"),
    [
        ({}, 5 * 8),  # 10:00-16:00 holds eight whole 45-minute slots; Mon-Fri
        ({"first_day": date(2026, 1, 10), "last_day": date(2026, 1, 11)}, 0),  # a weekend
        ({"slot_minutes": 60}, 5 * 6),
        ({"weekdays": frozenset({0})}, 8),
        ({"day_end": time(10, 44)}, 0),  # not even one whole slot
    ],
)
def test_slot_counts(kw: dict[str, object], count: int) -> None:
    assert len(plan_recurring(_plan(**kw))) == count


def test_first_slot_is_local_ten_oclock() -> None:
    first_start, first_end = plan_recurring(_plan())[0]
    assert first_start == datetime(2026, 1, 5, 4, 30, tzinfo=UTC)  # 10:00 IST
    assert (first_end - first_start).seconds == 45 * 60


def test_wall_clock_is_kept_across_dst() -> None:
    plan = _plan(
        first_day=date(2026, 3, 27),
        last_day=date(2026, 3, 30),
        zone=LONDON,
        weekdays=frozenset({4, 0}),
        slot_minutes=60,
    )  # Fri before, Mon after the change
    starts = {s.astimezone(LONDON).time() for s, _ in plan_recurring(plan)}
    assert min(starts) == time(10)
    utc_hours = sorted({s.hour for s, _ in plan_recurring(plan) if s.astimezone(LONDON).hour == 10})
    assert utc_hours == [9, 10]  # 10:00 BST is 09:00 UTC; 10:00 GMT is 10:00 UTC


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"last_day": date(2026, 1, 1)}, "before the first day"),
        ({"slot_minutes": 2}, "at least 5 minutes"),
        ({"day_end": time(9)}, "end must be after"),
        ({"weekdays": frozenset()}, "at least one weekday"),
        ({"last_day": date(2027, 12, 31), "slot_minutes": 5}, "more than"),
    ],
)
def test_bad_plans_are_explained(kw: dict[str, object], message: str) -> None:
    with pytest.raises(SlotError, match=message):
        plan_recurring(_plan(**kw))
