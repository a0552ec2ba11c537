"""Greenhouse's ``test_status``: where a test it ordered stands, in Greenhouse's terms.

Our interview's status maps to ``partner_status``:

- scheduled → ``invited`` (``expired`` once its link's deadline has passed);
- in progress → ``in_progress``;
- completed with its evaluation → ``complete``, with ``partner_score`` (the evaluation's
  percentage, rounded: 0-100) and ``partner_profile_url`` (the Review page of the interview);
- completed, evaluation not made yet → ``in_progress`` (the results are not available);
- cancelled → ``cancelled``; expired → ``expired``.

Greenhouse keeps asking until it reads ``complete``. ``metadata`` is a flat object of primitives
Greenhouse shows beside the score: when the candidate started and finished, the deadline, how
many questions were answered, and the proctoring warnings (``core.proctor.warning_count``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import (
    Evaluation,
    GreenhouseOrder,
    Interview,
    InterviewResponse,
    ProctorEvent,
)
from core.db.uow import Tx, reading
from core.domain import InterviewStatus, ResponseStatus
from core.errors import NotFound
from core.integrations.greenhouse import require_partner
from core.proctor.warning_count import count_warnings
from core.staff.permissions import Principal

Primitive = str | int | float | bool | None

INVITED, IN_PROGRESS, COMPLETE = "invited", "in_progress", "complete"
CANCELLED, EXPIRED = "cancelled", "expired"


class UnknownPartnerInterview(NotFound):
    code = "unknown_partner_interview_id"


@dataclass(frozen=True)
class PartnerTestStatus:
    partner_status: str
    partner_profile_url: str | None = None
    partner_score: float | None = None
    metadata: dict[str, Primitive] = field(default_factory=dict)


def review_url(settings: Settings, interview_id: int) -> str:
    """The Review page of the interview (staff sign in there; the link survives sign-in)."""
    return f"{settings.public_base_url.rstrip('/')}/review?interview={interview_id}"


def partner_test_status(
    db: Tx,
    settings: Settings,
    *,
    partner_interview_id: str,
    now: datetime,
    principal: Principal | None,
) -> PartnerTestStatus:
    """Where the ordered test stands (see the module); 404 for an id we never gave."""
    require_partner(principal)
    with reading(db) as session:
        interview = session.scalars(
            select(Interview)
            .join(GreenhouseOrder, GreenhouseOrder.interview_id == Interview.id)
            .where(GreenhouseOrder.partner_interview_id == partner_interview_id)
        ).first()
        if interview is None:
            raise UnknownPartnerInterview(
                f"There is no test {partner_interview_id!r}: send_test gives the ids we know."
            )
        evaluation = session.scalars(
            select(Evaluation).where(Evaluation.interview_id == interview.id)
        ).first()
        status = _status(interview, evaluation is not None, now)
        metadata = _metadata(session, interview)
        if status != COMPLETE or evaluation is None:
            return PartnerTestStatus(status, metadata=metadata)
        score = float(round(min(100.0, max(0.0, evaluation.percentage))))
        return PartnerTestStatus(status, review_url(settings, interview.id), score, metadata)


def _status(interview: Interview, evaluated: bool, now: datetime) -> str:
    match interview.status:
        case InterviewStatus.SCHEDULED:
            past = interview.open_until is not None and interview.open_until <= now
            return EXPIRED if past else INVITED
        case InterviewStatus.IN_PROGRESS:
            return IN_PROGRESS
        case InterviewStatus.COMPLETED:
            return COMPLETE if evaluated else IN_PROGRESS
        case InterviewStatus.CANCELLED:
            return CANCELLED
        case _:
            return EXPIRED


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _metadata(session: Session, interview: Interview) -> dict[str, Primitive]:
    answered = session.scalar(
        select(func.count(InterviewResponse.id)).where(
            InterviewResponse.interview_id == interview.id,
            InterviewResponse.status == ResponseStatus.SUBMITTED,
        )
    )
    events = session.execute(
        select(ProctorEvent.kind, ProctorEvent.severity).where(
            ProctorEvent.interview_id == interview.id
        )
    ).all()
    return {
        "Test": interview.title,
        "Deadline": _iso(interview.open_until),
        "Started At": _iso(interview.started_at),
        "Completed At": _iso(interview.completed_at),
        "Questions": interview.total_questions,
        "Questions answered": int(answered or 0),
        "Warnings": count_warnings(events),
    }
