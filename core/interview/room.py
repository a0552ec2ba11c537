"""What one click in the interview room does, composed from the flow, the evaluator and the
interviewer — so the page, the HTTP API and tests run the same steps.

Each use case takes the candidate's principal (from their secret link), the interview's tab
token and the time. Storing the answer is one transaction; scoring and the follow-up that come
after it may be slow (an LLM) and run outside it: when they fail the answer stays stored and
the interview's completion scores it later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from core.clock import FixedClock
from core.db.models import InterviewQuestion
from core.db.uow import Tx, reading
from core.interview import flow, follow_ups
from core.interview.completion import Completion, finish_interview
from core.interview.grading import DeferredGrading
from core.interview.transcripts import SpokenAnswers, rescore_if_heard_late
from core.interview.view import FlowError
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.types import Evaluator
from core.interviewer.conversation import answer_clarification
from core.interviewer.evaluation import evaluate_response
from core.staff.permissions import Action, CandidatePrincipal, require

logger = logging.getLogger(__name__)

TRANSCRIPT_WAIT_SECONDS = 30.0

INTERVIEWER_BUSY = (
    "The interviewer could not answer just now. Your question is saved with the interview; "
    "state your assumption in your answer and carry on."
)


@dataclass(frozen=True)
class SubmittedAnswer:
    response_id: int
    first: bool  # False: it had been submitted already, and the first answer stands
    evaluated: bool  # scored now (else it is scored when the interview completes)
    follow_up: str | None  # the interviewer's follow-up, when there is one


@dataclass(frozen=True)
class InterviewerReply:
    question: str
    reply: str
    answered: bool  # False: the interviewer failed and the reply says so


def submit_answer(
    db: Tx,
    evaluator: Evaluator,
    interviewer: Interviewer,
    principal: CandidatePrincipal,
    interview_id: int,
    question_id: int,
    *,
    text: str,
    code: str,
    token: str,
    now: datetime,
    spoken: SpokenAnswers | None = None,
    grading: DeferredGrading | None = None,
) -> SubmittedAnswer:
    """Store the final answer, score it and let the interviewer follow up.

    With ``spoken``, a recording still being transcribed is waited for (up to
    ``TRANSCRIPT_WAIT_SECONDS``, on the worker) so it is scored on its words; otherwise, or past
    the wait, it is scored flagged for review and scored again when its transcript arrives.
    With ``grading``, an LLM's grade runs on its worker and the offline score stands until then
    (the page never waits for the model's grade)."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    response_id, first = flow.submit(
        db, interview_id, question_id, text=text, code=code, token=token, now=now
    )
    if not first:
        return SubmittedAnswer(response_id, False, False, None)
    if spoken is not None:
        spoken.settle(question_id, TRANSCRIPT_WAIT_SECONDS)
    try:
        if grading is not None:
            grading.grade(response_id)
        else:
            evaluate_response(db, evaluator, response_id)
        if spoken is not None:  # its transcript may have landed while it was being scored
            rescore_if_heard_late(db, evaluator, question_id)
    except Exception:  # the answer is stored; completion scores it again
        logger.exception("evaluation after submit failed for response %s", response_id)
        return SubmittedAnswer(response_id, True, False, None)
    try:
        asked = follow_ups.ask_next(db, interviewer, question_id, now=now)
    except Exception:
        logger.exception("follow-up after submit failed for response %s", response_id)
        asked = None
    return SubmittedAnswer(response_id, True, True, asked.text if asked else None)


def answer_follow_up(
    db: Tx,
    evaluator: Evaluator,
    interviewer: Interviewer,
    principal: CandidatePrincipal,
    interview_id: int,
    follow_up_id: int,
    *,
    text: str,
    token: str,
    now: datetime,
    grading: DeferredGrading | None = None,
) -> str | None:
    """The candidate answers the interviewer's follow-up: stored, the question scored again
    with it; returns the next follow-up's text, or None to move on to the next question."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    asked = follow_ups.answer(
        db,
        evaluator,
        interviewer,
        interview_id,
        follow_up_id,
        text=text,
        token=token,
        now=now,
        grading=grading,
    )
    return asked.text if asked else None


def skip_follow_up(
    db: Tx,
    principal: CandidatePrincipal,
    interview_id: int,
    follow_up_id: int,
    *,
    token: str,
    now: datetime,
) -> None:
    """The candidate moves on without answering the follow-up."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    follow_ups.move_on(db, interview_id, follow_up_id, token=token, now=now)


def save_follow_up_draft(
    db: Tx,
    principal: CandidatePrincipal,
    interview_id: int,
    follow_up_id: int,
    *,
    text: str,
    token: str,
    now: datetime,
) -> None:
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    follow_ups.save_draft(db, interview_id, follow_up_id, text=text, token=token, now=now)


def ask_interviewer(
    db: Tx,
    interviewer: Interviewer,
    principal: CandidatePrincipal,
    interview_id: int,
    question_id: int,
    text: str,
    *,
    token: str,
    now: datetime,
) -> InterviewerReply:
    """The candidate asks about the current question; the interviewer replies (both stored)."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    flow.require_live(db, interview_id, token=token, now=now)
    with reading(db) as session:
        question = session.get(InterviewQuestion, question_id)
        if question is None or question.interview_id != interview_id:
            raise FlowError("That question is not part of this interview.")
    try:
        asked, answered = answer_clarification(db, interviewer, question_id, text, FixedClock(now))
    except FlowError:
        raise
    except ValueError as exc:  # empty or too long: the message says which
        raise FlowError(f"Your question could not be sent: {exc}.") from exc
    except Exception:
        logger.exception("the interviewer could not answer on question %s", question_id)
        return InterviewerReply(text.strip(), INTERVIEWER_BUSY, False)
    return InterviewerReply(asked.content, answered.content, True)


def finish(
    db: Tx,
    evaluator: Evaluator,
    principal: CandidatePrincipal,
    interview_id: int,
    *,
    now: datetime,
    reason: str,
) -> Completion:
    """The candidate ends the interview (or its time ran out while the page was open)."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    return finish_interview(db, evaluator, interview_id, now=now, reason=reason)
