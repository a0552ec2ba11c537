"""Mail test helpers: settings pointed at a loopback SMTP server, invitations, outbox rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from core.config import Settings, load_settings
from core.db.engine import Database
from core.db.models import EmailOutbox
from core.mail.messages import InvitationDetails, invitation_email
from core.mail.queue import RetryPolicy
from core.mail.worker import enqueue

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# One complete invitation (message and calendar tests vary it with dataclasses.replace).
ACME_INVITATION = InvitationDetails(
    candidate_name="Asha Rao",
    candidate_email="asha@candidates.example",
    candidate_timezone="",
    interview_title="Backend engineer screen",
    company="Acme",
    job_role="Backend Engineer",
    starts_at=datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
    ends_at=datetime(2026, 1, 6, 10, 45, tzinfo=UTC),
    link="https://interviews.acme.example/join?key=abc",
    calendar_uid="booking-12@intervista",
    sequence=0,
    enable_video=True,
    enable_audio=True,
)

POLICY = RetryPolicy(
    base_delay_seconds=30, max_delay_seconds=3600, max_attempts=3, lease_seconds=60
)


def mail_settings(settings: Settings, port: int, **extra: object) -> Settings:
    """``settings`` pointed at the loopback SMTP server on ``port`` (validated like real ones)."""
    overrides = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout_seconds": 5.0,
        "mail_from": "Acme Hiring <hiring@acme.example>",
        **extra,
    }
    return load_settings(**{**settings.model_dump(), **overrides})


def details(n: int = 1, **changes: object) -> InvitationDetails:
    base = InvitationDetails(
        candidate_name=f"Asha Rao {n}",
        candidate_email=f"asha{n}@candidates.example",
        candidate_timezone="Asia/Kolkata",
        interview_title="Backend engineer screen",
        company="Acme",
        job_role="Backend Engineer",
        starts_at=datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 1, 6, 10, 45, tzinfo=UTC),
        link=f"https://interviews.acme.example/join?key=secret{n}",
        calendar_uid=f"booking-{n}@intervista",
        sequence=0,
        enable_video=True,
        enable_audio=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def queue_invitations(
    db: Database, settings: Settings, count: int, now: datetime = NOW
) -> list[int]:
    with db.write() as session:
        return [
            enqueue(session, invitation_email(details(n), settings), interview_id=None, now=now)
            for n in range(1, count + 1)
        ]


def rows(db: Database) -> list[Any]:
    """Every outbox row as a plain result row (attribute access, detached from the session)."""
    t = EmailOutbox
    columns = (t.id, t.message_id, t.status, t.attempts, t.last_error, t.next_attempt_at)
    with db.read() as session:
        return list(session.execute(select(*columns, t.lease_until, t.sent_at).order_by(t.id)))


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)
