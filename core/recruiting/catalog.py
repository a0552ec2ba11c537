"""Reading what recruiters keep: candidates, jobs and templates, as frozen views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from core.db.models import Candidate, Interview, InterviewTemplate, Job
from core.db.uow import Tx, reading
from core.domain import CodingLanguage, Difficulty, InterviewType
from core.staff.permissions import Action, Principal, require_given


@dataclass(frozen=True)
class CandidateView:
    id: int
    full_name: str
    email: str
    phone: str
    timezone: str
    resume_filename: str | None
    resume_text: str
    notes: str
    interview_count: int
    created_at: datetime


@dataclass(frozen=True)
class JobView:
    id: int
    title: str
    company: str
    description: str
    domain: str
    coding_language: CodingLanguage
    required_skills: tuple[str, ...]
    is_active: bool


@dataclass(frozen=True)
class TemplateView:
    id: int
    title: str
    description: str
    interview_type: InterviewType
    difficulty: Difficulty
    duration_minutes: int
    questions: tuple[dict[str, Any], ...]
    times_used: int
    average_score: float | None
    is_active: bool
    is_premium: bool
    show_score_to_candidate: bool
    allow_skip: bool
    show_transcript_to_candidate: bool = True
    read_questions_aloud: bool = False
    max_follow_ups: int = 1
    greenhouse_test: bool = False  # offered to Greenhouse as a test (core.integrations.greenhouse)


def candidate_view(c: Candidate, interview_count: int = 0) -> CandidateView:
    return CandidateView(
        id=c.id,
        full_name=c.full_name,
        email=c.email,
        phone=c.phone,
        timezone=c.timezone,
        resume_filename=c.resume_filename,
        resume_text=c.resume_text,
        notes=c.notes,
        interview_count=interview_count,
        created_at=c.created_at,
    )


def job_view(j: Job) -> JobView:
    return JobView(
        id=j.id,
        title=j.title,
        company=j.company,
        description=j.description,
        domain=j.domain,
        coding_language=CodingLanguage(j.coding_language),
        required_skills=tuple(j.required_skills),
        is_active=j.is_active,
    )


def template_view(t: InterviewTemplate) -> TemplateView:
    return TemplateView(
        id=t.id,
        title=t.title,
        description=t.description,
        interview_type=InterviewType(t.interview_type),
        difficulty=Difficulty(t.difficulty),
        duration_minutes=t.duration_minutes,
        questions=tuple(dict(q) for q in t.questions),
        times_used=t.times_used,
        average_score=t.average_score,
        is_active=t.is_active,
        is_premium=t.is_premium,
        show_score_to_candidate=t.show_score_to_candidate,
        allow_skip=t.allow_skip,
        show_transcript_to_candidate=t.show_transcript_to_candidate,
        read_questions_aloud=t.read_questions_aloud,
        max_follow_ups=t.max_follow_ups,
        greenhouse_test=t.greenhouse_test,
    )


def list_candidates(db: Tx, search: str = "", limit: int = 500) -> list[CandidateView]:
    counts = (
        select(Interview.candidate_id, func.count(Interview.id).label("n"))
        .group_by(Interview.candidate_id)
        .subquery()
    )
    stmt = select(Candidate, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.candidate_id == Candidate.id
    )
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(Candidate.full_name.ilike(pattern) | Candidate.email.ilike(pattern))
    with reading(db) as session:
        rows = session.execute(stmt.order_by(Candidate.full_name).limit(limit)).all()
        return [candidate_view(c, int(n)) for c, n in rows]


def _contains(search: str) -> str:
    """A LIKE pattern for "contains ``search``" (its own %, _ and \\ taken literally)."""
    literal = search.replace("\x00", "").strip().lower()
    for special in ("\\", "%", "_"):
        literal = literal.replace(special, "\\" + special)
    return f"%{literal}%"


def page_candidates(
    db: Tx,
    *,
    search: str = "",
    offset: int = 0,
    limit: int = 20,
    principal: Principal | None = None,
) -> tuple[int, list[CandidateView]]:
    """One page of the candidates whose name or email contains ``search`` (by name, then id)
    and how many match in all. ``principal``, when given, must be allowed
    ``MANAGE_CANDIDATES`` (candidates' personal data is the recruiters')."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    matching = select(Candidate.id)
    if search.strip():
        pattern = _contains(search)
        matching = matching.where(
            Candidate.full_name.ilike(pattern, escape="\\")
            | Candidate.email.ilike(pattern, escape="\\")
        )
    counted = select(func.count()).select_from(matching.subquery())
    counts = (
        select(Interview.candidate_id, func.count(Interview.id).label("n"))
        .group_by(Interview.candidate_id)
        .subquery()
    )
    page = (
        select(Candidate, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.candidate_id == Candidate.id)
        .where(Candidate.id.in_(matching))
        .order_by(Candidate.full_name, Candidate.id)
        .offset(max(0, offset))
        .limit(max(1, limit))
    )
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        return count, [candidate_view(c, int(n)) for c, n in session.execute(page).all()]


