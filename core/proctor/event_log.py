"""Proctoring events in the database: record what the detection worker reported, summarise.

``record_updates`` is called on the Streamlit script thread (the draining fragment); it is a
short write transaction. An event is inserted when it opens and completed (end time, peak
confidence, final snapshot) when it closes; both carry the same ``key`` (stored in details).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Interview, ProctorEvent
from core.db.uow import Tx, reading, writing
from core.domain import ProctorEventKind, Severity
from core.errors import IntervistaError
from core.proctor.rule_types import EventPhase, EventUpdate

_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class UnknownInterview(IntervistaError, ValueError):
    """The interview id does not exist; nothing was written."""

    code = "interview_not_found"
    status = 404


@dataclass(frozen=True)
class ProctorEventView:
    id: int
    interview_id: int
    kind: ProctorEventKind
    severity: Severity
    started_at: datetime
    ended_at: datetime | None
    peak_confidence: float | None
    snapshot_path: str | None
    thumbnail_path: str | None
    detail: str
    key: str

    @property
    def duration_seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class KindSummary:
    kind: ProctorEventKind
    count: int
    total_seconds: float  # closed events only
    open_count: int
    max_severity: Severity
    peak_confidence: float | None


def proctor_event_view(row: ProctorEvent) -> ProctorEventView:
    details = row.details or {}
    return ProctorEventView(
        id=row.id,
        interview_id=row.interview_id,
        kind=row.kind,
        severity=row.severity,
        started_at=row.started_at,
        ended_at=row.ended_at,
        peak_confidence=row.peak_confidence,
        snapshot_path=row.snapshot_path,
        thumbnail_path=row.thumbnail_path,
        detail=str(details.get("detail", "")),
        key=str(details.get("key", "")),
    )


def _open_row(session: Session, interview_id: int, update: EventUpdate) -> ProctorEvent | None:
    rows = session.scalars(
        select(ProctorEvent).where(
            ProctorEvent.interview_id == interview_id,
            ProctorEvent.kind == update.kind,
        )
    ).all()
    return next((r for r in rows if (r.details or {}).get("key") == update.key), None)


def record_updates(
    db: Tx, interview_id: int, updates: Sequence[EventUpdate]
) -> list[ProctorEventView]:
    """Insert opened events and complete closed ones, in order, in one transaction.

    A CLOSED update whose OPENED row is missing (e.g. it was dropped from a full queue) is
    inserted whole. Raises UnknownInterview (writing nothing) if the interview does not exist.
    """
    if not updates:
        return []
    with writing(db) as session:
        if session.get(Interview, interview_id) is None:
            raise UnknownInterview(f"interview {interview_id} does not exist")
        touched: list[ProctorEvent] = []
        for update in updates:
            row = _open_row(session, interview_id, update)
            if row is None:
                row = ProctorEvent(
                    interview_id=interview_id,
                    kind=update.kind,
                    severity=update.severity,
                    started_at=update.started_at,
                    details={"key": update.key},
                )
                session.add(row)
            row.ended_at = update.ended_at if update.phase is EventPhase.CLOSED else None
            row.peak_confidence = update.peak_confidence
            if update.snapshot_path:
                row.snapshot_path = update.snapshot_path
                row.thumbnail_path = update.thumbnail_path
            row.details = {
                "key": update.key,
                "detail": update.detail,
                "detector": update.detector,
            }
            session.flush()
            touched.append(row)
        return [proctor_event_view(r) for r in touched]


def list_events(db: Tx, interview_id: int) -> list[ProctorEventView]:
    """All events of an interview, oldest first."""
    with reading(db) as session:
        rows = session.scalars(
            select(ProctorEvent)
            .where(ProctorEvent.interview_id == interview_id)
            .order_by(ProctorEvent.started_at, ProctorEvent.id)
        ).all()
        return [proctor_event_view(r) for r in rows]


def summarize(events: Iterable[ProctorEventView]) -> list[KindSummary]:
    """Per kind: how many, for how long, worst severity and highest confidence."""
    by_kind: dict[ProctorEventKind, list[ProctorEventView]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    summaries = []
    for kind in ProctorEventKind:
        group = by_kind.get(kind)
        if not group:
            continue
        confidences = [e.peak_confidence for e in group if e.peak_confidence is not None]
        summaries.append(
            KindSummary(
                kind=kind,
                count=len(group),
                total_seconds=sum(e.duration_seconds or 0.0 for e in group),
                open_count=sum(1 for e in group if e.ended_at is None),
                max_severity=max((e.severity for e in group), key=_SEVERITY_RANK.__getitem__),
                peak_confidence=max(confidences) if confidences else None,
            )
        )
    return summaries


def summary_by_kind(db: Tx, interview_id: int) -> list[KindSummary]:
    """``summarize`` over the interview's events in the database."""
    return summarize(list_events(db, interview_id))
