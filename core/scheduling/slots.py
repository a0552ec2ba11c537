"""Time slots: planning recurring series (pure, DST-aware) and creating slots.

``create_slots`` and ``delete_slot`` take an optional ``principal``: when given (pages, the
HTTP API) it must be allowed ``MANAGE_SCHEDULE``, checked before anything is written; the
command line, the seed and fixtures act as the operator and pass none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.db.models import Booking, Slot
from core.db.uow import Tx, writing
from core.domain import BookingStatus
from core.errors import IntervistaError
from core.scheduling.views import SlotView, list_slots
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

MAX_SLOTS_PER_SERIES = 2000


class SlotError(IntervistaError, ValueError):
    """A slot cannot be created or removed; the message says why."""

    code = "slot_invalid"


class SlotMissing(SlotError):
    """There is no such slot (any more)."""

    code = "slot_not_found"
    status = 404


class SlotBusy(SlotError):
    """The slot holds bookings: cancel or move them first."""

    code = "slot_has_bookings"
    status = 409


@dataclass(frozen=True)
class RecurringPlan:
    first_day: date
    last_day: date
    weekdays: frozenset[int]  # Monday = 0 … Sunday = 6
    day_start: time
    day_end: time
    slot_minutes: int
    zone: ZoneInfo


def plan_recurring(plan: RecurringPlan) -> list[tuple[datetime, datetime]]:
    """Every (start, end) in UTC for the plan: local wall-clock times, whole slots only."""
    if plan.last_day < plan.first_day:
        raise SlotError("The last day is before the first day.")
    if plan.slot_minutes < 5:
        raise SlotError("Slots must be at least 5 minutes long.")
    if plan.day_end <= plan.day_start:
        raise SlotError("The day's end must be after its start.")
    if not plan.weekdays:
        raise SlotError("Choose at least one weekday.")
    length = timedelta(minutes=plan.slot_minutes)
    slots: list[tuple[datetime, datetime]] = []
    day = plan.first_day
    while day <= plan.last_day:
        if day.weekday() in plan.weekdays:
            start = datetime.combine(day, plan.day_start, plan.zone)
            day_end = datetime.combine(day, plan.day_end, plan.zone)
            while start + length <= day_end:
                # Arithmetic on wall-clock time, then converted: 10:00 stays 10:00 across DST.
                slots.append((start.astimezone(UTC), (start + length).astimezone(UTC)))
                start += length
                if len(slots) > MAX_SLOTS_PER_SERIES:
                    raise SlotError(f"That plan makes more than {MAX_SLOTS_PER_SERIES} slots.")
        day += timedelta(days=1)
    return slots


def _check(start: datetime, end: datetime, capacity: int, now: datetime) -> None:
    if end <= start:
        raise SlotError("A slot must end after it starts.")
    if start <= now:
        raise SlotError("A slot cannot start in the past.")
    if capacity < 1:
        raise SlotError("Capacity must be at least 1.")


def create_slots(
    db: Tx,
    times: Iterable[tuple[datetime, datetime]],
    *,
    capacity: int,
    now: datetime,
    note: str = "",
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> list[SlotView]:
    """Create slots (all or none) and return them."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    times = list(times)
    if not times:
        raise SlotError("There is no slot to create.")
    for start, end in times:
        _check(start, end, capacity, now)
    with writing(db) as session:
        rows = [
            Slot(
                starts_at=s,
                ends_at=e,
                capacity=capacity,
                note=note.strip()[:200],
                created_by_id=actor_id,
            )
            for s, e in times
        ]
        session.add_all(rows)
        session.flush()
        record_audit(session, actor_id, "slot.create", "slot", rows[0].id, {"count": len(rows)})
        return [SlotView(r.id, r.starts_at, r.ends_at, r.capacity, 0, r.note) for r in rows]


def bookable_slots(db: Tx, now: datetime, *, exclude_slot_id: int | None = None) -> list[SlotView]:
    """The slots a booking (or a move) may go into at ``now``: starting after ``now`` (a slot
    that has started is not offered, even before it ends) with a free place, by start time.
    ``booking.book`` and ``booking.reschedule`` refuse the others (``slot_in_past``,
    ``slot_full``), so a list that went stale while a form was open is still safe."""
    return [
        s
        for s in list_slots(db, since=now)
        if s.starts_at > now and s.free > 0 and s.id != exclude_slot_id
    ]


def delete_slot(
    db: Tx, slot_id: int, *, actor_id: int | None = None, principal: Principal | None = None
) -> None:
    """Delete a slot that holds no active booking."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    with writing(db) as session:
        slot = session.get(Slot, slot_id)
        if slot is None:
            raise SlotMissing("That slot no longer exists.")
        active = session.scalar(
            select(func.count(Booking.id)).where(
                Booking.slot_id == slot_id, Booking.status == BookingStatus.ACTIVE
            )
        )
        if active:
            raise SlotBusy(f"The slot has {active} booking(s); cancel or move them first.")
        session.delete(slot)
        record_audit(session, actor_id, "slot.delete", "slot", slot_id)
