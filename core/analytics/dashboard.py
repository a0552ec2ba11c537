"""The dashboard: every chart's data and figure for one request, cached by data version.

``AnalyticsService`` is shared by all sessions of the app (one per process). Each call applies
the changes recorded since the last one (``AnalyticsStore.refresh``); when nothing changed and
the same request was computed before, the cached ``Dashboard`` is returned without touching
DuckDB. The first-ever copy (a full read) is built on a background thread (``start_warm_up``);
a page asks ``prepare`` first and shows that the copy is being prepared meanwhile.
Calls run on the caller's thread (some charts on a worker thread, ``compute_charts``) and are
serialized by the store's lock; a save of the copy that is due follows on another thread.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.analytics import queries_scores as qs
from core.analytics.chart_plan import SECTIONS, Chart, compute_charts, load_code, run_queries
from core.analytics.filters import DashboardRequest
from core.analytics.store import AnalyticsStore, CopyNotReady
from core.clock import Clock

logger = logging.getLogger(__name__)
# More interviews changed than this since the facts were built: build them all again.
FACTS_UPDATE_LIMIT = 20_000
_WARM_UPS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics-warm-up")
__all__ = ["SECTIONS", "AnalyticsService", "Chart", "Dashboard", "FilterOptions", "run_queries"]


@dataclass(frozen=True)
class Headline:
    interviews: int
    completed: int
    scored: int
    mean_score: float | None
    pass_rate: float | None
    overridden: int
    no_shows: int
    median_minutes: float | None


@dataclass(frozen=True)
class Dashboard:
    request: DashboardRequest
    headline: Headline
    charts: tuple[Chart, ...]
    data_version: int
    seconds: float

    @property
    def is_empty(self) -> bool:
        return self.headline.interviews == 0

    def section(self, name: str) -> list[Chart]:
        return [c for c in self.charts if c.section == name]


@dataclass(frozen=True)
class FilterOptions:
    jobs: dict[int, str]
    templates: dict[int, str]
    first_day: date | None
    last_day: date | None


def _value(frame: pd.DataFrame, column: str) -> Any:
    value = frame[column].iloc[0]
    return None if pd.isna(value) else value


def _headline(frame: pd.DataFrame) -> Headline:
    mean, rate, minutes = (_value(frame, c) for c in ("mean_score", "pass_rate", "median_minutes"))
    return Headline(
        interviews=int(frame["interviews"].iloc[0]),
        completed=int(frame["completed"].iloc[0]),
        scored=int(frame["scored"].iloc[0]),
        mean_score=None if mean is None else float(mean),
        pass_rate=None if rate is None else float(rate),
        overridden=int(frame["overridden"].iloc[0]),
        no_shows=int(frame["no_shows"].iloc[0]),
        median_minutes=None if minutes is None else float(minutes),
    )


class AnalyticsService:
    """Dashboards for one database; keeps the DuckDB copy and the last few results."""

    def __init__(
        self,
        engine: Engine,
        *,
        cache_size: int = 16,
        clock: Clock | None = None,
        path: Path | None = None,
    ) -> None:
        """``path``: a DuckDB file that keeps the copy across restarts (None: in memory)."""
        self.store = AnalyticsStore(engine, clock=clock, path=path)
        self._warming: Future[float] | None = None
        self._options: tuple[int, FilterOptions] | None = None
        self._facts_version = -1
        self.facts_updates = {"full": 0, "incremental": 0}
        self._cache: OrderedDict[tuple[Any, ...], Dashboard] = OrderedDict()
        self._cache_size = cache_size

    def dashboard(self, request: DashboardRequest, now: datetime) -> Dashboard:
        """``now`` decides no-shows; it is rounded down to the hour for caching. A save of the
        copy that is due starts on a background thread once the dashboard is computed."""
        try:
            return self._dashboard(request, now)
        finally:
            self.store.save_if_due()

    def _dashboard(self, request: DashboardRequest, now: datetime) -> Dashboard:
        as_of = now.replace(minute=0, second=0, microsecond=0)
        with self.store.lock:
            self.store.refresh()
            self._ensure_facts()
            key = (self.store.version, request, as_of)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            started = time.perf_counter()
            con = self.store.cursor()
            try:
                qs.select_interviews(con, request.filters, as_of)
                head = _headline(qs.headline(con, request.pass_threshold))
                charts_ = (
                    tuple(compute_charts(con, request, self.store.cursor(), as_of))
                    if head.interviews
                    else ()
                )
            finally:
                con.close()
            result = Dashboard(
                request, head, charts_, self.store.version, time.perf_counter() - started
            )
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return result

    def _ensure_facts(self) -> None:
        """Bring the per-interview facts up to date with the copy (under the store's lock): for
        the interviews whose rows changed alone when the store knows which (an incremental
        refresh), else all of them (``facts_updates`` counts each way, for tests)."""
        if self._facts_version == self.store.version:
            return
        touched = self.store.take_touched()
        con = self.store.cursor()
        try:
            if self._facts_version < 0 or touched is None or len(touched) > FACTS_UPDATE_LIMIT:
                qs.build_interview_facts(con)
                self.facts_updates["full"] += 1
            else:
                qs.update_interview_facts(con, touched)
                self.facts_updates["incremental"] += 1
        finally:
            con.close()
        self._facts_version = self.store.version

    def options(self) -> FilterOptions:
        """Jobs, templates and the date span present in the data (for the filter widgets)."""
        with self.store.lock:
            self.store.refresh()
            if self._options is not None and self._options[0] == self.store.version:
                return self._options[1]
            con = self.store.cursor()
            try:
                jobs = con.execute(
                    "SELECT id, title || ' — ' || company FROM jobs ORDER BY title, id"
                ).fetchall()
                templates = con.execute(
                    "SELECT id, title FROM interview_templates ORDER BY title, id"
                ).fetchall()
                span = con.execute(
                    "SELECT CAST(min(d) AS DATE), CAST(max(d) AS DATE) FROM (SELECT "
                    "coalesce(scheduled_at, started_at, created_at) AS d FROM interviews "
                    "WHERE NOT is_practice)"
                ).fetchall()
            finally:
                con.close()
            first, last = span[0] if span else (None, None)
            options = FilterOptions(dict(jobs), dict(templates), first, last)
            self._options = (self.store.version, options)
        self.store.save_if_due()
        return options

    def prepare(self, wait_s: float = 0.0) -> bool:
        """Whether a page can have its dashboard now without waiting for a full read: the copy
        is there (and brought up to date, a few changes at most). Otherwise the full read is
        started in the background (``start_warm_up``, once) and waited for at most
        ``wait_s``; False: the page shows that the copy is being prepared."""
        warming = self._warming
        if warming is None or warming.done():
            if not self.store.lock.acquire(timeout=max(wait_s, 0.001)):
                return False  # a long refresh holds the copy
            try:
                self.store.refresh(allow_full=False)
                return True
            except CopyNotReady:
                pass
            finally:
                self.store.lock.release()
            warming = self.start_warm_up()
        if warming is None:
            return False
        try:
            return warming.result(wait_s) >= 0
        except FutureTimeout:
            return False

    def warm_up(self) -> float:
        """Load the chart code (``load_code``), bring the copy up to date and build the
        per-interview facts; returns the seconds it took. What the first dashboard would do,
        so a user who opens it later waits less. Runs on the caller's thread
        (``start_warm_up``: a background one)."""
        started = time.perf_counter()
        load_code()
        with self.store.lock:
            self.store.refresh()
            self._ensure_facts()
        seconds = time.perf_counter() - started
        self.store.save_if_due()
        try:
            self.store.prune_changes()
        except Exception:  # pruning is upkeep: the next warm-up tries again
            logger.warning("analytics: pruning the change record failed", exc_info=True)
        return seconds

    def start_warm_up(self) -> Future[float] | None:
        """``warm_up`` on a background thread (joined when the interpreter exits, never cut
        off inside DuckDB); a failure is logged (the dashboard will retry). None when the
        process is already ending. While one runs, its future is returned again."""
        if self._warming is not None and not self._warming.done():
            return self._warming

        def run() -> float:
            try:
                seconds = self.warm_up()
            except Exception:  # the page refreshes again and shows any error to its user
                logger.exception("analytics warm-up failed")
                return -1.0
            logger.info("analytics copy warmed up in %.2f s", seconds)
            return seconds

        try:
            self._warming = _WARM_UPS.submit(run)
        except RuntimeError:  # the interpreter is shutting down
            return None
        return self._warming

    def close(self) -> None:
        self.store.close()
