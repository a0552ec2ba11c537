"""Time slots and bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.db.models import Booking, Candidate, Interview, Slot
from core.db.uow import Tx, reading
from core.domain import BookingStatus, InterviewStatus


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


def list_slots(db: Tx, *, since: datetime | None = None, limit: int = 500) -> list[SlotView]:
    booked = (
        select(Booking.slot_id, func.count(Booking.id).label("n"))
        .where(Booking.status == BookingStatus.ACTIVE)
        .group_by(Booking.slot_id)
        .subquery()
    )
    stmt = select(Slot, func.coalesce(booked.c.n, 0)).outerjoin(booked, booked.c.slot_id == Slot.id)
    if since is not None:
        stmt = stmt.where(Slot.ends_at >= since)
    with reading(db) as session:
        rows = session.execute(stmt.order_by(Slot.starts_at).limit(limit)).all()
        return [SlotView(s.id, s.starts_at, s.ends_at, s.capacity, int(n), s.note) for s, n in rows]


@dataclass(frozen=True)
class BookingView:
    id: int
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    interview_id: int
    interview_title: str
    candidate_name: str
    candidate_email: str
    status: BookingStatus
    notes: str


@dataclass(frozen=True)
class BookableInterview:
    id: int
    title: str
    candidate_name: str


def list_bookings(
    db: Tx, *, since: datetime | None = None, include_cancelled: bool = False
) -> list[BookingView]:
    stmt = (
        select(Booking, Slot, Interview, Candidate)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(Interview, Interview.id == Booking.interview_id)
        .join(Candidate, Candidate.id == Booking.candidate_id)
        .order_by(Slot.starts_at, Booking.id)
    )
    if since is not None:
        stmt = stmt.where(Slot.ends_at >= since)
    if not include_cancelled:
        stmt = stmt.where(Booking.status == BookingStatus.ACTIVE)
    with reading(db) as session:
        return [
            BookingView(
                b.id,
                s.id,
                s.starts_at,
                s.ends_at,
                i.id,
                i.title,
                c.full_name,
                c.email,
                BookingStatus(b.status),
                b.notes,
            )
            for b, s, i, c in session.execute(stmt).all()
        ]


def list_bookable_interviews(db: Tx) -> list[BookableInterview]:
    """Scheduled interviews that have no active booking yet."""
    booked = select(Booking.interview_id).where(Booking.status == BookingStatus.ACTIVE)
    stmt = (
        select(Interview.id, Interview.title, Candidate.full_name)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .where(Interview.status == InterviewStatus.SCHEDULED, Interview.id.not_in(booked))
        .order_by(Interview.id.desc())
    )
    with reading(db) as session:
        return [BookableInterview(i, t, n) for i, t, n in session.execute(stmt).all()]
