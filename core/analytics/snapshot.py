"""Several connections reading one snapshot of the operational database (parallel full reads).

A full read spreads its chunks over a few connections (``text_read.read_tables``); their
transactions must see the same committed state, or the copy could mix two versions of the data.

- SQLite (WAL): a read transaction's snapshot is fixed by its first read. A *gate* connection
  takes the write lock (``BEGIN IMMEDIATE``, waiting at most ``GATE_WAIT_MS``), so that nothing
  can commit while every connection of the group begins its read; then the gate rolls back (it
  wrote nothing). A writer waits a few milliseconds at most. When the write lock is not free in
  time (a long write transaction), or the database is in memory, the group is the main
  connection alone, which is always consistent.
- PostgreSQL: the main connection's REPEATABLE READ transaction exports its snapshot
  (``pg_export_snapshot``) and each helper's transaction imports it
  (``SET TRANSACTION SNAPSHOT``). A helper that cannot import it is dropped.

Every transaction is read-only and rolled back; the connections go back to the pool. Runs on
the caller's thread; the connections may then be used from other threads, one at a time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

GATE_WAIT_MS = 200
MAX_CONNECTIONS = 4

# The first statement fixes the snapshot for the whole transaction; the others make the text
# that ``text_read`` renders exact and parseable (ISO timestamps, shortest exact floats).
_PG_ISOLATION = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_PG_SETTINGS = ("SET LOCAL DateStyle TO 'ISO, YMD'", "SET LOCAL extra_float_digits TO 1")

Group = tuple[Any, list[Any]]  # the main DBAPI connection and the helpers'


def default_connections(engine: Engine) -> int:
    """PostgreSQL renders the text in its own processes: one connection per core (at most
    ``MAX_CONNECTIONS``). SQLite renders it in this process, and two threads rendering took
    longer than one (measured; SQLite's allocator is serialized process-wide): one connection."""
    if engine.dialect.name == "sqlite":
        return 1
    return min(os.cpu_count() or 1, MAX_CONNECTIONS)


def _checkout(engine: Engine, stack: ExitStack) -> Any:
    raw = engine.raw_connection()
    stack.callback(raw.close)
    return raw.driver_connection


def _sqlite_begin(conn: Any, stack: ExitStack) -> None:
    conn.execute("BEGIN")  # the engine runs SQLite in autocommit
    stack.callback(conn.execute, "ROLLBACK")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fixes the snapshot


@contextmanager
def _sqlite_gate(engine: Engine) -> Iterator[bool]:
    """Hold the write lock (True), or not when it is busy (False)."""
    raw = engine.raw_connection()
    conn = raw.driver_connection
    try:
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {GATE_WAIT_MS}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            logger.info("analytics: write lock busy (%s); reading on one connection", exc)
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
            yield False
            return
        try:
            yield True
        finally:
            conn.execute("ROLLBACK")
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    finally:
        raw.close()


def _is_file(engine: Engine) -> bool:
    return engine.url.database not in (None, "", ":memory:")


@contextmanager
def sqlite_group(engine: Engine, helpers: int) -> Iterator[Group]:
    """The main connection and up to ``helpers`` more, all in one read snapshot."""
    with ExitStack() as stack:
        main = _checkout(engine, stack)
        others: list[Any] = []
        if helpers > 0 and _is_file(engine):
            with _sqlite_gate(engine) as held:
                _sqlite_begin(main, stack)
                for _ in range(helpers if held else 0):
                    conn = _checkout(engine, stack)
                    _sqlite_begin(conn, stack)
                    others.append(conn)
        else:
            _sqlite_begin(main, stack)
        yield main, others


def _pg_begin(conn: Any, stack: ExitStack, snapshot_id: str | None = None) -> None:
    conn.rollback()  # a new transaction, whatever the pool left
    stack.callback(conn.rollback)
    conn.execute(_PG_ISOLATION)
    if snapshot_id is not None:
        # A utility statement takes no bound parameters; the id comes from the server.
        conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot_id)))
    for statement in _PG_SETTINGS:
        conn.execute(statement)


@contextmanager
def postgres_group(engine: Engine, helpers: int) -> Iterator[Group]:
    """The main connection and up to ``helpers`` more, all in one snapshot."""
    with ExitStack() as stack:
        main = _checkout(engine, stack)
        _pg_begin(main, stack)
        others: list[Any] = []
        if helpers > 0:
            try:
                snapshot_id = main.execute("SELECT pg_export_snapshot()").fetchone()[0]
            except psycopg.Error as exc:
                logger.info("analytics: cannot export the snapshot (%s); one connection", exc)
                _pg_begin(main, stack)
                helpers = 0
            for _ in range(helpers):
                with ExitStack() as attempt:
                    try:  # no connection left in the pool, or the server refuses more
                        conn = _checkout(engine, attempt)
                        _pg_begin(conn, attempt, snapshot_id)
                    except (psycopg.Error, SQLAlchemyError) as exc:
                        logger.info("analytics: a helper cannot share the snapshot (%s)", exc)
                        break  # read with the connections we have
                    stack.push(attempt.pop_all())
                    others.append(conn)
        yield main, others
