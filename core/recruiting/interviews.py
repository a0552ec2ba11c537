"""Reading interviews: filtered lists and one interview's details, as frozen views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core.db.models import (
    Candidate,
    Interview,
    InterviewResponse,
    InterviewTemplate,
    Job,
)
from core.db.uow import Tx, reading
from core.domain import (
    Difficulty,
    InterviewStatus,
    InterviewType,
    QuestionType,
    ResponseStatus,
    TranscriptStatus,
)
from core.interview.question_rows import questions_with_responses


@dataclass(frozen=True)
class InterviewSummary:
    id: int
    title: str
    candidate_id: int
    candidate_name: str
    candidate_email: str
    job_title: str
    company_name: str
    template_title: str
    interview_type: InterviewType
    difficulty: Difficulty
    status: InterviewStatus
    scheduled_at: datetime | None
    completed_at: datetime | None
    total_questions: int
    percentage: float | None
    job_role: str = ""
    is_practice: bool = False
    use_ai: bool = True
    duration_minutes: int = 0
    started_at: datetime | None = None
    open_until: datetime | None = None  # an on-demand invitation's deadline
    total_score: float | None = None
    created_at: datetime | None = None
    created_by_id: int | None = None


@dataclass(frozen=True)
class InterviewPage:
    """One page of a filtered list, and how many interviews the whole list holds."""

    count: int
    items: tuple[InterviewSummary, ...]


@dataclass(frozen=True)
class InterviewFilters:
    statuses: tuple[InterviewStatus, ...] = ()
    types: tuple[InterviewType, ...] = ()
    difficulties: tuple[Difficulty, ...] = ()
    job_id: int | None = None
    candidate_id: int | None = None
    scheduled_from: datetime | None = None
    scheduled_to: datetime | None = None
    search: str = ""
    practice_of: int | None = None  # a staff member's id: their own practice interviews only


@dataclass(frozen=True)
class QuestionResult:
    id: int
    order: int
    text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_answer: str
    criteria: tuple[str, ...]
    answer: str
    code: str
    status: ResponseStatus | None
    score: float | None
    override_score: float | None
    feedback: str
    metrics: dict[str, float] = field(default_factory=dict)
    evaluator: str = ""
    needs_review: bool = False
    started_at: datetime | None = None
    submitted_at: datetime | None = None
    prompt_version: str = ""
    response_id: int | None = None
    override_reason: str = ""
    coding_problem_ref: str | None = None
    audio_path: str | None = None
    transcript: str = ""  # what the speech model heard in the recording
    transcript_note: str = ""  # the model's name, or why there is no transcript


@dataclass(frozen=True)
class InterviewDetail:
    summary: InterviewSummary
    description: str
    job_role: str
    required_skills: tuple[str, ...]
    duration_minutes: int
    time_multiplier: float
    enable_video: bool
    enable_audio: bool
    started_at: datetime | None
    total_score: float | None
    max_score: float | None
    overall_feedback: str
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    recommendations: tuple[str, ...]
    questions: tuple[QuestionResult, ...]


def _transcript_note(r: InterviewResponse | None) -> str:
    if r is None or not r.audio_path:
        return ""
    if r.transcript_status == TranscriptStatus.DONE:
        return f"transcribed by {r.transcript_model}"
    if r.transcript_status == TranscriptStatus.FAILED:
        return f"not transcribed: {r.transcript_error}"
    return "not transcribed yet"


def _summary_query() -> Select[Interview, Candidate, Job, InterviewTemplate]:
    # Job and InterviewTemplate are outer-joined, so a row holds None for them when the
    # interview has no job or template; _to_summary takes them as optional.
    return (
        select(Interview, Candidate, Job, InterviewTemplate)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .outerjoin(Job, Job.id == Interview.job_id)
        .outerjoin(InterviewTemplate, InterviewTemplate.id == Interview.template_id)
    )


def _to_summary(
    interview: Interview, candidate: Candidate, job: Job | None, tpl: InterviewTemplate | None
) -> InterviewSummary:
    return InterviewSummary(
        id=interview.id,
        title=interview.title,
        candidate_id=candidate.id,
        candidate_name=candidate.full_name,
        candidate_email=candidate.email,
        job_title=job.title if job else interview.job_role,
        company_name=interview.company_name or (job.company if job else ""),
        template_title=tpl.title if tpl else "",
        interview_type=InterviewType(interview.interview_type),
        difficulty=Difficulty(interview.difficulty),
        status=InterviewStatus(interview.status),
        scheduled_at=interview.scheduled_at,
        completed_at=interview.completed_at,
        total_questions=interview.total_questions,
        percentage=interview.percentage,
        job_role=interview.job_role,
        is_practice=interview.is_practice,
        use_ai=interview.use_ai,
        duration_minutes=interview.duration_minutes,
        started_at=interview.started_at,
        open_until=interview.open_until,
        total_score=interview.total_score,
        created_at=interview.created_at,
        created_by_id=interview.created_by_id,
    )


def _filtered(f: InterviewFilters) -> Select[Interview, Candidate, Job, InterviewTemplate]:
    stmt = _summary_query()
    if f.statuses:
        stmt = stmt.where(Interview.status.in_(f.statuses))
    if f.types:
        stmt = stmt.where(Interview.interview_type.in_(f.types))
    if f.difficulties:
        stmt = stmt.where(Interview.difficulty.in_(f.difficulties))
    if f.job_id is not None:
        stmt = stmt.where(Interview.job_id == f.job_id)
    if f.candidate_id is not None:
        stmt = stmt.where(Interview.candidate_id == f.candidate_id)
    if f.scheduled_from is not None:
        stmt = stmt.where(Interview.scheduled_at >= f.scheduled_from)
    if f.scheduled_to is not None:
        stmt = stmt.where(Interview.scheduled_at < f.scheduled_to)
    if f.practice_of is not None:
        stmt = stmt.where(Interview.is_practice.is_(True), Interview.created_by_id == f.practice_of)
    if f.search.strip():
        pattern = f"%{f.search.strip().lower()}%"
        stmt = stmt.where(
            Interview.title.ilike(pattern)
            | Candidate.full_name.ilike(pattern)
            | Candidate.email.ilike(pattern)
        )
    return stmt.order_by(Interview.scheduled_at.desc().nulls_last(), Interview.id.desc())


def list_interviews(
    db: Tx, filters: InterviewFilters | None = None, limit: int = 500
) -> list[InterviewSummary]:
    stmt = _filtered(filters or InterviewFilters())
    with reading(db) as session:
        return [_to_summary(*row) for row in session.execute(stmt.limit(limit)).all()]


def page_interviews(
    db: Tx, filters: InterviewFilters | None = None, *, offset: int = 0, limit: int = 20
) -> InterviewPage:
    """One page of the filtered list (newest scheduled first, then the unscheduled, newest
    first) and the list's size: a counted query and an offset query in one read."""
    stmt = _filtered(filters or InterviewFilters())
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        rows = session.execute(stmt.offset(max(0, offset)).limit(max(1, limit))).all()
        return InterviewPage(count, tuple(_to_summary(*row) for row in rows))


