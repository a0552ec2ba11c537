"""Leases and claims on SQLite and PostgreSQL: no message is sent twice, none is lost."""

from __future__ import annotations

import threading

from core.config import Settings
from core.db.engine import Database
from core.mail.queue import claim_next, mark_not_sent, mark_sent
from core.mail.transport import build_transport
from core.mail.worker import process_due
from tests.support.mail import (
    NOW,
    POLICY,
    later,
    mail_settings,
    queue_invitations,
    rows,
)
from tests.support.smtp_server import RecordingHandler


def test_row_leased_by_a_dead_worker_is_sent_once_after_the_lease_expires(
    any_db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    queue_invitations(any_db, cfg, 1)
    dead = claim_next(any_db, NOW, POLICY)  # this worker "crashes" before sending
    assert dead is not None
    assert dead.lease_until == later(POLICY.lease_seconds)

    assert process_due(any_db, transport, later(POLICY.lease_seconds - 1), settings=cfg) == 0
    assert handler.received == []
    restarted = later(POLICY.lease_seconds)
    assert process_due(any_db, transport, restarted, settings=cfg, policy=POLICY) == 1
    assert process_due(any_db, transport, later(86400), settings=cfg, policy=POLICY) == 0

    assert handler.message_ids() == [dead.message_id]
    [row] = rows(any_db)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, restarted)
    # The dead worker coming back cannot reschedule or re-send what is already sent.
    assert mark_not_sent(any_db, dead, later(86400), "late", permanent=False, policy=POLICY) is None
    assert mark_sent(any_db, dead, later(86400)) is False
    assert process_due(any_db, transport, later(10**6), settings=cfg, policy=POLICY) == 0
    assert len(handler.received) == 1
    assert rows(any_db)[0].status == "sent"


def test_sent_rows_are_never_claimed_again(any_db: Database, settings: Settings) -> None:
    queue_invitations(any_db, settings, 2)
    first = claim_next(any_db, NOW, POLICY)
    assert first is not None
    assert mark_sent(any_db, first, NOW)
    second = claim_next(any_db, NOW, POLICY)
    assert second is not None and second.id != first.id
    assert claim_next(any_db, NOW, POLICY) is None  # the other is leased, the first is sent
    assert claim_next(any_db, later(10**6), POLICY) is not None  # the lease ran out: second
    assert claim_next(any_db, later(10**7), POLICY) is not None  # ...and again (attempt 3)
    assert claim_next(any_db, later(10**8), POLICY) is None  # attempts exhausted, first sent


def test_worker_dying_on_the_last_attempt_marks_the_row_failed(
    any_db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    queue_invitations(any_db, cfg, 1)
    moment = NOW
    for _ in range(POLICY.max_attempts):
        assert claim_next(any_db, moment, POLICY) is not None
        moment = moment + (later(POLICY.lease_seconds) - NOW)

    assert process_due(any_db, transport, moment, settings=cfg, policy=POLICY) == 0
    [row] = rows(any_db)
    assert row.status == "failed"
    assert "worker stopped while sending" in row.last_error
    assert handler.received == []


def test_two_concurrent_workers_deliver_each_message_exactly_once(
    any_db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    transport = build_transport(cfg)
    assert transport is not None
    queue_invitations(any_db, cfg, 30)
    start = threading.Barrier(2)
    sent_by: list[int] = [0, 0]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            start.wait()
            while (n := process_due(any_db, transport, NOW, batch=1, settings=cfg)) > 0:
                sent_by[index] += n
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,), name=f"mail-test-{i}") for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert sum(sent_by) == 30
    received = handler.message_ids()
    assert len(received) == 30
    assert sorted(received) == sorted(r.message_id for r in rows(any_db))
    assert {r.status for r in rows(any_db)} == {"sent"}
    assert {r.attempts for r in rows(any_db)} == {1}


def test_many_threads_racing_for_one_row_only_one_wins(
    any_db: Database, settings: Settings
) -> None:
    queue_invitations(any_db, settings, 1)
    start = threading.Barrier(4)
    winners: list[int] = []
    lock = threading.Lock()

    def race() -> None:
        start.wait()
        claimed = claim_next(any_db, NOW, POLICY)
        if claimed is not None:
            with lock:
                winners.append(claimed.id)

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(winners) == 1
    assert rows(any_db)[0].attempts == 1
