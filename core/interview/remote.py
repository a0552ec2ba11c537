"""Taking an interview through the HTTP API: the same use cases as the candidate's page.

The taker is a candidate holding the secret link (``X-Interview-Key``) or the owner of a
practice interview (a signed-in staff member); either way they act as the interview's
``CandidatePrincipal``. Their calls hold one "tab" (``Seat.token``), as a browser tab does: a
browser opening the link takes the interview over (the API client is then refused with the
flow's message, 409) and ``start`` takes it back. Time is the server's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from core.db.uow import Tx
from core.domain import InterviewStatus
from core.errors import Conflict
from core.interview import flow, room
from core.interview.api_views import (
    CandidateSide,
    OpenFollowUp,
    StoredAnswer,
    candidate_side,
    stored_answer,
)
from core.interview.completion import Completion
from core.interview.grading import DeferredGrading
from core.interview.view import FlowError
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.types import Evaluator
from core.staff.permissions import Action, CandidatePrincipal, require

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seat:
    """Who takes the interview, and the tab their calls hold."""

    principal: CandidatePrincipal
    token: str
    owner: bool  # a practice's owner (sees their scores) rather than a candidate


@dataclass(frozen=True)
class Submitted:
    answer: StoredAnswer
    first: bool  # False: submitted before; the first answer stands


def _show_current(db: Tx, interview_id: int, token: str, now: datetime) -> None:
    """The question now in front of the taker starts its own timer (as the page shows it)."""
    current = flow.load(db, interview_id).current
    if current is None or current.started_at is not None:
        return
    try:
        flow.mark_seen(db, interview_id, current.id, token=token, now=now)
    except FlowError:  # time ran out, or another tab took over meanwhile: nothing to start
        logger.debug("interview %s: current question not marked seen", interview_id)


def start(db: Tx, seat: Seat, interview_id: int, *, now: datetime) -> CandidateSide:
    """Start the interview, or take it back into this client's tab if it runs elsewhere."""
    require(seat.principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    flow.start(db, interview_id, token=seat.token, now=now)
    _show_current(db, interview_id, seat.token, now)
    return candidate_side(db, interview_id, owner=seat.owner)


def questions(db: Tx, seat: Seat, interview_id: int) -> CandidateSide:
    """The questions with the taker's answers; only once the interview has started."""
    require(seat.principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    side = candidate_side(db, interview_id, owner=seat.owner)
    if side.state.status is InterviewStatus.SCHEDULED:
        raise FlowError("The interview has not started yet: POST start/ first (its clock runs).")
    return side


def submit(
    db: Tx,
    evaluator: Evaluator,
    interviewer: Interviewer,
    grading: DeferredGrading | None,
    seat: Seat,
    interview_id: int,
    question_id: int,
    *,
    text: str,
    code: str,
    now: datetime,
) -> Submitted:
    """Store the final answer, score it and let the interviewer follow up (``room``); return
    the stored response (a second submit returns the first answer)."""
    done = room.submit_answer(
        db,
        evaluator,
        interviewer,
        seat.principal,
        interview_id,
        question_id,
        text=text,
        code=code,
        token=seat.token,
        now=now,
        grading=grading,
    )
    if done.first:
        _show_current(db, interview_id, seat.token, now)
    answer = stored_answer(db, done.response_id, owner=seat.owner, grading=grading)
    return Submitted(answer, done.first)


def answer_follow_up(
    db: Tx,
    evaluator: Evaluator,
    interviewer: Interviewer,
    grading: DeferredGrading | None,
    seat: Seat,
    interview_id: int,
    follow_up_id: int,
    *,
    text: str,
    now: datetime,
) -> OpenFollowUp | None:
    """Answer the interviewer's follow-up (empty text: move on without answering); return
    the next follow-up, or None to carry on with the next question."""
    if text.strip():
        room.answer_follow_up(
            db,
            evaluator,
            interviewer,
            seat.principal,
            interview_id,
            follow_up_id,
            text=text,
            token=seat.token,
            now=now,
            grading=grading,
        )
    else:
        room.skip_follow_up(
            db, seat.principal, interview_id, follow_up_id, token=seat.token, now=now
        )
    _show_current(db, interview_id, seat.token, now)
    following = flow.load(db, interview_id).follow_up
    return OpenFollowUp(following.id, following.round, following.text) if following else None


def complete(
    db: Tx, evaluator: Evaluator, seat: Seat, interview_id: int, *, now: datetime
) -> Completion:
    """End the interview from this client's tab (or, once time is up, from any), then
    evaluate it as the page does."""
    require(seat.principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    state = flow.load(db, interview_id)
    if state.status is InterviewStatus.COMPLETED:
        raise Conflict(
            "This interview is already complete; GET results/ for its evaluation.",
            code="interview_completed",
        )
    if state.status is InterviewStatus.SCHEDULED:
        raise FlowError("The interview has not started yet: POST start/ first.")
    if state.status is not InterviewStatus.IN_PROGRESS:
        raise FlowError(f"This interview is {state.status.value.replace('_', ' ')}.")
    left = state.seconds_left(now)
    if left is not None and left <= 0:
        reason = "time_up"
    else:
        flow.require_live(db, interview_id, token=seat.token, now=now)  # this tab holds it
        reason = "all_answered" if state.current is None else "ended_by_candidate"
    return room.finish(db, evaluator, seat.principal, interview_id, now=now, reason=reason)
