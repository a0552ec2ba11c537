"""Booking interviews into slots: atomic, with the secret link and the email in one transaction.

Each action is one write transaction. On SQLite it begins IMMEDIATE (writers queue); on
PostgreSQL the slot and candidate rows are locked FOR UPDATE. Either way the capacity check and
the insert cannot interleave, so a slot never takes more bookings than its capacity. Every
refusal is a BookingError whose ``code`` and message name the cause.

Every use case takes an optional ``principal``: when given (pages, the HTTP API) it must be
allowed ``MANAGE_SCHEDULE``, checked before anything is read or written; the command line,
the seed and fixtures act as the operator and pass none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Booking, Candidate, Interview, Slot
from core.db.uow import Tx, writing
from core.domain import AccessKeyState, BookingStatus, InterviewStatus
from core.errors import IntervistaError
from core.integrations.events import Event, emit
from core.mail.messages import (
    InvitationDetails,
    cancellation_email,
    invitation_email,
    reschedule_email,
)
from core.mail.queue import withdraw_waiting_links
from core.mail.worker import enqueue
from core.scheduling import access
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

logger = logging.getLogger(__name__)
SUPERSEDED_BY_RESCHEDULE = (
    "Not sent: the booking was moved before it went out; the reschedule message carries the "
    "new time and link."
)
WITHDRAWN_BY_CANCEL = "Not sent: the booking was cancelled before it went out."


class BookingError(IntervistaError, ValueError):
    code = "booking_refused"
    status = 409

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class BookingResult:
    booking_id: int
    interview_id: int
    slot_id: int
    link: str | None  # shown once; None after a cancellation
    outbox_id: int


def _locked_slot(session: Session, slot_id: int) -> Slot:
    slot = session.scalars(select(Slot).where(Slot.id == slot_id).with_for_update()).first()
    if slot is None:
        raise BookingError("missing_slot", "That slot no longer exists.")
    return slot


def _interview(session: Session, interview_id: int) -> tuple[Interview, Candidate]:
    interview = session.get(Interview, interview_id)
    if interview is None:
        raise BookingError("missing_interview", f"Interview {interview_id} does not exist.")
    candidate = session.scalars(
        select(Candidate).where(Candidate.id == interview.candidate_id).with_for_update()
    ).one()
    if interview.status is not InterviewStatus.SCHEDULED:
        raise BookingError(
            "interview_not_bookable",
            f"Interview {interview_id} is {interview.status.value.replace('_', ' ')}; "
            "only scheduled interviews can be booked.",
        )
    return interview, candidate


def _check_slot(session: Session, slot: Slot, now: datetime) -> None:
    if slot.starts_at <= now:
        raise BookingError("slot_in_past", "That slot has already started or is in the past.")
    taken = session.scalar(
        select(func.count(Booking.id)).where(
            Booking.slot_id == slot.id, Booking.status == BookingStatus.ACTIVE
        )
    )
    if (taken or 0) >= slot.capacity:
        raise BookingError("slot_full", f"The slot is full ({slot.capacity} of {slot.capacity}).")


def _check_candidate_free(
    session: Session, candidate: Candidate, slot: Slot, exclude_booking: int | None
) -> None:
    stmt = (
        select(Booking.id)
        .join(Slot, Slot.id == Booking.slot_id)
        .where(
            Booking.candidate_id == candidate.id,
            Booking.status == BookingStatus.ACTIVE,
            Slot.starts_at < slot.ends_at,
            Slot.ends_at > slot.starts_at,
        )
    )
    if exclude_booking is not None:
        stmt = stmt.where(Booking.id != exclude_booking)
    if session.scalars(stmt).first() is not None:
        raise BookingError(
            "candidate_already_booked",
            f"{candidate.full_name} already has a booking that overlaps this slot.",
        )


def invitation_details(
    interview: Interview, candidate: Candidate, slot: Slot, booking: Booking, link: str | None
) -> InvitationDetails:
    return InvitationDetails(
        candidate_name=candidate.full_name,
        candidate_email=candidate.email,
        candidate_timezone=candidate.timezone,
        interview_title=interview.title,
        company=interview.company_name,
        job_role=interview.job_role,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        link=link,
        calendar_uid=booking.calendar_uid,
        sequence=booking.calendar_sequence,
        enable_video=interview.enable_video,
        enable_audio=interview.enable_audio,
    )


def new_link(session: Session, settings: Settings, interview: Interview, slot: Slot) -> str:
    expires = slot.ends_at + timedelta(hours=settings.access_key_ttl_hours)
    raw = access.issue_key(session, interview.id, expires)
    return access.interview_link(settings.public_base_url, raw)


def book(
    db: Tx,
    settings: Settings,
    *,
    interview_id: int,
    slot_id: int,
    now: datetime,
    actor_id: int | None = None,
    notes: str = "",
    principal: Principal | None = None,
) -> BookingResult:
    """Book an interview into a slot, issue its key and queue the invitation."""
    require_given(principal, Action.MANAGE_SCHEDULE, interview_id=interview_id)
    with writing(db) as session:
        slot = _locked_slot(session, slot_id)
        interview, candidate = _interview(session, interview_id)
        active = session.scalars(
            select(Booking.id).where(
                Booking.interview_id == interview.id, Booking.status == BookingStatus.ACTIVE
            )
        ).first()
        if active is not None:
            raise BookingError(
                "interview_already_booked",
                f"Interview {interview.id} is already booked; reschedule it instead.",
            )
        _check_slot(session, slot, now)
        _check_candidate_free(session, candidate, slot, exclude_booking=None)
        booking = Booking(
            slot_id=slot.id,
            interview_id=interview.id,
            candidate_id=candidate.id,
            notes=notes.strip(),
        )
        session.add(booking)
        session.flush()
        booking.calendar_uid = f"booking-{booking.id}@intervista"
        interview.scheduled_at = slot.starts_at
        if interview.open_until is not None:  # a slot replaces an on-demand invitation
            interview.open_until = None
            access.revoke_keys(session, interview.id, AccessKeyState.REVOKED)
        withdraw_waiting_links(session, interview.id, SUPERSEDED_BY_RESCHEDULE)
        link = new_link(session, settings, interview, slot)
        email = invitation_email(
            invitation_details(interview, candidate, slot, booking, link), settings
        )
        outbox_id = enqueue(session, email, interview_id=interview.id, now=now, secret_link=link)
        record_audit(
            session,
            actor_id,
            "booking.create",
            "booking",
            booking.id,
            {"slot_id": slot.id, "interview_id": interview.id},
        )
        return BookingResult(booking.id, interview.id, slot.id, link, outbox_id)


def _active_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None or booking.status is not BookingStatus.ACTIVE:
        raise BookingError("missing_booking", "That booking does not exist or was cancelled.")
    return booking


def reschedule(
    db: Tx,
    settings: Settings,
    *,
    booking_id: int,
    new_slot_id: int,
    now: datetime,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> BookingResult:
    """Move a booking to another slot; a new link replaces the old; an update is emailed."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    with writing(db) as session:
        booking = _active_booking(session, booking_id)
        if booking.slot_id == new_slot_id:
            raise BookingError("same_slot", "The booking is already in that slot.")
        slot = _locked_slot(session, new_slot_id)
        interview, candidate = _interview(session, booking.interview_id)
        _check_slot(session, slot, now)
        _check_candidate_free(session, candidate, slot, exclude_booking=booking.id)
        old_slot = booking.slot_id
        booking.slot_id = slot.id
        booking.calendar_sequence += 1
        interview.scheduled_at = slot.starts_at
        if interview.open_until is not None:  # a slot replaces an on-demand invitation
            interview.open_until = None
            access.revoke_keys(session, interview.id, AccessKeyState.REVOKED)
        withdraw_waiting_links(session, interview.id, SUPERSEDED_BY_RESCHEDULE)
        link = new_link(session, settings, interview, slot)
        email = reschedule_email(
            invitation_details(interview, candidate, slot, booking, link), settings
        )
        outbox_id = enqueue(session, email, interview_id=interview.id, now=now, secret_link=link)
        record_audit(
            session,
            actor_id,
            "booking.reschedule",
            "booking",
            booking.id,
            {"from_slot": old_slot, "to_slot": slot.id},
        )
        return BookingResult(booking.id, interview.id, slot.id, link, outbox_id)


