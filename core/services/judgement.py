"""Human judgement on an interview: overrides, review flags, comments, decisions — all audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Interview, InterviewResponse, ReviewComment
from core.domain import Decision
from core.services.audit import record_audit

MAX_COMMENT = 5000


class JudgementError(ValueError):
    """The change cannot be made; the message says why."""


def _interview(session: object, interview_id: int) -> Interview:
    interview = session.get(Interview, interview_id)  # type: ignore[attr-defined]
    if interview is None:
        raise JudgementError("That interview no longer exists.")
    return interview


def record_view(db: Database, interview_id: int, *, actor_id: int) -> None:
    with db.write() as session:
        record_audit(session, actor_id, "review.view", "interview", interview_id)


def override_score(
    db: Database, *, response_id: int, score: float, reason: str, actor_id: int, now: datetime
) -> None:
    """Store a human score beside the AI's (never over it) and refresh the interview's totals."""
    if not 0 <= score <= 10:
        raise JudgementError("A score must be between 0 and 10.")
    if len(reason.strip()) < 5:
        raise JudgementError("Give a reason for the override (at least a few words).")
    with db.write() as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise JudgementError("That answer no longer exists.")
        previous = response.override_score
        response.override_score = round(float(score), 2)
        response.override_reason = reason.strip()[:MAX_COMMENT]
        response.override_by_id = actor_id
        response.override_at = now
        response.needs_review = False
        _refresh_totals(session, response.interview_id)
        record_audit(
            session,
            actor_id,
            "review.override",
            "response",
            response_id,
            {
                "ai_score": response.score,
                "previous_override": previous,
                "override": response.override_score,
            },
        )


def clear_override(db: Database, *, response_id: int, actor_id: int) -> None:
    with db.write() as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise JudgementError("That answer no longer exists.")
        response.override_score = None
        response.override_reason = ""
        response.override_by_id = None
        response.override_at = None
        _refresh_totals(session, response.interview_id)
        record_audit(session, actor_id, "review.override_cleared", "response", response_id)


def _refresh_totals(session: object, interview_id: int) -> None:
    """Totals use the human score where one is set, else the AI score."""
    interview = _interview(session, interview_id)
    scores = [
        r.override_score if r.override_score is not None else r.score
        for r in session.scalars(  # type: ignore[attr-defined]
            select(InterviewResponse).where(InterviewResponse.interview_id == interview_id)
        )
    ]
    scored = [s for s in scores if s is not None]
    if not scored or interview.max_score is None:
        return
    interview.total_score = round(sum(scored), 2)
    interview.percentage = round(100 * interview.total_score / interview.max_score, 1)


def set_needs_review(db: Database, interview_id: int, flag: bool, *, actor_id: int) -> None:
    with db.write() as session:
        _interview(session, interview_id).needs_review = flag
        action = "review.flag" if flag else "review.unflag"
        record_audit(session, actor_id, action, "interview", interview_id)


def add_comment(db: Database, interview_id: int, body: str, *, actor_id: int) -> None:
    text = body.strip()
    if not text:
        raise JudgementError("The comment is empty.")
    if len(text) > MAX_COMMENT:
        raise JudgementError(f"Comments are limited to {MAX_COMMENT} characters.")
    with db.write() as session:
        _interview(session, interview_id)
        session.add(ReviewComment(interview_id=interview_id, author_id=actor_id, body=text))
        record_audit(session, actor_id, "review.comment", "interview", interview_id)


def set_decision(
    db: Database, interview_id: int, decision: Decision, *, actor_id: int, now: datetime
) -> None:
    with db.write() as session:
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
