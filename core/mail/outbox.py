"""The email outbox as recruiters see it, and the Resend action.

Delivery itself lives in ``core.mail`` (``enqueue`` in the booking's transaction, the worker
sends); this module is what pages call. A message shows the candidate's link while it waits
(with no SMTP server, recruiters copy it from here); once delivered the link is no longer kept
(``core.mail.secret_link``), and sending that message again issues a new link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar
from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import EmailOutbox
from core.domain import OutboxStatus
from core.mail.queue import OutboxError, new_message_id
from core.mail.secret_link import (
    PLACEHOLDER,
    SHOWN_AFTER_DELIVERY,
    SHOWN_WHEN_GONE,
    needs_link,
    unseal,
)
from core.scheduling.booking import BookingError
from core.scheduling.link_resend import resend_with_new_link
from core.staff.permissions import Action, Principal, require_given

__all__ = [
    "CalendarFile",
    "OutboxError",
    "OutboxMessage",
    "calendar_file",
    "count_by_status",
    "list_outbox",
    "resend",
]
_UNSAFE_NAME = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    kind: str
    to_address: str
    subject: str
    body_text: str
    has_calendar_invite: bool
    status: OutboxStatus
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    interview_id: int | None


@dataclass(frozen=True)
class CalendarFile:
    """A message's calendar attachment, as a download: bytes, a safe file name, its type."""

    file_name: str
    content: bytes
    mime: str
    link_withheld: bool  # the candidate's link was in it but is no longer kept


def _shown_link(m: EmailOutbox) -> str:
    return m.secret_link or (
        SHOWN_AFTER_DELIVERY if m.status == OutboxStatus.SENT else SHOWN_WHEN_GONE
    )


def _view(m: EmailOutbox) -> OutboxMessage:
    body, _ = unseal(m.body_text, None, _shown_link(m))
    return OutboxMessage(
        id=m.id,
        kind=m.kind,
        to_address=m.to_address,
        subject=m.subject,
        body_text=body,
        has_calendar_invite=bool(m.ics_content),
        status=OutboxStatus(m.status),
        attempts=m.attempts,
        last_error=m.last_error,
        created_at=m.created_at,
        sent_at=m.sent_at,
        interview_id=m.interview_id,
    )


def list_outbox(
    db: Database, statuses: tuple[OutboxStatus, ...] = (), limit: int = 500
) -> list[OutboxMessage]:
    stmt = select(EmailOutbox).order_by(EmailOutbox.created_at.desc(), EmailOutbox.id.desc())
    if statuses:
        stmt = stmt.where(EmailOutbox.status.in_(statuses))
    with db.read() as session:
        return [_view(m) for m in session.scalars(stmt.limit(limit))]


def _calendar_without_link(ics: str, note: str) -> str:
    """The invite with the link's placeholder gone: the URL and LOCATION that held it are
    dropped (a note is not a URI) and the description says why (icalendar escapes it)."""
    calendar = Calendar.from_ical(ics)
    for event in calendar.walk("VEVENT"):
        for name in ("URL", "LOCATION"):
            if PLACEHOLDER in str(event.get(name, "")):
                del event[name]
        description = str(event.get("DESCRIPTION", ""))
        if PLACEHOLDER in description:
            del event["DESCRIPTION"]
            event.add("description", description.replace(PLACEHOLDER, note))
    return calendar.to_ical().decode("utf-8")


def _file_name(m: EmailOutbox) -> str:
    kind = _UNSAFE_NAME.sub("-", m.kind.lower()).strip("-")[:30] or "message"
    return f"interview-{m.interview_id or 0}-{kind}-{m.id}.ics"


