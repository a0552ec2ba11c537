"""The candidate's side of an interview: start, drafts, answers, skips, time and completion.

Time is kept on the server: the deadline is ``started_at + duration × multiplier``. One browser
tab owns the interview at a time (``active_session_token``); a new tab takes over and the old
one is told. Submitting twice is harmless: the second call returns the first result.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Interview, InterviewQuestion, InterviewResponse
from core.db.uow import Tx, reading, writing
from core.domain import (
    AccessKeyState,
    InterviewStatus,
    ResponseStatus,
)
from core.integrations.events import Event, emit
from core.interview.open_follow_ups import close_open_follow_ups
from core.interview.view import (
    CandidateInterview,
    CandidateQuestion,
    FlowError,
    deadline_of,
    load,
    template_flags,
)
from core.recruiting.templates import record_template_score
from core.scheduling import access
from core.scheduling.invitations import withdraw_reminders
from core.staff.audit import record_audit

__all__ = [
    "CandidateInterview",
    "CandidateQuestion",
    "FlowError",
    "complete",
    "go_to",
    "load",
    "mark_seen",
    "new_session_token",
    "owns_session",
    "record_completion_score",
    "require_live",
    "save_draft",
    "save_draft_of_replaced_tab",
    "skip",
    "start",
    "submit",
]

MAX_ANSWER_CHARS = 20_000
MAX_CODE_CHARS = 100_000


def new_session_token() -> str:
    return secrets.token_hex(16)


def live_interview(session: Session, interview_id: int, token: str, now: datetime) -> Interview:
    """The running interview this tab holds, locked for the rest of the transaction: of two
    racing writes (a double submit, two tabs) one waits for the other and then sees its work
    (PostgreSQL ``FOR UPDATE``; SQLite's write transactions ``BEGIN IMMEDIATE`` already)."""
    i = session.get(Interview, interview_id, with_for_update=True)
    if i is None:
        raise FlowError("This interview is no longer available.")
    if i.status is not InterviewStatus.IN_PROGRESS:
        raise FlowError("This interview is not in progress.")
    if i.active_session_token != token:
        raise FlowError("This interview is open in another tab or window; continue there.")
    deadline = deadline_of(i)
    if deadline is not None and now >= deadline:
        raise FlowError("Time is up for this interview.")
    return i


def start(db: Tx, interview_id: int, *, token: str, now: datetime) -> None:
    """Start the interview (or take it over in this tab if it is already running)."""
    with writing(db) as session:
        i = session.get(Interview, interview_id, with_for_update=True)
        if i is None:
            raise FlowError("This interview is no longer available.")
        if i.status is InterviewStatus.SCHEDULED:
            i.status = InterviewStatus.IN_PROGRESS
            i.started_at = now
            i.current_question_order = 1
            record_audit(
                session, None, "interview.start", "interview", i.id, actor_label="candidate"
            )
        elif i.status is not InterviewStatus.IN_PROGRESS:
            raise FlowError(f"This interview is {i.status.value.replace('_', ' ')}.")
        i.active_session_token = token
        if i.current_question_order < 1:
            i.current_question_order = 1


def require_live(db: Tx, interview_id: int, *, token: str, now: datetime) -> None:
    """Raise FlowError unless the interview runs, in this tab, with time left."""
    with reading(db) as session:
        live_interview(session, interview_id, token, now)


def owns_session(db: Tx, interview_id: int, token: str) -> bool:
    with reading(db) as session:
        i = session.get(Interview, interview_id)
        return i is not None and i.active_session_token == token


def response_row(
    session: Session, i: Interview, question_id: int, now: datetime
) -> InterviewResponse:
    q = session.get(InterviewQuestion, question_id)
    if q is None or q.interview_id != i.id:
        raise FlowError("That question is not part of this interview.")
    r = session.scalars(
        select(InterviewResponse).where(InterviewResponse.question_id == question_id)
    ).first()
    if r is None:
        r = InterviewResponse(
            interview_id=i.id, question_id=q.id, started_at=now, status=ResponseStatus.DRAFT
        )
        session.add(r)
        session.flush()
    return r


def mark_seen(db: Tx, interview_id: int, question_id: int, *, token: str, now: datetime) -> None:
    """Record when the candidate first saw a question (its own timer starts then)."""
    with writing(db) as session:
        response_row(session, live_interview(session, interview_id, token, now), question_id, now)


def save_draft(
    db: Tx,
    interview_id: int,
    question_id: int,
    *,
    text: str,
    code: str,
    token: str,
    now: datetime,
) -> None:
    with writing(db) as session:
        r = response_row(
            session, live_interview(session, interview_id, token, now), question_id, now
        )
        if r.status is not ResponseStatus.SUBMITTED:  # a skipped one being answered too
            r.text_response = text[:MAX_ANSWER_CHARS]
            r.code_response = code[:MAX_CODE_CHARS]
            r.draft_saved_at = now


def save_draft_of_replaced_tab(
    db: Tx, interview_id: int, question_id: int, *, text: str, now: datetime
) -> None:
    """A tab that another tab took over saves what it typed since its last save (the text
    must not be lost). Only while the interview runs and the answer is not submitted."""
    with writing(db) as session:
        i = session.get(Interview, interview_id, with_for_update=True)
        if i is None or i.status is not InterviewStatus.IN_PROGRESS:
            raise FlowError("This interview is not in progress.")
        deadline = deadline_of(i)
        if deadline is not None and now >= deadline:
            raise FlowError("Time is up for this interview.")
        r = response_row(session, i, question_id, now)
        if r.status is ResponseStatus.SUBMITTED:
            raise FlowError("That answer was already submitted.")
        r.text_response = text[:MAX_ANSWER_CHARS]
        r.draft_saved_at = now


def submit(
    db: Tx,
    interview_id: int,
    question_id: int,
    *,
    text: str,
    code: str,
    token: str,
    now: datetime,
) -> tuple[int, bool]:
    """Store the final answer; return (response id, whether this call submitted it)."""
    if len(text) > MAX_ANSWER_CHARS or len(code) > MAX_CODE_CHARS:
        raise FlowError("The answer is too long; shorten it and submit again.")
    with writing(db) as session:
        i = live_interview(session, interview_id, token, now)
        r = response_row(session, i, question_id, now)
        if r.status is ResponseStatus.SUBMITTED:
            return r.id, False  # a double submit: the first one stands
        # The next answer moves on from a follow-up left open (as "Move on without answering"
        # does on the page; a reply typed there counts): the seeds' API clients never answer one.
        close_open_follow_ups(session, i.id, now)
        r.text_response, r.code_response = text, code
        r.status = ResponseStatus.SUBMITTED
        r.submitted_at = now
        r.time_taken_seconds = (now - (r.started_at or now)).total_seconds()
        _advance(session, i)
        return r.id, True


def skip(db: Tx, interview_id: int, question_id: int, *, token: str, now: datetime) -> None:
    with writing(db) as session:
        i = live_interview(session, interview_id, token, now)
        if not template_flags(session, i)[0]:
            raise FlowError("Questions cannot be skipped in this interview.")
        r = response_row(session, i, question_id, now)
        if r.status is ResponseStatus.DRAFT:
            r.status = ResponseStatus.SKIPPED
        _advance(session, i, skipping=True)


def go_to(db: Tx, interview_id: int, order: int, *, token: str, now: datetime) -> None:
    """Move to a question (e.g. back to a skipped one); a submitted answer stays submitted."""
    with writing(db) as session:
        i = live_interview(session, interview_id, token, now)
        if not 1 <= order <= i.total_questions:
            raise FlowError("There is no such question.")
        q = session.scalars(
            select(InterviewQuestion).where(
                InterviewQuestion.interview_id == i.id, InterviewQuestion.order == order
            )
        ).one()
        r = session.scalars(
            select(InterviewResponse).where(InterviewResponse.question_id == q.id)
        ).first()
        if r is not None and r.status is ResponseStatus.SKIPPED:
            r.status = ResponseStatus.DRAFT  # reopened
        i.current_question_order = order


def _advance(session: Session, i: Interview, *, skipping: bool = False) -> None:
    """Next unanswered question after this one, else any unanswered, else a skipped one.

    Skipping when only skipped questions are left goes to the end (where the candidate can go
    back to one or finish), never round in a circle through the skipped ones."""
    orders = list(
        session.execute(
            select(InterviewQuestion.order, InterviewResponse.status)
            .outerjoin(InterviewResponse, InterviewResponse.question_id == InterviewQuestion.id)
            .where(InterviewQuestion.interview_id == i.id)
            .order_by(InterviewQuestion.order)
        ).all()
    )
    unanswered = [o for o, status in orders if status in (None, ResponseStatus.DRAFT)]
    skipped = [o for o, status in orders if status is ResponseStatus.SKIPPED]
    later = [o for o in unanswered if o > i.current_question_order]
    if skipping:
        skipped = []
    i.current_question_order = (later or unanswered or skipped or [len(orders) + 1])[0]


def complete(db: Tx, interview_id: int, *, now: datetime, reason: str) -> bool:
    """Finish the interview: completed, key used up, template statistics. Idempotent.

    Returns whether this call completed it. Scoring happens in the evaluation service.
    """
    with writing(db) as session:
        # Locked (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises): of two racing
        # callers — the browser at time-up and a sweeper, or two sweepers — one completes.
        i = session.get(Interview, interview_id, with_for_update=True)
        if i is None or i.status is InterviewStatus.COMPLETED:
            return False
        if i.status is not InterviewStatus.IN_PROGRESS:
            raise FlowError("This interview is not in progress.")
        deadline = deadline_of(i)
        i.status = InterviewStatus.COMPLETED
        i.completed_at = min(now, deadline) if deadline and reason == "time_up" else now
        i.active_session_token = None
        close_open_follow_ups(session, i.id, now)
        access.revoke_keys(session, i.id, AccessKeyState.USED)
        withdraw_reminders(session, i.id)
        emit(
            session, Event.INTERVIEW_COMPLETED, interview_id=i.id, now=now, data={"reason": reason}
        )
        record_audit(
            session,
            None,
            "interview.complete",
            "interview",
            i.id,
            {"reason": reason},
            actor_label="candidate",
        )
        return True


def record_completion_score(db: Tx, interview_id: int) -> None:
    """Fold the final percentage into the template's average (after evaluation)."""
    with writing(db) as session:
        i = session.get(Interview, interview_id)
        if i is not None and i.percentage is not None:
            record_template_score(session, i.template_id, i.percentage)
