"""The bodies of ``complete/`` and ``results/``: an interview's outcome (the seeds' fields).

Built from ``core.interview.api_results.Outcome``, which has already left out what the caller
may not see (expected answers and criteria for candidates; scores unless shown to them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from core.domain import Difficulty, InterviewStatus, InterviewType, QuestionType, ResponseStatus
from core.interview.api_results import Outcome


class CompletedInterviewOut(BaseModel):
    """The totals as ``complete`` leaves them. ``evaluated`` false: the evaluation is still
    being prepared (``note`` says so); ask ``results/`` again later."""

    id: int
    status: InterviewStatus
    completed_at: datetime | None
    evaluated: bool
    note: str
    scores_shown: bool
    total_score: float | None
    max_score: float | None
    percentage: float | None
    overall_feedback: str
    strengths: list[str]
    weaknesses: list[str]
    recommendations: list[str]

    @classmethod
    def of(cls, o: Outcome) -> CompletedInterviewOut:
        return cls(
            id=o.id,
            status=o.status,
            completed_at=o.completed_at,
            evaluated=o.evaluated,
            note=o.note,
            scores_shown=o.scores_shown,
            total_score=o.total_score,
            max_score=o.max_score,
            percentage=o.percentage,
            overall_feedback=o.overall_feedback,
            strengths=list(o.strengths),
            weaknesses=list(o.weaknesses),
            recommendations=list(o.recommendations),
        )


class CompletedOut(BaseModel):
    message: str
    interview: CompletedInterviewOut


class ResultQuestionOut(BaseModel):
    """A question; ``expected_answer`` and ``evaluation_criteria`` are null for candidates."""

    id: int
    order: int
    question_text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_answer: str | None
    evaluation_criteria: list[str] | None


class ResultResponseOut(BaseModel):
    """An answer; scores and feedback null/empty where they are not shown to the caller."""

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


class WarningKindOut(BaseModel):
    kind: str
    count: int
    total_seconds: float


class ProctoringOut(BaseModel):
    """The proctoring summary, counted as the review and the candidate's page count it."""

    warnings: int
    by_kind: list[WarningKindOut]


class ResultsOut(CompletedInterviewOut):
    """The seeds' ``results``: the evaluation, the questions and the answers."""

    title: str
    interview_type: InterviewType
    difficulty: Difficulty
    started_at: datetime | None
    overall_score: float | None
    traits: dict[str, Any]
    proctoring: ProctoringOut
    questions: list[ResultQuestionOut]
    responses: list[ResultResponseOut]

    @classmethod
    def of_outcome(cls, o: Outcome) -> ResultsOut:
        return cls(
            **CompletedInterviewOut.of(o).model_dump(),
            title=o.title,
            interview_type=o.interview_type,
            difficulty=o.difficulty,
            started_at=o.started_at,
            overall_score=o.overall_score,
            traits=o.traits,
            proctoring=ProctoringOut(
                warnings=o.warnings,
                by_kind=[
                    WarningKindOut(kind=w.kind, count=w.count, total_seconds=w.total_seconds)
                    for w in o.warnings_by_kind
                ],
            ),
            questions=[
                ResultQuestionOut(
                    id=q.id,
                    order=q.order,
                    question_text=q.text,
                    question_type=q.question_type,
                    difficulty=q.difficulty,
                    expected_answer=q.expected_answer,
                    evaluation_criteria=list(q.criteria) if q.criteria is not None else None,
                )
                for q in o.questions
            ],
            responses=[
                ResultResponseOut(
                    id=a.id,
                    question_id=a.question_id,
                    status=a.status,
                    text_response=a.text_response,
                    code_response=a.code_response,
                    submitted_at=a.submitted_at,
                    score=a.score,
                    override_score=a.override_score,
                    ai_feedback=a.ai_feedback,
                    evaluation_metrics=a.evaluation_metrics,
                    provisional=a.provisional,
                )
                for a in o.answers
            ],
        )
