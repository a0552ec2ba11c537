"""What recruiters keep: candidates, jobs and interview templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, TimestampMixin, enum_column, utcnow
from core.domain import CodingLanguage, Difficulty, InterviewType


class Candidate(TimestampMixin, Base):
    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")  # empty: organisation default
    resume_path: Mapped[str | None] = mapped_column(String(500))  # relative to the data dir
    resume_filename: Mapped[str | None] = mapped_column(String(255))
    resume_text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Job(TimestampMixin, Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(100), default="")
    coding_language: Mapped[CodingLanguage] = enum_column(
        CodingLanguage, default=CodingLanguage.PYTHON
    )
    required_skills: Mapped[list[str]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(default=True, index=True)


class InterviewTemplate(TimestampMixin, Base):
    """A reusable interview. ``questions`` is a list of question dicts (see services.templates)."""

    __tablename__ = "interview_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    interview_type: Mapped[InterviewType] = enum_column(InterviewType, index=True)
    difficulty: Mapped[Difficulty] = enum_column(Difficulty, index=True)
    duration_minutes: Mapped[int] = mapped_column(default=30)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    times_used: Mapped[int] = mapped_column(default=0)
    average_score: Mapped[float | None]
    scored_interviews: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    is_premium: Mapped[bool] = mapped_column(default=False)
    show_score_to_candidate: Mapped[bool] = mapped_column(default=False)
    allow_skip: Mapped[bool] = mapped_column(default=True)
    # Spoken answers: show the candidate what was heard (to re-record if wrong).
    show_transcript_to_candidate: Mapped[bool] = mapped_column(default=True, server_default=true())
    # An accessibility aid: a button reads each question aloud (the browser's speech synthesis).
    read_questions_aloud: Mapped[bool] = mapped_column(default=False, server_default=false())
    # How many follow-ups the interviewer may ask after one answer before moving on (0: none).
    max_follow_ups: Mapped[int] = mapped_column(default=1, server_default="1")
    # Offered to Greenhouse as a test (list_tests / send_test, docs/api.md).
    greenhouse_test: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
