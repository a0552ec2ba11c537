"""What an HTTP API caller may see of one interview, as frozen views.

Three sights: staff allowed ``VIEW_INTERVIEWS`` or ``REVIEW_INTERVIEW`` (and API keys with those
scopes) see everything; the owner of a practice interview sees everything of theirs; a
candidate (``X-Interview-Key``) sees what the interview page shows them: the questions once the
interview has started, their own answers, and scores and feedback only when the template shows
scores to candidates. Expected answers, criteria and interviewers' notes never reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from core.db.models import FollowUp, Interview, InterviewResponse
from core.db.uow import Tx, reading
from core.domain import (
    Difficulty,
    FollowUpStatus,
    InterviewStatus,
    InterviewType,
    QuestionType,
    ResponseStatus,
)
from core.errors import NotFound
from core.interview import flow
from core.interview.grading import PROVISIONAL, DeferredGrading
from core.interview.practice import owner_seat
from core.interview.question_rows import questions_with_responses
from core.interview.view import CandidateFollowUp, CandidateInterview, template_flags
from core.recruiting.interviews import (
    InterviewDetail,
    InterviewFilters,
    InterviewPage,
    get_interview,
    page_interviews,
)
from core.staff.permissions import (
    Action,
    CandidatePrincipal,
    Principal,
    StaffPrincipal,
    can,
    require,
)


class Sight(StrEnum):
    STAFF = "staff"  # VIEW_INTERVIEWS or REVIEW_INTERVIEW: everything
    OWNER = "owner"  # the staff member practising: everything of their own interview
    CANDIDATE = "candidate"  # the secret link's holder: what the interview page shows

    @property
    def full(self) -> bool:
        return self is not Sight.CANDIDATE


def sight_of(db: Tx, principal: Principal | None, interview_id: int) -> Sight:
    """How much of the interview ``principal`` may see, or a refusal (401/403/404)."""
    if isinstance(principal, CandidatePrincipal):
        require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
        return Sight.CANDIDATE
    if can(principal, Action.VIEW_INTERVIEWS) or can(principal, Action.REVIEW_INTERVIEW):
        return Sight.STAFF
    if isinstance(principal, StaffPrincipal) and can(principal, Action.PRACTICE):
        owner_seat(db, principal, interview_id)
        return Sight.OWNER
    require(principal, Action.VIEW_INTERVIEWS)  # refuses, with the caller's own reason
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class SideQuestion:
    """A question as its taker sees it, with their own answer."""

    id: int
    order: int
    text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_minutes: int
    is_ai_generated: bool
    coding_problem_ref: str | None
    answer_status: ResponseStatus | None
    text_response: str
    code_response: str
    score: float | None  # None unless scores are shown to the taker
    feedback: str


@dataclass(frozen=True)
class CandidateSide:
    """The interview from the taker's chair: its state and (once started) its questions."""

    state: CandidateInterview
    interview_type: InterviewType
    difficulty: Difficulty
    description: str
    total_questions: int
    scores_shown: bool
    questions: tuple[SideQuestion, ...]

    @property
    def follow_up(self) -> CandidateFollowUp | None:
        return self.state.follow_up


def candidate_side(db: Tx, interview_id: int, *, owner: bool) -> CandidateSide:
    """The taker's view; ``owner`` (a practice's owner) sees their scores whatever the
    template says. Questions stay hidden until the interview has started."""
    state = flow.load(db, interview_id)
    with reading(db) as session:
        i = session.get(Interview, interview_id)
        if i is None:
            raise NotFound(f"There is no interview #{interview_id}.")
        show = owner or template_flags(session, i)[1]
        started = state.status is not InterviewStatus.SCHEDULED
        rows = questions_with_responses(session, interview_id) if started else []
        questions = tuple(
            SideQuestion(
                id=q.id,
                order=q.order,
                text=q.question_text,
                question_type=QuestionType(q.question_type),
                difficulty=Difficulty(q.difficulty),
                expected_minutes=q.expected_duration_minutes,
                is_ai_generated=q.is_ai_generated,
                coding_problem_ref=q.coding_problem_ref,
                answer_status=ResponseStatus(r.status) if r else None,
                text_response=r.text_response if r else "",
                code_response=r.code_response if r else "",
                score=r.score if (r and show) else None,
                feedback=r.ai_feedback if (r and show) else "",
            )
            for q, r in rows
        )
        return CandidateSide(
            state=state,
            interview_type=InterviewType(i.interview_type),
            difficulty=Difficulty(i.difficulty),
            description=i.description,
            total_questions=i.total_questions,
            scores_shown=show,
            questions=questions,
        )


def interview_detail(
    db: Tx, principal: Principal | None, interview_id: int
) -> InterviewDetail | CandidateSide:
    """Everything (staff, the practice's owner) or the candidate's view."""
    sight = sight_of(db, principal, interview_id)
    if sight is Sight.CANDIDATE:
        return candidate_side(db, interview_id, owner=False)
    detail = get_interview(db, interview_id)
    if detail is None:
        raise NotFound(f"There is no interview #{interview_id}.", code="interview_not_found")
    return detail


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    round: int
    text: str


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored after ``submit_response``: the seeds' response fields."""

    id: int
    question_id: int
    status: ResponseStatus
    text_response: str
    code_response: str
    submitted_at: datetime | None
    time_taken_seconds: float | None
    score: float | None
    ai_feedback: str
    evaluation_metrics: dict[str, Any]
    is_evaluated: bool
    provisional: bool  # an offline score standing in until the AI model's grade replaces it
    scores_shown: bool
    follow_up: OpenFollowUp | None


def stored_answer(
    db: Tx, response_id: int, *, owner: bool, grading: DeferredGrading | None = None
) -> StoredAnswer:
    """The stored response; its score, feedback and metrics only for whom they are shown."""
    with reading(db) as session:
        r = session.get(InterviewResponse, response_id)
        i = session.get(Interview, r.interview_id) if r is not None else None
        if r is None or i is None:
            raise NotFound("That answer no longer exists.", code="response_not_found")
        show = owner or template_flags(session, i)[1]
        f = session.scalars(
            select(FollowUp)
            .where(FollowUp.question_id == r.question_id, FollowUp.status == FollowUpStatus.OPEN)
            .order_by(FollowUp.round)
            .limit(1)
        ).first()
        waiting = r.evaluator_kind == PROVISIONAL or bool(grading and grading.pending(r.id))
        return StoredAnswer(
            id=r.id,
            question_id=r.question_id,
            status=ResponseStatus(r.status),
            text_response=r.text_response,
            code_response=r.code_response,
            submitted_at=r.submitted_at,
            time_taken_seconds=r.time_taken_seconds,
            score=r.score if show else None,
            ai_feedback=r.ai_feedback if show else "",
            evaluation_metrics=dict(r.evaluation_metrics or {}) if show else {},
            is_evaluated=r.is_evaluated,
            provisional=waiting,
            scores_shown=show,
            follow_up=OpenFollowUp(f.id, f.round, f.text) if f is not None else None,
        )


def browse_interviews(
    db: Tx,
    principal: Principal | None,
    filters: InterviewFilters,
    *,
    offset: int,
    limit: int,
) -> InterviewPage:
    """One page of every interview (practice ones included) for ``VIEW_INTERVIEWS``."""
    require(principal, Action.VIEW_INTERVIEWS)
    return page_interviews(db, filters, offset=offset, limit=limit)
