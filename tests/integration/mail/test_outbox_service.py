"""Enqueue is atomic with the caller's transaction; Resend's rules; the recruiter's view."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.db.engine import Database
from core.mail.messages import invitation_email
from core.mail.outbox import count_by_status, list_outbox, resend
from core.mail.queue import OutboxError, claim_next
from core.mail.worker import enqueue
from tests.support.mail import NOW, POLICY, details, later, queue_invitations, rows


class _BookingFailed(RuntimeError):
    pass


def test_mail_exists_only_if_the_booking_transaction_commits(
    any_db: Database, settings: Settings
) -> None:
    with pytest.raises(_BookingFailed), any_db.write() as session:
        enqueue(session, invitation_email(details(), settings), interview_id=None, now=NOW)
        raise _BookingFailed  # e.g. the slot was taken meanwhile: everything rolls back
    assert rows(any_db) == []

    with any_db.write() as session:
        outbox_id = enqueue(
            session, invitation_email(details(), settings), interview_id=None, now=NOW
        )
    [view] = list_outbox(any_db)
    assert (view.id, view.status, view.attempts, view.has_calendar_invite) == (
        outbox_id,
        "queued",
        0,
        True,
    )
    assert view.created_at == NOW


def test_enqueue_ids_and_message_ids_are_unique(any_db: Database, settings: Settings) -> None:
    ids = queue_invitations(any_db, settings, 5)
    assert len(set(ids)) == 5
    assert len({r.message_id for r in rows(any_db)}) == 5


def test_resend_rules(any_db: Database, settings: Settings) -> None:
    [outbox_id] = queue_invitations(any_db, settings, 1)
    with pytest.raises(OutboxError, match="no outbox message #424242"):
        resend(any_db, 424242, NOW, settings=settings)

    claimed = claim_next(any_db, NOW, POLICY)
    assert claimed is not None
    with pytest.raises(OutboxError, match="being sent right now"):
        resend(any_db, outbox_id, later(1), settings=settings)
    assert rows(any_db)[0].status == "sending"  # the refusal changed nothing

    after_lease = later(POLICY.lease_seconds)
    again = resend(
        any_db, outbox_id, after_lease, settings=settings
    )  # its worker died: it may be queued again
    assert (again.id, again.status, again.attempts, again.last_error) == (
        outbox_id,
        "queued",
        0,
        "",
    )
    [row] = rows(any_db)
    assert (row.next_attempt_at, row.lease_until) == (after_lease, None)


def test_count_by_status_lists_every_status(any_db: Database, settings: Settings) -> None:
    assert set(count_by_status(any_db).values()) == {0}
    queue_invitations(any_db, settings, 3)
    assert claim_next(any_db, NOW, POLICY) is not None
    counts = count_by_status(any_db)
    assert counts == {"queued": 2, "sending": 1, "sent": 0, "failed": 0}
