"""SQLite under concurrent read-then-write transactions: BEGIN IMMEDIATE makes them queue."""

from __future__ import annotations

import threading

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Slot
from tests.support.factories import make_candidate

THREADS = 8
ROUNDS = 10


def test_eight_threads_read_then_write_without_errors(db: Database) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    with db.write() as s:
        slot = Slot(starts_at=start, ends_at=start + timedelta(hours=1), capacity=1)
        s.add(slot)
        s.flush()
        slot_id = slot.id
    make_candidate(db)
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        barrier.wait()
        for _ in range(ROUNDS):
            try:
                with db.write() as s:
                    row = s.scalars(select(Slot).where(Slot.id == slot_id)).one()  # read
                    row.capacity = row.capacity + 1  # then write based on what was read
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as s:
        # No lost update either: every increment landed.
        assert s.get(Slot, slot_id).capacity == 1 + THREADS * ROUNDS
