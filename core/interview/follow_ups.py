"""Follow-ups asked *before* moving on: after an answer is scored, the interviewer may ask up
to the template's ``max_follow_ups`` questions aimed at what the answer missed. The candidate
answers one (or moves on) and only then sees the next question. Each follow-up answer is stored
and scored with its question (the first answer and the follow-up answers as one text; the
question keeps the better score, so a follow-up can only add).

Model calls (an LLM follow-up, an evaluation) run outside any transaction: read, compute, write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db.models import (
    ChatMessage,
    FollowUp,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
)
from core.db.uow import Tx, reading, writing
from core.domain import ChatRole, FollowUpStatus, ResponseStatus
from core.interview.flow import MAX_ANSWER_CHARS, live_interview
from core.interview.grading import DeferredGrading
from core.interview.view import FlowError
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.records import question_spec, result_view
from core.interviewer.ai.types import Evaluator
from core.interviewer.evaluation import answered_follow_ups, evaluate_response

logger = logging.getLogger(__name__)

DEFAULT_MAX_FOLLOW_UPS = 1  # interviews made without a template
MAX_FOLLOW_UPS_LIMIT = 3


@dataclass(frozen=True)
class AskedFollowUp:
    id: int
    question_id: int
    round: int
    text: str
    source: str
    aimed_at: tuple[str, ...]
    status: FollowUpStatus
    answer_text: str
    score: float | None  # the question's score with this answer counted


def _view(f: FollowUp) -> AskedFollowUp:
    return AskedFollowUp(
        f.id,
        f.question_id,
        f.round,
        f.text,
        f.source,
        tuple(f.aimed_at or ()),
        FollowUpStatus(f.status),
        f.answer_text,
        f.score,
    )


def max_follow_ups(session: Session, interview: Interview) -> int:
    t = session.get(InterviewTemplate, interview.template_id) if interview.template_id else None
    allowed = t.max_follow_ups if t is not None else DEFAULT_MAX_FOLLOW_UPS
    return max(0, min(MAX_FOLLOW_UPS_LIMIT, allowed))


def follow_ups_of(db: Tx, question_id: int) -> list[AskedFollowUp]:
    with reading(db) as session:
        return [_view(f) for f in _rows(session, question_id)]


def _rows(session: Session, question_id: int) -> list[FollowUp]:
    return list(
        session.scalars(
            select(FollowUp).where(FollowUp.question_id == question_id).order_by(FollowUp.round)
        )
    )


def ask_next(
    db: Tx, interviewer: Interviewer, question_id: int, *, now: datetime
) -> AskedFollowUp | None:
    """Ask the next follow-up on a scored answer, if the template allows one more and the
    answer (with the follow-up answers so far) still misses something. Idempotent: an open
    follow-up is returned as it is."""
    with reading(db) as session:
        q = session.get(InterviewQuestion, question_id)
        if q is None:
            raise FlowError("That question is not part of this interview.")
        interview = session.get(Interview, q.interview_id)
        r = session.scalars(
            select(InterviewResponse).where(InterviewResponse.question_id == question_id)
        ).first()
        if interview is None or r is None or r.status is not ResponseStatus.SUBMITTED:
            return None
        if not r.is_evaluated:
            return None  # scored at completion; no follow-up without a score to aim it
        rows = _rows(session, question_id)
        open_one = next((f for f in rows if f.status is FollowUpStatus.OPEN), None)
        if open_one is not None:
            return _view(open_one)
        if len(rows) >= max_follow_ups(session, interview):
            return None
        spec, result = question_spec(q), result_view(r)
        answer = "\n\n".join([r.text_response, *answered_follow_ups(session, question_id)])
        asked = tuple(f.text for f in rows)
        interview_id, next_round = q.interview_id, len(rows) + 1
    message = interviewer.follow_up(spec, answer, result, asked)
    if message is None:
        return None
    try:
        with writing(db) as session:
            row = FollowUp(
                interview_id=interview_id,
                question_id=question_id,
                round=next_round,
                text=message.text,
                source=message.source,
                aimed_at=list(message.aimed_at),
                status=FollowUpStatus.OPEN,
                asked_at=now,
            )
            session.add(row)
            session.add(
                ChatMessage(
                    interview_id=interview_id,
                    question_id=question_id,
                    role=ChatRole.INTERVIEWER,
                    content=message.text,
                    created_at=now,
                )
            )
            session.flush()
            return _view(row)
    except IntegrityError:  # another tab or worker asked this round first
        with reading(db) as session:
            return next(
                (_view(f) for f in _rows(session, question_id) if f.round == next_round), None
            )


def _open_row(session: Session, interview_id: int, follow_up_id: int) -> FollowUp:
    f = session.get(FollowUp, follow_up_id, with_for_update=True)
    if f is None or f.interview_id != interview_id:
        raise FlowError("That follow-up is not part of this interview.")
    return f


def save_draft(
    db: Tx, interview_id: int, follow_up_id: int, *, text: str, token: str, now: datetime
) -> None:
    """Keep what the candidate types in reply to a follow-up (a reload shows it again)."""
    with writing(db) as session:
        live_interview(session, interview_id, token, now)
        f = _open_row(session, interview_id, follow_up_id)
        if f.status is FollowUpStatus.OPEN:
            f.answer_text = text[:MAX_ANSWER_CHARS]
            f.draft_saved_at = now


def answer(
    db: Tx,
    evaluator: Evaluator,
    interviewer: Interviewer,
    interview_id: int,
    follow_up_id: int,
    *,
    text: str,
    token: str,
    now: datetime,
    grading: DeferredGrading | None = None,
) -> AskedFollowUp | None:
    """Store the reply, score the question with it, and return the next follow-up (or None:
    move on). A second press finds it answered and changes nothing."""
    if len(text) > MAX_ANSWER_CHARS:
        raise FlowError("The answer is too long; shorten it and submit again.")
    with writing(db) as session:
        live_interview(session, interview_id, token, now)
        f = _open_row(session, interview_id, follow_up_id)
        if f.status is not FollowUpStatus.OPEN:
            return None  # a double press: the first one stands
        question_id = f.question_id
        f.answer_text, f.status, f.answered_at = text.strip(), FollowUpStatus.ANSWERED, now
        if text.strip():
            session.add(
                ChatMessage(
                    interview_id=interview_id,
                    question_id=question_id,
                    role=ChatRole.CANDIDATE,
                    content=text.strip(),
                    created_at=now,
                )
            )
        else:
            f.status = FollowUpStatus.PASSED  # an empty reply is moving on
        response_id = session.scalars(
            select(InterviewResponse.id).where(InterviewResponse.question_id == question_id)
        ).one()
    if not text.strip():
        return None
    try:
        stored = (
            grading.grade(response_id, again=True)
            if grading is not None
            else evaluate_response(db, evaluator, response_id, force=True, only_if_better=True)
        )
        with writing(db) as session:
            row = session.get(FollowUp, follow_up_id)
            if row is not None:
                row.score = stored.score
                missed = stored.metrics.get("criteria_missed", [])
                row.evaluation = {
                    "criteria_missed": list(missed) if isinstance(missed, list) else [],
                    "engine": stored.engine,
                }
    except Exception:  # the reply is stored; completion scores the question again
        logger.exception("scoring after follow-up %s failed", follow_up_id)
        with writing(db) as session:
            r = session.get(InterviewResponse, response_id)
            if r is not None:
                r.is_evaluated = False
        return None
    try:
        return ask_next(db, interviewer, question_id, now=now)
    except Exception:
        logger.exception("the next follow-up after %s could not be asked", follow_up_id)
        return None


def move_on(db: Tx, interview_id: int, follow_up_id: int, *, token: str, now: datetime) -> None:
    """The candidate moves on without answering the follow-up (no score is taken away)."""
    with writing(db) as session:
        live_interview(session, interview_id, token, now)
        f = _open_row(session, interview_id, follow_up_id)
        if f.status is FollowUpStatus.OPEN:
            f.status = FollowUpStatus.PASSED
