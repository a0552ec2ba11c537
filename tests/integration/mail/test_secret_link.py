"""The candidate's link reaches them (text and calendar file) and does not stay in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import icalendar
import pytest
from sqlalchemy import select, text

from core.config import Settings
from core.db.engine import Database
from core.db.models import EmailOutbox, Interview
from core.domain import InterviewStatus
from core.mail.outbox import list_outbox, resend
from core.mail.queue import OutboxError
from core.mail.secret_link import (
    PLACEHOLDER,
    SHOWN_AFTER_DELIVERY,
    SecretLinkError,
    fold,
    seal,
    unfold,
)
from core.mail.transport import build_transport
from core.mail.worker import process_due
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.scheduling.booking import book, cancel, reschedule
from core.scheduling.slots import create_slots
from tests.support.factories import make_interview
from tests.support.mail import POLICY, mail_settings
from tests.support.smtp_server import RecordingHandler, smtp_server

NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)
WINDOW = JoinWindow(30, 600)


def _booked(db: Database, settings: Settings) -> tuple[str, int, int]:
    slot = create_slots(db, [(START, START + timedelta(minutes=45))], capacity=2, now=NOW)[0]
    result = book(db, settings, interview_id=make_interview(db), slot_id=slot.id, now=NOW)
    assert result.link
    return result.link, result.outbox_id, result.booking_id


def _stored_text(db: Database) -> str:
    """Every column of the outbox as the database holds it, unfolded (a key split by an .ics
    line fold is found too)."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM email_outbox")).fetchall()
    return "\n".join(unfold(str(value)) for row in rows for value in row)


def _parts(message: EmailMessage) -> tuple[str, str]:
    body = message.get_body(("plain",))
    assert body is not None
    ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return body.get_content(), ics.get_content()


def _key(link: str) -> str:
    return link.split("key=")[1]


def test_the_link_is_delivered_whole_and_then_forgotten(
    any_db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    link, outbox_id, _ = _booked(any_db, cfg)
    key = _key(link)
    assert key not in _stored_text(any_db).replace(link, "")  # only in secret_link
    [waiting] = list_outbox(any_db)
    assert link in waiting.body_text  # without SMTP, recruiters copy it from the outbox

    transport = build_transport(cfg)
    assert transport is not None
    assert process_due(any_db, transport, NOW, settings=cfg, policy=POLICY) == 1
    body, ics = _parts(handler.received[0])
    assert link in body
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["URL"]) == link and str(event["LOCATION"]) == link
    assert link in str(event["DESCRIPTION"])

    assert key not in _stored_text(any_db)  # nowhere in the database any more
    [sent] = list_outbox(any_db)
    assert (sent.id, sent.status) == (outbox_id, "sent")
    assert key not in sent.body_text and SHOWN_AFTER_DELIVERY in sent.body_text
    assert check_key(any_db, key, now=START, address="a", window=WINDOW).status is (
        AccessStatus.OPEN  # the delivered link still works
    )


def test_sending_a_delivered_invitation_again_issues_a_new_link(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    link, outbox_id, _ = _booked(db, cfg)
    _deliver(db, cfg, NOW)
    copy = resend(db, outbox_id, NOW + timedelta(minutes=5), settings=cfg)
    assert copy.id != outbox_id
    _deliver(db, cfg, NOW + timedelta(minutes=5))
    body, ics = _parts(handler.received[1])
    new_link = next(w for w in body.split() if w.startswith(cfg.public_base_url))
    assert new_link != link and PLACEHOLDER not in body
    assert str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["URL"]) == new_link
    status = check_key(db, _key(link), now=START, address="a", window=WINDOW).status
    assert status is AccessStatus.INVALID  # the old link stops working
    status = check_key(db, _key(new_link), now=START, address="b", window=WINDOW).status
    assert status is AccessStatus.OPEN
    assert _key(new_link) not in _stored_text(db)


