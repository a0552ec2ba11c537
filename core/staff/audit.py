"""The audit log: who did what, when. Written inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import AuditLog, User
from core.db.uow import Tx, reading


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    details: dict[str, Any]


def record_audit(
    session: Session,
    actor_id: int | None,
    action: str,
    entity_type: str = "",
    entity_id: int | None = None,
    details: dict[str, Any] | None = None,
    *,
    actor_label: str = "",
) -> None:
    session.add(
        AuditLog(
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            details=details or {},
        )
    )


def recent_audit(db: Tx, limit: int = 200) -> list[AuditEntry]:
    with reading(db) as session:
        rows = session.execute(
            select(AuditLog, User.email)
            .outerjoin(User, User.id == AuditLog.actor_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
        ).all()
        return [
            AuditEntry(
                at=log.at,
                actor=email or log.actor_label or "system",
                action=log.action,
                entity_type=log.entity_type,
                entity_id=log.entity_id,
                details=dict(log.details),
            )
            for log, email in rows
        ]
