"""Headline numbers for the overview (the full DuckDB analytics live in core/analytics)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import Interview, InterviewTemplate, ProctorEvent
from core.domain import InterviewStatus


@dataclass(frozen=True)
class Overview:
    interviews_by_status: dict[str, int]
    completed_average_percentage: float | None
    proctor_events: int
    templates_in_use: int


def overview(db: Database) -> Overview:
    with db.read() as session:
        by_status = {
            str(status): int(n)
            for status, n in session.execute(
                select(Interview.status, func.count(Interview.id)).group_by(Interview.status)
            )
        }
        avg = session.scalar(
            select(func.avg(Interview.percentage)).where(
                Interview.status == InterviewStatus.COMPLETED
            )
        )
        events = session.scalar(select(func.count(ProctorEvent.id))) or 0
        used = (
            session.scalar(
                select(func.count(InterviewTemplate.id)).where(InterviewTemplate.times_used > 0)
            )
            or 0
        )
    return Overview(
        interviews_by_status=by_status,
        completed_average_percentage=float(avg) if avg is not None else None,
        proctor_events=int(events),
        templates_in_use=int(used),
    )
