"""Question drafts: an interview's questions generated from a job, the interview's type and
difficulty, and — when given — the candidate's resume; returned as an editable template spec
(each question with its expected answer, criteria, follow-ups and notes) that the recruiter
edits and saves. With an LLM the model writes them; without one (or ``use_ai`` off, or when it
fails) they are chosen from our bank by skill and similarity to the job and resume.

``draft_questions`` blocks for the model's time: the page runs it on ``DraftJobs``' worker
thread and shows that it is pending.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.db.models import Candidate, Job
from core.db.uow import Tx, reading
from core.domain import CodingLanguage, Difficulty, InterviewType, QuestionType
from core.errors import IntervistaError
from core.interviewer.ai.questions import GeneratedQuestion, QuestionGenerator
from core.interviewer.question_bank import NotEnoughQuestions, SelectionRequest
from core.interviewer.speech.worker import BoundedWorker
from core.recruiting.template_admin import TemplateQuestion, TemplateSpec
from core.staff.permissions import Action, Principal, require

logger = logging.getLogger(__name__)

MAX_RESUME_CHARS = 6000


class DraftError(IntervistaError, ValueError):
    """The draft cannot be made; the message says why (safe to show staff)."""

    code = "draft_failed"
    status = 422


class DraftRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    job_id: int
    candidate_id: int | None = None  # whose resume the questions probe
    interview_type: InterviewType = InterviewType.TECHNICAL
    difficulty: Difficulty = Difficulty.MEDIUM
    count: int = Field(5, ge=1, le=20)
    use_ai: bool = True  # False: from the bank even when an LLM is configured


@dataclass(frozen=True)
class QuestionDraft:
    spec: TemplateSpec
    source: Literal["llm", "bank", "llm+bank"]
    resume_used: bool
    note: str  # what a recruiter should know about how it was made


def _question(g: GeneratedQuestion) -> TemplateQuestion:
    return TemplateQuestion(
        question_text=g.text[:4000],
        question_type=g.question_type,
        difficulty=g.difficulty,
        expected_duration_minutes=max(1, min(120, g.duration_minutes)),
        expected_answer=g.expected_answer[:20_000],
        evaluation_criteria=[c[:500] for c in g.criteria][:20],
        follow_ups=[f[:500] for f in g.follow_ups][:10],
        notes=g.notes[:4000],
    )


def draft_questions(
    db: Tx, generator: QuestionGenerator, principal: Principal | None, request: DraftRequest
) -> QuestionDraft:
    """Generate the draft (one read, then the model or the bank; nothing is written)."""
    require(principal, Action.MANAGE_TEMPLATES)
    with reading(db) as session:
        job = session.get(Job, request.job_id)
        if job is None:
            raise DraftError("That job no longer exists.")
        candidate = session.get(Candidate, request.candidate_id) if request.candidate_id else None
        if request.candidate_id and candidate is None:
            raise DraftError("That candidate no longer exists.")
        resume = (candidate.resume_text if candidate else "").strip()[:MAX_RESUME_CHARS]
        language = CodingLanguage(job.coding_language)
        skills = tuple(job.required_skills or ())
        if request.interview_type in (InterviewType.TECHNICAL, InterviewType.CODING):
            skills = (*skills, language.label)
        selection = SelectionRequest(
            job_role=job.title,
            job_description=job.description,
            required_skills=skills,
            question_type=QuestionType(str(request.interview_type)),
            difficulty=request.difficulty,
            count=request.count,
            seed_key=f"draft:{job.id}:{request.candidate_id or 0}",
            resume_text=resume,
        )
        title = f"{job.title} ({language.label})"
    try:
        generated = generator.generate(selection, use_llm=request.use_ai)
    except NotEnoughQuestions as exc:
        raise DraftError(f"Our question bank cannot fill this draft: {exc}.") from exc
    written = sum(g.is_ai_generated for g in generated)
    source: Literal["llm", "bank", "llm+bank"] = (
        "llm" if written == len(generated) else ("bank" if written == 0 else "llm+bank")
    )
    note = {
        "llm": "Written by the AI model from the job" + (" and the resume." if resume else "."),
        "llm+bank": f"The AI model wrote {written}; the rest come from our question bank.",
        "bank": (
            "Chosen from our question bank by skills and closeness to the job"
            + (" and the resume." if resume else ".")
            + (
                ""
                if not generator.uses_llm or not request.use_ai
                else " (the AI model did not answer in time)"
            )
        ),
    }[source]
    minutes = sum(g.duration_minutes for g in generated)
    spec = TemplateSpec(
        title=f"{title} – {request.interview_type.value.replace('_', ' ')}"[:200],
        description=f"Generated for {title}" + (" from the candidate's resume." if resume else "."),
        interview_type=request.interview_type,
        difficulty=request.difficulty,
        duration_minutes=max(5, min(480, minutes)),
        questions=[_question(g) for g in generated],
    )
    return QuestionDraft(spec, source, bool(resume), note)


class DraftJobs:
    """Drafts being made off the page's thread: one worker, the latest job per person (a page
    reload finds it). Any thread may call."""

    def __init__(self, db: Tx, generator: QuestionGenerator, capacity: int = 4) -> None:
        self._db, self._generator = db, generator
        self._worker = BoundedWorker(capacity, name="question-drafts")
        self._lock = threading.Lock()
        self._latest: dict[int, tuple[DraftRequest, Future[QuestionDraft]]] = {}

    def start(self, principal: Principal, owner: int, request: DraftRequest) -> bool:
        """Queue a draft for ``owner`` (a user id); False when the worker is full."""
        require(principal, Action.MANAGE_TEMPLATES)  # refused at once, not on the worker
        future = self._worker.submit(
            ("draft", owner, request),
            lambda: draft_questions(self._db, self._generator, principal, request),
        )
        if future is None:
            return False
        with self._lock:
            self._latest[owner] = (request, future)
        return True

    def latest(self, owner: int) -> tuple[DraftRequest, Future[QuestionDraft]] | None:
        with self._lock:
            return self._latest.get(owner)

    def forget(self, owner: int) -> None:
        with self._lock:
            self._latest.pop(owner, None)

    def stop(self) -> None:
        self._worker.stop()
