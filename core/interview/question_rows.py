"""One query several read models share: an interview's questions in order, each with its answer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import InterviewQuestion, InterviewResponse


def questions_with_responses(
    session: Session, interview_id: int
) -> list[tuple[InterviewQuestion, InterviewResponse | None]]:
    """(question, its response or None) for every question of the interview, by order."""
    rows = session.execute(
        select(InterviewQuestion, InterviewResponse)
        .outerjoin(InterviewResponse, InterviewResponse.question_id == InterviewQuestion.id)
        .where(InterviewQuestion.interview_id == interview_id)
        .order_by(InterviewQuestion.order)
    ).all()
    return [(question, response) for question, response in rows]
