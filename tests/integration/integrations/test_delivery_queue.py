"""The delivery queue on real databases with a real receiver on loopback: two workers racing
deliver each delivery once (SQLite and PostgreSQL), a worker that dies mid-send is taken over
when its lease runs out, a receiver that never answers ends in ``failed`` with the reason, and
a replay of a failed delivery arrives once the receiver is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.clock import SystemClock
from core.config import Settings
from core.db.engine import Database
from core.db.models import WebhookDelivery
from core.domain import Role
from core.integrations import deliveries as q
from core.integrations.webhooks import create_endpoint
from core.integrations.worker import process_due
from core.staff.permissions import StaffPrincipal
from tests.support.factories import make_user
from tests.support.smtp_server import free_port
from tests.support.webhook_receiver import Receiver, webhook_receiver

FAST = q.DeliveryPolicy(
    base_delay_seconds=0.05, max_delay_seconds=0.1, max_attempts=3, lease_seconds=0.5
)


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {check}")
        time.sleep(0.05)
    return value


def _endpoint(db: Database, port: int, path: str = "/in") -> tuple[int, str]:
    admin = make_user(db, Role.ADMIN)
    made = create_endpoint(
        db,
        url=f"http://127.0.0.1:{port}{path}",
        events=["review.decided"],
        principal=StaffPrincipal(admin.id, Role.ADMIN),
        now=datetime.now(UTC),
    )
    return made.endpoint.id, made.secret


def _queue(db: Database, endpoint_id: int, port: int, n: int, path: str = "/in") -> list[int]:
    now = datetime.now(UTC)
    with db.write() as session:
        rows = [
            q.enqueue_delivery(
                session,
                event="review.decided",
                url=f"http://127.0.0.1:{port}{path}",
                payload={"id": f"evt_{i}", "event": "review.decided", "data": {"n": i}},
                now=now,
                endpoint_id=endpoint_id,
            )
            for i in range(n)
        ]
        return [r.id for r in rows]


def _statuses(db: Database) -> list[tuple[int, str, int]]:
    with db.read() as s:
        d = WebhookDelivery
        return [tuple(r) for r in s.execute(select(d.id, d.status, d.attempts).order_by(d.id))]  # type: ignore[misc]


def test_two_workers_racing_deliver_each_delivery_once(
    any_db: Database, settings: Settings
) -> None:
    port = free_port()
    endpoint_id, secret = _endpoint(any_db, port)
    _queue(any_db, endpoint_id, port, 30)
    receiver = Receiver(secrets={"/in": secret})
    with webhook_receiver(receiver, port), httpx.Client(timeout=5) as client:

        def work() -> None:
            while process_due(any_db, settings, client, SystemClock(), batch=5, policy=FAST):
                pass

        workers = [threading.Thread(target=work) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=120)
    ids = sorted(a.event_id for a in receiver.events())
    assert ids == sorted(f"evt_{i}" for i in range(30)) and receiver.forged == []
    assert {status for _, status, _ in _statuses(any_db)} == {"sent"}


def test_a_worker_that_dies_mid_send_is_taken_over(db: Database, settings: Settings) -> None:
    port = free_port()
    endpoint_id, secret = _endpoint(db, port)
    (delivery_id,) = _queue(db, endpoint_id, port, 1)
    claimed = q.claim_next(db, datetime.now(UTC), FAST)  # …and the worker dies here
    assert claimed is not None and claimed.id == delivery_id
    receiver = Receiver(secrets={"/in": secret})
    with webhook_receiver(receiver, port), httpx.Client(timeout=5) as client:
        assert process_due(db, settings, client, SystemClock(), policy=FAST) == 0  # leased
        time.sleep(FAST.lease_seconds + 0.1)
        assert process_due(db, settings, client, SystemClock(), policy=FAST) == 1
    assert [a.event_id for a in receiver.events()] == ["evt_0"]
    assert _statuses(db) == [(delivery_id, "sent", 2)]


def test_a_worker_that_dies_on_the_last_attempt_leaves_it_failed(
    db: Database, settings: Settings
) -> None:
    port = free_port()
    endpoint_id, _ = _endpoint(db, port)
    (delivery_id,) = _queue(db, endpoint_id, port, 1)
    with db.write() as s:
        row = s.get(WebhookDelivery, delivery_id)
        assert row is not None
        row.attempts = FAST.max_attempts - 1
    assert q.claim_next(db, datetime.now(UTC), FAST) is not None  # the last attempt; it dies
    time.sleep(FAST.lease_seconds + 0.1)
    assert q.fail_exhausted_leases(db, datetime.now(UTC), FAST) == 1
    with db.read() as s:
        row = s.get(WebhookDelivery, delivery_id)
        assert row is not None and row.status == "failed" and "replay" in row.last_error


def test_a_receiver_that_never_answers_fails_and_a_replay_arrives_later(
    db: Database, settings: Settings
) -> None:
    port = free_port()
    endpoint_id, secret = _endpoint(db, port)
    (delivery_id,) = _queue(db, endpoint_id, port, 1)
    with httpx.Client(timeout=2) as client:
        for _ in range(FAST.max_attempts):
            eventually(lambda: q.has_work(db, datetime.now(UTC), FAST))
            assert process_due(db, settings, client, SystemClock(), policy=FAST) == 0
    ((_, status, attempts),) = _statuses(db)
    assert (status, attempts) == ("failed", FAST.max_attempts)
    admin = StaffPrincipal(make_user(db, Role.ADMIN).id, Role.ADMIN)
    view = q.get_delivery(db, delivery_id, principal=admin)
    assert "Connect" in view.last_error and view.last_status_code is None

    replayed = q.replay(db, delivery_id, principal=admin, now=datetime.now(UTC))
    assert replayed.replay_of_id == delivery_id and replayed.event_id == view.event_id
    receiver = Receiver(secrets={"/in": secret})
    with webhook_receiver(receiver, port), httpx.Client(timeout=5) as client:
        assert process_due(db, settings, client, SystemClock(), policy=FAST) == 1
    assert [a.event_id for a in receiver.events()] == ["evt_0"]
    assert [s for _, s, _ in _statuses(db)] == ["failed", "sent"]  # the record is kept


def test_a_refusing_receiver_is_retried_and_its_answer_kept(
    db: Database, settings: Settings
) -> None:
    port = free_port()
    endpoint_id, secret = _endpoint(db, port)
    (delivery_id,) = _queue(db, endpoint_id, port, 1)
    receiver = Receiver(secrets={"/in": secret}, down_for=1)
    with webhook_receiver(receiver, port), httpx.Client(timeout=5) as client:
        assert process_due(db, settings, client, SystemClock(), policy=FAST) == 0
        with db.read() as s:
            row = s.get(WebhookDelivery, delivery_id)
            assert row is not None
            assert (row.status, row.last_status_code) == ("queued", 503)
            assert row.last_error.startswith("HTTP 503")
        eventually(lambda: process_due(db, settings, client, SystemClock(), policy=FAST))
    assert _statuses(db) == [(delivery_id, "sent", 2)]