def cancel(
    db: Tx,
    settings: Settings,
    *,
    booking_id: int,
    now: datetime,
    actor_id: int | None = None,
    cancel_interview: bool = False,
    principal: Principal | None = None,
) -> BookingResult:
    """Cancel a booking (freeing its place), revoke the link and email a calendar cancel."""
    require_given(principal, Action.MANAGE_SCHEDULE)
    with writing(db) as session:
        booking = _active_booking(session, booking_id)
        slot = session.get(Slot, booking.slot_id)
        interview = session.get(Interview, booking.interview_id)
        candidate = session.get(Candidate, booking.candidate_id)
        assert slot is not None and interview is not None and candidate is not None
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.calendar_sequence += 1
        access.revoke_keys(session, interview.id, AccessKeyState.REVOKED)
        withdraw_waiting_links(session, interview.id, WITHDRAWN_BY_CANCEL)
        if cancel_interview:
            interview.status = InterviewStatus.CANCELLED
            emit(session, Event.INTERVIEW_CANCELLED, interview_id=interview.id, now=now)
        elif interview.status is InterviewStatus.SCHEDULED:
            interview.scheduled_at = None
        email = cancellation_email(
            invitation_details(interview, candidate, slot, booking, None), settings
        )
        outbox_id = enqueue(session, email, interview_id=interview.id, now=now)
        record_audit(
            session,
            actor_id,
            "booking.cancel",
            "booking",
            booking.id,
            {"cancel_interview": cancel_interview},
        )
        return BookingResult(booking.id, interview.id, slot.id, None, outbox_id)
