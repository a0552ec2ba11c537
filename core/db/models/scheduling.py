"""Time slots, bookings, secret access keys and the email outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, TimestampMixin, enum_column, utcnow
from core.domain import AccessKeyState, BookingStatus, OutboxStatus


class Slot(TimestampMixin, Base):
    __tablename__ = "slots"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Booking(TimestampMixin, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_slot_status", "slot_id", "status"),
        Index("ix_bookings_candidate_status", "candidate_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    status: Mapped[BookingStatus] = enum_column(BookingStatus, default=BookingStatus.ACTIVE)
    notes: Mapped[str] = mapped_column(Text, default="")
    calendar_uid: Mapped[str] = mapped_column(String(100), default="")
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None]


class AccessKey(TimestampMixin, Base):
    """A candidate's secret link key. Only its SHA-256 hash is stored."""

    __tablename__ = "access_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[AccessKeyState] = enum_column(AccessKeyState, default=AccessKeyState.ACTIVE)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    use_count: Mapped[int] = mapped_column(default=0)


class EmailOutbox(TimestampMixin, Base):
    """A message waiting for, or done with, the mail worker."""

    __tablename__ = "email_outbox"
    __table_args__ = (Index("ix_email_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # invitation | reschedule | cancellation | ...
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    ics_content: Mapped[str | None] = mapped_column(Text)
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # The candidate's link while the message waits; cleared on delivery (core.mail.secret_link).
    secret_link: Mapped[str | None] = mapped_column(Text)
