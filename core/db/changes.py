"""The change record: which rows of the tables the analytics copy reads were written or deleted.

Every ``Session`` made by ``Database`` records, in the same transaction as the change itself:
- rows the ORM inserts, updates or deletes (``after_flush``: ``session.new/dirty/deleted``);
- rows an ORM-enabled ``update()`` / ``delete()`` statement run through the session touches
  (``do_orm_execute``: the ids its WHERE matches are selected first, ``FOR UPDATE`` on
  PostgreSQL so they are the rows the statement then changes; a bulk UPDATE by primary key
  names them in its parameters);
- code that writes with Core or the DBAPI directly (the synthetic-data generator) calls
  ``record`` itself.
Rows that go by ``ON DELETE CASCADE`` are never seen by any event: the delete of their parent
is recorded (an interview; a candidate, whose interviews go with it) and the reader removes
the children itself. Only ``RECORDED`` tables are recorded; ``candidates`` only when deleted.

One row per change: ``(id, table_name, row_id, op, at)`` with ``op`` 'upsert' or 'delete';
the reader re-reads upserted rows as they are now, so recording a row twice is harmless.
``prune`` removes rows older than ``KEEP`` (7 days) but always keeps the newest one, so a
reader can tell that rows it never saw were pruned (the oldest kept id is above its next one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, event, func, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from core.clock import utcnow
from core.db.models.changes import Change

#: The tables the analytics copy reads, and the candidates (their deletion removes interviews).
RECORDED = frozenset(
    {
        "interviews",
        "interview_responses",
        "code_submissions",
        "proctor_events",
        "review_comments",
        "jobs",
        "interview_templates",
        "candidates",
    }
)
DELETE_ONLY = frozenset({"candidates"})
KEEP = timedelta(days=7)
UPSERT, DELETE = "upsert", "delete"
CHANGES: Table = Change.__table__  # type: ignore[assignment]


def record(
    connection: Connection, table: str, ids: Iterable[int], op: str, *, at: datetime | None = None
) -> int:
    """Record ``op`` for the rows ``ids`` of ``table`` (in ``connection``'s transaction)."""
    if table not in RECORDED or (op == UPSERT and table in DELETE_ONLY):
        return 0
    moment = at or utcnow()
    rows = [{"table_name": table, "row_id": int(i), "op": op, "at": moment} for i in ids]
    if rows:
        connection.execute(insert(CHANGES), rows)
    return len(rows)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    found: dict[tuple[str, str], set[int]] = {}

    def add(obj: Any, op: str) -> None:
        table = inspect(obj).mapper.local_table
        name = getattr(table, "name", "")
        if name in RECORDED and getattr(obj, "id", None) is not None:
            found.setdefault((name, op), set()).add(int(obj.id))

    for obj in session.new:
        add(obj, UPSERT)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            add(obj, UPSERT)
    for obj in session.deleted:
        add(obj, DELETE)
    if found:
        connection = session.connection()
        moment = utcnow()
        for (table, op), ids in sorted(found.items()):
            record(connection, table, sorted(ids), op, at=moment)


def _on_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = None if mapper is None else mapper.local_table
    name = getattr(table, "name", "")
    if name not in RECORDED or (state.is_update and name in DELETE_ONLY):
        return
    assert isinstance(table, Table)
    if state.is_executemany:  # ORM bulk UPDATE by primary key: the ids are in the parameters
        rows: Any = state.parameters
        ids = [row["id"] for row in rows if "id" in row]
        record(state.session.connection(), name, ids, DELETE if state.is_delete else UPSERT)
        return
    statement: Any = state.statement
    ids_query = select(table.c.id)
    if statement.whereclause is not None:
        ids_query = ids_query.where(statement.whereclause)
    connection = state.session.connection()
    if connection.dialect.name == "postgresql":
        ids_query = ids_query.with_for_update(of=table)
    matched = connection.execute(ids_query).scalars().all()
    record(connection, name, matched, DELETE if state.is_delete else UPSERT)


def register(factory: sessionmaker[Session]) -> None:
    """Record changes for every session ``factory`` makes (``Database`` calls this once per
    factory). (No ``event.contains`` check: SQLAlchemy keys listeners by ``id()`` of the
    factory's generated Session class, which a collected factory's may share.)"""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_orm_execute)


def prune(connection: Connection, now: datetime, keep: timedelta = KEEP) -> int:
    """Remove changes older than ``keep``, always keeping the newest; how many went."""
    newest = select(func.max(CHANGES.c.id)).scalar_subquery()
    result = connection.execute(
        delete(CHANGES).where(CHANGES.c.at < now - keep).where(CHANGES.c.id < newest)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def ids_of(connection: Connection, table: str, since: int) -> Sequence[tuple[int, str]]:
    """``(row_id, op)`` recorded for ``table`` after change id ``since`` (tests, debugging)."""
    query = (
        select(CHANGES.c.row_id, CHANGES.c.op)
        .where(CHANGES.c.id > since, CHANGES.c.table_name == table)
        .order_by(CHANGES.c.id)
    )
    return [(int(r), str(o)) for r, o in connection.execute(query).all()]
