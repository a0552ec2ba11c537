"""Outbox to a real SMTP server on 127.0.0.1: content, calendar updates, outages, refusals."""

from __future__ import annotations

from email.message import EmailMessage

from icalendar import Calendar

from core.config import Settings
from core.db.engine import Database
from core.domain import OutboxStatus
from core.mail.messages import cancellation_email, invitation_email, reschedule_email
from core.mail.outbox import list_outbox, resend
from core.mail.transport import build_transport
from core.mail.worker import enqueue, process_due
from tests.support.mail import (
    NOW,
    POLICY,
    details,
    later,
    mail_settings,
    queue_invitations,
    rows,
)
from tests.support.smtp_server import RecordingHandler, free_port, smtp_server


def _calendar_of(message: EmailMessage) -> tuple[Calendar, str]:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    assert part.get_filename() == "invite.ics"
    assert part.get_content_charset() == "utf-8"
    return Calendar.from_ical(part.get_content()), str(part.get_param("method"))


def _body_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_invitation_arrives_with_link_local_time_and_ics(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    [outbox_id] = queue_invitations(db, cfg, 1)

    assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 1

    [message] = handler.received
    [row] = rows(db)
    assert message["Message-ID"] == row.message_id
    assert message["From"] == "Acme Hiring <hiring@acme.example>"
    assert message["To"] == "asha1@candidates.example"
    assert handler.envelopes == [("hiring@acme.example", ["asha1@candidates.example"])]
    body = _body_of(message)
    assert "Dear Asha Rao 1," in body
    assert "https://interviews.acme.example/join?key=secret1" in body
    assert "Tuesday 6 January 2026, 15:30 (Asia/Kolkata, UTC+05:30)" in body
    assert "Duration: 45 minutes" in body
    calendar, method = _calendar_of(message)
    assert method == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == "booking-1@intervista"
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].dt == details().starts_at
    assert "secret1" in str(event["DESCRIPTION"])
    assert (row.id, row.status, row.attempts, row.sent_at) == (outbox_id, "sent", 1, NOW)


def test_reschedule_keeps_uid_raises_sequence_and_cancel_says_cancel(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    moved = details(starts_at=later(86400 * 2), ends_at=later(86400 * 2 + 3600), sequence=1)
    with db.write() as session:
        for email in (
            invitation_email(details(), cfg),
            reschedule_email(moved, cfg),
            cancellation_email(details(sequence=2, link=None), cfg),
        ):
            enqueue(session, email, interview_id=None, now=NOW)

    assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 3

    calendars = [_calendar_of(m) for m in handler.received]
    events = [c.walk("VEVENT")[0] for c, _method in calendars]
    assert {str(e["UID"]) for e in events} == {"booking-1@intervista"}
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert [m for _c, m in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert calendars[2][0]["METHOD"] == "CANCEL"
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert events[1]["DTSTART"].dt == moved.starts_at
    assert "rescheduled" in str(handler.received[1]["Subject"]).lower()
    cancelled_body = _body_of(handler.received[2])
    assert "cancelled" in cancelled_body
    assert "https://" not in cancelled_body


def test_smtp_down_keeps_message_queued_then_delivers_once(
    db: Database, settings: Settings
) -> None:
    port = free_port()  # nothing listens here yet
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    queue_invitations(db, cfg, 1)

    assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 0

    [row] = rows(db)
    assert row.status == OutboxStatus.QUEUED
    assert row.attempts == 1
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    assert row.next_attempt_at == later(30)
    [view] = list_outbox(db)
    assert (view.status, view.attempts, view.last_error) == ("queued", 1, row.last_error)

    with smtp_server(port) as (handler, _port):
        assert process_due(db, transport, later(29), settings=cfg, policy=POLICY) == 0
        assert process_due(db, transport, later(30), settings=cfg, policy=POLICY) == 1
        assert process_due(db, transport, later(3600), settings=cfg, policy=POLICY) == 0
        assert len(handler.received) == 1
    [row] = rows(db)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_retries_back_off_then_fail_and_resend_requeues(db: Database, settings: Settings) -> None:
    port = free_port()
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    [outbox_id] = queue_invitations(db, cfg, 1)

    moments = [NOW, later(30), later(30 + 60)]  # back-off 30 s, then 60 s
    for moment in moments:
        assert process_due(db, transport, moment, settings=cfg, policy=POLICY) == 0
    [row] = rows(db)
    assert (row.status, row.attempts) == ("failed", POLICY.max_attempts)
    assert row.last_error
    assert process_due(db, transport, later(86400), settings=cfg, policy=POLICY) == 0

    again = resend(db, outbox_id, later(86400), settings=settings)
    assert (again.id, again.status, again.attempts) == (outbox_id, "queued", 0)
    with smtp_server(port) as (handler, _port):
        assert process_due(db, transport, later(86400), settings=cfg, policy=POLICY) == 1
    assert len(handler.received) == 1


def test_permanent_refusal_fails_at_once_and_others_still_go(
    db: Database, settings: Settings
) -> None:
    handler = RecordingHandler(refuse={"asha1@candidates.example"})
    with smtp_server(handler=handler) as (_h, port):
        cfg = mail_settings(settings, port)
        transport = build_transport(cfg)
        assert transport is not None
        queue_invitations(db, cfg, 2)
        assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 1
        assert process_due(db, transport, later(86400), settings=cfg, policy=POLICY) == 0
    refused, delivered = rows(db)
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550" in refused.last_error
    assert delivered.status == "sent"
    assert [m["To"] for m in handler.received] == ["asha2@candidates.example"]


def test_resend_of_a_sent_message_queues_a_copy_with_a_new_message_id(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    [outbox_id] = queue_invitations(db, cfg, 1)
    assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 1

    copy = resend(db, outbox_id, later(60), settings=settings)
    assert copy.id != outbox_id
    assert copy.status == "queued"
    assert process_due(db, transport, later(60), settings=cfg, policy=POLICY) == 1
    first, second = handler.message_ids()
    assert first != second
    assert [r.status for r in rows(db)] == ["sent", "sent"]
