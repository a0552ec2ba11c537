"""Sending a candidate their interview link again, once the earlier message's link is gone.

A delivered message does not keep the candidate's link (``core.mail.secret_link``), nor does one
that was given up. Sending again therefore means a *new* link, which revokes the old one, in a
message built afresh from the booking as it is now (current slot, calendar sequence), never a
copy of the old text. It is refused, with its cause and nothing changed, when it would hurt:
- no active booking (cancelled): there is nothing to join;
- the interview has started or ended: a new key would lock the candidate out mid-interview;
- a message carrying this interview's link is still waiting: a second link would revoke the
  first before it arrives (a double click, or a reschedule not yet sent).

Permission: ``MANAGE_OUTBOX``, not ``MANAGE_SCHEDULE``. The only way in is the outbox's "send
again" (``core.mail.outbox.resend``, on the Outbox page, which is gated by ``MANAGE_OUTBOX``):
it re-sends a message whose link is no longer kept, and the new link is a consequence of
sending it again, not a change to the booking (slot, time and calendar sequence stay as they
are). Asking the outbox's action here keeps the page, the outbox use case and this step giving
one answer for one button.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Booking, Candidate, EmailOutbox, Interview, Slot
from core.domain import BookingStatus, InterviewStatus, OutboxStatus
from core.mail.messages import invitation_email, reschedule_email
from core.mail.queue import enqueue
from core.scheduling.booking import BookingError, invitation_details, new_link
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given


def resend_with_new_link(
    session: Session,
    settings: Settings,
    *,
    interview_id: int | None,
    kind: str,
    now: datetime,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> int:
    """Queue a fresh ``kind`` message (invitation or reschedule) with a new link, in the
    caller's transaction; return its outbox id. Raises BookingError (see the module).

    ``principal``, when given, must be allowed ``MANAGE_OUTBOX`` (see the module); it is
    checked before anything is read or written."""
    require_given(principal, Action.MANAGE_OUTBOX)
    stmt = select(Booking).where(
        Booking.interview_id == interview_id, Booking.status == BookingStatus.ACTIVE
    )
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()  # SQLite serializes writers already
    booking = session.scalars(stmt).first() if interview_id is not None else None
    if booking is None:
        raise BookingError(
            "missing_booking", "the interview has no active booking, so no link can be sent"
        )
    interview = session.get(Interview, booking.interview_id)
    candidate = session.get(Candidate, booking.candidate_id)
    slot = session.get(Slot, booking.slot_id)
    assert interview is not None and candidate is not None and slot is not None
    if interview.status is not InterviewStatus.SCHEDULED:
        raise BookingError(
            "interview_not_bookable",
            f"the interview is {interview.status.value.replace('_', ' ')}; a new link would "
            "revoke the one in use, so none is sent",
        )
    waiting = session.scalars(
        select(EmailOutbox.id).where(
            EmailOutbox.interview_id == interview.id,
            EmailOutbox.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING)),
            EmailOutbox.secret_link.is_not(None),
        )
    ).first()
    if waiting is not None:
        raise BookingError(
            "link_already_queued",
            f"message #{waiting} with this interview's link is still waiting to be sent",
        )
    link = new_link(session, settings, interview, slot)
    details = invitation_details(interview, candidate, slot, booking, link)
    build = reschedule_email if kind == "reschedule" else invitation_email
    outbox_id = enqueue(
        session, build(details, settings), interview_id=interview.id, now=now, secret_link=link
    )
    record_audit(
        session, actor_id, "booking.link_reissued", "booking", booking.id, {"outbox": outbox_id}
    )
    return outbox_id
