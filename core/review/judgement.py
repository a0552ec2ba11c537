"""Human judgement on an interview: overrides, review flags, comments, decisions — all audited.

Every function takes an optional ``principal``: when given (pages, the HTTP API) it must be
allowed ``REVIEW_INTERVIEW``, else :class:`~core.errors.PermissionDenied` is raised before
anything is read or written; trusted callers (command line, fixtures) pass none."""

from __future__ import annotations

from datetime import datetime

from core.clock import FixedClock
from core.db.models import Interview, InterviewResponse, ReviewComment
from core.db.uow import Tx, writing
from core.domain import Decision, InterviewStatus
from core.errors import IntervistaError
from core.integrations.events import Event, emit
from core.interviewer import evaluation
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

MAX_COMMENT = 5000


class JudgementError(IntervistaError, ValueError):
    """The change cannot be made; the message says why."""

    code = "judgement_refused"


def _interview(session: object, interview_id: int) -> Interview:
    interview = session.get(Interview, interview_id)  # type: ignore[attr-defined]
    if interview is None:
        raise JudgementError("That interview no longer exists.")
    return interview


def record_view(
    db: Tx, interview_id: int, *, actor_id: int, principal: Principal | None = None
) -> None:
    require_given(principal, Action.REVIEW_INTERVIEW, interview_id=interview_id)
    with writing(db) as session:
        record_audit(session, actor_id, "review.view", "interview", interview_id)


def override_score(
    db: Tx,
    *,
    response_id: int,
    score: float,
    reason: str,
    actor_id: int,
    now: datetime,
    principal: Principal | None = None,
) -> None:
    """Store a human score beside the AI's (never over it) and rebuild the totals."""
    require_given(principal, Action.REVIEW_INTERVIEW)
    if len(reason.strip()) < 5:
        raise JudgementError("Give a reason for the override (at least a few words).")
    try:
        evaluation.override_score(db, response_id, score, reason, actor_id, FixedClock(now))
    except evaluation.EvaluationError as exc:
        raise JudgementError(f"The override was not saved: {exc}.") from exc
    _after_override(db, response_id)


def clear_override(
    db: Tx, *, response_id: int, actor_id: int, principal: Principal | None = None
) -> None:
    require_given(principal, Action.REVIEW_INTERVIEW)
    with writing(db) as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise JudgementError("That answer no longer exists.")
        response.override_score = None
        response.override_reason = ""
        response.override_by_id = None
        response.override_at = None
        record_audit(session, actor_id, "review.override_cleared", "response", response_id)
    _after_override(db, response_id)


def _after_override(db: Tx, response_id: int) -> None:
    """A human looked at it: no longer needs review; a completed interview's totals follow."""
    with writing(db) as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            return
        response.needs_review = False
        interview = session.get(Interview, response.interview_id)
        completed = interview is not None and interview.status is InterviewStatus.COMPLETED
        interview_id = response.interview_id
    if completed:
        evaluation.complete_interview_evaluation(db, interview_id)


def set_needs_review(
    db: Tx, interview_id: int, flag: bool, *, actor_id: int, principal: Principal | None = None
) -> None:
    require_given(principal, Action.REVIEW_INTERVIEW, interview_id=interview_id)
    with writing(db) as session:
        _interview(session, interview_id).needs_review = flag
        action = "review.flag" if flag else "review.unflag"
        record_audit(session, actor_id, action, "interview", interview_id)


def add_comment(
    db: Tx, interview_id: int, body: str, *, actor_id: int, principal: Principal | None = None
) -> None:
    require_given(principal, Action.REVIEW_INTERVIEW, interview_id=interview_id)
    text = body.strip()
    if not text:
        raise JudgementError("The comment is empty.")
    if len(text) > MAX_COMMENT:
        raise JudgementError(f"Comments are limited to {MAX_COMMENT} characters.")
    with writing(db) as session:
        _interview(session, interview_id)
        session.add(ReviewComment(interview_id=interview_id, author_id=actor_id, body=text))
        record_audit(session, actor_id, "review.comment", "interview", interview_id)


def set_decision(
    db: Tx,
    interview_id: int,
    decision: Decision,
    *,
    actor_id: int,
    now: datetime,
    principal: Principal | None = None,
) -> None:
    require_given(principal, Action.REVIEW_INTERVIEW, interview_id=interview_id)
    with writing(db) as session:
        interview = _interview(session, interview_id)
        previous = interview.decision
        interview.decision = decision
        interview.decision_by_id = actor_id
        interview.decision_at = now
        record_audit(
            session,
            actor_id,
            "review.decision",
            "interview",
            interview_id,
            {"decision": decision.value, "previous": previous},
        )
        emit(
            session,
            Event.REVIEW_DECIDED,
            interview_id=interview_id,
            now=now,
            data={"decision": decision.value, "previous": previous.value if previous else None},
        )
