"""The in-memory DuckDB copy of the operational tables, refreshed from the change record.

Every write to a table the copy reads is recorded in ``changes`` in its own transaction
(``core.db.changes``). The copy remembers the last change id it applied (its ``Position``); a
refresh reads, in one read transaction, the changes after it: deleted rows are removed (with
the rows of a deleted interview or candidate, which the database removes by ON DELETE
CASCADE), upserted rows are read again as they are now, and jobs and templates (a few rows)
are read whole when one of them changed. Nothing changed: one index lookup.

A *full read* (every row of every table) happens when there is no copy yet, when changes the
copy never saw were pruned (``core.db.changes.prune`` keeps 7 days), or when more than
``FULL_READ_CHANGES`` changes are pending. It is what ``AnalyticsService.start_warm_up`` does
in the background; ``refresh(allow_full=False)`` raises ``CopyNotReady`` instead of doing one.

PostgreSQL hands out ids when a row is inserted, and transactions commit in any order: a change
id can become visible after a higher one was applied. Ids missing below the last applied one are
kept as *gaps* and read again at every refresh until they appear or are ``GAP_SECONDS`` old
(a rolled-back transaction leaves a gap forever; no write transaction of the app lasts an
hour). SQLite has a single writer: its ids appear in order.

``version`` goes up whenever the copy changed; caches key on it. Given a ``path``, the copy is
saved to that file with its position and read back after a restart (``persist``).

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine

from core.analytics import persist, saving
from core.analytics.readers import RowReader, open_reader
from core.analytics.tables import (
    ALL_TABLES,
    BIG_TABLES,
    INTERVIEWS,
    SMALL_TABLES,
    TableSpec,
    duck_select,
)
from core.clock import Clock, SystemClock
from core.db import changes

logger = logging.getLogger(__name__)

FULL_READ_CHANGES = 200_000  # more pending changes than this: read everything again
GAP_SECONDS = 3600.0
MAX_GAPS = 100  # gap ranges kept (the newest)
FULL_READ_GAP_SCAN = 10_000  # after a full read, the last ids checked for gaps
PRUNE_INTERVAL_SECONDS = 3600.0

Gap = tuple[int, int, float]  # first id, last id, when first missed (epoch seconds)


class CopyNotReady(RuntimeError):
    """The copy needs a full read, which ``refresh(allow_full=False)`` does not do."""


@dataclass(frozen=True)
class Position:
    """The last change id the copy applied, and ids below it not seen yet (``Gap``)."""

    last_id: int
    gaps: tuple[Gap, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"last_id": self.last_id, "gaps": [list(g) for g in self.gaps]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Position:
        gaps = tuple((int(a), int(b), float(t)) for a, b, t in data.get("gaps", []))
        return cls(int(data["last_id"]), gaps)


@dataclass(frozen=True)
class RefreshReport:
    changed: bool
    full: bool
    rows_read: int
    seconds: float


def missing_ranges(candidates: list[Gap], present: list[int]) -> list[Gap]:
    """The parts of the ``candidates`` ranges that hold none of the (sorted) ``present`` ids."""
    out: list[Gap] = []
    ids = iter(present)
    current = next(ids, None)
    for lo, hi, since in sorted(candidates):
        start = lo
        while current is not None and current <= hi:
            if current >= start:
                if current > start:
                    out.append((start, current - 1, since))
                start = current + 1
            current = next(ids, None)
        if start <= hi:
            out.append((start, hi, since))
    return out


def _window(position: Position) -> tuple[str, dict[str, Any]]:
    """The change rows after ``position`` (with its gaps), on ``changes c``."""
    params: dict[str, Any] = {"last": position.last_id}
    parts = ["c.id > :last"]
    for n, (lo, hi, _) in enumerate(position.gaps):
        parts.append(f"c.id BETWEEN :lo{n} AND :hi{n}")
        params[f"lo{n}"], params[f"hi{n}"] = lo, hi
    return "(" + " OR ".join(parts) + ")", params


class AnalyticsStore:
    """Owns one DuckDB database in memory (saved to a file when given a ``path``).
    Thread-safe: refreshes and reads take ``lock``."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        path: Path | None = None,
        save_interval_seconds: float = saving.SAVE_INTERVAL_SECONDS,
    ) -> None:
        """``path``: save the copy in this DuckDB file (see ``persist``) so that a restart reads
        only later changes: after a full read at once, else at most every
        ``save_interval_seconds`` (on a background thread, after the caller's work:
        ``save_if_due``), and on ``close``."""
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.lock = threading.RLock()
        self.version = 0
        self._duck = duckdb.connect(":memory:")
        self._position: Position | None = None
        self._pruned_at: float | None = None
        self.last_refresh: RefreshReport | None = None  # what the last refresh did
        # Interviews whose rows changed since ``take_touched`` was last called; None: unknown
        # (a full read or a loaded file since), so whatever depends on them is rebuilt whole.
        self._touched: set[int] | None = None
        self.persistent = path is not None
        self._saver = (
            None
            if path is None
            else saving.CopySaver(path, engine, self.clock, save_interval_seconds)
        )
        self._load_pending = path is not None
        self._closing = False  # set by close(): no save may start any more

    @property
    def position(self) -> Position | None:
        return self._position

    def take_touched(self) -> set[int] | None:
        """The ids of the interviews whose rows (the interview, its answers, events, code or
        comments) changed in the copy since the last call, deletes included; None when that is
        unknown (a full read, or the saved copy loaded). The caller holds ``lock``."""
        touched, self._touched = self._touched, set()
        return touched

    def _touch(self, interview_ids: Any) -> None:
        if self._touched is not None:
            self._touched.update(int(i) for i in interview_ids if i is not None)

    @property
    def ready(self) -> bool:
        """A copy is there (possibly behind the database); no full read is needed to use it
        unless changes it never saw were pruned."""
        return self._position is not None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB cursor (its own temp tables) on the copy; use it under ``lock``."""
        return self._duck.cursor()

    def close(self) -> None:
        """Save what the file lacks (on this thread), then close the copy."""
        with self.lock:
            self._closing = True  # no background save starts after this one is waited for
        self.wait_saved()
        if self._saver is not None:
            try:
                with self.lock:
                    pending = self.pin_save(force=True)
            except duckdb.Error:  # the copy is unusable: nothing worth saving
                logger.warning("analytics copy not saved on close", exc_info=True)
                pending = None
            if pending is not None:
                self._saver.write(pending)
        self._duck.close()

    # -- the saved copy (persist) --------------------------------------------------------------
    def _load_saved(self) -> None:
        """Once, on the first refresh (under ``lock``): the copy saved in ``path``, if any."""
        self._load_pending = False
        assert self._saver is not None
        try:
            saved = self._saver.load(self._duck)
            position = None if saved is None else Position.from_json(saved)
        except (OSError, TypeError, ValueError, KeyError):  # another form: read it all
            logger.warning("analytics copy file not used", exc_info=True)
            return
        if position is not None and self._has_tables():
            self._position = position
            self._touched = None
            self.version += 1
            self._saver.loaded(self.version)

    def save_if_due(self) -> Future[None] | None:
        """Start saving the copy on a background thread when the file lacks a full read, or
        lacks changes older than ``save_interval_seconds``; its future, or None. Called after
        a dashboard is computed, so the save does not delay it."""
        if self._saver is None or self._saver.busy:
            return None
        try:
            with self.lock:
                if self._closing:
                    return None
                pending = self.pin_save(force=False)
                return None if pending is None else self._saver.start(pending)
        except Exception:  # a save is never worth a dashboard: the next one tries again
            logger.warning("analytics copy: a save could not start", exc_info=True)
            return None

    def wait_saved(self, timeout: float | None = None) -> None:
        """Wait for a background save to end (tests, the benchmark, ``close``)."""
        if self._saver is not None:
            self._saver.wait(timeout)

    @property
    def saved_version(self) -> int:
        """The ``version`` of the copy in the file (0: none saved or loaded)."""
        return 0 if self._saver is None else self._saver.saved_version

    @property
    def last_save_seconds(self) -> float | None:
        return None if self._saver is None else self._saver.seconds

    def pin_save(self, *, force: bool) -> persist.PendingSave | None:
        """The copy as it is now, pinned for a save (``PendingSave.write``), if one is due or
        ``force``; the caller holds ``lock``."""
        if self._saver is None or self._position is None:
            return None
        position = self._position.to_json()
        return self._saver.begin(self._duck, position, self.version, force=force)

    # -- refresh -----------------------------------------------------------------------------
    def refresh(self, *, allow_full: bool = True) -> RefreshReport:
        """Bring the copy up to date with the database (the caller's thread; blocking).
        ``allow_full=False``: raise ``CopyNotReady`` where a full read would be needed."""
        started = time.perf_counter()
        with self.lock:
            if self._load_pending:
                self._load_saved()
            with open_reader(self.engine) as reader:
                report = self._refresh(reader, started, allow_full)
            self.last_refresh = report
            return report

    def _refresh(self, reader: RowReader, started: float, allow_full: bool) -> RefreshReport:
        head_row = reader.rows(
            "SELECT (SELECT max(id) FROM changes), (SELECT min(id) FROM changes)"
        )[0]
        head, oldest = int(head_row[0] or 0), head_row[1]
        previous = self._position
        full = (
            previous is None
            or not self._has_tables()
            or head < previous.last_id  # another database (or the record was emptied)
            or (oldest is not None and int(oldest) > previous.last_id + 1)  # pruned unseen
        )
        pending = 0
        if previous is not None and not full:
            window, params = _window(previous)
            count_sql = f"SELECT count(*) FROM changes c WHERE {window}"  # noqa: S608
            pending = int(reader.rows(count_sql, params)[0][0])
            full = pending > FULL_READ_CHANGES
        if full:
            if not allow_full:
                raise CopyNotReady("the analytics copy needs a full read")
            rows = self._replace_all(reader)
            self._position = self._full_read_position(reader, head)
        else:
            assert previous is not None
            if pending == 0:
                self._position = Position(previous.last_id, self._expired(previous.gaps))
                return RefreshReport(False, False, 0, time.perf_counter() - started)
            rows = self._apply_changes(reader, window, params)
            self._position = self._next_position(reader, previous, head, pending, window, params)
        self.version += 1
        seconds = time.perf_counter() - started
        logger.info("analytics copy refreshed: %d rows in %.3f s (full: %s)", rows, seconds, full)
        return RefreshReport(True, full, rows, seconds)

    # -- positions -----------------------------------------------------------------------------
    def _expired(self, gaps: tuple[Gap, ...] | list[Gap]) -> tuple[Gap, ...]:
        now = self.clock.now().timestamp()
        kept = [g for g in gaps if now - g[2] < GAP_SECONDS]
        return tuple(sorted(kept)[-MAX_GAPS:])

    def _full_read_position(self, reader: RowReader, head: int) -> Position:
        low = max(0, head - FULL_READ_GAP_SCAN)
        present = [
            int(r[0])
            for r in reader.rows("SELECT id FROM changes WHERE id > :low ORDER BY id", {"low": low})
        ]
        now = self.clock.now().timestamp()
        candidates = [(present[0] + 1, head, now)] if present else []
        return Position(head, self._expired(missing_ranges(candidates, present)))

    def _next_position(
        self,
        reader: RowReader,
        previous: Position,
        head: int,
        seen: int,
        window: str,
        params: dict[str, Any],
    ) -> Position:
        now = self.clock.now().timestamp()
        candidates = list(previous.gaps)
        if head > previous.last_id:
            candidates.append((previous.last_id + 1, head, now))
        expected = sum(hi - lo + 1 for lo, hi, _ in candidates)
        if seen == expected:  # every id there: no gap (the usual case)
            return Position(max(head, previous.last_id))
        sql = f"SELECT c.id FROM changes c WHERE {window} ORDER BY c.id"  # noqa: S608
        present = [int(r[0]) for r in reader.rows(sql, params)]
        gaps = self._expired(missing_ranges(candidates, present))
        return Position(max(head, previous.last_id), gaps)

    # -- reads ---------------------------------------------------------------------------------
    def _replace_all(self, reader: RowReader) -> int:
        """Every table read again."""
        if self._saver is not None:
            self._saver.full_read()  # worth saving at once, not after the interval
        self._touched = None
        rows = 0
        for spec in (*SMALL_TABLES, *BIG_TABLES):
            rows += self._replace(spec, reader.read(spec))
        return rows

    def _apply_changes(self, reader: RowReader, window: str, params: dict[str, Any]) -> int:
        """Deletes first (an id may be used again by a later insert), then upserts."""
        summary = reader.rows(
            f"SELECT DISTINCT c.table_name, c.op FROM changes c WHERE {window}",  # noqa: S608
            params,
        )
        if any(op == changes.DELETE for _, op in summary):
            deleted = reader.rows(
                f"SELECT c.table_name, c.row_id FROM changes c WHERE {window} "  # noqa: S608
                "AND c.op = 'delete'",
                params,
            )
            self._delete(deleted)
        upserted = {t for t, op in summary if op == changes.UPSERT}
        deleted_tables = {t for t, op in summary if op == changes.DELETE}
        rows = 0
        for spec in SMALL_TABLES:
            if spec.name in upserted | deleted_tables:
                rows += self._replace(spec, reader.read(spec))
        for spec in BIG_TABLES:
            if spec.name not in upserted:
                continue
            where = reader.in_subquery(
                f"{spec.alias}id",
                f"SELECT c.row_id FROM changes c WHERE {window} "  # noqa: S608
                "AND c.table_name = :table AND c.op = 'upsert'",
            )
            rows += self._upsert(spec, reader.read(spec, where, {**params, "table": spec.name}))
        return rows

    def _delete(self, deleted: list[tuple[Any, ...]]) -> None:
        """Remove deleted rows, and the rows of deleted interviews and candidates."""
        ids: dict[str, list[int]] = {}
        for table, row_id in deleted:
            ids.setdefault(str(table), []).append(int(row_id))
        interviews = ids.get(INTERVIEWS.name, [])
        if "candidates" in ids:
            self._duck.register("gone", pa.table({"id": pa.array(ids["candidates"], pa.int64())}))
            try:
                found = self._duck.execute(
                    "SELECT id FROM interviews WHERE candidate_id IN (SELECT id FROM gone)"
                ).fetchall()
            finally:
                self._duck.unregister("gone")
            interviews = interviews + [int(r[0]) for r in found]
        self._touch(interviews)
        for spec in BIG_TABLES:
            gone = list(ids.get(spec.name, []))
            if spec is INTERVIEWS:
                gone = interviews
            elif spec.per_interview and gone:
                self._touch(self._interviews_of(spec.name, gone))
            self._remove(spec.name, "id", gone)
            if spec.per_interview:
                self._remove(spec.name, "interview_id", interviews)

    def _interviews_of(self, table: str, row_ids: list[int]) -> list[int]:
        self._duck.register("rows_of", pa.table({"id": pa.array(row_ids, pa.int64())}))
        try:
            found = self._duck.execute(
                f'SELECT DISTINCT interview_id FROM "{table}" '  # noqa: S608
                "WHERE id IN (SELECT id FROM rows_of)"
            ).fetchall()
        finally:
            self._duck.unregister("rows_of")
        return [int(r[0]) for r in found if r[0] is not None]

    def _remove(self, table: str, column: str, values: list[int]) -> None:
        if not values:
            return
        self._duck.register("gone", pa.table({"id": pa.array(values, pa.int64())}))
        try:
            self._duck.execute(
                f'DELETE FROM "{table}" WHERE "{column}" IN (SELECT id FROM gone)'  # noqa: S608
            )
        finally:
            self._duck.unregister("gone")

    def _replace(self, spec: TableSpec, table: pa.Table) -> int:
        self._duck.register("stage", table)
        try:
            self._duck.execute(
                f'CREATE OR REPLACE TABLE "{spec.name}" AS SELECT {duck_select(spec)} FROM stage'  # noqa: S608
            )
        finally:
            self._duck.unregister("stage")
        return table.num_rows

    def _upsert(self, spec: TableSpec, table: pa.Table) -> int:
        if table.num_rows == 0:
            return 0
        if spec is INTERVIEWS:
            self._touch(table.column("id").to_pylist())
        elif spec.per_interview:
            # the interview a row belonged to before (a row may move) and belongs to now
            self._touch(self._interviews_of(spec.name, table.column("id").to_pylist()))
            self._touch(table.column("interview_id").to_pylist())
        self._duck.register("stage", table)
        try:
            self._duck.execute(f'DELETE FROM "{spec.name}" WHERE id IN (SELECT id FROM stage)')  # noqa: S608
            self._duck.execute(f'INSERT INTO "{spec.name}" SELECT {duck_select(spec)} FROM stage')  # noqa: S608
        finally:
            self._duck.unregister("stage")
        return table.num_rows

    def _has_tables(self) -> bool:
        names = {row[0] for row in self._duck.execute("SHOW TABLES").fetchall()}
        return all(t.name in names for t in ALL_TABLES)

    def _count(self, table: str) -> int:
        rows = self._duck.execute(f'SELECT count(*) FROM "{table}"').fetchall()  # noqa: S608
        return int(rows[0][0])

    # -- upkeep ----------------------------------------------------------------------------------
    def prune_changes(self) -> int:
        """Remove changes older than ``core.db.changes.KEEP`` (at most once an hour per store;
        the warm-up calls it, on its background thread). How many rows went."""
        now = self.clock.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_INTERVAL_SECONDS:
            return 0
        self._pruned_at = now
        with self.engine.begin() as connection:
            return changes.prune(connection, self.clock.now())

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table of the copy as a pandas DataFrame (for the pandas baseline)."""
        with self.lock:
            return {t.name: self._duck.table(t.name).df() for t in ALL_TABLES}

    def counts(self) -> dict[str, int]:
        """Rows per table in the copy (after a refresh)."""
        with self.lock:
            return {t.name: self._count(t.name) for t in ALL_TABLES}
