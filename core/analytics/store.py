"""The in-memory DuckDB copy of the operational tables, refreshed by fingerprint.

A fingerprint is one cheap query (primary-key maxima, the audit log's and the evaluations' last
ids, one count) plus the few rows of the small tables, and the interviews' ``max(updated_at)``
(an index lookup since migration 0002; it can be rate-limited). When it changes, only the
delta is read: new ids, interviews changed since the last ``updated_at``, the responses of those
interviews and the responses named by new audit entries (every human override and review action
writes one), with a look-back of the last 1000 ids. A deleted interview (the only way rows
disappear: ON DELETE CASCADE) makes the counts differ, and everything is read again. A full
read (``RowReader.iter_tables``) may use several connections in one snapshot.
``version`` goes up whenever the copy changed; caches key on it. The copy is a DuckDB database
in memory; given a ``path``, it is also saved to that file and read back after a restart
(``persist``).

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine

from core.analytics import persist, saving, snapshot
from core.analytics.fingerprint import (
    UPDATED_LOOKBACK_SECONDS,
    UPDATED_SQL,
    Fingerprint,
    cheap_fingerprint_sql,
    delta_where,
)
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

logger = logging.getLogger(__name__)

ID_LOOKBACK = 1000


@dataclass(frozen=True)
class RefreshReport:
    changed: bool
    full: bool
    rows_read: int
    seconds: float


class AnalyticsStore:
    """Owns one DuckDB database in memory (saved to a file when given a ``path``).
    Thread-safe: refreshes and reads take ``lock``."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        updated_recheck_seconds: float = 0.0,
        path: Path | None = None,
        id_lookback: int = ID_LOOKBACK,
        updated_lookback_seconds: float = UPDATED_LOOKBACK_SECONDS,
        read_connections: int | None = None,
        save_interval_seconds: float = saving.SAVE_INTERVAL_SECONDS,
    ) -> None:
        """``updated_recheck_seconds``: how often the ``max(updated_at)`` part of the
        fingerprint runs when nothing else changed (default 0: every time, an index lookup); an
        interview-only change (a candidate starting) shows after at most this long. New rows,
        overrides and evaluations show at once (primary keys, the audit log, the evaluations).
        ``path``: save the copy in this DuckDB file (see ``persist``) so that a restart reads
        only the delta: after a full read at once, else at most every ``save_interval_seconds``
        (on a background thread, after the caller's work: ``save_if_due``), and on ``close``.
        ``id_lookback``: how many ids below the last seen each delta reads again;
        ``updated_lookback_seconds``: how far before the last seen ``updated_at`` it looks (a
        transaction stamps ``updated_at`` at flush and may commit later).
        ``read_connections``: connections a full read uses in parallel, in one snapshot
        (default: ``snapshot.default_connections``)."""
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.updated_recheck_seconds = updated_recheck_seconds
        self.id_lookback = id_lookback
        self.updated_lookback_seconds = updated_lookback_seconds
        self.read_connections = max(1, read_connections or snapshot.default_connections(engine))
        # False: full reads through the row reader, as before the text path (for comparison in
        # bench/analytics.py only).
        self.text_reads = True
        self._updated_checked_at: float | None = None
        self.lock = threading.RLock()
        self.version = 0
        self._duck = duckdb.connect(":memory:")
        self._fingerprint: Fingerprint | None = None
        self._small: dict[str, pa.Table] = {}
        self.persistent = path is not None
        self._saver = (
            None
            if path is None
            else saving.CopySaver(path, engine, self.clock, save_interval_seconds)
        )
        self._load_pending = path is not None
        self._closing = False  # set by close(): no save may start any more

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
            fingerprint = None if saved is None else Fingerprint(**saved)
        except (OSError, TypeError, ValueError):  # a fingerprint of other fields: read it all
            logger.warning("analytics copy file not used", exc_info=True)
            return
        if fingerprint is not None and self._has_tables():
            self._fingerprint = fingerprint
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
        if self._saver is None or self._fingerprint is None:
            return None
        return self._saver.begin(self._duck, self._fingerprint, self.version, force=force)

    # -- fingerprint -------------------------------------------------------------------------
    def _take_fingerprint(self, reader: RowReader) -> Fingerprint:
        row = reader.row(cheap_fingerprint_sql())
        small = {t.name: reader.read(t) for t in SMALL_TABLES}
        digest = hashlib.sha256()
        for name, table in small.items():
            digest.update(name.encode())
            digest.update(repr(table.to_pydict()).encode())
        self._small = small
        current = Fingerprint(
            interviews_count=int(row[0]),
            audit_max_id=int(row[1]),
            evaluations_max_id=int(row[2]),
            max_ids=tuple((t.name, int(v)) for t, v in zip(BIG_TABLES, row[3:], strict=True)),
            small_digest=digest.hexdigest(),
        )
        previous = self._fingerprint
        now = self.clock.monotonic()
        due = (
            self._updated_checked_at is None
            or now - self._updated_checked_at >= self.updated_recheck_seconds
        )
        if previous is None or previous.cheap_part() != current.cheap_part() or due:
            self._updated_checked_at = now
            return replace(current, interviews_updated=reader.row(UPDATED_SQL)[0])
        return replace(current, interviews_updated=previous.interviews_updated)

    # -- refresh -----------------------------------------------------------------------------
    def refresh(self) -> RefreshReport:
        """Bring the copy up to date with the database (the caller's thread; blocking). A full
        read spreads over ``read_connections`` connections in one snapshot (worker threads)."""
        started = time.perf_counter()
        with self.lock:
            if self._load_pending:
                self._load_saved()
            full = self._fingerprint is None or not self._has_tables()
            with open_reader(self.engine, self.read_connections - 1 if full else 0) as reader:
                return self._refresh(reader, started)

    def _refresh(self, reader: RowReader, started: float) -> RefreshReport:
        previous = self._fingerprint
        current = self._take_fingerprint(reader)
        if previous == current:
            return RefreshReport(False, False, 0, time.perf_counter() - started)
        for spec in SMALL_TABLES:
            self._replace(spec, self._small[spec.name])
        if previous is None or not self._has_tables():
            rows = self._replace_all(reader)
        else:
            rows = self._apply_delta(reader, previous, current)
        self._fingerprint = current
        self.version += 1
        seconds = time.perf_counter() - started
        logger.info("analytics copy refreshed: %d rows in %.3f s", rows, seconds)
        return RefreshReport(True, previous is None, rows, seconds)

    def _replace_all(self, reader: RowReader) -> int:
        """Every big table read again; each is stored while the next ones are still read."""
        if self._saver is not None:
            self._saver.full_read()  # worth saving at once, not after the interval
        if not self.text_reads:
            return sum(self._replace(spec, reader.read(spec)) for spec in BIG_TABLES)
        # closing(): on an error here the read's threads are joined before the connections
        # are rolled back and returned, not whenever the generator happens to be collected.
        with closing(reader.iter_tables(BIG_TABLES)) as tables:
            return sum(self._replace(spec, table) for spec, table in tables)

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
        self._duck.register("stage", table)
        try:
            self._duck.execute(f'DELETE FROM "{spec.name}" WHERE id IN (SELECT id FROM stage)')  # noqa: S608
            self._duck.execute(f'INSERT INTO "{spec.name}" SELECT {duck_select(spec)} FROM stage')  # noqa: S608
        finally:
            self._duck.unregister("stage")
        return table.num_rows

    def _delta_where(self, spec: TableSpec, previous: Fingerprint) -> tuple[str, dict[str, Any]]:
        return delta_where(spec, previous, self.id_lookback, self.updated_lookback_seconds)

    def _apply_delta(self, reader: RowReader, previous: Fingerprint, current: Fingerprint) -> int:
        """Upsert what changed. Rows go away only with their interview (ON DELETE CASCADE) or
        its candidate, so when the copy's interview count differs from the database's after
        the delta, everything is read again."""
        rows = self._upsert(
            INTERVIEWS, reader.read(INTERVIEWS, *self._delta_where(INTERVIEWS, previous))
        )
        if self._count(INTERVIEWS.name) != current.interviews_count:
            logger.info("analytics: interviews were deleted; reading everything again")
            return self._replace_all(reader)
        for spec in BIG_TABLES:
            if spec is not INTERVIEWS:
                rows += self._upsert(spec, reader.read(spec, *self._delta_where(spec, previous)))
        return rows

    def _has_tables(self) -> bool:
        names = {row[0] for row in self._duck.execute("SHOW TABLES").fetchall()}
        return all(t.name in names for t in ALL_TABLES)

    def _count(self, table: str) -> int:
        rows = self._duck.execute(f'SELECT count(*) FROM "{table}"').fetchall()  # noqa: S608
        return int(rows[0][0])

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table of the copy as a pandas DataFrame (for the pandas baseline)."""
        with self.lock:
            return {t.name: self._duck.table(t.name).df() for t in ALL_TABLES}

    def counts(self) -> dict[str, int]:
        """Rows per table in the copy (after a refresh)."""
        with self.lock:
            return {t.name: self._count(t.name) for t in ALL_TABLES}
