"""An interview's outcome for HTTP API callers: the totals after ``complete`` and the seeds'
``results`` (the evaluation, the questions and the answers).

The practice's owner and staff see everything: expected answers, criteria, each answer's score
and feedback. A candidate (``X-Interview-Key``) sees what their own evaluation page shows: the
feedback, strengths, weaknesses, recommendations and the proctoring summary always; scores
(overall, per answer) only when the template shows scores to candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.db.models import Interview
from core.db.uow import Tx, reading
from core.domain import Difficulty, InterviewStatus, InterviewType, QuestionType, ResponseStatus
from core.errors import Conflict, NotFound
from core.interview.api_views import Sight, sight_of
from core.interview.grading import PROVISIONAL
from core.interview.view import template_flags
from core.proctor.event_log import list_events, summarize
from core.proctor.warning_count import warnings_only
from core.review.bundle import load_review
from core.staff.permissions import Principal

STILL_GRADING = (
    "Some answers are still being graded by the AI model: these results are updated when they are."
)
NOT_EVALUATED_YET = "The answers are saved; the evaluation is being prepared. Ask again soon."


@dataclass(frozen=True)
class ResultQuestion:
    id: int
    order: int
    text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_answer: str | None  # None: not shown to this caller
    criteria: tuple[str, ...] | None


@dataclass(frozen=True)
class ResultAnswer:
    id: int | None
    question_id: int
    status: ResponseStatus | None
    text_response: str
    code_response: str
    submitted_at: datetime | None
    score: float | None
    override_score: float | None
    ai_feedback: str
    evaluation_metrics: dict[str, float]
    provisional: bool


@dataclass(frozen=True)
class WarningKind:
    kind: str
    count: int
    total_seconds: float


@dataclass(frozen=True)
class Outcome:
    """The seeds' results (and, without questions, what ``complete`` answers)."""

    id: int
    title: str
    interview_type: InterviewType
    difficulty: Difficulty
    status: InterviewStatus
    started_at: datetime | None
    completed_at: datetime | None
    evaluated: bool
    note: str  # empty, or why the figures are not (all) final yet
    scores_shown: bool
    total_score: float | None
    max_score: float | None
    percentage: float | None
    overall_score: float | None  # 0-10
    traits: dict[str, Any]
    overall_feedback: str
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    recommendations: tuple[str, ...]
    warnings: int
    warnings_by_kind: tuple[WarningKind, ...]
    questions: tuple[ResultQuestion, ...]
    answers: tuple[ResultAnswer, ...]


def outcome(db: Tx, interview_id: int, *, full: bool, problem: str = "") -> Outcome:
    """The interview's outcome as ``full`` (staff, owner) or candidate sight sees it."""
    bundle = load_review(db, interview_id)
    if bundle is None:
        raise NotFound(f"There is no interview #{interview_id}.", code="interview_not_found")
    with reading(db) as session:
        row = session.get(Interview, interview_id)
        show_to_candidate = bool(row is not None and template_flags(session, row)[1])
    show = full or show_to_candidate
    d, e = bundle.interview, bundle.evaluation
    grading = any(q.evaluator.startswith(PROVISIONAL) for q in d.questions)
    note = problem or (NOT_EVALUATED_YET if e is None else (STILL_GRADING if grading else ""))
    events = warnings_only(list_events(db, interview_id))
    return Outcome(
        id=d.summary.id,
        title=d.summary.title,
        interview_type=d.summary.interview_type,
        difficulty=d.summary.difficulty,
        status=d.summary.status,
        started_at=d.started_at,
        completed_at=d.summary.completed_at,
        evaluated=e is not None,
        note=note,
        scores_shown=show,
        total_score=d.total_score if show and e else None,
        max_score=d.max_score if show and e else None,
        percentage=d.summary.percentage if show and e else None,
        overall_score=e.overall_score if show and e else None,
        traits=dict(e.traits) if show and e else {},
        overall_feedback=e.overall_feedback if e else "",
        strengths=e.strengths if e else (),
        weaknesses=e.weaknesses if e else (),
        recommendations=e.recommendations if e else (),
        warnings=len(events),
        warnings_by_kind=tuple(
            WarningKind(str(s.kind), s.count, round(s.total_seconds, 1)) for s in summarize(events)
        ),
        questions=tuple(
            ResultQuestion(
                id=q.id,
                order=q.order,
                text=q.text,
                question_type=q.question_type,
                difficulty=q.difficulty,
                expected_answer=q.expected_answer if full else None,
                criteria=q.criteria if full else None,
            )
            for q in d.questions
        ),
        answers=tuple(
            ResultAnswer(
                id=q.response_id,
                question_id=q.id,
                status=q.status,
                text_response=q.answer,
                code_response=q.code,
                submitted_at=q.submitted_at,
                score=q.score if show else None,
                override_score=q.override_score if full else None,
                ai_feedback=q.feedback if show else "",
                evaluation_metrics=dict(q.metrics) if show else {},
                provisional=q.evaluator.startswith(PROVISIONAL),
            )
            for q in d.questions
            if q.response_id is not None
        ),
    )


def interview_results(db: Tx, principal: Principal | None, interview_id: int) -> Outcome:
    """The seeds' ``results``: for a completed interview only (409 before)."""
    sight = sight_of(db, principal, interview_id)
    with reading(db) as session:
        status = session.get(Interview, interview_id)
        if status is None:
            raise NotFound(f"There is no interview #{interview_id}.", code="interview_not_found")
        if status.status is not InterviewStatus.COMPLETED:
            raise Conflict(
                f"Interview {interview_id} is {status.status.value.replace('_', ' ')}; "
                "its results come when it is complete.",
                code="interview_not_complete",
            )
    return outcome(db, interview_id, full=sight is not Sight.CANDIDATE)