def calendar_file(
    db: Database, outbox_id: int, *, principal: Principal | None = None
) -> CalendarFile | None:
    """The message's ``.ics`` invite (``invite.ics`` in the email) for a download; None when
    the message has none.

    While the message still holds the candidate's link (not yet delivered), the file is the
    one the candidate receives, link included, so a recruiter without SMTP can forward it.
    Once the link is no longer kept, the file keeps the event (time, UID, SEQUENCE, METHOD)
    without the URL and location, and its description says the link is not kept. The file
    name is built from ids and the message kind only (``interview-12-invitation-34.ics``).

    ``principal``, when given, must be allowed ``MANAGE_OUTBOX`` (raises PermissionDenied).
    Raises OutboxError for an unknown id.
    """
    require_given(principal, Action.MANAGE_OUTBOX)
    with db.read() as session:
        row = session.get(EmailOutbox, outbox_id)
        if row is None:
            raise OutboxError(f"there is no outbox message #{outbox_id}")
        if not row.ics_content:
            return None
        ics: str | None = row.ics_content
        withheld = not row.secret_link and needs_link("", row.ics_content)
        if row.secret_link:
            _, ics = unseal("", row.ics_content, row.secret_link)
        elif withheld:
            ics = _calendar_without_link(row.ics_content, _shown_link(row))
        return CalendarFile(
            file_name=_file_name(row),
            content=(ics or "").encode("utf-8"),
            mime="text/calendar",
            link_withheld=withheld,
        )


def count_by_status(db: Database) -> dict[OutboxStatus, int]:
    """How many messages are in each status (every status present, zero when none)."""
    stmt = select(EmailOutbox.status, func.count()).group_by(EmailOutbox.status)
    with db.read() as session:
        found = {OutboxStatus(status): int(n) for status, n in session.execute(stmt)}
    return {status: found.get(status, 0) for status in OutboxStatus}


def resend(
    db: Database,
    outbox_id: int,
    now: datetime,
    *,
    settings: Settings,
    actor_id: int | None = None,
    principal: Principal | None = None,
) -> OutboxMessage:
    """Queue a message again and return the row that will be sent.

    A message that carried the candidate's link, no longer kept (delivered, or given up): a new
    message with a new link, built from the booking as it is now (``link_resend``; the old link
    stops working). Otherwise ``failed`` or ``queued``: the same row goes back to ``queued``,
    due now, with its attempts reset (same Message-ID: it was never delivered); ``sent``: a
    copy with a new Message-ID is queued (receivers drop repeats of a Message-ID they have
    seen), and that copy is returned. ``sending`` with a live lease: refused, because it is
    being sent right now. Raises OutboxError for an unknown id, that case, or a link that must
    not be issued again (see ``link_resend``); nothing is changed then.

    ``principal``, when given (pages, the HTTP API), must be allowed ``MANAGE_OUTBOX``; it is
    checked before anything is read or written (raises PermissionDenied). The command line
    acts as the operator and passes none.
    """
    require_given(principal, Action.MANAGE_OUTBOX)
    if now.tzinfo is None:
        raise OutboxError("now: must be a timezone-aware UTC datetime")
    with db.write() as session:
        lock = select(EmailOutbox).where(EmailOutbox.id == outbox_id)
        if not db.is_sqlite:
            lock = lock.with_for_update()
        row = session.scalars(lock).one_or_none()
        if row is None:
            raise OutboxError(f"there is no outbox message #{outbox_id}")
        status = OutboxStatus(row.status)
        if status is OutboxStatus.SENDING and row.lease_until and row.lease_until > now:
            raise OutboxError(f"message #{outbox_id} is being sent right now; try again shortly")
        if needs_link(row.body_text, row.ics_content) and not row.secret_link:
            try:
                new_id = resend_with_new_link(
                    session,
                    settings,
                    interview_id=row.interview_id,
                    kind=row.kind,
                    now=now,
                    actor_id=actor_id,
                    principal=principal,
                )
            except BookingError as exc:
                raise OutboxError(f"message #{outbox_id} is not sent again: {exc}") from exc
            fresh = session.get(EmailOutbox, new_id)
            assert fresh is not None
            return _view(fresh)
        if status is OutboxStatus.SENT:
            copy = EmailOutbox(
                message_id=new_message_id(row.message_id.rsplit("@", 1)[-1].rstrip(">")),
                kind=row.kind,
                to_address=row.to_address,
                subject=row.subject,
                body_text=row.body_text,
                ics_content=row.ics_content,
                interview_id=row.interview_id,
                status=OutboxStatus.QUEUED,
                attempts=0,
                last_error="",
                next_attempt_at=now,
                created_at=now,
            )
            session.add(copy)
            session.flush()
            return _view(copy)
        row.status = OutboxStatus.QUEUED
        row.attempts = 0
        row.next_attempt_at = now
        row.lease_until = None
        row.last_error = ""
        session.flush()
        return _view(row)
