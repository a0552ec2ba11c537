"""The seeds' ``create_interview_session``: the candidate's link to an interview that is booked
into a slot or invited on demand, emailed to them, with the details the seeds return.

In the seeds, booking made a schedule and this call then made the session, its link and the
email. In Intervista, booking (``core.scheduling.booking``) and an on-demand invitation
(``core.scheduling.invitations``) already issue the link and queue the email, so this call
answers for the interview as it stands, in one transaction:

- a message carrying the interview's current link still waits in the outbox (right after
  booking or inviting, or a second call): that link is returned and nothing changes, so the
  candidate gets one email with one working link (a new link would revoke the one on its way);
- booked, its invitation already sent: a fresh link replaces the old one and the booking's
  invitation, built afresh from the slot, is queued (``core.scheduling.link_resend``);
- invited on demand, its invitation already sent: the invitation is issued again with the same
  deadline (new link, the old one revoked, the reminder queued again); refused
  (``invitation_ending``) when less than an hour of it is left;
- neither booked nor invited (``not_booked_or_invited``), or started, completed, cancelled or
  expired (``interview_not_schedulable``): refused with 409 and what to do instead.

Permission: ``MANAGE_SCHEDULE`` (it is part of scheduling the interview), asked first; the
outbox's own re-send (``MANAGE_OUTBOX``) is then run as the trusted step it is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Booking, Candidate, EmailOutbox, Interview, Slot
from core.db.uow import Tx, writing
from core.domain import BookingStatus, CodingLanguage, InterviewStatus, OutboxStatus
from core.errors import Conflict, NotFound
from core.scheduling.invitations import MIN_OPEN, invite_on_demand
from core.scheduling.link_resend import resend_with_new_link
from core.staff.permissions import Action, Principal, require_given

#: The kinds of message that carry the candidate's link to join (reminders repeat it later).
LINK_KINDS = ("invitation", "reschedule")


@dataclass(frozen=True)
class InterviewSession:
    """The candidate's way in: the link (and its key) and who, when and in what language."""

    interview_id: int
    link: str  # the raw link: returned to the caller once, kept only while its email waits
    session_key: str  # the link's secret key (also good for ``X-Interview-Key``)
    candidate_name: str
    candidate_email: str
    scheduled_at: datetime | None  # the slot's start; None for an on-demand invitation
    open_until: datetime | None  # an on-demand invitation's deadline; None for a slot
    coding_language: CodingLanguage
    booking_id: int | None
    outbox_id: int  # the message that carries the link
    reused: bool  # True: that message was already waiting; nothing new was issued


def key_of(link: str) -> str:
    """The secret key inside an interview link (``…/interview?key=…``)."""
    return parse_qs(urlparse(link).query).get("key", [""])[0]


def _waiting_link(session: Session, interview_id: int) -> EmailOutbox | None:
    stmt = (
        select(EmailOutbox)
        .where(
            EmailOutbox.interview_id == interview_id,
            EmailOutbox.kind.in_(LINK_KINDS),
            EmailOutbox.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING)),
            EmailOutbox.secret_link.is_not(None),
        )
        .order_by(EmailOutbox.id.desc())
    )
    return session.scalars(stmt.limit(1)).first()


def _refuse_unless_schedulable(interview: Interview, booking: Booking | None) -> None:
    if interview.status is not InterviewStatus.SCHEDULED:
        raise Conflict(
            f"Interview {interview.id} is {interview.status.value.replace('_', ' ')}; "
            "a link is only issued for an interview not yet started.",
            code="interview_not_schedulable",
        )
    if booking is None and interview.open_until is None:
        raise Conflict(
            f"Interview {interview.id} is neither booked nor invited: book it into a slot "
            "(book_slot) or invite the candidate on demand (invitation) first.",
            code="not_booked_or_invited",
        )


def create_interview_session(
    db: Tx,
    settings: Settings,
    *,
    interview_id: int,
    now: datetime,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> InterviewSession:
    """The interview's link, emailed to the candidate (see the module for which way)."""
    require_given(principal, Action.MANAGE_SCHEDULE, interview_id=interview_id)
    with writing(db) as session:
        interview = session.get(Interview, interview_id, with_for_update=True)
        if interview is None:
            raise NotFound(f"There is no interview #{interview_id}.", code="interview_not_found")
        candidate = session.get(Candidate, interview.candidate_id)
        assert candidate is not None
        booking = session.scalars(
            select(Booking).where(
                Booking.interview_id == interview.id, Booking.status == BookingStatus.ACTIVE
            )
        ).first()
        _refuse_unless_schedulable(interview, booking)
        open_until = interview.open_until if booking is None else None
        if open_until is not None and open_until < now + MIN_OPEN:
            when = f"{open_until:%Y-%m-%d %H:%M} UTC"
            ends = f"ended at {when}" if open_until <= now else f"ends at {when}, within the hour"
            raise Conflict(
                f"Interview {interview.id}'s invitation {ends}: invite the candidate again "
                "with a later deadline.",
                code="invitation_ending",
            )
        waiting = _waiting_link(session, interview.id)
        if waiting is not None and waiting.secret_link:
            outbox_id, link, reused = waiting.id, waiting.secret_link, True
        elif booking is not None:
            outbox_id = resend_with_new_link(
                session,
                settings,
                interview_id=interview.id,
                kind="invitation",
                now=now,
                actor_id=actor_id,
            )
            row = session.get(EmailOutbox, outbox_id)
            assert row is not None and row.secret_link is not None
            link, reused = row.secret_link, False
        else:
            assert open_until is not None
            sent = invite_on_demand(
                db,
                settings,
                interview_id=interview.id,
                now=now,
                deadline=open_until,
                actor_id=actor_id,
                session=session,
            )
            outbox_id, link, reused = sent.outbox_id, sent.link, False
        slot = session.get(Slot, booking.slot_id) if booking is not None else None
        return InterviewSession(
            interview_id=interview.id,
            link=link,
            session_key=key_of(link),
            candidate_name=candidate.full_name,
            candidate_email=candidate.email,
            scheduled_at=slot.starts_at if slot is not None else None,
            open_until=open_until,
            coding_language=CodingLanguage(interview.coding_language),
            booking_id=booking.id if booking is not None else None,
            outbox_id=outbox_id,
            reused=reused,
        )
