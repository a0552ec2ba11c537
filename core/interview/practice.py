"""Practice interviews: a staff member makes an interview for themselves and takes it (the
seeds' ``POST /api/v1/interviews/`` flow, and "use template" without a candidate).

An interview needs a candidate row, so the practising staff member is one: the candidate with
their email (found, or created with their name). The interview is marked ``is_practice`` (its
link, if one is ever issued, works at any time) and ``created_by_id`` names its owner, the only
person who may take it through the API. Questions come from the question generator: the LLM
when one is configured and ``use_ai`` is on, else our bank, so it works offline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db.models import Candidate, Interview
from core.db.uow import Tx, UnitOfWork, reading, writing
from core.domain import CodingLanguage, Difficulty, InterviewStatus, InterviewType
from core.errors import Conflict, NotFound, PermissionDenied
from core.interviewer.ai.questions import GeneratedQuestion, QuestionGenerator
from core.interviewer.conversation import generate_interview_questions
from core.interviewer.question_bank import NotEnoughQuestions, SelectionRequest
from core.recruiting.interviews import InterviewFilters, InterviewPage, page_interviews
from core.staff.audit import record_audit
from core.staff.auth import StaffUser
from core.staff.permissions import Action, CandidatePrincipal, StaffPrincipal, require

logger = logging.getLogger(__name__)

PRACTICE_NOTE = "A staff member practising (interviews made through the HTTP API)."


@dataclass(frozen=True)
class PracticeSpec:
    """What the seeds' create call gives: the interview the staff member wants to practise."""

    title: str
    interview_type: InterviewType
    difficulty: Difficulty
    description: str = ""
    job_role: str = ""
    company_name: str = ""
    required_skills: tuple[str, ...] = field(default_factory=tuple)
    duration_minutes: int = 30
    total_questions: int = 5
    use_ai: bool = True
    enable_video: bool = False
    enable_audio: bool = False
    coding_language: CodingLanguage = CodingLanguage.PYTHON


class _PracticeQuestions(QuestionGenerator):
    """The process's generator as a practice interview uses it: the model only with
    ``use_ai`` (else the same bank and relevance ranking, never an LLM call), and bank
    questions this person was asked before are asked again once the bank has no new ones."""

    def __init__(self, inner: QuestionGenerator, *, use_llm: bool) -> None:
        super().__init__(None, inner.bank)
        self._inner, self._use_llm = inner, use_llm

    def generate(
        self,
        request: SelectionRequest,
        exclude_bank_ids: Iterable[str] = (),
        *,
        use_llm: bool = True,
    ) -> list[GeneratedQuestion]:
        allowed = use_llm and self._use_llm
        try:
            return self._inner.generate(request, exclude_bank_ids, use_llm=allowed)
        except NotEnoughQuestions:
            logger.info("practice: no unused bank questions left; asking earlier ones again")
        try:
            return self._inner.generate(request, (), use_llm=allowed)
        except NotEnoughQuestions as exc:
            raise Conflict(
                f"Our question bank cannot make this interview ({exc}); ask for fewer "
                "questions or another type.",
                code="not_enough_questions",
            ) from exc


def _person(principal: StaffPrincipal, person: StaffUser) -> None:
    require(principal, Action.PRACTICE)
    if person.id != principal.user_id:  # a caller's bug, never a user's input
        raise ValueError("the practising person must be the principal")


def practice_candidate(session: Session, person: StaffUser) -> Candidate:
    """The candidate row that stands for ``person`` in their practice interviews."""
    email = person.email.strip().lower()
    found = session.scalars(
        select(Candidate).where(func.lower(Candidate.email) == email).with_for_update()
    ).first()
    if found is not None:
        return found
    candidate = Candidate(
        full_name=(person.full_name.strip() or email.split("@")[0])[:200],
        email=email,
        notes=PRACTICE_NOTE,
    )
    session.add(candidate)
    session.flush()
    record_audit(
        session, person.id, "candidate.create", "candidate", candidate.id, {"source": "practice"}
    )
    return candidate


def _insert(db: Tx, person: StaffUser, spec: PracticeSpec) -> int:
    with writing(db) as session:
        candidate = practice_candidate(session, person)
        interview = Interview(
            candidate_id=candidate.id,
            title=spec.title,
            description=spec.description,
            interview_type=spec.interview_type,
            difficulty=spec.difficulty,
            job_role=spec.job_role,
            company_name=spec.company_name,
            required_skills=list(spec.required_skills),
            coding_language=spec.coding_language,
            duration_minutes=spec.duration_minutes,
            total_questions=spec.total_questions,
            use_ai=spec.use_ai,
            enable_video=spec.enable_video,
            enable_audio=spec.enable_audio,
            is_practice=True,
            status=InterviewStatus.SCHEDULED,
            created_by_id=person.id,
        )
        session.add(interview)
        session.flush()
        details = {"type": spec.interview_type.value, "use_ai": spec.use_ai}
        record_audit(session, person.id, "interview.practice", "interview", interview.id, details)
        return interview.id


def create_practice_interview(
    db: Tx,
    generator: QuestionGenerator,
    principal: StaffPrincipal,
    person: StaffUser,
    spec: PracticeSpec,
) -> int:
    """Make ``person``'s practice interview with generated questions; return its id.

    The interview row is written first; the questions are generated outside any transaction
    (an LLM call may take a while) and then stored. If that fails, the interview is removed
    again: nobody is left with an interview without questions."""
    _person(principal, person)
    if isinstance(db, UnitOfWork):
        raise TypeError("generation runs outside any transaction: pass the Database")
    try:
        interview_id = _insert(db, person, spec)
    except IntegrityError:  # a concurrent first practice created the same candidate row
        interview_id = _insert(db, person, spec)
    try:
        source = _PracticeQuestions(generator, use_llm=spec.use_ai)
        created = generate_interview_questions(db, source, interview_id)
        if not created:
            raise Conflict(
                "No questions could be found for this interview; change its type, "
                "difficulty or skills and try again.",
                code="no_questions",
            )
    except Exception:
        with writing(db) as session:
            session.execute(delete(Interview).where(Interview.id == interview_id))
        raise
    with writing(db) as session:
        interview = session.get(Interview, interview_id)
        if interview is not None:
            interview.total_questions = len(created)
    logger.info("practice interview %s made for user %s", interview_id, person.id)
    return interview_id


def owner_seat(db: Tx, principal: StaffPrincipal, interview_id: int) -> CandidatePrincipal:
    """The candidate's seat of a practice interview, for its owner; anyone else is told it
    is not theirs (an unknown id and another's practice answer alike: 404)."""
    require(principal, Action.PRACTICE)
    with reading(db) as session:
        row = session.execute(
            select(Interview.is_practice, Interview.created_by_id).where(
                Interview.id == interview_id
            )
        ).first()
    if row is None or not row[0] or row[1] != principal.user_id:
        raise NotFound(
            f"You have no practice interview #{interview_id}. A candidate's interview is "
            "taken with its X-Interview-Key.",
            code="practice_not_found",
        )
    return CandidatePrincipal(interview_id)


def owns_practice(db: Tx, principal: StaffPrincipal, interview_id: int) -> bool:
    try:
        owner_seat(db, principal, interview_id)
    except (NotFound, PermissionDenied):
        return False
    return True


def my_interviews(db: Tx, principal: StaffPrincipal, *, offset: int, limit: int) -> InterviewPage:
    """The caller's own practice interviews, newest first."""
    require(principal, Action.PRACTICE)
    filters = InterviewFilters(practice_of=principal.user_id)
    return page_interviews(db, filters, offset=offset, limit=limit)
