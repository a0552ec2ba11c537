"""Time slots and bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import Booking, Slot
from core.domain import BookingStatus


@dataclass(frozen=True)
class SlotView:
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    note: str

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def list_slots(db: Database, *, since: datetime | None = None, limit: int = 500) -> list[SlotView]:
    booked = (
        select(Booking.slot_id, func.count(Booking.id).label("n"))
        .where(Booking.status == BookingStatus.ACTIVE)
        .group_by(Booking.slot_id)
        .subquery()
    )
    stmt = select(Slot, func.coalesce(booked.c.n, 0)).outerjoin(booked, booked.c.slot_id == Slot.id)
    if since is not None:
        stmt = stmt.where(Slot.ends_at >= since)
    with db.read() as session:
        rows = session.execute(stmt.order_by(Slot.starts_at).limit(limit)).all()
        return [SlotView(s.id, s.starts_at, s.ends_at, s.capacity, int(n), s.note) for s, n in rows]
