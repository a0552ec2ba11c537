"""What the camera produced: proctoring events (with snapshots) and recordings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, TimestampMixin, enum_column
from core.domain import ProctorEventKind, RecordingKind, Severity


class ProctorEvent(TimestampMixin, Base):
    __tablename__ = "proctor_events"
    __table_args__ = (
        Index("ix_proctor_events_interview_kind", "interview_id", "kind"),
        Index("ix_proctor_events_started", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    kind: Mapped[ProctorEventKind] = enum_column(ProctorEventKind)
    severity: Mapped[Severity] = enum_column(Severity)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    peak_confidence: Mapped[float | None]
    snapshot_path: Mapped[str | None] = mapped_column(String(500))  # relative to the data dir
    thumbnail_path: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Recording(TimestampMixin, Base):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(500))  # relative to the data dir
    kind: Mapped[RecordingKind] = enum_column(RecordingKind, default=RecordingKind.VIDEO)
    mime_type: Mapped[str] = mapped_column(String(64), default="video/mp4")
    started_at: Mapped[datetime]
    duration_seconds: Mapped[float | None]
    size_bytes: Mapped[int | None]