def page_jobs(
    db: Tx,
    *,
    active: bool | None = None,
    search: str = "",
    offset: int = 0,
    limit: int = 20,
    principal: Principal | None = None,
) -> tuple[int, list[JobView]]:
    """One page of the jobs (active first, then by title and id), filtered by ``active`` and
    by ``search`` in the title or company, and how many match in all. ``principal``, when
    given, must be allowed ``MANAGE_JOBS``."""
    require_given(principal, Action.MANAGE_JOBS)
    stmt = select(Job)
    if active is not None:
        stmt = stmt.where(Job.is_active.is_(active))
    if search.strip():
        pattern = _contains(search)
        stmt = stmt.where(
            Job.title.ilike(pattern, escape="\\") | Job.company.ilike(pattern, escape="\\")
        )
    counted = select(func.count()).select_from(stmt.subquery())
    page = stmt.order_by(Job.is_active.desc(), Job.title, Job.id)
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        rows = session.scalars(page.offset(max(0, offset)).limit(max(1, limit)))
        return count, [job_view(j) for j in rows]


def list_jobs(db: Tx, *, include_inactive: bool = True) -> list[JobView]:
    stmt = select(Job).order_by(Job.is_active.desc(), Job.title)
    if not include_inactive:
        stmt = stmt.where(Job.is_active.is_(True))
    with reading(db) as session:
        return [job_view(j) for j in session.scalars(stmt)]


def _templates_query(
    types: tuple[InterviewType, ...],
    difficulties: tuple[Difficulty, ...],
    active: bool | None,
    premium: bool | None,
) -> Select[InterviewTemplate]:
    stmt = select(InterviewTemplate)
    if types:
        stmt = stmt.where(InterviewTemplate.interview_type.in_(types))
    if difficulties:
        stmt = stmt.where(InterviewTemplate.difficulty.in_(difficulties))
    if active is not None:
        stmt = stmt.where(InterviewTemplate.is_active.is_(active))
    if premium is not None:
        stmt = stmt.where(InterviewTemplate.is_premium.is_(premium))
    return stmt


def list_templates(
    db: Tx,
    *,
    types: tuple[InterviewType, ...] = (),
    difficulties: tuple[Difficulty, ...] = (),
    active: bool | None = None,
    premium: bool | None = None,
) -> list[TemplateView]:
    stmt = _templates_query(types, difficulties, active, premium).order_by(InterviewTemplate.title)
    with reading(db) as session:
        return [template_view(t) for t in session.scalars(stmt)]


def page_templates(
    db: Tx,
    *,
    types: tuple[InterviewType, ...] = (),
    difficulties: tuple[Difficulty, ...] = (),
    active: bool | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[int, list[TemplateView]]:
    """One page of the filtered templates (by title) and how many there are in all."""
    stmt = _templates_query(types, difficulties, active, None)
    counted = select(func.count()).select_from(stmt.subquery())
    page = stmt.order_by(InterviewTemplate.title, InterviewTemplate.id)
    with reading(db) as session:
        count = int(session.scalar(counted) or 0)
        rows = session.scalars(page.offset(max(0, offset)).limit(max(1, limit)))
        return count, [template_view(t) for t in rows]


def get_template(db: Tx, template_id: int) -> TemplateView | None:
    with reading(db) as session:
        t = session.get(InterviewTemplate, template_id)
        return template_view(t) if t else None
