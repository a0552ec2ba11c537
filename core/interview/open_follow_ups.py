"""Closing the follow-ups left open when an interview ends (called inside completion's
locked transaction; kept apart from ``follow_ups`` so that ``flow`` can call it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import FollowUp, InterviewResponse
from core.domain import FollowUpStatus, ResponseStatus


def close_open_follow_ups(session: Session, interview_id: int, now: datetime) -> None:
    """The interview ends with a follow-up open: a typed reply counts as the answer (the
    question is then scored again with it at completion); an empty one is passed."""
    rows = session.scalars(
        select(FollowUp)
        .where(FollowUp.interview_id == interview_id)
        .where(FollowUp.status == FollowUpStatus.OPEN)
    )
    for f in rows:
        if f.answer_text.strip():
            f.status, f.answered_at = FollowUpStatus.ANSWERED, now
            r = session.scalars(
                select(InterviewResponse).where(InterviewResponse.question_id == f.question_id)
            ).first()
            if r is not None and r.status is ResponseStatus.SUBMITTED:
                r.is_evaluated = False  # completion scores it again, reply included
        else:
            f.status = FollowUpStatus.PASSED
