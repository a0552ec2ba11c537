"""Follow-ups: what the interviewer asked after an answer, and the candidate's reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, enum_column
from core.domain import FollowUpStatus


class FollowUp(Base):
    """One follow-up (``round`` 1..N of a question). Its answer is scored with the question:
    the question's score counts the first answer together with the follow-up answers."""

    __tablename__ = "interview_follow_ups"
    __table_args__ = (UniqueConstraint("question_id", "round", name="uq_follow_up_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("interview_questions.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))  # "llm", "bank", "criteria"
    aimed_at: Mapped[list[str]] = mapped_column(default=list)  # the criteria it probes
    status: Mapped[FollowUpStatus] = enum_column(FollowUpStatus, default=FollowUpStatus.OPEN)
    asked_at: Mapped[datetime]
    answer_text: Mapped[str] = mapped_column(Text, default="")
    draft_saved_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # The question's score with this answer counted (0-10), and what it then still missed.
    score: Mapped[float | None] = mapped_column(Float)
    evaluation: Mapped[dict[str, Any]] = mapped_column(default=dict)
