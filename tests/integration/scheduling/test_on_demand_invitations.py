"""On-demand invitations on SQLite and PostgreSQL: the link opens any time until the deadline and
is expired after; the invitation reaches a real SMTP server on loopback with the link; the one
reminder waits until ``deadline − invitation_reminder_hours`` and goes out then, unless the
interview was completed first or the invitation replaced (then it is never sent); a booking
replaces the invitation (its key revoked, its reminder withdrawn); refusals name their cause;
``create_interview_session`` returns the link of an email still waiting, else emails a fresh one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.config import Settings
from core.db.engine import Database
from core.db.models import EmailOutbox, Interview
from core.domain import InterviewStatus, OutboxStatus
from core.errors import Conflict
from core.interview import flow
from core.mail.transport import build_transport
from core.mail.worker import process_due
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.scheduling.booking import book
from core.scheduling.interview_session import create_interview_session, key_of
from core.scheduling.invitations import (
    INTERVIEW_ENDED,
    REPLACED,
    InvitationError,
    OnDemandInvitation,
    invite_on_demand,
)
from core.scheduling.slots import create_slots
from tests.support.factories import make_interview
from tests.support.mail import POLICY, mail_settings
from tests.support.smtp_server import RecordingHandler, smtp_server

NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
WINDOW = JoinWindow(30, 600)


@pytest.fixture
def mail(settings: Settings) -> Iterator[tuple[RecordingHandler, Settings]]:
    """A loopback SMTP server and settings that send to it (reminders 24 h before, 7 days)."""
    with smtp_server() as (handler, port):
        yield (
            handler,
            mail_settings(settings, port, invitation_days=7.0, invitation_reminder_hours=24.0),
        )


def _deliver(db: Database, cfg: Settings, at: datetime) -> int:
    transport = build_transport(cfg)
    assert transport is not None
    return process_due(db, transport, at, settings=cfg, policy=POLICY)


def _bodies(handler: RecordingHandler) -> list[str]:
    def body(message: EmailMessage) -> str:
        part = message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())

    return [body(m) for m in handler.received]


def _row(db: Database, outbox_id: int) -> EmailOutbox:
    with db.read() as s:
        row = s.get(EmailOutbox, outbox_id)
        assert row is not None
        s.expunge(row)
        return row


def _status(db: Database, key: str, at: datetime) -> AccessStatus:
    return check_key(db, key, now=at, address="198.51.100.7", window=WINDOW).status


def _invite(
    db: Database, cfg: Settings, deadline: datetime | None = None
) -> tuple[int, OnDemandInvitation]:
    interview = make_interview(db)
    return interview, invite_on_demand(db, cfg, interview_id=interview, now=NOW, deadline=deadline)


def test_the_link_opens_any_time_until_the_deadline_and_is_expired_after(
    any_db: Database, settings: Settings
) -> None:
    interview, sent = _invite(any_db, settings, deadline=NOW + timedelta(days=2))
    key = key_of(sent.link)
    assert sent.deadline == NOW + timedelta(days=2) and sent.opens_at == NOW
    # no slot, no join window: early morning, a day later, a second before the deadline
    for at in (NOW, NOW + timedelta(hours=30), sent.deadline - timedelta(seconds=1)):
        assert _status(any_db, key, at) is AccessStatus.OPEN, at
    assert _status(any_db, key, sent.deadline + timedelta(seconds=1)) is AccessStatus.EXPIRED
    with any_db.read() as s:
        row = s.get(Interview, interview)
        assert row is not None and row.open_until == sent.deadline and row.scheduled_at is None


def test_the_default_deadline_is_invitation_days_from_now(
    any_db: Database, settings: Settings
) -> None:
    _, sent = _invite(any_db, settings)
    assert sent.deadline == NOW + timedelta(days=settings.invitation_days)
    other_zone = datetime(2026, 1, 9, 12, 0, tzinfo=UTC).astimezone(ZoneInfo("Asia/Kolkata"))
    _, zoned = _invite(any_db, settings, deadline=other_zone)
    assert zoned.deadline == other_zone and zoned.deadline.tzinfo is UTC


def test_the_invitation_reaches_a_real_smtp_server_with_the_link(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    handler, cfg = mail
    _, sent = _invite(any_db, cfg)
    assert _deliver(any_db, cfg, NOW) == 1  # the invitation; the reminder waits
    (body,) = _bodies(handler)
    assert sent.link in body and "Take it any time before" in body
    to = handler.envelopes[0][1]
    assert to == [sent.candidate_email]
    delivered = _row(any_db, sent.outbox_id)
    assert delivered.status is OutboxStatus.SENT and delivered.secret_link is None


def test_the_reminder_waits_until_the_deadline_minus_the_reminder_hours(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    handler, cfg = mail
    _, sent = _invite(any_db, cfg, deadline=NOW + timedelta(days=3))
    remind_at = sent.deadline - timedelta(hours=24)
    assert sent.reminder_outbox_id is not None and sent.reminder_at == remind_at
    assert _deliver(any_db, cfg, NOW) == 1
    assert _deliver(any_db, cfg, remind_at - timedelta(seconds=1)) == 0
    assert len(handler.received) == 1
    assert _deliver(any_db, cfg, remind_at) == 1
    reminder = handler.received[-1]
    assert str(reminder["Subject"]).startswith("Reminder")
    assert sent.link in _bodies(handler)[-1]
    assert _row(any_db, sent.reminder_outbox_id).status is OutboxStatus.SENT


def test_no_reminder_when_the_deadline_is_closer_than_the_reminder_hours(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    _, cfg = mail
    _, sent = _invite(any_db, cfg, deadline=NOW + timedelta(hours=5))
    assert sent.reminder_outbox_id is None and sent.reminder_at is None


def test_the_reminder_is_withdrawn_when_the_interview_is_completed_first(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    handler, cfg = mail
    interview, sent = _invite(any_db, cfg, deadline=NOW + timedelta(days=3))
    assert sent.reminder_outbox_id is not None and sent.reminder_at is not None
    assert _deliver(any_db, cfg, NOW) == 1
    token = flow.new_session_token()
    flow.start(any_db, interview, token=token, now=NOW + timedelta(hours=1))
    assert flow.complete(any_db, interview, now=NOW + timedelta(hours=2), reason="finished")
    assert _deliver(any_db, cfg, sent.reminder_at + timedelta(hours=1)) == 0
    assert len(handler.received) == 1
    withdrawn = _row(any_db, sent.reminder_outbox_id)
    assert withdrawn.status is OutboxStatus.FAILED and withdrawn.last_error == INTERVIEW_ENDED
    assert withdrawn.secret_link is None


def test_a_new_invitation_replaces_the_old_its_link_and_its_reminder(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    handler, cfg = mail
    interview, first = _invite(any_db, cfg, deadline=NOW + timedelta(days=3))
    second = invite_on_demand(
        any_db, cfg, interview_id=interview, now=NOW, deadline=NOW + timedelta(days=5)
    )
    assert _status(any_db, key_of(first.link), NOW) is AccessStatus.INVALID
    assert _status(any_db, key_of(second.link), NOW) is AccessStatus.OPEN
    for old in (first.outbox_id, first.reminder_outbox_id):
        assert old is not None
        row = _row(any_db, old)
        assert row.status is OutboxStatus.FAILED and row.last_error == REPLACED
    assert second.reminder_at is not None
    assert _deliver(any_db, cfg, second.reminder_at) == 2  # the new invitation and reminder
    bodies = _bodies(handler)
    assert all(second.link in b and first.link not in b for b in bodies)


def test_a_booking_replaces_an_on_demand_invitation(
    any_db: Database, mail: tuple[RecordingHandler, Settings]
) -> None:
    handler, cfg = mail
    interview, sent = _invite(any_db, cfg, deadline=NOW + timedelta(days=3))
    start = NOW + timedelta(days=1)
    (slot,) = create_slots(any_db, [(start, start + timedelta(minutes=45))], capacity=1, now=NOW)
    booked = book(any_db, cfg, interview_id=interview, slot_id=slot.id, now=NOW)
    assert booked.link is not None
    assert _status(any_db, key_of(sent.link), NOW) is AccessStatus.INVALID
    assert _status(any_db, key_of(booked.link), start) is AccessStatus.OPEN
    with any_db.read() as s:
        row = s.get(Interview, interview)
        assert row is not None and row.open_until is None and row.scheduled_at == start
    assert sent.reminder_outbox_id is not None
    assert _row(any_db, sent.reminder_outbox_id).status is OutboxStatus.FAILED
    assert _deliver(any_db, cfg, NOW + timedelta(days=3)) == 1  # the booking's invitation only
    (body,) = _bodies(handler)
    assert booked.link in body and sent.link not in body


@pytest.mark.parametrize(
    ("deadline", "code"),
    [
        (NOW + timedelta(minutes=59), "deadline_too_soon"),
        (NOW + timedelta(days=90, seconds=1), "deadline_too_far"),
        (datetime(2026, 1, 8, 12, 0), "deadline_naive"),
    ],
)
def test_unusable_deadlines_are_refused_and_nothing_is_queued(
    any_db: Database, settings: Settings, deadline: datetime, code: str
) -> None:
    interview = make_interview(any_db)
    with pytest.raises(InvitationError) as refused:
        invite_on_demand(any_db, settings, interview_id=interview, now=NOW, deadline=deadline)
    assert refused.value.code == code and refused.value.status == 422
    with any_db.read() as s:
        assert s.scalars(select(EmailOutbox.id)).first() is None


@pytest.mark.parametrize("state", ["booked", "in_progress", "completed", "cancelled"])
def test_an_interview_booked_started_or_ended_is_not_invited(
    any_db: Database, settings: Settings, state: str
) -> None:
    interview = make_interview(any_db)
    if state == "booked":
        start = NOW + timedelta(days=1)
        (slot,) = create_slots(any_db, [(start, start + timedelta(hours=1))], capacity=1, now=NOW)
        book(any_db, settings, interview_id=interview, slot_id=slot.id, now=NOW)
    else:
        with any_db.write() as s:
            row = s.get(Interview, interview)
            assert row is not None
            row.status = InterviewStatus(state)
    with pytest.raises(InvitationError) as refused:
        invite_on_demand(any_db, settings, interview_id=interview, now=NOW)
    expected = "interview_already_booked" if state == "booked" else "interview_not_schedulable"
    assert refused.value.code == expected and refused.value.status == 409


@pytest.mark.parametrize("way", ["booked", "on_demand"])
def test_create_interview_session_reuses_a_waiting_link_then_emails_a_fresh_one(
    any_db: Database, mail: tuple[RecordingHandler, Settings], way: str
) -> None:
    handler, cfg = mail
    interview = make_interview(any_db)
    if way == "booked":
        start = NOW + timedelta(days=1)
        (slot,) = create_slots(any_db, [(start, start + timedelta(hours=1))], capacity=1, now=NOW)
        link = book(any_db, cfg, interview_id=interview, slot_id=slot.id, now=NOW).link
    else:
        link = invite_on_demand(any_db, cfg, interview_id=interview, now=NOW).link
    assert link is not None
    waiting = create_interview_session(any_db, cfg, interview_id=interview, now=NOW)
    assert waiting.reused and waiting.link == link and waiting.session_key == key_of(link)
    assert (waiting.booking_id is not None) == (way == "booked")
    assert (waiting.open_until is not None) == (way == "on_demand")
    assert _deliver(any_db, cfg, NOW) == 1

    later = NOW + timedelta(minutes=10)
    fresh = create_interview_session(any_db, cfg, interview_id=interview, now=later)
    assert not fresh.reused and fresh.link != link
    at = NOW + timedelta(days=1) if way == "booked" else later
    assert _status(any_db, key_of(link), at) is AccessStatus.INVALID
    assert _status(any_db, fresh.session_key, at) is AccessStatus.OPEN
    assert _deliver(any_db, cfg, later) == 1
    assert fresh.link in _bodies(handler)[-1] and link not in _bodies(handler)[-1]


def test_create_interview_session_refuses_what_is_neither_booked_nor_invited(
    any_db: Database, settings: Settings
) -> None:
    loose = make_interview(any_db)
    with pytest.raises(Conflict) as refused:
        create_interview_session(any_db, settings, interview_id=loose, now=NOW)
    assert refused.value.code == "not_booked_or_invited"
    with any_db.read() as s:
        assert s.scalars(select(EmailOutbox.id)).first() is None
