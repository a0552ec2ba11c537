"""When the analytics copy is saved to its file (``persist`` says how): at once after a full
read, else at most every ``SAVE_INTERVAL_SECONDS`` while it changes, one save at a time, on a
background thread that the interpreter joins when it exits (a save under way finishes; a thread
is never cut off inside DuckDB)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import Engine

from core.analytics import persist
from core.clock import Clock

logger = logging.getLogger(__name__)
SAVE_INTERVAL_SECONDS = 60.0
# Saves run here, one at a time (any store).
_SAVES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics-save")


class CopySaver:
    """When and how one store's copy is saved to ``path``: at once after a full read, else at
    most every ``interval`` seconds, one save at a time on a background thread."""

    def __init__(self, path: Path, engine: Engine, clock: Clock, interval: float) -> None:
        self.path = path
        self.engine = engine
        self.clock = clock
        self.interval = interval
        self.saved_version = 0  # the store's version that the file holds
        self.seconds: float | None = None  # how long the last save took
        self._at: float | None = None  # when the last save began (or the copy was loaded)
        self._full_unsaved = False
        self._future: Future[None] | None = None

    def load(self, con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
        persist.remove_stale_temporaries(self.path)
        return persist.load(con, self.path, self.engine)

    def loaded(self, version: int) -> None:
        self.saved_version, self._at = version, self.clock.monotonic()

    def full_read(self) -> None:
        self._full_unsaved = True

    @property
    def busy(self) -> bool:
        return self._future is not None and not self._future.done()

    def begin(
        self, con: duckdb.DuckDBPyConnection, position: dict[str, Any], version: int, *, force: bool
    ) -> persist.PendingSave | None:
        """A pinned save of the copy if one is due (the caller holds the store's lock, so the
        position matches the copy)."""
        if version == self.saved_version or self.busy:
            return None
        now = self.clock.monotonic()
        due = self._at is None or now - self._at >= self.interval
        if not (force or self._full_unsaved or due):
            return None
        self._full_unsaved, self._at = False, now
        return persist.begin_save(con, self.path, self.engine, position, version)

    def start(self, pending: persist.PendingSave) -> Future[None] | None:
        """``write`` on the saving thread (joined when the interpreter exits, so a save under
        way finishes); None when the process is already ending (the pinned save is dropped)."""
        try:
            self._future = _SAVES.submit(self.write, pending)
        except RuntimeError:  # the interpreter is shutting down
            pending.discard()
            logger.info("analytics copy not saved: the process is ending")
            return None
        return self._future

    def write(self, pending: persist.PendingSave) -> None:
        """Write a pinned save (the saving thread, or ``close``'s); a failure is logged and
        the copy stays in memory (the next save is tried after the interval)."""
        started = time.perf_counter()
        try:
            pending.write()
        except Exception:
            logger.warning("analytics copy not saved to %s", self.path, exc_info=True)
            return
        self.seconds = time.perf_counter() - started
        self.saved_version = max(self.saved_version, pending.version)
        logger.info("analytics copy saved to %s in %.2f s", self.path, self.seconds)

    def wait(self, timeout: float | None = None) -> None:
        if self._future is not None:
            wait([self._future], timeout)
