"""The MIME message, built from an outbox row at send time.

The ``Message-ID`` header is the row's ``message_id`` and the ``Date`` header is the row's
creation time, so a retried send is byte-for-byte the same message and receivers (and humans)
can recognise a duplicate delivery of an at-least-once retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from core.mail.ics import address_of, calendar_method, one_line


@dataclass(frozen=True)
class QueuedMessage:
    """The parts of an ``email_outbox`` row needed to send it (a detached snapshot)."""

    id: int
    message_id: str
    kind: str
    to_address: str
    subject: str
    body_text: str
    ics_content: str | None
    created_at: datetime
    attempts: int
    lease_until: datetime | None


def build_mime(message: QueuedMessage, mail_from: str) -> EmailMessage:
    """Plain-text body plus, when present, ``invite.ics`` as ``text/calendar; method=...``.

    Raises ValueError when an address or header is malformed (a permanent failure).
    """
    address_of(message.to_address)
    address_of(mail_from)
    mime = EmailMessage(policy=SMTP)
    mime["From"] = mail_from
    mime["To"] = message.to_address
    mime["Subject"] = one_line(message.subject)
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message.message_id
    mime["Auto-Submitted"] = "auto-generated"
    mime["X-Intervista-Kind"] = one_line(message.kind)
    mime.set_content(message.body_text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if message.ics_content:
        method = calendar_method(message.ics_content)
        mime.add_attachment(
            message.ics_content,
            subtype="calendar",
            charset="utf-8",
            filename="invite.ics",
            params={"method": method},
        )
    return mime
