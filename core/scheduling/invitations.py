"""On-demand invitations: a link that works from now until a deadline, for interviews taken
whenever the candidate likes (asynchronous interviews, Greenhouse's ``send_test``).

One transaction: the interview's ``open_until`` is set, any earlier link is revoked and any
message still waiting with it withdrawn, a new key is issued that expires at the deadline, the
invitation is queued, and one reminder is queued to go out ``invitation_reminder_hours`` before
the deadline (when that is still ahead). A reminder whose interview was completed or cancelled
meanwhile is withdrawn by ``withdraw_reminders`` (called when the interview ends), so nobody is
reminded of an interview they already took. An interview booked into a slot is not invited on
demand (cancel the booking first) and vice versa (``core.scheduling.booking`` refuses it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Booking, Candidate, EmailOutbox, Interview
from core.db.uow import Tx, writing
from core.domain import AccessKeyState, BookingStatus, InterviewStatus, OutboxStatus
from core.errors import IntervistaError, NotFound
from core.mail.messages import InvitationDetails
from core.mail.on_demand import on_demand_invitation_email, reminder_email
from core.mail.queue import enqueue, withdraw_waiting_links
from core.scheduling import access
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

logger = logging.getLogger(__name__)

MIN_OPEN = timedelta(hours=1)
MAX_OPEN = timedelta(days=90)
REMINDER_KIND = "reminder"
REPLACED = "Not sent: a newer invitation replaced this one."
INTERVIEW_ENDED = "Not sent: the interview was completed or cancelled before it went out."


class InvitationError(IntervistaError, ValueError):
    code = "invitation_refused"
    status = 409


class DeadlineError(InvitationError):
    """The deadline asked for is unusable (no time zone, too soon, too far): bad input."""

    code = "invitation_deadline_invalid"
    status = 422


@dataclass(frozen=True)
class OnDemandInvitation:
    interview_id: int
    candidate_name: str
    candidate_email: str
    link: str  # the raw link: returned once, kept only while its messages wait
    opens_at: datetime
    deadline: datetime
    outbox_id: int
    reminder_outbox_id: int | None
    reminder_at: datetime | None = None  # when the reminder goes out (None: no reminder)


def _details(
    interview: Interview, candidate: Candidate, link: str, now: datetime, deadline: datetime
) -> InvitationDetails:
    return InvitationDetails(
        candidate_name=candidate.full_name,
        candidate_email=candidate.email,
        candidate_timezone=candidate.timezone,
        interview_title=interview.title,
        company=interview.company_name,
        job_role=interview.job_role,
        starts_at=now,
        ends_at=deadline,
        link=link,
        calendar_uid=f"on-demand-{interview.id}@intervista",
        sequence=0,
        enable_video=interview.enable_video,
        enable_audio=interview.enable_audio,
    )


def _check_deadline(deadline: datetime, now: datetime) -> None:
    if deadline.tzinfo is None:
        raise DeadlineError("The deadline needs a time zone.", code="deadline_naive")
    if deadline < now + MIN_OPEN:
        raise DeadlineError(
            "The deadline must be at least an hour from now.", code="deadline_too_soon"
        )
    if deadline > now + MAX_OPEN:
        raise DeadlineError(
            "The deadline must be within 90 days from now.", code="deadline_too_far"
        )


def invite_on_demand(
    db: Tx,
    settings: Settings,
    *,
    interview_id: int,
    now: datetime,
    deadline: datetime | None = None,
    actor_id: int | None = None,
    principal: Principal | None = None,
    session: Session | None = None,
) -> OnDemandInvitation:
    """Invite the interview's candidate to take it any time until ``deadline`` (default:
    ``invitation_days`` from now). ``session``: run inside the caller's transaction (Greenhouse's
    ``send_test`` creates the interview and invites in one)."""
    require_given(principal, Action.MANAGE_SCHEDULE, interview_id=interview_id)
    deadline = deadline or now + timedelta(days=settings.invitation_days)
    _check_deadline(deadline, now)
    deadline = deadline.astimezone(UTC)
    if session is not None:
        return _invite(session, settings, interview_id, now, deadline, actor_id)
    with writing(db) as own:
        return _invite(own, settings, interview_id, now, deadline, actor_id)


def _invite(
    session: Session,
    settings: Settings,
    interview_id: int,
    now: datetime,
    deadline: datetime,
    actor_id: int | None,
) -> OnDemandInvitation:
    interview = session.get(Interview, interview_id, with_for_update=True)
    if interview is None:
        raise NotFound(f"There is no interview #{interview_id}.")
    candidate = session.get(Candidate, interview.candidate_id)
    assert candidate is not None
    if interview.status is not InterviewStatus.SCHEDULED:
        raise InvitationError(
            f"Interview {interview.id} is {interview.status.value.replace('_', ' ')}; "
            "only an interview not yet started can be invited.",
            code="interview_not_schedulable",
        )
    booked = session.scalars(
        select(Booking.id).where(
            Booking.interview_id == interview.id, Booking.status == BookingStatus.ACTIVE
        )
    ).first()
    if booked is not None:
        raise InvitationError(
            f"Interview {interview.id} is booked into a slot; cancel the booking first.",
            code="interview_already_booked",
        )
    access.revoke_keys(session, interview.id, AccessKeyState.REVOKED)
    withdraw_waiting_links(session, interview.id, REPLACED)
    interview.open_until = deadline
    interview.scheduled_at = None
    raw = access.issue_key(session, interview.id, deadline)
    link = access.interview_link(settings.public_base_url, raw)
    details = _details(interview, candidate, link, now, deadline)
    outbox_id = enqueue(
        session,
        on_demand_invitation_email(details, settings),
        interview_id=interview.id,
        now=now,
        secret_link=link,
    )
    reminder_id = None
    remind_at = deadline - timedelta(hours=settings.invitation_reminder_hours)
    if settings.invitation_reminder_hours > 0 and remind_at > now + timedelta(minutes=30):
        reminder_id = enqueue(
            session,
            reminder_email(details, settings),
            interview_id=interview.id,
            now=now,
            secret_link=link,
        )
        row = session.get(EmailOutbox, reminder_id)
        assert row is not None
        row.next_attempt_at = remind_at
    record_audit(
        session,
        actor_id,
        "invitation.on_demand",
        "interview",
        interview.id,
        {"deadline": deadline.isoformat()},
    )
    return OnDemandInvitation(
        interview.id,
        candidate.full_name,
        candidate.email,
        link,
        now,
        deadline,
        outbox_id,
        reminder_id,
        remind_at if reminder_id is not None else None,
    )


def withdraw_reminders(session: Session, interview_id: int) -> int:
    """Withdraw the interview's reminders still waiting (it was completed or cancelled), in the
    caller's transaction. Returns how many."""
    t = EmailOutbox
    result = session.execute(
        update(t)
        .where(
            t.interview_id == interview_id,
            t.kind == REMINDER_KIND,
            t.status == OutboxStatus.QUEUED,
        )
        .values(status=OutboxStatus.FAILED, last_error=INTERVIEW_ENDED, secret_link=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