def test_no_new_link_for_a_cancelled_booking(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    cfg = mail_settings(settings, smtp[1])
    _, outbox_id, booking_id = _booked(db, cfg)
    _deliver(db, cfg, NOW)
    cancel(db, cfg, booking_id=booking_id, now=NOW)
    before = _stored_text(db)
    with pytest.raises(OutboxError, match="no active booking"):
        resend(db, outbox_id, NOW + timedelta(minutes=5), settings=cfg)
    assert _stored_text(db) == before  # nothing changed


def test_a_message_whose_link_is_gone_is_never_sent(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    _, outbox_id, _ = _booked(db, cfg)
    with db.write() as s:  # as if a bug had dropped it before delivery
        s.scalars(select(EmailOutbox).where(EmailOutbox.id == outbox_id)).one().secret_link = None
    assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 0
    assert handler.received == []
    [row] = list_outbox(db)
    assert row.status == "failed" and "Send again" in row.last_error


@pytest.mark.parametrize("width", [1, 40, 73, 74, 75, 76, 200])
def test_folding_keeps_lines_within_75_octets_and_unfolds_back(width: int) -> None:
    line = "DESCRIPTION:" + "é" * width + "x" * width
    ics = f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n"
    folded = fold(ics)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == ics


def _deliver(db: Database, cfg: Settings, at: datetime) -> None:
    transport = build_transport(cfg)
    assert transport is not None
    assert process_due(db, transport, at, settings=cfg, policy=POLICY) == 1


def test_sending_an_old_invitation_again_tells_the_current_time(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    link, outbox_id, booking_id = _booked(db, cfg)
    _deliver(db, cfg, NOW)
    later = START + timedelta(days=3)
    slot = create_slots(db, [(later, later + timedelta(minutes=45))], capacity=1, now=NOW)[0]
    moved = reschedule(db, cfg, booking_id=booking_id, new_slot_id=slot.id, now=NOW)
    with pytest.raises(OutboxError, match=r"#\d+ with this interview's link is still waiting"):
        resend(db, outbox_id, NOW, settings=cfg)  # the reschedule is not sent yet
    _deliver(db, cfg, NOW)
    resend(db, outbox_id, NOW, settings=cfg)
    with pytest.raises(OutboxError, match="still waiting"):
        resend(db, outbox_id, NOW, settings=cfg)  # a double click: one new link, not two
    _deliver(db, cfg, NOW)
    _, ics = _parts(handler.received[-1])
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["DTSTART"].dt == later  # the booking as it is now, not the old text
    assert int(event["SEQUENCE"]) == 1
    new_key = _key(str(event["URL"]))
    for old in (link, moved.link or ""):
        status = check_key(db, _key(old), now=later, address="a", window=WINDOW).status
        assert status is AccessStatus.INVALID
    assert check_key(db, new_key, now=later, address="b", window=WINDOW).status is (
        AccessStatus.OPEN
    )


def test_no_new_link_once_the_interview_has_started(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    _, port = smtp
    cfg = mail_settings(settings, port)
    link, outbox_id, _ = _booked(db, cfg)
    _deliver(db, cfg, NOW)
    with db.write() as s:
        interview = s.scalars(select(Interview)).one()
        interview.status = InterviewStatus.IN_PROGRESS
    before = _stored_text(db)
    with pytest.raises(OutboxError, match="in progress; a new link would revoke"):
        resend(db, outbox_id, NOW, settings=cfg)
    assert _stored_text(db) == before
    assert check_key(db, _key(link), now=START, address="a", window=WINDOW).status is (
        AccessStatus.OPEN  # the candidate's link in use still works
    )


def test_a_refused_message_drops_its_link_and_sending_again_issues_one(
    db: Database, settings: Settings
) -> None:
    handler = RecordingHandler()
    with smtp_server(handler=handler) as (_h, port):
        cfg = mail_settings(settings, port)
        transport = build_transport(cfg)
        assert transport is not None
        link, outbox_id, _ = _booked(db, cfg)
        to = list_outbox(db)[0].to_address
        handler.refuse = {to}
        assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 0
        [failed] = list_outbox(db)
        assert failed.status == "failed" and _key(link) not in _stored_text(db)
        assert "Send again issues a new one" in failed.body_text
        handler.refuse = set()
        again = resend(db, outbox_id, NOW, settings=cfg)
        assert again.id != outbox_id
        assert process_due(db, transport, NOW, settings=cfg, policy=POLICY) == 1
    body, _ = _parts(handler.received[-1])
    assert PLACEHOLDER not in body and cfg.public_base_url in body


def test_a_link_that_calendars_would_escape_is_refused() -> None:
    link = "https://acme.example/a,b/interview?key=k"
    ics = "BEGIN:VEVENT\r\nURL:" + link + "\r\nDESCRIPTION:Join: " + link.replace(",", "\\,")
    with pytest.raises(SecretLinkError, match="escape"):
        seal(f"Join: {link}", ics + "\r\nEND:VEVENT\r\n", link)
