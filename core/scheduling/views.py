"""Time slots and bookings, as frozen views: whole lists for the pages, counted pages for the
HTTP API. The paged reads take the caller's ``principal``: when given it must be allowed
``MANAGE_SCHEDULE`` (who is booked when is the schedulers' business)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from core.db.models import Booking, Candidate, Interview, Slot
from core.db.uow import Tx, reading
from core.domain import BookingStatus, InterviewStatus
from core.staff.permissions import Action, Principal, require_given


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


def _slots_query(since: datetime | None, *, free_only: bool = False) -> Select[Slot, int]:
    booked = (
        select(Booking.slot_id, func.count(Booking.id).label("n"))
        .where(Booking.status == BookingStatus.ACTIVE)
        .group_by(Booking.slot_id)
        .subquery()
    )
    taken = func.coalesce(booked.c.n, 0)
    stmt = select(Slot, taken).outerjoin(booked, booked.c.slot_id == Slot.id)
    if free_only:
        stmt = stmt.where(taken < Slot.capacity)
    return stmt.where(Slot.ends_at >= since) if since is not None else stmt


def _slot_view(s: Slot, booked: int) -> SlotView:
    return SlotView(s.id, s.starts_at, s.ends_at, s.capacity, int(booked), s.note)


def list_slots(db: Tx, *, since: datetime | None = None, limit: int = 500) -> list[SlotView]:
    stmt = _slots_query(since).order_by(Slot.starts_at).limit(limit)
    with reading(db) as session:
        return [_slot_view(s, n) for s, n in session.execute(stmt).all()]


def page_slots(
    db: Tx,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    free_only: bool = False,
    offset: int = 0,
    limit: int = 20,
    principal: Principal | None = None,
) -> tuple[int, list[SlotView]]:
    """One page of the slots (by start) that end at or after ``since`` and start before
    ``until``; ``free_only``: only those with a free place. And how many match in all."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    stmt = _slots_query(since, free_only=free_only)
    if until is not None:
        stmt = stmt.where(Slot.starts_at < until)
    counted = select(func.count()).select_from(stmt.subquery())
    page = stmt.order_by(Slot.starts_at, Slot.id).offset(max(0, offset)).limit(max(1, limit))
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        return count, [_slot_view(s, n) for s, n in session.execute(page).all()]


def get_slot(db: Tx, slot_id: int, *, principal: Principal | None = None) -> SlotView | None:
    """The slot with its active bookings counted, or None."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    with reading(db) as session:
        row = session.execute(_slots_query(None).where(Slot.id == slot_id)).first()
        return _slot_view(row[0], row[1]) if row is not None else None


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


def _bookings_query(
    since: datetime | None, include_cancelled: bool
) -> Select[Booking, Slot, Interview, Candidate]:
    stmt = (
        select(Booking, Slot, Interview, Candidate)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(Interview, Interview.id == Booking.interview_id)
        .join(Candidate, Candidate.id == Booking.candidate_id)
    )
    if since is not None:
        stmt = stmt.where(Slot.ends_at >= since)
    if not include_cancelled:
        stmt = stmt.where(Booking.status == BookingStatus.ACTIVE)
    return stmt


def _booking_view(b: Booking, s: Slot, i: Interview, c: Candidate) -> BookingView:
    return BookingView(
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


def list_bookings(
    db: Tx, *, since: datetime | None = None, include_cancelled: bool = False
) -> list[BookingView]:
    stmt = _bookings_query(since, include_cancelled).order_by(Slot.starts_at, Booking.id)
    with reading(db) as session:
        return [_booking_view(b, s, i, c) for b, s, i, c in session.execute(stmt).all()]


def page_bookings(
    db: Tx,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    include_cancelled: bool = False,
    interview_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
    principal: Principal | None = None,
) -> tuple[int, list[BookingView]]:
    """One page of the bookings (by slot start) whose slot ends at or after ``since`` and
    starts before ``until``, active only unless ``include_cancelled``, of one interview when
    ``interview_id`` is given; and how many match in all."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    stmt = _bookings_query(since, include_cancelled)
    if until is not None:
        stmt = stmt.where(Slot.starts_at < until)
    if interview_id is not None:
        stmt = stmt.where(Booking.interview_id == interview_id)
    counted = select(func.count()).select_from(stmt.with_only_columns(Booking.id).subquery())
    page = stmt.order_by(Slot.starts_at, Booking.id).offset(max(0, offset)).limit(max(1, limit))
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        return count, [_booking_view(b, s, i, c) for b, s, i, c in session.execute(page).all()]


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
