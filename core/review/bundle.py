"""Everything a reviewer sees about one interview, as frozen views (read-only)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import (
    ChatMessage,
    CodeSubmission,
    Evaluation,
    Interview,
    ProctorEvent,
    Recording,
    ReviewComment,
    User,
)
from core.db.uow import Tx, reading
from core.domain import Decision, ProctorEventKind, SubmissionKind
from core.interviewer.ai.records import StoredMessage, message_of
from core.proctor.event_log import ProctorEventView, proctor_event_view
from core.proctor.recordings import RecordingView, recording_view
from core.proctor.warning_count import count_warnings
from core.recruiting.interviews import InterviewDetail, get_interview


@dataclass(frozen=True)
class SubmissionView:
    id: int
    question_id: int | None
    at: datetime
    kind: SubmissionKind
    language: str
    code: str
    verdict: str
    passed: int
    total: int
    score: float | None
    duration_ms: float | None
    diff_from_previous: str  # unified diff against the previous attempt at the same question


@dataclass(frozen=True)
class CommentView:
    at: datetime
    author: str
    body: str


@dataclass(frozen=True)
class EvaluationView:
    overall_score: float
    percentage: float
    overall_feedback: str
    traits: dict[str, Any]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    recommendations: tuple[str, ...]
    proctoring_summary: dict[str, Any]
    evaluator_versions: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class ReviewBundle:
    interview: InterviewDetail
    evaluation: EvaluationView | None
    chat: tuple[StoredMessage, ...]
    submissions: tuple[SubmissionView, ...]
    warnings: tuple[ProctorEventView, ...]
    recordings: tuple[RecordingView, ...]
    comments: tuple[CommentView, ...]
    decision: Decision | None
    decision_by: str
    decision_at: datetime | None
    needs_review: bool

    @property
    def warning_count(self) -> int:
        """Warnings as ``core.proctor.warning_count`` defines them (``warnings`` holds every
        proctoring event, info and connection events included)."""
        return count_warnings(self.warnings)

    def warnings_by_kind(self) -> dict[ProctorEventKind, list[ProctorEventView]]:
        grouped: dict[ProctorEventKind, list[ProctorEventView]] = {}
        for w in self.warnings:
            grouped.setdefault(w.kind, []).append(w)
        return grouped


def code_diff(previous: str, current: str) -> str:
    lines = difflib.unified_diff(
        previous.splitlines(), current.splitlines(), "previous", "this attempt", lineterm="", n=2
    )
    return "\n".join(lines)


def _submissions(session: Session, interview_id: int) -> tuple[SubmissionView, ...]:
    rows = session.scalars(
        select(CodeSubmission)
        .where(CodeSubmission.interview_id == interview_id)
        .order_by(CodeSubmission.submitted_at, CodeSubmission.id)
    )
    last_code: dict[int | None, str] = {}
    views = []
    for s in rows:
        previous = last_code.get(s.question_id)
        views.append(
            SubmissionView(
                id=s.id,
                question_id=s.question_id,
                at=s.submitted_at,
                kind=SubmissionKind(s.kind),
                language=str(s.language),
                code=s.code,
                verdict=s.verdict,
                passed=s.tests_passed,
                total=s.tests_total,
                score=s.score,
                duration_ms=s.duration_ms,
                diff_from_previous=code_diff(previous, s.code) if previous is not None else "",
            )
        )
        last_code[s.question_id] = s.code
    return tuple(views)


def _evaluation(session: Session, interview_id: int) -> EvaluationView | None:
    e = session.scalars(select(Evaluation).where(Evaluation.interview_id == interview_id)).first()
    if e is None:
        return None
    return EvaluationView(
        overall_score=e.overall_score,
        percentage=e.percentage,
        overall_feedback=e.overall_feedback,
        traits=dict(e.traits),
        strengths=tuple(e.strengths),
        weaknesses=tuple(e.weaknesses),
        recommendations=tuple(e.recommendations),
        proctoring_summary=dict(e.proctoring_summary),
        evaluator_versions=dict(e.evaluator_versions),
        created_at=e.created_at,
    )


def load_review(db: Tx, interview_id: int) -> ReviewBundle | None:
    """All of one interview for review; None if it does not exist."""
    detail = get_interview(db, interview_id)
    if detail is None:
        return None
    with reading(db) as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            return None
        decider = session.get(User, interview.decision_by_id) if interview.decision_by_id else None
        chat = tuple(
            message_of(m)
            for m in session.scalars(
                select(ChatMessage)
                .where(ChatMessage.interview_id == interview_id)
                .order_by(ChatMessage.created_at, ChatMessage.id)
            )
        )
        warnings = tuple(
            proctor_event_view(e)
            for e in session.scalars(
                select(ProctorEvent)
                .where(ProctorEvent.interview_id == interview_id)
                .order_by(ProctorEvent.started_at)
            )
        )
        recordings = tuple(
            recording_view(r)
            for r in session.scalars(
                select(Recording)
                .where(Recording.interview_id == interview_id)
                .order_by(Recording.started_at)
            )
        )
        comments = tuple(
            CommentView(c.created_at, email or "deleted user", c.body)
            for c, email in session.execute(
                select(ReviewComment, User.email)
                .outerjoin(User, User.id == ReviewComment.author_id)
                .where(ReviewComment.interview_id == interview_id)
                .order_by(ReviewComment.created_at, ReviewComment.id)
            )
        )
        return ReviewBundle(
            interview=detail,
            evaluation=_evaluation(session, interview_id),
            chat=chat,
            submissions=_submissions(session, interview_id),
            warnings=warnings,
            recordings=recordings,
            comments=comments,
            decision=Decision(interview.decision) if interview.decision else None,
            decision_by=decider.email if decider else "",
            decision_at=interview.decision_at,
            needs_review=interview.needs_review,
        )
