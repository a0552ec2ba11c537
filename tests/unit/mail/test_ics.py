"""The .ics invitation parsed back with icalendar: iTIP method, UID, SEQUENCE, UTC times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from core.clock import FixedClock
from core.config import load_settings
from core.mail.ics import CalendarEvent, build_calendar, calendar_method
from core.mail.messages import cancellation_email, invitation_email, reschedule_email
from tests.support.mail import ACME_INVITATION as BASE

SETTINGS = load_settings(
    organisation_name="Acme, Hiring; Team",
    mail_from="Acme Hiring <hiring@acme.example>",
)
STAMP = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CLOCK = FixedClock(STAMP)


def _event(ics: str | None) -> tuple[Calendar, object]:
    assert ics is not None
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.parametrize(
    ("zone", "starts_at"),
    [
        ("Asia/Kolkata", datetime(2026, 1, 6, 10, 0, tzinfo=UTC)),
        ("Europe/London", datetime(2026, 1, 6, 10, 0, tzinfo=UTC)),
        ("Europe/London", datetime(2026, 7, 7, 10, 0, tzinfo=UTC)),
        ("America/Los_Angeles", datetime(2026, 11, 1, 9, 30, tzinfo=UTC)),
    ],
)
def test_invitation_calendar_is_in_utc_whatever_the_candidate_zone(
    zone: str, starts_at: datetime
) -> None:
    details = replace(
        BASE,
        candidate_timezone=zone,
        starts_at=starts_at,
        ends_at=starts_at.replace(minute=starts_at.minute + 15),
    )
    email = invitation_email(details, SETTINGS, clock=CLOCK)
    assert email.ics_content is not None
    assert f"DTSTART:{starts_at:%Y%m%dT%H%M%S}Z" in email.ics_content
    calendar, event = _event(email.ics_content)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert "Intervista" in str(calendar["PRODID"])
    assert event["DTSTART"].dt == starts_at  # type: ignore[index]
    assert event["DTEND"].dt == details.ends_at  # type: ignore[index]
    assert event["DTSTART"].dt.utcoffset().total_seconds() == 0  # type: ignore[index]
    assert event["DTSTAMP"].dt == STAMP  # type: ignore[index]


def test_invitation_fields_round_trip() -> None:
    _calendar, event = _event(invitation_email(BASE, SETTINGS, clock=CLOCK).ics_content)
    assert str(event["UID"]) == "booking-12@intervista"  # type: ignore[index]
    assert int(event["SEQUENCE"]) == 0  # type: ignore[index]
    assert str(event["STATUS"]) == "CONFIRMED"  # type: ignore[index]
    assert "Backend engineer screen" in str(event["SUMMARY"])  # type: ignore[index]
    assert BASE.link in str(event["DESCRIPTION"])  # type: ignore[index, operator]
    assert str(event["URL"]) == BASE.link  # type: ignore[index]
    organizer = event["ORGANIZER"]  # type: ignore[index]
    assert str(organizer) == "mailto:hiring@acme.example"
    assert organizer.params["CN"] == "Acme, Hiring; Team"
    attendee = event["ATTENDEE"]  # type: ignore[index]
    assert str(attendee) == "mailto:asha@candidates.example"
    assert attendee.params["CN"] == "Asha Rao"


def test_updates_keep_the_uid_raise_the_sequence_and_cancel() -> None:
    first = invitation_email(BASE, SETTINGS, clock=CLOCK)
    moved = reschedule_email(replace(BASE, sequence=1), SETTINGS, clock=CLOCK)
    gone = cancellation_email(replace(BASE, sequence=2, link=None), SETTINGS, clock=CLOCK)
    parsed = [_event(e.ics_content) for e in (first, moved, gone)]
    assert {str(ev["UID"]) for _c, ev in parsed} == {"booking-12@intervista"}  # type: ignore[index]
    assert [int(ev["SEQUENCE"]) for _c, ev in parsed] == [0, 1, 2]  # type: ignore[index]
    assert [str(c["METHOD"]) for c, _ev in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(parsed[2][1]["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert "URL" not in parsed[2][1]  # type: ignore[operator]
    assert calendar_method(gone.ics_content or "") == "CANCEL"
    assert calendar_method(first.ics_content or "") == "REQUEST"


def test_special_characters_in_text_survive_escaping() -> None:
    title = 'Senior, "Staff"; Engineer\\Lead'
    _calendar, event = _event(
        invitation_email(replace(BASE, interview_title=title), SETTINGS, clock=CLOCK).ics_content
    )
    assert title in str(event["SUMMARY"])  # type: ignore[index]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"uid": ""}, "UID"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"starts_at": datetime(2026, 1, 6, 10, 0)}, "starts_at"),
        ({"ends_at": datetime(2026, 1, 6, 9, 0, tzinfo=UTC)}, "end after"),
    ],
)
def test_build_calendar_refuses_bad_events(change: dict[str, object], message: str) -> None:
    event = CalendarEvent(
        uid="u@x",
        sequence=0,
        starts_at=datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 1, 6, 11, 0, tzinfo=UTC),
        stamp=STAMP,
        summary="s",
        description="d",
        organizer_email="o@x.example",
        organizer_name="O",
        attendee_email="a@x.example",
        attendee_name="A",
        link=None,
    )
    with pytest.raises(ValueError, match=message):
        build_calendar(replace(event, **change), "REQUEST")  # type: ignore[arg-type]
