"""Interview templates in use: building interviews from them and keeping their statistics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Candidate, Interview, InterviewQuestion, InterviewTemplate, Job
from core.domain import CodingLanguage, Difficulty, InterviewStatus, InterviewType, QuestionType
from core.errors import IntervistaError


class TemplateUseError(IntervistaError, ValueError):
    """The interview cannot be built; the message says why."""

    code = "template_unusable"


@dataclass(frozen=True)
class InterviewOptions:
    title: str = ""
    scheduled_at: datetime | None = None
    duration_minutes: int | None = None
    time_multiplier: float = 1.0
    enable_video: bool = True
    enable_audio: bool = False
    use_ai: bool = True
    is_practice: bool = False
    created_by_id: int | None = None


def question_row(interview_id: int, order: int, q: dict[str, Any]) -> InterviewQuestion:
    return InterviewQuestion(
        interview_id=interview_id,
        order=order,
        question_text=str(q["question_text"]),
        question_type=QuestionType(q.get("question_type", "technical")),
        difficulty=Difficulty(q.get("difficulty", "medium")),
        expected_duration_minutes=int(q.get("expected_duration_minutes", 5)),
        expected_answer=str(q.get("expected_answer", "")),
        evaluation_criteria=[str(c) for c in q.get("evaluation_criteria", [])],
        follow_ups=[str(c) for c in q.get("follow_ups", [])],
        notes=str(q.get("notes", "")),
        is_ai_generated=bool(q.get("is_ai_generated", False)),
        bank_id=q.get("bank_id"),
        coding_problem_ref=q.get("coding_problem_ref"),
    )


# A coding language named in a template's title ("Python Backend Engineer"); "Java" does not
# match inside "JavaScript", nor "C" inside "C#".
_LANGUAGE_IN_TITLE = re.compile(
    r"(?<![\w#+])(?:"
    + "|".join(re.escape(language.label) for language in CodingLanguage)
    + r")(?![\w#+])",
    re.IGNORECASE,
)
_EMPTY_BRACKETS = re.compile(r"\(\s*[-–/&,+\s]*\)")  # "(Python / SQL)" once both are gone


def interview_title(template_title: str, job: Job | None) -> str:
    """The title of an interview built from ``template_title`` for ``job``.

    Without a job: the template's title. With one, the job's coding language decides: a
    programming language named in the template's title is dropped (a "Python Backend
    Engineer" template used for a Java job must not make a "Python" interview), and the
    title reads ``<template title> (<job's language>) – <company>``, e.g. "Backend Engineer
    (Java) – Acme Retail". When nothing is left of the template's title, the job's title
    stands in for it.
    """
    if job is None:
        return template_title
    language = CodingLanguage(job.coding_language).label
    neutral = _EMPTY_BRACKETS.sub(" ", _LANGUAGE_IN_TITLE.sub(" ", template_title))
    neutral = " ".join(neutral.split()).strip(" -–/&,")
    base = neutral or job.title
    company = f" – {job.company}" if job.company else ""
    return f"{base} ({language}){company}"


def create_interview_from_template(
    session: Session,
    *,
    template_id: int,
    candidate_id: int,
    job_id: int | None,
    options: InterviewOptions,
) -> Interview:
    """Create an interview with the template's questions copied in order; count the use.

    With a job, the job decides what the interview is about: its coding language (the
    editor's and the sandbox's language), role, company, description and skills; the title
    is ``options.title`` or else ``interview_title`` (no stale language from the template,
    e.g. a Python template on a Java job gives "Backend Engineer (Java) – Acme Retail").
    The template's questions are copied as they are: coding questions name a problem from
    the bank, which is solved in the interview's language.
    """
    template = session.get(InterviewTemplate, template_id)
    if template is None:
        raise TemplateUseError("That template no longer exists.")
    if not template.is_active:
        raise TemplateUseError(f"The template {template.title!r} is deactivated.")
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise TemplateUseError("That candidate no longer exists.")
    job = session.get(Job, job_id) if job_id is not None else None
    if job_id is not None and job is None:
        raise TemplateUseError("That job no longer exists.")
    questions = list(template.questions)
    interview = Interview(
        candidate_id=candidate.id,
        job_id=job.id if job else None,
        template_id=template.id,
        title=options.title or interview_title(template.title, job),
        description=template.description,
        interview_type=InterviewType(template.interview_type),
        difficulty=Difficulty(template.difficulty),
        job_role=job.title if job else "",
        company_name=job.company if job else "",
        job_description=job.description if job else "",
        required_skills=list(job.required_skills) if job else [],
        coding_language=CodingLanguage(job.coding_language) if job else CodingLanguage.PYTHON,
        duration_minutes=options.duration_minutes or template.duration_minutes,
        total_questions=len(questions),
        time_multiplier=options.time_multiplier,
        use_ai=options.use_ai,
        enable_video=options.enable_video,
        enable_audio=options.enable_audio,
        is_practice=options.is_practice,
        status=InterviewStatus.SCHEDULED,
        scheduled_at=options.scheduled_at,
        created_by_id=options.created_by_id,
    )
    session.add(interview)
    session.flush()
    for order, q in enumerate(questions, start=1):
        session.add(question_row(interview.id, order, q))
    template.times_used += 1
    return interview


def record_template_score(session: Session, template_id: int | None, percentage: float) -> None:
    """Fold one completed interview's percentage into its template's running average."""
    if template_id is None:
        return
    template = session.scalars(
        select(InterviewTemplate).where(InterviewTemplate.id == template_id).with_for_update()
    ).first()
    if template is None:
        return
    n = template.scored_interviews
    previous = template.average_score or 0.0
    template.average_score = round((previous * n + percentage) / (n + 1), 2)
    template.scored_interviews = n + 1
