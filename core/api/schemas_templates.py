"""The bodies of ``/api/v1/templates/``: the seeds' template fields and ``use_template``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from core.domain import Difficulty, InterviewType, QuestionType
from core.recruiting.catalog import TemplateView
from core.recruiting.template_use import TemplateUse

MAX_ID = 2**31 - 1


def _enum(kind: type[QuestionType] | type[Difficulty], value: Any, default: Any) -> Any:
    try:
        return kind(str(value))
    except ValueError:
        return default


class TemplateQuestionOut(BaseModel):
    """A template's question: the seeds' ``question``, ``type``, ``difficulty`` and
    ``expected_answer``, and what grading looks for."""

    question: str
    type: QuestionType
    difficulty: Difficulty
    expected_answer: str
    evaluation_criteria: list[str]
    expected_duration_minutes: int
    coding_problem_ref: str | None

    @classmethod
    def of(cls, q: dict[str, Any]) -> TemplateQuestionOut:
        minutes = q.get("expected_duration_minutes", 5)
        ref = q.get("coding_problem_ref")
        return cls(
            question=str(q.get("question_text", "")),
            type=_enum(QuestionType, q.get("question_type"), QuestionType.TECHNICAL),
            difficulty=_enum(Difficulty, q.get("difficulty"), Difficulty.MEDIUM),
            expected_answer=str(q.get("expected_answer", "")),
            evaluation_criteria=[str(c) for c in q.get("evaluation_criteria", []) or []],
            expected_duration_minutes=int(minutes) if isinstance(minutes, int) else 5,
            coding_problem_ref=str(ref) if ref else None,
        )


class TemplateOut(BaseModel):
    id: int
    title: str
    description: str
    interview_type: InterviewType
    difficulty: Difficulty
    duration_minutes: int
    question_count: int
    questions: list[TemplateQuestionOut]
    times_used: int
    average_score: float | None
    is_premium: bool
    is_active: bool
    allow_skip: bool
    show_score_to_candidate: bool

    @classmethod
    def of(cls, t: TemplateView) -> TemplateOut:
        return cls(
            id=t.id,
            title=t.title,
            description=t.description,
            interview_type=t.interview_type,
            difficulty=t.difficulty,
            duration_minutes=t.duration_minutes,
            question_count=len(t.questions),
            questions=[TemplateQuestionOut.of(q) for q in t.questions],
            times_used=t.times_used,
            average_score=t.average_score,
            is_premium=t.is_premium,
            is_active=t.is_active,
            allow_skip=t.allow_skip,
            show_score_to_candidate=t.show_score_to_candidate,
        )


class TemplatePage(BaseModel):
    """The seeds' pagination envelope."""

    count: int
    next: str | None
    previous: str | None
    results: list[TemplateOut]


class UseTemplateIn(BaseModel):
    """The seeds' body, and whom the interview is for: without ``candidate_id`` a practice
    interview for you; with one, an interview for that candidate (to book or invite)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    job_role: str = Field("", max_length=200)
    company_name: str = Field("", max_length=200)
    candidate_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    job_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    use_ai: StrictBool = True

    def use(self) -> TemplateUse:
        return TemplateUse(
            job_role=self.job_role,
            company_name=self.company_name,
            use_ai=self.use_ai,
            candidate_id=self.candidate_id,
            job_id=self.job_id,
        )
