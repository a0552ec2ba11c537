"""The outbox table as a work queue: enqueue, claim with a lease, and record the outcome.

Claiming is a conditional ``UPDATE ... WHERE id = :id AND <still due>`` whose row count tells the
claimer whether it won, so two workers (threads or processes) never both own a row. On
PostgreSQL the candidate row is also picked with ``FOR UPDATE SKIP LOCKED`` so workers do not
queue behind each other; on SQLite write transactions are serialised by ``BEGIN IMMEDIATE``.
Delivery is at-least-once: a worker that dies after the SMTP server accepted a message but
before it recorded "sent" leaves a lease that expires, and the message is sent again.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session

from core.db import leases
from core.db.engine import Database
from core.db.models import EmailOutbox
from core.domain import OutboxStatus
from core.errors import IntervistaError
from core.mail.ics import address_of, one_line
from core.mail.messages import OutgoingEmail
from core.mail.mime import QueuedMessage
from core.mail.secret_link import SecretLinkError, seal, unseal

_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
DEFAULT_ID_DOMAIN = "intervista.local"


class OutboxError(IntervistaError, ValueError):
    """A message cannot be queued or re-queued; the text says why. Nothing was written."""

    code = "outbox_refused"
    status = 409


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off ``base × 2^(attempts-1)`` capped at ``max_delay``; ``failed`` after the last.

    ``lease_seconds`` must comfortably exceed one SMTP exchange (a few timeouts): a lease that
    runs out while the message is still being sent lets another worker send it again.
    """

    base_delay_seconds: float = 30.0
    max_delay_seconds: float = 3600.0
    max_attempts: int = 8
    lease_seconds: float = 300.0

    def delay_after(self, attempts_made: int) -> timedelta:
        exponent = max(0, attempts_made - 1)
        seconds = min(self.max_delay_seconds, self.base_delay_seconds * (2 ** min(exponent, 30)))
        return timedelta(seconds=seconds)


DEFAULT_POLICY = RetryPolicy()


def new_message_id(domain: str = DEFAULT_ID_DOMAIN) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def _validated(email: OutgoingEmail) -> OutgoingEmail:
    if not _KIND.match(email.kind):
        raise OutboxError(f"kind: {email.kind!r} is not a short lowercase word")
    if "\r" in email.to_address or "\n" in email.to_address or "," in email.to_address:
        raise OutboxError("to_address: must be exactly one address on one line")
    try:
        address_of(email.to_address)
    except ValueError as exc:
        raise OutboxError(f"to_address: {exc}") from exc
    if len(email.to_address) > 254:
        raise OutboxError("to_address: longer than 254 characters")
    subject = one_line(email.subject)
    if not subject:
        raise OutboxError("subject: must not be empty")
    if not email.body_text.strip():
        raise OutboxError("body_text: must not be empty")
    return OutgoingEmail(
        kind=email.kind,
        to_address=email.to_address.strip(),
        subject=subject[:300],
        body_text=email.body_text,
        ics_content=email.ics_content or None,
    )


def enqueue(
    session: Session,
    email: OutgoingEmail,
    *,
    interview_id: int | None,
    now: datetime,
    id_domain: str = DEFAULT_ID_DOMAIN,
    secret_link: str | None = None,
) -> int:
    """Add an outbox row in the caller's transaction (flushed, not committed); return its id.

    Runs on the caller's thread inside its ``db.write()`` block, so the email exists exactly
    when the booking that caused it does. ``secret_link``: the candidate's link in the message;
    it is stored apart and dropped once delivered (``core.mail.secret_link``). Raises
    OutboxError (nothing added) on bad input.
    """
    checked = _validated(email)
    body, ics = checked.body_text, checked.ics_content
    if secret_link is not None:
        try:
            body, ics = seal(body, ics, secret_link)
        except SecretLinkError as exc:
            raise OutboxError(f"secret_link: {exc}") from exc
    row = EmailOutbox(
        message_id=new_message_id(id_domain),
        kind=checked.kind,
        to_address=checked.to_address,
        subject=checked.subject,
        body_text=body,
        ics_content=ics,
        secret_link=secret_link,
        interview_id=interview_id,
        status=OutboxStatus.QUEUED,
        attempts=0,
        last_error="",
        next_attempt_at=now,
        lease_until=None,
        sent_at=None,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def _due(now: datetime, policy: RetryPolicy) -> ColumnElement[bool]:
    """Queued and due, or being sent by a worker whose lease ran out (it died or hung).

    ``failed`` is final until someone presses Resend (a 5xx refusal must not be retried).
    """
    t = EmailOutbox
    return or_(
        and_(t.status == OutboxStatus.QUEUED, t.next_attempt_at <= now),
        and_(
            t.status == OutboxStatus.SENDING,
            t.lease_until <= now,
            t.attempts < policy.max_attempts,
        ),
    )


def _snapshot(row: EmailOutbox) -> QueuedMessage:
    """The row as it is sent: with the candidate's link put back (only in this snapshot)."""
    body, ics = row.body_text, row.ics_content
    if row.secret_link:
        body, ics = unseal(body, ics, row.secret_link)
    return QueuedMessage(
        id=row.id,
        message_id=row.message_id,
        kind=row.kind,
        to_address=row.to_address,
        subject=row.subject,
        body_text=body,
        ics_content=ics,
        created_at=row.created_at,
        attempts=row.attempts,
        lease_until=row.lease_until,
    )


def has_work(db: Database, now: datetime, policy: RetryPolicy) -> bool:
    """A cheap read: is anything due (or stuck on an expired lease)? Avoids idle write locks."""
    t = EmailOutbox
    stuck = and_(t.status == OutboxStatus.SENDING, t.lease_until <= now)
    with db.read() as session:
        found = session.scalar(select(t.id).where(or_(_due(now, policy), stuck)).limit(1))
    return found is not None


def fail_exhausted_leases(db: Database, now: datetime, policy: RetryPolicy) -> int:
    """Rows whose worker died mid-send on their last allowed attempt become ``failed``."""
    t = EmailOutbox
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(t)
                .where(
                    t.status == OutboxStatus.SENDING,
                    t.lease_until <= now,
                    t.attempts >= policy.max_attempts,
                )
                .values(
                    status=OutboxStatus.FAILED,
                    lease_until=None,
                    last_error="the worker stopped while sending on the last allowed attempt; "
                    "it may or may not have been delivered (use Resend to try again)",
                    secret_link=None,  # given up: Resend issues a new link
                )
                .execution_options(synchronize_session=False)
            ),
        )
        return int(result.rowcount or 0)


