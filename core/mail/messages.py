"""The emails a candidate receives: invitation, reschedule and cancellation.

Bodies are plain text only (user text is never put into HTML). Times are shown in the
candidate's time zone *with the zone's name and UTC offset*, so nobody has to guess; the
attached ``.ics`` carries the same times in UTC. Pure functions: no database, no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import Clock, SystemClock
from core.config import Settings
from core.errors import IntervistaError
from core.mail.ics import CalendarEvent, CalendarMethod, address_of, build_calendar, one_line

KINDS = ("invitation", "reschedule", "cancellation")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class MessageError(IntervistaError, ValueError):
    """The details cannot make a correct email; the message says which field and why."""

    code = "message_invalid"


@dataclass(frozen=True)
class InvitationDetails:
    candidate_name: str
    candidate_email: str
    candidate_timezone: str  # IANA; "" means the organisation default (settings.timezone)
    interview_title: str
    company: str
    job_role: str
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    link: str | None  # None for a cancellation
    calendar_uid: str  # stable per booking, e.g. "booking-12@intervista"
    sequence: int  # 0 for the first invite, +1 on every update
    enable_video: bool
    enable_audio: bool


@dataclass(frozen=True)
class OutgoingEmail:
    kind: str  # "invitation" | "reschedule" | "cancellation"
    to_address: str
    subject: str
    body_text: str
    ics_content: str | None  # text/calendar; METHOD:REQUEST or METHOD:CANCEL


# Formatting ---------------------------------------------------------------------------------
def candidate_zone(d: InvitationDetails, settings: Settings) -> ZoneInfo:
    name = d.candidate_timezone.strip() or settings.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise MessageError(f"candidate_timezone: unknown IANA time zone {name!r}") from exc


def utc_offset_label(local: datetime) -> str:
    """``UTC+05:30``, ``UTC-04:00``, ``UTC+00:00`` for an aware local time."""
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def local_time_text(moment: datetime, zone: ZoneInfo) -> str:
    """``Tuesday 6 January 2026, 15:30 (Asia/Kolkata, UTC+05:30)`` (English, locale-free)."""
    local = moment.astimezone(zone)
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    return (
        f"{day} {local.day} {month} {local.year}, {local:%H:%M} "
        f"({zone.key}, {utc_offset_label(local)})"
    )


def span_text(seconds: int) -> str:
    """``45 minutes``, ``1 hour 30 minutes``, ``30 seconds``."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        if n
    ]
    return " ".join(parts) or "0 seconds"


# Validation ---------------------------------------------------------------------------------
def _check(d: InvitationDetails, *, needs_link: bool) -> None:
    try:
        address_of(d.candidate_email)
    except ValueError as exc:
        raise MessageError(f"candidate_email: {exc}") from exc
    address = d.candidate_email.strip()
    if one_line(address) != address or " " in address or "," in address:
        raise MessageError("candidate_email: must be one address without spaces")
    for name, value in (("starts_at", d.starts_at), ("ends_at", d.ends_at)):
        if value.tzinfo is None:
            raise MessageError(f"{name}: must be a timezone-aware UTC datetime")
    if d.ends_at <= d.starts_at:
        raise MessageError("ends_at: the interview must end after it starts")
    if not d.calendar_uid.strip():
        raise MessageError("calendar_uid: must not be empty (one stable UID per booking)")
    if d.sequence < 0:
        raise MessageError("sequence: must be >= 0")
    if not one_line(d.interview_title):
        raise MessageError("interview_title: must not be empty")
    if needs_link and not (d.link and d.link.startswith(("https://", "http://"))):
        raise MessageError("link: an invitation needs the candidate's http(s) interview link")


# Composition --------------------------------------------------------------------------------
def _what(d: InvitationDetails) -> list[str]:
    lines = [f"Interview: {one_line(d.interview_title)}"]
    if one_line(d.company):
        lines.append(f"Company: {one_line(d.company)}")
    if one_line(d.job_role):
        lines.append(f"Role: {one_line(d.job_role)}")
    return lines


def _greeting(d: InvitationDetails) -> str:
    name = one_line(d.candidate_name)
    return f"Dear {name}," if name else "Hello,"


def _preparation(d: InvitationDetails, settings: Settings) -> list[str]:
    wanted = (("camera", d.enable_video), ("microphone", d.enable_audio))
    devices = [name for name, used in wanted if used]
    items = []
    if d.enable_video:
        items.append("a working camera (you will be on video during the interview)")
    if d.enable_audio:
        items.append("a working microphone (your answers are spoken)")
    browser = "an up-to-date browser (Chrome, Edge, Firefox or Safari)"
    if devices:
        browser += f"; allow access to your {' and '.join(devices)} when it asks"
    items += [
        "a quiet, well-lit room where you will not be interrupted",
        "a stable internet connection",
        browser,
    ]
    before = span_text(settings.join_window_before_seconds)
    after = span_text(settings.join_window_after_seconds)
    return [
        "How to prepare:",
        *[f"  - {item}" for item in items],
        "",
        f"The link opens {before} before the start time and can be used until {after} after it.",
        "The link is personal: please do not share it.",
    ]


