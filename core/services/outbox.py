"""The email outbox as recruiters see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import EmailOutbox
from core.domain import OutboxStatus


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    kind: str
    to_address: str
    subject: str
    body_text: str
    has_calendar_invite: bool
    status: OutboxStatus
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    interview_id: int | None


def _view(m: EmailOutbox) -> OutboxMessage:
    return OutboxMessage(
        id=m.id,
        kind=m.kind,
        to_address=m.to_address,
        subject=m.subject,
        body_text=m.body_text,
        has_calendar_invite=bool(m.ics_content),
        status=OutboxStatus(m.status),
        attempts=m.attempts,
        last_error=m.last_error,
        created_at=m.created_at,
        sent_at=m.sent_at,
        interview_id=m.interview_id,
    )


def list_outbox(
    db: Database, statuses: tuple[OutboxStatus, ...] = (), limit: int = 500
) -> list[OutboxMessage]:
    stmt = select(EmailOutbox).order_by(EmailOutbox.created_at.desc(), EmailOutbox.id.desc())
    if statuses:
        stmt = stmt.where(EmailOutbox.status.in_(statuses))
    with db.read() as session:
        return [_view(m) for m in session.scalars(stmt.limit(limit))]
