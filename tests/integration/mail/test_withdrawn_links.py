"""A message still waiting when its booking is moved or cancelled is not sent: its link was
revoked, and the newer message carries what the candidate needs (real SMTP on loopback)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from core.config import Settings
from core.db.engine import Database
from core.mail.outbox import list_outbox, resend
from core.mail.queue import OutboxError
from core.mail.transport import build_transport
from core.mail.worker import process_due
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.scheduling.booking import book, cancel, reschedule
from core.scheduling.slots import create_slots
from tests.support.factories import make_interview
from tests.support.mail import POLICY, mail_settings
from tests.support.smtp_server import RecordingHandler

NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)
WINDOW = JoinWindow(30, 600)


def _slots(db: Database) -> list[int]:
    spans = [
        (START, START + timedelta(minutes=45)),
        (START + timedelta(hours=2), START + timedelta(hours=3)),
    ]
    return [slot.id for slot in create_slots(db, spans, capacity=3, now=NOW)]


def _deliver_all(db: Database, cfg: Settings) -> int:
    transport = build_transport(cfg)
    assert transport is not None
    return process_due(db, transport, NOW, settings=cfg, policy=POLICY)


def _stored(db: Database) -> str:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM email_outbox")).fetchall()
    return "\n".join(str(value) for row in rows for value in row)


def test_a_reschedule_withdraws_the_invitation_still_waiting(
    any_db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    first, second = _slots(any_db)
    booked = book(any_db, cfg, interview_id=make_interview(any_db), slot_id=first, now=NOW)
    other = book(any_db, cfg, interview_id=make_interview(any_db), slot_id=first, now=NOW)
    moved = reschedule(any_db, cfg, booking_id=booked.booking_id, new_slot_id=second, now=NOW)
    assert booked.link and moved.link and other.link

    rows = {row.id: row for row in list_outbox(any_db)}
    withdrawn = rows[booked.outbox_id]
    assert withdrawn.status == "failed" and "moved" in withdrawn.last_error
    assert booked.link.split("key=")[1] not in _stored(any_db)  # the revoked link is gone
    assert (
        rows[moved.outbox_id].status == "queued" and moved.link in rows[moved.outbox_id].body_text
    )
    assert rows[other.outbox_id].status == "queued"  # another interview's invitation stays

    assert _deliver_all(any_db, cfg) == 2  # the reschedule and the other invitation
    bodies = [m.get_body(("plain",)).get_content() for m in handler.received]  # type: ignore[union-attr]
    assert sum(moved.link in body for body in bodies) == 1
    assert not any(booked.link in body for body in bodies)
    status = check_key(
        any_db,
        moved.link.split("key=")[1],
        now=START + timedelta(hours=2),
        address="a",
        window=WINDOW,
    ).status
    assert status is AccessStatus.OPEN


def test_a_cancellation_withdraws_the_invitation_still_waiting(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    first, _ = _slots(db)
    booked = book(db, cfg, interview_id=make_interview(db), slot_id=first, now=NOW)
    cancelled = cancel(db, cfg, booking_id=booked.booking_id, now=NOW)
    rows = {row.id: row for row in list_outbox(db)}
    assert rows[booked.outbox_id].status == "failed"
    assert "cancelled" in rows[booked.outbox_id].last_error

    assert _deliver_all(db, cfg) == 1  # only the calendar cancellation goes out
    [message] = handler.received
    assert rows[cancelled.outbox_id].subject == message["Subject"]
    with pytest.raises(OutboxError, match="no active booking"):
        resend(db, booked.outbox_id, NOW, settings=cfg)