def _question_results(session: Session, interview_id: int) -> tuple[QuestionResult, ...]:
    rows = questions_with_responses(session, interview_id)
    results = []
    for q, r in rows:
        metrics = {
            k: float(v)
            for k, v in (r.evaluation_metrics if r else {}).items()
            if isinstance(v, int | float)
        }
        results.append(
            QuestionResult(
                id=q.id,
                order=q.order,
                text=q.question_text,
                question_type=QuestionType(q.question_type),
                difficulty=Difficulty(q.difficulty),
                expected_answer=q.expected_answer,
                criteria=tuple(q.evaluation_criteria),
                answer=r.text_response if r else "",
                code=r.code_response if r else "",
                status=ResponseStatus(r.status) if r else None,
                score=r.score if r else None,
                override_score=r.override_score if r else None,
                feedback=r.ai_feedback if r else "",
                metrics=metrics,
                evaluator=" / ".join(x for x in (r.evaluator_kind, r.evaluator_model) if x)
                if r
                else "",
                needs_review=bool(r and r.needs_review),
                started_at=r.started_at if r else None,
                submitted_at=r.submitted_at if r else None,
                prompt_version=r.prompt_version if r else "",
                response_id=r.id if r else None,
                override_reason=r.override_reason if r else "",
                coding_problem_ref=q.coding_problem_ref,
                audio_path=r.audio_path if r else None,
                transcript=r.transcript_text if r else "",
                transcript_note=_transcript_note(r),
            )
        )
    return tuple(results)


def get_interview(db: Tx, interview_id: int) -> InterviewDetail | None:
    with reading(db) as session:
        row = session.execute(_summary_query().where(Interview.id == interview_id)).first()
        if row is None:
            return None
        interview = row[0]
        return InterviewDetail(
            summary=_to_summary(*row),
            description=interview.description,
            job_role=interview.job_role,
            required_skills=tuple(interview.required_skills),
            duration_minutes=interview.duration_minutes,
            time_multiplier=interview.time_multiplier,
            enable_video=interview.enable_video,
            enable_audio=interview.enable_audio,
            started_at=interview.started_at,
            total_score=interview.total_score,
            max_score=interview.max_score,
            overall_feedback=interview.overall_feedback,
            strengths=tuple(interview.strengths),
            weaknesses=tuple(interview.weaknesses),
            recommendations=tuple(interview.recommendations),
            questions=_question_results(session, interview_id),
        )
