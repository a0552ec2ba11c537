"""An interview and everything recorded during it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, TimestampMixin, enum_column, utcnow
from core.domain import (
    ChatRole,
    CodingLanguage,
    Decision,
    Difficulty,
    InterviewStatus,
    InterviewType,
    QuestionType,
    ResponseStatus,
    SubmissionKind,
    TranscriptStatus,
)


class Interview(TimestampMixin, Base):
    __tablename__ = "interviews"
    __table_args__ = (
        Index("ix_interviews_type_difficulty", "interview_type", "difficulty"),
        Index("ix_interviews_status_scheduled", "status", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_templates.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    interview_type: Mapped[InterviewType] = enum_column(InterviewType)
    difficulty: Mapped[Difficulty] = enum_column(Difficulty)
    job_role: Mapped[str] = mapped_column(String(200), default="")
    company_name: Mapped[str] = mapped_column(String(200), default="")
    job_description: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(default=list)
    coding_language: Mapped[CodingLanguage] = enum_column(
        CodingLanguage, default=CodingLanguage.PYTHON
    )
    duration_minutes: Mapped[int] = mapped_column(default=30)
    total_questions: Mapped[int] = mapped_column(default=5)
    time_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    use_ai: Mapped[bool] = mapped_column(default=True)
    enable_video: Mapped[bool] = mapped_column(default=True)
    enable_audio: Mapped[bool] = mapped_column(default=False)
    is_practice: Mapped[bool] = mapped_column(default=False)
    status: Mapped[InterviewStatus] = enum_column(
        InterviewStatus, default=InterviewStatus.SCHEDULED
    )
    scheduled_at: Mapped[datetime | None]
    # An on-demand invitation: the link opens any time until then (no slot; core.scheduling).
    open_until: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    current_question_order: Mapped[int] = mapped_column(default=0)
    active_session_token: Mapped[str | None] = mapped_column(String(64))
    total_score: Mapped[float | None]
    max_score: Mapped[float | None]
    percentage: Mapped[float | None]
    overall_feedback: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[list[str]] = mapped_column(default=list)
    weaknesses: Mapped[list[str]] = mapped_column(default=list)
    recommendations: Mapped[list[str]] = mapped_column(default=list)
    needs_review: Mapped[bool] = mapped_column(default=False)
    decision: Mapped[Decision | None] = enum_column(Decision, nullable=True)
    decision_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The sweeper's lease: while it lies in the future, one process is evaluating this interview.
    evaluation_claimed_until: Mapped[datetime | None]
    # Indexed: analytics checks max(updated_at) to know whether its copy is stale.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)


class InterviewQuestion(Base):
    __tablename__ = "interview_questions"
    __table_args__ = (UniqueConstraint("interview_id", "order", name="uq_question_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    order: Mapped[int]
    question_text: Mapped[str] = mapped_column(Text)
    question_type: Mapped[QuestionType] = enum_column(QuestionType)
    difficulty: Mapped[Difficulty] = enum_column(Difficulty)
    expected_duration_minutes: Mapped[int] = mapped_column(default=5)
    expected_answer: Mapped[str] = mapped_column(Text, default="")
    evaluation_criteria: Mapped[list[str]] = mapped_column(default=list)
    follow_ups: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    is_ai_generated: Mapped[bool] = mapped_column(default=False)
    bank_id: Mapped[str | None] = mapped_column(String(100))  # question-bank id, if chosen from it
    coding_problem_ref: Mapped[str | None] = mapped_column(String(100))


class InterviewResponse(Base):
    __tablename__ = "interview_responses"
    __table_args__ = (UniqueConstraint("question_id", name="uq_response_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("interview_questions.id", ondelete="CASCADE")
    )
    status: Mapped[ResponseStatus] = enum_column(ResponseStatus, default=ResponseStatus.DRAFT)
    text_response: Mapped[str] = mapped_column(Text, default="")
    audio_path: Mapped[str | None] = mapped_column(String(500))
    # The spoken answer's transcript (core/interview/transcripts.py): None without audio.
    transcript_status: Mapped[TranscriptStatus | None] = enum_column(
        TranscriptStatus, nullable=True
    )
    transcript_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    transcript_model: Mapped[str] = mapped_column(String(200), default="", server_default="")
    transcript_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    video_path: Mapped[str | None] = mapped_column(String(500))
    code_response: Mapped[str] = mapped_column(Text, default="")
    code_language: Mapped[CodingLanguage | None] = enum_column(CodingLanguage, nullable=True)
    time_taken_seconds: Mapped[float | None]
    started_at: Mapped[datetime | None]
    draft_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]  # 0-10, the evaluator's; never overwritten by a human
    ai_feedback: Mapped[str] = mapped_column(Text, default="")
    evaluation_metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_evaluated: Mapped[bool] = mapped_column(default=False)
    needs_review: Mapped[bool] = mapped_column(default=False)
    evaluator_kind: Mapped[str] = mapped_column(String(32), default="")
    evaluator_model: Mapped[str] = mapped_column(String(200), default="")
    prompt_version: Mapped[str] = mapped_column(String(32), default="")
    rubric_hash: Mapped[str] = mapped_column(String(64), default="")
    override_score: Mapped[float | None]
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    override_at: Mapped[datetime | None]


class CodeSubmission(Base):
    """Every Run (visible tests) and Submit (hidden tests), with its result."""

    __tablename__ = "code_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_questions.id", ondelete="CASCADE")
    )
    kind: Mapped[SubmissionKind] = enum_column(SubmissionKind)
    language: Mapped[CodingLanguage] = enum_column(CodingLanguage)
    code: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    verdict: Mapped[str] = mapped_column(String(32), default="")
    tests_passed: Mapped[int] = mapped_column(default=0)
    tests_total: Mapped[int] = mapped_column(default=0)
    score: Mapped[float | None]
    duration_ms: Mapped[float | None]
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ChatMessage(Base):
    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_questions.id", ondelete="SET NULL")
    )
    role: Mapped[ChatRole] = enum_column(ChatRole)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evaluation(Base):
    """The overall evaluation of a completed interview; re-creatable from its responses."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), unique=True
    )
    overall_score: Mapped[float]  # 0-10
    total_score: Mapped[float]
    max_score: Mapped[float]
    percentage: Mapped[float]
    overall_feedback: Mapped[str] = mapped_column(Text, default="")
    traits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    strengths: Mapped[list[str]] = mapped_column(default=list)
    weaknesses: Mapped[list[str]] = mapped_column(default=list)
    recommendations: Mapped[list[str]] = mapped_column(default=list)
    proctoring_summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evaluator_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewComment(TimestampMixin, Base):
    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
