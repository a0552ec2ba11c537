"""Slots for scheduling tests, including ones ``create_slots`` refuses (already started)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db.engine import Database
from core.db.models import Slot
from core.scheduling.slots import create_slots


def make_running_slot(db: Database, capacity: int = 3, now: datetime | None = None) -> int:
    """A slot that started ten minutes before ``now`` and ends half an hour after it."""
    now = now or datetime.now(UTC)
    with db.write() as s:
        slot = Slot(
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(minutes=30),
            capacity=capacity,
        )
        s.add(slot)
        s.flush()
        return slot.id


def make_future_slot(db: Database, capacity: int = 3, days: int = 2) -> int:
    now = datetime.now(UTC)
    start = now + timedelta(days=days)
    made = create_slots(db, [(start, start + timedelta(minutes=45))], capacity=capacity, now=now)
    return made[0].id