def _signature(settings: Settings) -> list[str]:
    return [
        f"If you have any questions, contact {settings.contact_email}.",
        "",
        "Kind regards,",
        one_line(settings.organisation_name),
    ]


def _subject(prefix: str, d: InvitationDetails, zone: ZoneInfo) -> str:
    local = d.starts_at.astimezone(zone)
    when = f"{_DAYS[local.weekday()][:3]} {local.day} {_MONTHS[local.month - 1][:3]} {local:%H:%M}"
    company = one_line(d.company)
    at = f" at {company}" if company else ""
    return one_line(f"{prefix}: {d.interview_title}{at} ({when} {zone.key})")[:300]


def _calendar(
    d: InvitationDetails, settings: Settings, method: CalendarMethod, body: str, clock: Clock
) -> str:
    return build_calendar(
        CalendarEvent(
            uid=d.calendar_uid,
            sequence=d.sequence,
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            stamp=clock.now(),
            summary=_subject("Interview", d, candidate_zone(d, settings)),
            description=body,
            organizer_email=address_of(settings.mail_from),
            organizer_name=settings.organisation_name,
            attendee_email=d.candidate_email.strip(),
            attendee_name=d.candidate_name or d.candidate_email,
            link=d.link if method == "REQUEST" else None,
        ),
        method,
    )


def _scheduled_email(
    kind: str, d: InvitationDetails, settings: Settings, clock: Clock | None
) -> OutgoingEmail:
    _check(d, needs_link=True)
    zone = candidate_zone(d, settings)
    duration = span_text(int((d.ends_at - d.starts_at).total_seconds()))
    if kind == "invitation":
        intro = f"You are invited to an online interview with {one_line(d.company) or 'us'}."
        prefix = "Interview invitation"
    else:
        intro = "Your interview has been moved to a new time. This replaces earlier invitations."
        prefix = "Interview rescheduled"
    when = local_time_text(d.starts_at, zone)
    body_lines = [
        _greeting(d),
        "",
        intro,
        "",
        *_what(d),
        f"When: {when}",
        f"Duration: {duration}",
        f"Join link: {d.link}",
        "",
        *_preparation(d, settings),
        "",
        "A calendar invitation (invite.ics) is attached.",
        "",
        *_signature(settings),
    ]
    body = "\n".join(body_lines) + "\n"
    ics_description = f"{one_line(d.interview_title)}\nWhen: {when}\nJoin link: {d.link}\n"
    return OutgoingEmail(
        kind=kind,
        to_address=d.candidate_email.strip(),
        subject=_subject(prefix, d, zone),
        body_text=body,
        ics_content=_calendar(d, settings, "REQUEST", ics_description, clock or SystemClock()),
    )


def invitation_email(
    d: InvitationDetails, settings: Settings, *, clock: Clock | None = None
) -> OutgoingEmail:
    """The first invitation (``.ics`` METHOD:REQUEST). ``clock`` stamps DTSTAMP."""
    return _scheduled_email("invitation", d, settings, clock)


def reschedule_email(
    d: InvitationDetails, settings: Settings, *, clock: Clock | None = None
) -> OutgoingEmail:
    """A new time for the same booking: same UID, the caller passes a higher ``sequence``."""
    return _scheduled_email("reschedule", d, settings, clock)


def cancellation_email(
    d: InvitationDetails, settings: Settings, *, clock: Clock | None = None
) -> OutgoingEmail:
    """The interview is cancelled (``.ics`` METHOD:CANCEL, STATUS:CANCELLED); no link."""
    _check(d, needs_link=False)
    zone = candidate_zone(d, settings)
    when = local_time_text(d.starts_at, zone)
    body_lines = [
        _greeting(d),
        "",
        "Your interview has been cancelled.",
        "",
        *_what(d),
        f"Was scheduled for: {when}",
        "",
        "The interview link you received earlier no longer works.",
        "The attached calendar update (invite.ics) removes the event from your calendar.",
        "",
        *_signature(settings),
    ]
    body = "\n".join(body_lines) + "\n"
    ics_description = f"Cancelled: {one_line(d.interview_title)}\nWas scheduled for: {when}\n"
    return OutgoingEmail(
        kind="cancellation",
        to_address=d.candidate_email.strip(),
        subject=_subject("Interview cancelled", d, zone),
        body_text=body,
        ics_content=_calendar(d, settings, "CANCEL", ics_description, clock or SystemClock()),
    )
