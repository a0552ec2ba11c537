"""The bodies of ``/api/v1/interviews/``: the seeds' fields, with limits on every input.

Outputs are built from core's frozen views (``of``); a candidate's views never carry expected
answers, criteria or notes, and carry scores only where the template shows them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from core.domain import (
    CodingLanguage,
    Difficulty,
    InterviewStatus,
    InterviewType,
    QuestionType,
    ResponseStatus,
)
from core.interview.practice import PracticeSpec
from core.recruiting.interviews import InterviewDetail, InterviewSummary, QuestionResult

Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
MAX_ID = 2**31 - 1


class InterviewCreateIn(BaseModel):
    """The seeds' create body: a practice interview for the signed-in staff member."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    interview_type: InterviewType = InterviewType.TECHNICAL
    difficulty: Difficulty = Difficulty.MEDIUM
    job_role: str = Field("", max_length=200)
    company_name: str = Field("", max_length=200)
    required_skills: list[Skill] = Field(default_factory=list, max_length=30)
    duration_minutes: StrictInt = Field(30, ge=5, le=240)
    total_questions: StrictInt = Field(5, ge=1, le=20)
    use_ai: StrictBool = True
    enable_video: StrictBool = False
    enable_audio: StrictBool = False
    coding_language: CodingLanguage = CodingLanguage.PYTHON

    def spec(self) -> PracticeSpec:
        return PracticeSpec(
            title=self.title,
            interview_type=self.interview_type,
            difficulty=self.difficulty,
            description=self.description,
            job_role=self.job_role,
            company_name=self.company_name,
            required_skills=tuple(dict.fromkeys(self.required_skills)),
            duration_minutes=self.duration_minutes,
            total_questions=self.total_questions,
            use_ai=self.use_ai,
            enable_video=self.enable_video,
            enable_audio=self.enable_audio,
            coding_language=self.coding_language,
        )


class CandidateRef(BaseModel):
    id: int
    full_name: str
    email: str


class InterviewOut(BaseModel):
    """An interview in a list."""

    id: int
    title: str
    interview_type: InterviewType
    difficulty: Difficulty
    status: InterviewStatus
    job_role: str
    company_name: str
    candidate: CandidateRef
    template_title: str
    is_practice: bool
    use_ai: bool
    total_questions: int
    duration_minutes: int
    scheduled_at: datetime | None
    open_until: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    total_score: float | None
    percentage: float | None
    created_at: datetime | None

    @classmethod
    def fields_of(cls, s: InterviewSummary) -> dict[str, Any]:
        return {
            "id": s.id,
            "title": s.title,
            "interview_type": s.interview_type,
            "difficulty": s.difficulty,
            "status": s.status,
            "job_role": s.job_role,
            "company_name": s.company_name,
            "candidate": CandidateRef(
                id=s.candidate_id, full_name=s.candidate_name, email=s.candidate_email
            ),
            "template_title": s.template_title,
            "is_practice": s.is_practice,
            "use_ai": s.use_ai,
            "total_questions": s.total_questions,
            "duration_minutes": s.duration_minutes,
            "scheduled_at": s.scheduled_at,
            "open_until": s.open_until,
            "started_at": s.started_at,
            "completed_at": s.completed_at,
            "total_score": s.total_score,
            "percentage": s.percentage,
            "created_at": s.created_at,
        }

    @classmethod
    def of(cls, s: InterviewSummary) -> InterviewOut:
        return cls(**cls.fields_of(s))


class InterviewPage(BaseModel):
    """The seeds' pagination envelope."""

    count: int
    next: str | None
    previous: str | None
    results: list[InterviewOut]


class AnswerOut(BaseModel):
    id: int | None
    status: ResponseStatus | None
    text_response: str
    code_response: str
    submitted_at: datetime | None
    score: float | None
    override_score: float | None
    ai_feedback: str
    evaluation_metrics: dict[str, float]
    needs_review: bool
    evaluator: str


class QuestionOut(BaseModel):
    """A question with everything staff see: expected answer, criteria and the answer."""

    id: int
    order: int
    question_text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_answer: str
    evaluation_criteria: list[str]
    coding_problem_ref: str | None
    response: AnswerOut | None

    @classmethod
    def of(cls, q: QuestionResult) -> QuestionOut:
        answer = None
        if q.response_id is not None:
            answer = AnswerOut(
                id=q.response_id,
                status=q.status,
                text_response=q.answer,
                code_response=q.code,
                submitted_at=q.submitted_at,
                score=q.score,
                override_score=q.override_score,
                ai_feedback=q.feedback,
                evaluation_metrics=dict(q.metrics),
                needs_review=q.needs_review,
                evaluator=q.evaluator,
            )
        return cls(
            id=q.id,
            order=q.order,
            question_text=q.text,
            question_type=q.question_type,
            difficulty=q.difficulty,
            expected_answer=q.expected_answer,
            evaluation_criteria=list(q.criteria),
            coding_problem_ref=q.coding_problem_ref,
            response=answer,
        )


class InterviewDetailOut(InterviewOut):
    """Everything about one interview (staff, or the practice's owner)."""

    view: Literal["full"] = "full"
    description: str
    required_skills: list[str]
    time_multiplier: float
    enable_video: bool
    enable_audio: bool
    max_score: float | None
    overall_feedback: str
    strengths: list[str]
    weaknesses: list[str]
    recommendations: list[str]
    questions: list[QuestionOut]

    @classmethod
    def of_detail(cls, d: InterviewDetail) -> InterviewDetailOut:
        return cls(
            **cls.fields_of(d.summary),
            description=d.description,
            required_skills=list(d.required_skills),
            time_multiplier=d.time_multiplier,
            enable_video=d.enable_video,
            enable_audio=d.enable_audio,
            max_score=d.max_score,
            overall_feedback=d.overall_feedback,
            strengths=list(d.strengths),
            weaknesses=list(d.weaknesses),
            recommendations=list(d.recommendations),
            questions=[QuestionOut.of(q) for q in d.questions],
        )


class InterviewCreatedOut(BaseModel):
    message: str
    interview: InterviewDetailOut
