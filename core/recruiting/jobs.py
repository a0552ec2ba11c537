"""Jobs: validated create/update and (de)activation. One short transaction per call.

Every function that changes data takes an optional ``principal``: when given (pages, the HTTP
API) it must be allowed ``MANAGE_JOBS``, checked before anything is written; the command line
and fixtures act as the operator and pass none.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Job
from core.db.uow import Tx, reading, writing
from core.domain import CodingLanguage
from core.errors import IntervistaError
from core.recruiting.catalog import JobView, job_view
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

MAX_DESCRIPTION_CHARS = 50_000
MAX_SKILLS = 50
MAX_SKILL_CHARS = 100


class JobError(IntervistaError, ValueError):
    """A user-facing problem with job data; the message is safe to show."""

    code = "job_invalid"


class JobMissing(JobError):
    """There is no such job (any more)."""

    code = "job_not_found"
    status = 404


@dataclass(frozen=True)
class JobInput:
    title: str
    company: str = ""
    description: str = ""
    domain: str = ""
    coding_language: CodingLanguage = CodingLanguage.PYTHON
    required_skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobChanges:
    """Some of a job's fields (None: keep it), merged under the row's lock; ``is_active``
    False deactivates the job (kept for its interviews, no longer offered), True reactivates."""

    title: str | None = None
    company: str | None = None
    description: str | None = None
    domain: str | None = None
    coding_language: CodingLanguage | None = None
    required_skills: tuple[str, ...] | None = None
    is_active: bool | None = None

    def applied_to(self, current: JobInput) -> JobInput:
        given = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "is_active"}
        return replace(current, **{k: v for k, v in given.items() if v is not None})


def _one_line(value: str, label: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise JobError(f"The {label} is longer than {limit} characters.")
    return cleaned


def clean_skills(skills: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Trim each skill, drop blanks and case-insensitive repeats (first spelling wins)."""
    seen: set[str] = set()
    kept: list[str] = []
    for raw in skills:
        skill = " ".join(str(raw).split())
        if not skill or skill.casefold() in seen:
            continue
        if len(skill) > MAX_SKILL_CHARS:
            raise JobError(
                f"The skill {skill[:30]!r}… is longer than {MAX_SKILL_CHARS} characters."
            )
        seen.add(skill.casefold())
        kept.append(skill)
    if len(kept) > MAX_SKILLS:
        raise JobError(f"A job can list at most {MAX_SKILLS} skills; this one has {len(kept)}.")
    return tuple(kept)


def parse_language(value: str) -> CodingLanguage:
    """``"PYTHON"``, ``"python"`` or a label like ``"C#"`` → CodingLanguage, else JobError."""
    wanted = value.strip().casefold()
    for language in CodingLanguage:
        if wanted in (language.value.casefold(), language.label.casefold()):
            return language
    choices = ", ".join(language.label for language in CodingLanguage)
    raise JobError(f"Unknown coding language {value!r}; use one of {choices}.")


def validate_job(data: JobInput) -> JobInput:
    """Return the input cleaned, or raise JobError saying what is wrong."""
    title = _one_line(data.title, "title", 200)
    if not title:
        raise JobError("A job title is required.")
    description = data.description.strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise JobError(f"The description is longer than {MAX_DESCRIPTION_CHARS:,} characters.")
    language = parse_language(str(data.coding_language))
    return JobInput(
        title=title,
        company=_one_line(data.company, "company name", 200),
        description=description,
        domain=_one_line(data.domain, "domain", 100),
        coding_language=language,
        required_skills=clean_skills(data.required_skills),
    )


def _apply(job: Job, data: JobInput) -> None:
    job.title, job.company, job.description = data.title, data.company, data.description
    job.domain, job.coding_language = data.domain, data.coding_language
    job.required_skills = list(data.required_skills)


def _locked(session: Session, job_id: int) -> Job:
    job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()
    if job is None:
        raise JobMissing("That job no longer exists.")
    return job


def create_job(
    db: Tx, data: JobInput, *, actor_id: int | None, principal: Principal | None = None
) -> JobView:
    require_given(principal, Action.MANAGE_JOBS)
    clean = validate_job(data)
    with writing(db) as session:
        job = Job(is_active=True)
        _apply(job, clean)
        session.add(job)
        session.flush()
        record_audit(session, actor_id, "job.create", "job", job.id, {"title": job.title})
        return job_view(job)


def update_job(
    db: Tx, job_id: int, data: JobInput, *, actor_id: int | None, principal: Principal | None = None
) -> JobView:
    require_given(principal, Action.MANAGE_JOBS)
    clean = validate_job(data)
    with writing(db) as session:
        job = _locked(session, job_id)
        _apply(job, clean)
        session.flush()
        record_audit(session, actor_id, "job.update", "job", job.id)
        return job_view(job)


def set_job_active(
    db: Tx, job_id: int, active: bool, *, actor_id: int | None, principal: Principal | None = None
) -> JobView:
    require_given(principal, Action.MANAGE_JOBS)
    with writing(db) as session:
        job = _locked(session, job_id)
        job.is_active = active
        action = "job.activate" if active else "job.deactivate"
        record_audit(session, actor_id, action, "job", job.id)
        return job_view(job)


def change_job(
    db: Tx,
    job_id: int,
    changes: JobChanges,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> JobView:
    """Change some of the job's fields and/or (de)activate it, in one transaction."""
    require_given(principal, Action.MANAGE_JOBS)
    with writing(db) as session:
        job = _locked(session, job_id)
        was = JobInput(
            job.title,
            job.company,
            job.description,
            job.domain,
            CodingLanguage(job.coding_language),
            tuple(job.required_skills),
        )
        edited = changes.applied_to(was)
        if edited != was:
            _apply(job, validate_job(edited))
            record_audit(session, actor_id, "job.update", "job", job.id)
        if changes.is_active is not None and changes.is_active != job.is_active:
            job.is_active = changes.is_active
            action = "job.activate" if changes.is_active else "job.deactivate"
            record_audit(session, actor_id, action, "job", job.id)
        session.flush()
        return job_view(job)


def get_job(db: Tx, job_id: int, *, principal: Principal | None = None) -> JobView | None:
    """The job, or None. ``principal``, when given, must be allowed ``MANAGE_JOBS``."""
    require_given(principal, Action.MANAGE_JOBS)
    with reading(db) as session:
        job = session.get(Job, job_id)
        return job_view(job) if job is not None else None
