"""Using a template from the HTTP API (``POST /api/v1/templates/{id}/use_template/``).

Two uses, as in the seeds and the pages:

- without a candidate: a *practice* interview for the signed-in staff member (``PRACTICE``),
  theirs to take through the API;
- with a candidate: an interview for that candidate (``MANAGE_TEMPLATES``, the action of the
  Templates page's "Use template"), left ``scheduled`` to be booked into a slot or sent as an
  on-demand invitation.

Both copy the template's questions in order through
``core.recruiting.templates.create_interview_from_template`` in one transaction that also
counts the use and writes the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db.models import Candidate, InterviewTemplate, Job
from core.db.uow import Tx, UnitOfWork, writing
from core.domain import Difficulty, InterviewType
from core.errors import Conflict, NotFound
from core.interview.practice import practice_candidate
from core.recruiting.catalog import TemplateView, get_template, page_templates
from core.recruiting.templates import InterviewOptions, create_interview_from_template
from core.staff.audit import record_audit
from core.staff.auth import StaffUser
from core.staff.permissions import (
    Action,
    ApiKeyPrincipal,
    Principal,
    StaffPrincipal,
    can,
    require,
)


@dataclass(frozen=True)
class TemplateUse:
    """The seeds' body: what the interview is for. Role and company, when given, name the
    position (with a job they replace the job's own)."""

    job_role: str = ""
    company_name: str = ""
    use_ai: bool = True
    candidate_id: int | None = None
    job_id: int | None = None


def _may_browse(principal: Principal | None) -> bool:
    """Any staff member (to practise) and template managers (keys with ``recruiting``)."""
    if can(principal, Action.PRACTICE) or can(principal, Action.MANAGE_TEMPLATES):
        return True
    require(principal, Action.MANAGE_TEMPLATES)  # refuses, with the caller's own reason
    return False


def browse_templates(
    db: Tx,
    principal: Principal | None,
    *,
    types: tuple[InterviewType, ...] = (),
    difficulties: tuple[Difficulty, ...] = (),
    offset: int = 0,
    limit: int = 20,
) -> tuple[int, list[TemplateView]]:
    """One page of the active templates (by title) and how many there are."""
    _may_browse(principal)
    return page_templates(
        db, types=types, difficulties=difficulties, active=True, offset=offset, limit=limit
    )


def template_detail(db: Tx, principal: Principal | None, template_id: int) -> TemplateView:
    """One template; a deactivated one only for those who manage templates."""
    _may_browse(principal)
    found = get_template(db, template_id)
    if found is None or not (found.is_active or can(principal, Action.MANAGE_TEMPLATES)):
        raise NotFound(f"There is no template #{template_id}.", code="template_not_found")
    return found


def _template(session: Session, template_id: int) -> InterviewTemplate:
    # Locked so concurrent uses each count (times_used += 1 is read-modify-write).
    template = session.scalars(
        select(InterviewTemplate).where(InterviewTemplate.id == template_id).with_for_update()
    ).first()
    if template is None:
        raise NotFound(f"There is no template #{template_id}.", code="template_not_found")
    if not template.is_active:
        raise Conflict(
            f"The template {template.title!r} is deactivated; activate it first.",
            code="template_inactive",
        )
    return template


def _candidate(session: Session, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"There is no candidate #{candidate_id}.", code="candidate_not_found")
    return candidate


def _job(session: Session, job_id: int | None) -> Job | None:
    if job_id is None:
        return None
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"There is no job #{job_id}.", code="job_not_found")
    if not job.is_active:
        raise Conflict(f"The job {job.title!r} is closed; reopen it first.", code="job_inactive")
    return job


def use_template(
    db: Tx,
    principal: Principal | None,
    template_id: int,
    use: TemplateUse,
    *,
    person: StaffUser | None = None,
) -> int:
    """Build the interview (see the module); return its id.

    Without ``use.candidate_id`` the interview is ``person``'s practice (``principal`` must be
    that staff member); with one, ``principal`` must be allowed ``MANAGE_TEMPLATES``."""
    practice = use.candidate_id is None
    if practice:
        require(principal, Action.PRACTICE)
        if not isinstance(principal, StaffPrincipal) or person is None:
            raise ValueError("a practice interview needs the signed-in staff member")
        if person.id != principal.user_id:
            raise ValueError("the practising person must be the principal")
    else:
        require(principal, Action.MANAGE_TEMPLATES)
    actor = _Actor(
        principal.user_id if isinstance(principal, StaffPrincipal) else None,
        f"api key #{principal.key_id}" if isinstance(principal, ApiKeyPrincipal) else "",
    )
    try:
        return _build(db, template_id, use, person if practice else None, actor)
    except IntegrityError:  # a concurrent first practice created the same candidate row
        if isinstance(db, UnitOfWork):
            raise
        return _build(db, template_id, use, person if practice else None, actor)


@dataclass(frozen=True)
class _Actor:
    user_id: int | None
    label: str


def _build(
    db: Tx, template_id: int, use: TemplateUse, practising: StaffUser | None, actor: _Actor
) -> int:
    """One transaction: the interview, its questions, the template's count, the audit."""
    practice = practising is not None
    with writing(db) as session:
        _template(session, template_id)
        if practising is not None:
            candidate = practice_candidate(session, practising)
        else:
            assert use.candidate_id is not None
            candidate = _candidate(session, use.candidate_id)
        job = _job(session, use.job_id)
        interview = create_interview_from_template(
            session,
            template_id=template_id,
            candidate_id=candidate.id,
            job_id=job.id if job else None,
            options=InterviewOptions(
                use_ai=use.use_ai,
                is_practice=practice,
                enable_video=not practice,  # nobody watches a practice taken over the API
                created_by_id=actor.user_id,
            ),
        )
        if use.job_role.strip():
            interview.job_role = use.job_role.strip()
        if use.company_name.strip():
            interview.company_name = use.company_name.strip()
        session.flush()
        details = {
            "template_id": template_id,
            "candidate_id": candidate.id,
            "job_id": use.job_id,
            "practice": practice,
            "via": "api",
        }
        record_audit(
            session,
            actor.user_id,
            "template.use",
            "interview",
            interview.id,
            details,
            actor_label=actor.label,
        )
        return interview.id
