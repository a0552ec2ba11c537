"""Several connections reading one snapshot of the operational database (parallel full reads).

A full read spreads its chunks over a few connections (``text_read.read_tables``); their
transactions must see the same committed state, or the copy could mix two versions of the data.

- SQLite (WAL): a read transaction's snapshot is fixed by its first read. The helpers are
  child processes (``sqlite_process``: two threads of one process render no faster than one),
  started and ready before anything is locked. Then a *gate* connection takes the write lock
  (``BEGIN IMMEDIATE``, waiting at most ``GATE_WAIT_MS``), so that nothing can commit while
  the main connection and every helper begin their reads; then the gate rolls back (it wrote
  nothing). A writer waits a few milliseconds (at most ``BEGIN_TIMEOUT_S`` in all when a helper
  stalls; it is then ended and left out). When the write lock is not free in time
  (a long write transaction), the database is in memory or smaller than
  ``PROCESS_HELPER_MIN_BYTES`` (a process is not worth starting), the group is the main
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
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.analytics.sqlite_process import (
    BEGIN_TIMEOUT_S,
    HelperError,
    SqliteProcess,
    start_helpers,
)

logger = logging.getLogger(__name__)

GATE_WAIT_MS = 200
MAX_CONNECTIONS = 4
PROCESS_HELPER_MIN_BYTES = 32 << 20  # a SQLite file (with its WAL) at least this big

# The first statement fixes the snapshot for the whole transaction; the next two make the text
# that ``text_read`` renders exact and parseable (ISO timestamps, shortest exact floats); the
# last two keep each chunk's query on its own process (the read already uses one connection
# per core: parallel workers only crowd the cores) and uncompiled (JIT took 15 ms a chunk).
_PG_ISOLATION = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_PG_SETTINGS = (
    "SET LOCAL DateStyle TO 'ISO, YMD'",
    "SET LOCAL extra_float_digits TO 1",
    "SET LOCAL max_parallel_workers_per_gather TO 0",
    "SET LOCAL jit TO off",
)

# The main DBAPI connection and the helpers: SQLite reader processes, psycopg connections.
Group = tuple[Any, list[Any]]


def default_connections(engine: Engine) -> int:
    """One connection per core (at most ``MAX_CONNECTIONS``): PostgreSQL renders the text in
    its server processes, SQLite's helpers are processes of their own (``sqlite_process``)."""
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


def _file_bytes(engine: Engine) -> int:
    """The database file's size with its WAL (0 in memory or when there is no file)."""
    database = engine.url.database
    if database in (None, "", ":memory:") or str(database).startswith("file:"):
        return 0
    total = 0
    for path in (Path(database), Path(f"{database}-wal")):
        try:
            total += path.stat().st_size
        except OSError:  # no WAL file, or no file yet
            continue
    return total


def _join_all(helpers: list[SqliteProcess]) -> list[SqliteProcess]:
    """The helpers that began their read in time (all asked at once, one deadline), while the
    caller holds the gate; the others are ended."""
    asked, joined = [], []
    for helper in helpers:
        try:
            helper.request_begin()
            asked.append(helper)
        except HelperError as exc:
            logger.warning("analytics: a SQLite reader process cannot join the snapshot: %s", exc)
            helper.close()
    deadline = time.monotonic() + BEGIN_TIMEOUT_S
    for helper in asked:
        try:
            helper.await_begun(deadline - time.monotonic())
            joined.append(helper)
        except HelperError as exc:
            logger.warning("analytics: a SQLite reader process cannot join the snapshot: %s", exc)
            helper.close()
    return joined


@contextmanager
def sqlite_group(engine: Engine, helpers: int) -> Iterator[Group]:
    """The main connection and up to ``helpers`` reader processes, all in one snapshot (the
    helpers only for a file of at least ``PROCESS_HELPER_MIN_BYTES``)."""
    with ExitStack() as stack:
        main = _checkout(engine, stack)
        others: list[Any] = []
        size = _file_bytes(engine)
        if helpers > 0 and size and size >= PROCESS_HELPER_MIN_BYTES:
            started = start_helpers(str(engine.url.database), helpers)
            for helper in started:
                stack.callback(helper.close)
            with _sqlite_gate(engine) as held:
                _sqlite_begin(main, stack)
                others = _join_all(started) if held else []
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
