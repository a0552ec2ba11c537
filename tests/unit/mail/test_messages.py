"""Email text: local times with zone names (DST included), content, and refusals of bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FixedClock
from core.config import Settings, load_settings
from core.mail.messages import (
    InvitationDetails,
    MessageError,
    cancellation_email,
    invitation_email,
    local_time_text,
    reschedule_email,
    span_text,
)
from tests.support.mail import ACME_INVITATION as BASE

SETTINGS = load_settings(
    timezone="Asia/Kolkata",
    organisation_name="Acme Hiring",
    contact_email="talent@acme.example",
    mail_from="Acme Hiring <hiring@acme.example>",
    join_window_before_seconds=30,
    join_window_after_seconds=600,
)
CLOCK = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


def _at(day: datetime) -> InvitationDetails:
    return replace(BASE, starts_at=day, ends_at=day + timedelta(hours=1))


@pytest.mark.parametrize(
    ("zone", "starts_at", "expected"),
    [
        ("", datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
         "Tuesday 6 January 2026, 15:30 (Asia/Kolkata, UTC+05:30)"),
        ("Asia/Kolkata", datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
         "Tuesday 6 January 2026, 15:30 (Asia/Kolkata, UTC+05:30)"),
        ("Europe/London", datetime(2026, 1, 6, 14, 0, tzinfo=UTC),
         "Tuesday 6 January 2026, 14:00 (Europe/London, UTC+00:00)"),
        ("Europe/London", datetime(2026, 7, 7, 14, 0, tzinfo=UTC),
         "Tuesday 7 July 2026, 15:00 (Europe/London, UTC+01:00)"),
        ("America/New_York", datetime(2026, 3, 9, 2, 30, tzinfo=UTC),
         "Sunday 8 March 2026, 22:30 (America/New_York, UTC-04:00)"),
        ("America/New_York", datetime(2026, 3, 8, 2, 30, tzinfo=UTC),
         "Saturday 7 March 2026, 21:30 (America/New_York, UTC-05:00)"),
        ("Australia/Adelaide", datetime(2026, 1, 6, 0, 0, tzinfo=UTC),
         "Tuesday 6 January 2026, 10:30 (Australia/Adelaide, UTC+10:30)"),
        ("Asia/Kathmandu", datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
         "Friday 1 January 2027, 01:45 (Asia/Kathmandu, UTC+05:45)"),
        ("UTC", datetime(2026, 2, 28, 23, 59, tzinfo=UTC),
         "Saturday 28 February 2026, 23:59 (UTC, UTC+00:00)"),
    ],
)  # fmt: skip
def test_time_is_shown_in_the_candidate_zone_with_its_name(
    zone: str, starts_at: datetime, expected: str
) -> None:
    details = replace(_at(starts_at), candidate_timezone=zone)
    for build in (invitation_email, reschedule_email, cancellation_email):
        email = build(details, SETTINGS, clock=CLOCK)
        assert expected in email.body_text, build.__name__


def test_local_time_text_for_a_summer_and_a_winter_london_date() -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    summer = local_time_text(datetime(2026, 6, 1, 9, 0, tzinfo=UTC), london)
    winter = local_time_text(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), london)
    assert summer == "Monday 1 June 2026, 10:00 (Europe/London, UTC+01:00)"
    assert winter == "Tuesday 1 December 2026, 09:00 (Europe/London, UTC+00:00)"


def test_invitation_has_everything_a_candidate_needs() -> None:
    email = invitation_email(BASE, SETTINGS, clock=CLOCK)
    body = email.body_text
    assert email.kind == "invitation"
    assert email.to_address == "asha@candidates.example"
    assert body.startswith("Dear Asha Rao,\n")
    for needed in (
        "Interview: Backend engineer screen",
        "Company: Acme",
        "Role: Backend Engineer",
        "Duration: 45 minutes",
        "Join link: https://interviews.acme.example/join?key=abc",
        "camera",
        "microphone",
        "quiet",
        "stable internet connection",
        "browser",
        "The link opens 30 seconds before the start time and can be used until 10 minutes after",
        "talent@acme.example",
        "Acme Hiring",
        "invite.ics",
    ):
        assert needed in body, needed
    assert "<" not in body and ">" not in body  # plain text, no HTML
    assert email.subject.startswith("Interview invitation: Backend engineer screen at Acme")
    assert email.ics_content is not None and "METHOD:REQUEST" in email.ics_content


@pytest.mark.parametrize(
    ("video", "audio", "present", "absent"),
    [
        (True, True, ["camera", "microphone"], []),
        (False, True, ["microphone"], ["camera"]),
        (True, False, ["camera"], ["microphone"]),
        (False, False, [], ["camera", "microphone"]),
    ],
)
def test_preparation_lists_camera_and_microphone_only_when_used(
    video: bool, audio: bool, present: list[str], absent: list[str]
) -> None:
    body = invitation_email(
        replace(BASE, enable_video=video, enable_audio=audio), SETTINGS, clock=CLOCK
    ).body_text
    for word in present:
        assert word in body
    for word in absent:
        assert word not in body


def test_reschedule_and_cancellation_wording() -> None:
    moved = reschedule_email(replace(BASE, sequence=1), SETTINGS, clock=CLOCK)
    assert moved.kind == "reschedule"
    assert "moved to a new time" in moved.body_text
    assert moved.subject.startswith("Interview rescheduled:")
    cancelled = cancellation_email(replace(BASE, link=None, sequence=2), SETTINGS, clock=CLOCK)
    assert cancelled.kind == "cancellation"
    assert "has been cancelled" in cancelled.body_text
    assert "http" not in cancelled.body_text
    assert cancelled.subject.startswith("Interview cancelled:")
    assert cancelled.ics_content is not None and "METHOD:CANCEL" in cancelled.ics_content
    # A cancellation never leaks the link even if the caller still passes it.
    assert "key=abc" not in cancellation_email(BASE, SETTINGS, clock=CLOCK).body_text
    assert "key=abc" not in (cancellation_email(BASE, SETTINGS, clock=CLOCK).ics_content or "")


def test_user_text_cannot_break_headers_or_lines() -> None:
    hostile = replace(
        BASE,
        candidate_name="Eve\r\nBcc: victim@example.com",
        interview_title="Screen\nSubject: spoofed",
        company="<b>Acme</b>",
    )
    email = invitation_email(hostile, SETTINGS, clock=CLOCK)
    assert "\n" not in email.subject and "\r" not in email.subject
    assert "\nBcc:" not in email.body_text
    assert "Dear Eve Bcc: victim@example.com," in email.body_text
    assert "Company: <b>Acme</b>" in email.body_text  # kept as text, never rendered as HTML


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"candidate_email": "not-an-address"}, "candidate_email"),
        ({"candidate_email": "a@b.example, c@d.example"}, "candidate_email"),
        ({"candidate_timezone": "Mars/Olympus"}, "candidate_timezone"),
        ({"starts_at": datetime(2026, 1, 6, 10, 0)}, "starts_at"),
        ({"ends_at": datetime(2026, 1, 6, 9, 0, tzinfo=UTC)}, "ends_at"),
        ({"calendar_uid": "  "}, "calendar_uid"),
        ({"sequence": -1}, "sequence"),
        ({"interview_title": "\n"}, "interview_title"),
        ({"link": None}, "link"),
        ({"link": "javascript:alert(1)"}, "link"),
    ],
)
def test_bad_details_are_refused_with_the_field_named(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(MessageError, match=field):
        invitation_email(replace(BASE, **change), SETTINGS, clock=CLOCK)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30 seconds"), (60, "1 minute"), (600, "10 minutes"), (2700, "45 minutes"),
     (3600, "1 hour"), (5400, "1 hour 30 minutes"), (7261, "2 hours 1 minute 1 second"),
     (0, "0 seconds")],
)  # fmt: skip
def test_span_text(seconds: int, text: str) -> None:
    assert span_text(seconds) == text


def test_settings_type_is_the_platform_settings() -> None:
    assert isinstance(SETTINGS, Settings)
