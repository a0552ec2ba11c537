"""Frozen records returned by ``core.interviewer.evaluation`` and the mapping from stored rows
to the evaluator's value types (no database access here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.domain import ChatRole, QuestionType, ResponseStatus
from core.interviewer.ai.feedback import QuestionOutcome
from core.interviewer.ai.types import EvaluationResult, Metrics, QuestionSpec

if TYPE_CHECKING:
    from core.db.models import ChatMessage, InterviewQuestion, InterviewResponse


@dataclass(frozen=True)
class StoredEvaluation:
    response_id: int
    score: float
    metrics: dict[str, object]
    feedback: str
    needs_review: bool
    engine: str
    model: str
    prompt_version: str
    rubric_hash: str


@dataclass(frozen=True)
class StoredOverride:
    response_id: int
    ai_score: float | None
    override_score: float
    reason: str
    user_id: int | None
    at: datetime


@dataclass(frozen=True)
class StoredMessage:
    id: int
    interview_id: int
    question_id: int | None
    role: ChatRole
    content: str
    created_at: datetime


@dataclass(frozen=True)
class InterviewEvaluationSummary:
    interview_id: int
    evaluation_id: int
    overall_score: float
    total_score: float
    ai_total_score: float
    max_score: float
    percentage: float
    overall_feedback: str
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    recommendations: tuple[str, ...]
    traits: dict[str, float]
    needs_review: bool


@dataclass(frozen=True)
class CreatedQuestion:
    id: int
    order: int
    text: str
    question_type: QuestionType
    bank_id: str | None
    is_ai_generated: bool


def question_spec(q: InterviewQuestion) -> QuestionSpec:
    """The question as the engines see it; ``ai_allowed`` is its interview's ``use_ai``."""
    from sqlalchemy.orm import object_session

    from core.db.models import Interview

    session = object_session(q)
    interview = session.get(Interview, q.interview_id) if session is not None else None
    return QuestionSpec(
        ai_allowed=interview.use_ai if interview is not None else True,
        text=q.question_text,
        expected_answer=q.expected_answer,
        criteria=tuple(q.evaluation_criteria or ()),
        question_type=q.question_type,
        difficulty=q.difficulty,
        follow_ups=tuple(q.follow_ups or ()),
        notes=q.notes,
    )


def result_view(r: InterviewResponse) -> EvaluationResult:
    m = dict(r.evaluation_metrics or {})
    return EvaluationResult(
        score=float(r.score or 0.0),
        metrics=Metrics(*(float(m.get(k, 0.0)) for k in Metrics.__dataclass_fields__)),
        feedback=r.ai_feedback,
        criteria_covered=tuple(m.get("criteria_covered", ())),
        criteria_missed=tuple(m.get("criteria_missed", ())),
        needs_review=r.needs_review,
        review_reasons=tuple(m.get("review_reasons", ())),
        engine=r.evaluator_kind,
        model=r.evaluator_model,
        prompt_version=r.prompt_version,
        rubric_hash=r.rubric_hash,
    )


def stored_of(r: InterviewResponse) -> StoredEvaluation:
    return StoredEvaluation(
        response_id=r.id,
        score=float(r.score or 0.0),
        metrics=dict(r.evaluation_metrics or {}),
        feedback=r.ai_feedback,
        needs_review=r.needs_review,
        engine=r.evaluator_kind,
        model=r.evaluator_model,
        prompt_version=r.prompt_version,
        rubric_hash=r.rubric_hash,
    )


def message_of(m: ChatMessage) -> StoredMessage:
    return StoredMessage(m.id, m.interview_id, m.question_id, m.role, m.content, m.created_at)


def versions_of(r: InterviewResponse) -> dict[str, str]:
    return {
        "engine": r.evaluator_kind,
        "model": r.evaluator_model,
        "prompt_version": r.prompt_version,
        "rubric_hash": r.rubric_hash,
    }


def outcome_of(position: int, q: InterviewQuestion, r: InterviewResponse | None) -> QuestionOutcome:
    """One question's result for the overall feedback (unanswered if not evaluated)."""
    evaluated = r is not None and r.is_evaluated
    metrics = dict(r.evaluation_metrics or {}) if r is not None else {}
    return QuestionOutcome(
        order=position,
        question_text=q.question_text,
        answered=bool(evaluated and r is not None and r.status == ResponseStatus.SUBMITTED),
        ai_score=r.score if evaluated and r is not None else None,
        override_score=r.override_score if r is not None else None,
        criteria_covered=tuple(metrics.get("criteria_covered", ())),
        criteria_missed=tuple(metrics.get("criteria_missed", q.evaluation_criteria or ())),
        metrics={k: float(v) for k, v in metrics.items() if isinstance(v, int | float)},
        needs_review=bool(r is not None and r.needs_review),
        engine=r.evaluator_kind if r is not None else "",
    )