def claim_next(db: Database, now: datetime, policy: RetryPolicy) -> QueuedMessage | None:
    """Lease the most overdue row to this caller, or return None when nothing is due.

    Runs on the worker thread. The returned snapshot's ``attempts`` already counts this attempt
    and its ``lease_until`` is the claim token checked when the outcome is recorded.
    """
    t = EmailOutbox
    return leases.claim_next(
        db,
        t,
        _due(now, policy),
        {
            "status": OutboxStatus.SENDING,
            "lease_until": now + timedelta(seconds=policy.lease_seconds),
            "attempts": t.attempts + 1,
        },
        lambda _session, row: _snapshot(row),
    )


def mark_sent(db: Database, message: QueuedMessage, now: datetime) -> bool:
    """Record delivery and forget the candidate's link (it is in their mailbox now). Done even
    if the lease was lost, so nobody schedules another send."""
    t = EmailOutbox
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(t)
                .where(t.id == message.id, t.status != OutboxStatus.SENT)
                .values(
                    status=OutboxStatus.SENT,
                    sent_at=now,
                    lease_until=None,
                    last_error="",
                    secret_link=None,
                )
                .execution_options(synchronize_session=False)
            ),
        )
        return result.rowcount == 1


def mark_not_sent(
    db: Database,
    message: QueuedMessage,
    now: datetime,
    error: str,
    *,
    permanent: bool,
    policy: RetryPolicy,
) -> OutboxStatus | None:
    """Schedule a retry (``queued``) or give up (``failed``, the candidate's link dropped); only
    while still holding the lease.

    Returns the new status, or None when another worker has taken the row over meanwhile.
    """
    t = EmailOutbox
    give_up = permanent or message.attempts >= policy.max_attempts
    status = OutboxStatus.FAILED if give_up else OutboxStatus.QUEUED
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(t)
                .where(
                    t.id == message.id,
                    t.status == OutboxStatus.SENDING,
                    t.lease_until == message.lease_until,
                )
                .values(
                    status=status,
                    lease_until=None,
                    last_error=error,
                    next_attempt_at=now + policy.delay_after(message.attempts),
                    # given up: the link is not kept (Resend issues a new one)
                    secret_link=None if give_up else t.secret_link,
                )
                .execution_options(synchronize_session=False)
            ),
        )
        return status if result.rowcount == 1 else None


def withdraw_waiting_links(session: Session, interview_id: int, reason: str) -> int:
    """Give up the messages of ``interview_id`` still waiting with a candidate link (not yet
    claimed by a worker), in the caller's transaction: a reschedule or a cancellation revokes
    that link, so the message would deliver a dead link and an old time. They become ``failed``
    with ``reason`` and drop the link (Send again issues a new one where a booking remains).
    Returns how many."""
    t = EmailOutbox
    result = cast(
        CursorResult[Any],
        session.execute(
            update(t)
            .where(
                t.interview_id == interview_id,
                t.status == OutboxStatus.QUEUED,
                t.secret_link.is_not(None),
            )
            .values(status=OutboxStatus.FAILED, last_error=reason, secret_link=None)
            .execution_options(synchronize_session=False)
        ),
    )
    return int(result.rowcount or 0)
