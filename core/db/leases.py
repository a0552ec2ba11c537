"""Leasing the next due row of a work queue (the mail outbox, webhook deliveries).

One worker thread claims one row per call: the oldest due row is picked (PostgreSQL skips rows
other transactions hold, ``FOR UPDATE SKIP LOCKED``; SQLite serializes writers), then moved to
its "sending" state with a conditional UPDATE that re-checks it is still due, so two workers
(threads or processes) never get the same row. A lost race is retried a few times, then left
for the worker's next pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.orm import Session

from core.db.engine import Database

T = TypeVar("T")
RACE_RETRIES = 5


def claim_next(
    db: Database,
    model: Any,
    due: ColumnElement[bool],
    claimed_values: Mapping[str, Any],
    snapshot: Callable[[Session, Any], T],
) -> T | None:
    """Claim the most overdue row of ``model`` matching ``due`` (ordered by
    ``next_attempt_at``, then id), set ``claimed_values`` on it, and return
    ``snapshot(session, row)`` taken in the same transaction; None when nothing is due.
    Runs on the calling (worker) thread."""
    for _ in range(RACE_RETRIES):
        with db.write() as session:
            pick = select(model.id).where(due).order_by(model.next_attempt_at, model.id).limit(1)
            if not db.is_sqlite:
                pick = pick.with_for_update(skip_locked=True)
            row_id = session.scalar(pick)
            if row_id is None:
                return None
            claimed = cast(
                CursorResult[Any],
                session.execute(
                    update(model)
                    .where(model.id == row_id, due)
                    .values(**claimed_values)
                    .execution_options(synchronize_session=False)
                ),
            )
            if claimed.rowcount != 1:
                continue  # another worker took it between the pick and the update
            row = session.get(model, row_id, populate_existing=True)
            assert row is not None
            return snapshot(session, row)
    return None
