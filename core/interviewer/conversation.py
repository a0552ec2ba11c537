"""The interviewer's conversation and question generation (split from services.evaluation).

Model calls never run inside a database transaction: read, compute, then write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, SystemClock
from core.db.models import ChatMessage, Interview, InterviewQuestion
from core.db.uow import Tx, reading, writing
from core.domain import ChatRole, QuestionType
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.questions import QuestionGenerator
from core.interviewer.ai.records import (
    CreatedQuestion,
    StoredMessage,
    message_of,
    question_spec,
)
from core.interviewer.evaluation import MAX_CHAT_CHARS, EvaluationError
from core.interviewer.question_bank import SelectionRequest


def _add_message(
    db: Tx,
    interview_id: int,
    question_id: int | None,
    role: ChatRole,
    text: str,
    at: datetime,
) -> StoredMessage:
    with writing(db) as session:
        msg = ChatMessage(
            interview_id=interview_id,
            question_id=question_id,
            role=role,
            content=text,
            created_at=at,
        )
        session.add(msg)
        session.flush()
        return message_of(msg)


def answer_clarification(
    db: Tx,
    interviewer: Interviewer,
    question_id: int,
    candidate_text: str,
    clock: Clock | None = None,
) -> tuple[StoredMessage, StoredMessage]:
    """Store the candidate's clarifying question and the interviewer's reply; return both."""
    text = candidate_text.strip()
    if not text:
        raise EvaluationError("the question is empty")
    if len(text) > MAX_CHAT_CHARS:
        raise EvaluationError(f"the question is longer than {MAX_CHAT_CHARS} characters")
    with reading(db) as session:
        q = session.get(InterviewQuestion, question_id)
        if q is None:
            raise EvaluationError(f"question {question_id} does not exist")
        spec, interview_id = question_spec(q), q.interview_id
    clock = clock or SystemClock()
    asked = _add_message(db, interview_id, question_id, ChatRole.CANDIDATE, text, clock.now())
    reply = interviewer.clarify(spec, text)
    answered = _add_message(
        db, interview_id, question_id, ChatRole.INTERVIEWER, reply.text, clock.now()
    )
    return asked, answered


def generate_interview_questions(
    db: Tx, generator: QuestionGenerator, interview_id: int
) -> list[CreatedQuestion]:
    """Create the interview's questions (idempotent: existing questions are returned).

    Bank questions already asked to the same candidate in any interview are never repeated.
    """
    with reading(db) as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise EvaluationError(f"interview {interview_id} does not exist")
        existing = _existing_questions(session, interview_id)
        if existing:
            return existing
        used = {
            bank_id
            for bank_id in session.scalars(
                select(InterviewQuestion.bank_id)
                .join(Interview, Interview.id == InterviewQuestion.interview_id)
                .where(Interview.candidate_id == interview.candidate_id)
                .where(InterviewQuestion.bank_id.is_not(None))
            )
            if bank_id is not None  # already filtered in SQL; narrows str | None to str
        }
        skills = tuple(interview.required_skills or ())
        if interview.interview_type in ("technical", "coding"):
            skills = (*skills, interview.coding_language.label)
        request = SelectionRequest(
            job_role=interview.job_role,
            job_description=interview.job_description,
            required_skills=skills,
            question_type=QuestionType(str(interview.interview_type)),
            difficulty=interview.difficulty,
            count=max(1, interview.total_questions),
            seed_key=f"candidate:{interview.candidate_id}",
        )
    generated = generator.generate(request, exclude_bank_ids=used)
    with writing(db) as session:
        existing = _existing_questions(session, interview_id)
        if existing:  # another worker got there first
            return existing
        for order, g in enumerate(generated, start=1):
            session.add(
                InterviewQuestion(
                    interview_id=interview_id,
                    order=order,
                    question_text=g.text,
                    question_type=g.question_type,
                    difficulty=g.difficulty,
                    expected_duration_minutes=g.duration_minutes,
                    expected_answer=g.expected_answer,
                    evaluation_criteria=list(g.criteria),
                    follow_ups=list(g.follow_ups),
                    notes=g.notes,
                    is_ai_generated=g.is_ai_generated,
                    bank_id=g.bank_id,
                )
            )
        session.flush()
        return _existing_questions(session, interview_id)


def _existing_questions(session: Session, interview_id: int) -> list[CreatedQuestion]:
    rows = session.scalars(
        select(InterviewQuestion)
        .where(InterviewQuestion.interview_id == interview_id)
        .order_by(InterviewQuestion.order)
    )
    return [
        CreatedQuestion(
            q.id, q.order, q.question_text, q.question_type, q.bank_id, q.is_ai_generated
        )
        for q in rows
    ]
