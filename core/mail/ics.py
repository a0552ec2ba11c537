"""Calendar invitations (RFC 5545 / iTIP) built with ``icalendar``.

One booking keeps one ``UID`` for its whole life; every update raises ``SEQUENCE`` so calendar
clients replace the event instead of adding a second one. Times are written in UTC (``...Z``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Literal

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Intervista//Interview invitations//EN"
CalendarMethod = Literal["REQUEST", "CANCEL"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_METHOD_LINE = re.compile(r"^METHOD:([A-Z-]+)\s*$", re.MULTILINE)


def one_line(text: str) -> str:
    """Collapse control characters (newlines included) and runs of spaces into single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def address_of(mailbox: str) -> str:
    """The bare address of ``"Name <addr@host>"`` or ``"addr@host"``; raises on no address."""
    _name, address = parseaddr(mailbox)
    if "@" not in address:
        raise ValueError(f"not an email address: {mailbox!r}")
    return address


@dataclass(frozen=True)
class CalendarEvent:
    """What goes into the VEVENT; all text is plain (icalendar escapes it)."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    summary: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    attendee_name: str
    link: str | None


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")
    return value.astimezone(UTC)


def build_calendar(event: CalendarEvent, method: CalendarMethod) -> str:
    """Return the ``.ics`` text (CRLF line endings) for a REQUEST or a CANCEL."""
    if not event.uid.strip():
        raise ValueError("a calendar invitation needs a non-empty UID")
    if event.sequence < 0:
        raise ValueError(f"SEQUENCE must be >= 0, got {event.sequence}")
    starts, ends = _utc(event.starts_at, "starts_at"), _utc(event.ends_at, "ends_at")
    if ends <= starts:
        raise ValueError("the interview must end after it starts")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    vevent = Event()
    vevent.add("uid", one_line(event.uid))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(event.stamp, "stamp"))
    vevent.add("dtstart", starts)
    vevent.add("dtend", ends)
    vevent.add("summary", one_line(event.summary))
    vevent.add("description", event.description)
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if event.link:
        vevent.add("url", event.link)
        vevent.add("location", event.link)

    organizer = vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = one_line(event.organizer_name)
    vevent.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{event.attendee_email}")
    attendee.params["cn"] = one_line(event.attendee_name)
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "NEEDS-ACTION"
    attendee.params["rsvp"] = "FALSE"
    vevent.add("attendee", attendee)

    calendar.add_component(vevent)
    return calendar.to_ical().decode("utf-8")


def calendar_method(ics_content: str) -> str:
    """The METHOD of an ``.ics`` text (``REQUEST`` when absent), for the MIME ``method=`` param."""
    found = _METHOD_LINE.search(ics_content)
    return found.group(1) if found else "REQUEST"
