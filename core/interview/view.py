"""What the candidate's page shows of an interview: a frozen read model (no live ORM objects).

``load`` reads it in one short read transaction; ``candidate_flow`` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import FollowUp, Interview, InterviewTemplate
from core.db.uow import Tx, reading
from core.domain import (
    FollowUpStatus,
    InterviewStatus,
    QuestionType,
    ResponseStatus,
    TranscriptStatus,
)
from core.errors import IntervistaError
from core.interview.question_rows import questions_with_responses


class FlowError(IntervistaError, ValueError):
    """The action is not possible now; the message is safe to show to the candidate."""

    code = "interview_flow"
    status = 409


@dataclass(frozen=True)
class CandidateQuestion:
    id: int
    order: int
    text: str
    question_type: QuestionType
    expected_minutes: int
    coding_problem_ref: str | None
    status: ResponseStatus | None
    draft_text: str
    draft_code: str
    audio_path: str | None
    transcript_status: TranscriptStatus | None  # None: no recording
    transcript_text: str  # "" unless the template shows it to the candidate
    transcript_error: str  # why it could not be transcribed (a sentence for the candidate)
    started_at: datetime | None
    score: float | None
    feedback: str


@dataclass(frozen=True)
class CandidateFollowUp:
    """The interviewer's open follow-up: answered (or passed) before the next question."""

    id: int
    question_id: int
    question_order: int
    round: int
    text: str
    draft_text: str


@dataclass(frozen=True)
class CandidateInterview:
    id: int
    title: str
    company: str
    job_role: str
    coding_language: str
    status: InterviewStatus
    duration_minutes: int
    time_multiplier: float
    started_at: datetime | None
    deadline: datetime | None
    current_order: int
    enable_video: bool
    enable_audio: bool
    allow_skip: bool
    show_score: bool
    show_transcript: bool
    read_aloud: bool
    questions: tuple[CandidateQuestion, ...]
    follow_up: CandidateFollowUp | None = None

    def seconds_left(self, now: datetime) -> float | None:
        return None if self.deadline is None else max(0.0, (self.deadline - now).total_seconds())

    @property
    def current(self) -> CandidateQuestion | None:
        return next((q for q in self.questions if q.order == self.current_order), None)

    @property
    def answered(self) -> int:
        """Submitted answers only: a skipped question is not answered."""
        return sum(q.status is ResponseStatus.SUBMITTED for q in self.questions)

    @property
    def skipped(self) -> int:
        return sum(q.status is ResponseStatus.SKIPPED for q in self.questions)


def deadline_of(i: Interview) -> datetime | None:
    if i.started_at is None:
        return None
    return i.started_at + timedelta(minutes=i.duration_minutes * i.time_multiplier)


def template_flags(session: Session, i: Interview) -> tuple[bool, bool]:
    t = session.get(InterviewTemplate, i.template_id) if i.template_id else None
    return (t.allow_skip, t.show_score_to_candidate) if t else (True, False)


def spoken_flags(session: Session, i: Interview) -> tuple[bool, bool]:
    """(show the transcript to the candidate, read questions aloud) from the template."""
    t = session.get(InterviewTemplate, i.template_id) if i.template_id else None
    return (t.show_transcript_to_candidate, t.read_questions_aloud) if t else (True, False)


def load(db: Tx, interview_id: int) -> CandidateInterview:
    with reading(db) as session:
        i = session.get(Interview, interview_id)
        if i is None:
            raise FlowError("This interview is no longer available.")
        allow_skip, show_score = template_flags(session, i)
        show_transcript, read_aloud = spoken_flags(session, i)
        rows = questions_with_responses(session, interview_id)
        questions = tuple(
            CandidateQuestion(
                id=q.id,
                order=q.order,
                text=q.question_text,
                question_type=QuestionType(q.question_type),
                expected_minutes=q.expected_duration_minutes,
                coding_problem_ref=q.coding_problem_ref,
                status=ResponseStatus(r.status) if r else None,
                draft_text=r.text_response if r else "",
                draft_code=r.code_response if r else "",
                audio_path=r.audio_path if r else None,
                transcript_status=TranscriptStatus(r.transcript_status)
                if r and r.transcript_status
                else None,
                transcript_text=r.transcript_text if (r and show_transcript) else "",
                transcript_error=r.transcript_error if r else "",
                started_at=r.started_at if r else None,
                score=r.score if (r and show_score) else None,
                feedback=r.ai_feedback if (r and show_score) else "",
            )
            for q, r in rows
        )
        return CandidateInterview(
            id=i.id,
            title=i.title,
            company=i.company_name,
            job_role=i.job_role,
            coding_language=str(i.coding_language),
            status=InterviewStatus(i.status),
            duration_minutes=i.duration_minutes,
            time_multiplier=i.time_multiplier,
            started_at=i.started_at,
            deadline=deadline_of(i),
            current_order=i.current_question_order,
            enable_video=i.enable_video,
            enable_audio=i.enable_audio,
            allow_skip=allow_skip,
            show_score=show_score,
            show_transcript=show_transcript,
            read_aloud=read_aloud,
            questions=questions,
            follow_up=_open_follow_up(session, interview_id, questions),
        )


def _open_follow_up(
    session: Session, interview_id: int, questions: tuple[CandidateQuestion, ...]
) -> CandidateFollowUp | None:
    f = session.scalars(
        select(FollowUp)
        .where(FollowUp.interview_id == interview_id)
        .where(FollowUp.status == FollowUpStatus.OPEN)
        .order_by(FollowUp.asked_at, FollowUp.id)
        .limit(1)
    ).first()
    if f is None:
        return None
    order = next((q.order for q in questions if q.id == f.question_id), 0)
    return CandidateFollowUp(f.id, f.question_id, order, f.round, f.text, f.answer_text)
