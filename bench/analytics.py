"""Benchmark of the analytics dashboard at scale, on SQLite and PostgreSQL, against pandas.

For each backend: synthetic data (``python -m core synth``'s generator, change record included;
its time is reported apart and not counted), settled (``settle``: WAL checkpoint / VACUUM
ANALYZE, also apart), then
- code_load_s: ``chart_plan.load_code``, what the app does once when it starts (with its
  warm-up): the first use of plotly's figure classes and DuckDB's pandas conversion;
- first_build_s: the first-ever copy, a full read, built in the background
  (``AnalyticsService.start_warm_up``, as the app does at sign-in) until it is ready;
  meanwhile a page asks ``prepare`` every 50 ms: ``page_wait_max_s`` is the longest such call
  (a page is never blocked: it shows that the copy is being prepared);
- first_dashboard_s: the first dashboard once the copy is ready (every chart's data and figure);
  the copy is then saved to its file in the background (``save_s``, waited for);
- warm_s: the same request again (change check + cache hit), best of 5;
- recompute_s: another pass threshold (cache miss, copy already loaded), best of 3;
- after_100_interviews_s: 100 new interviews written (with their answers, events and code), then
  the dashboard: the refresh reads only the recorded changes (``incremental_rows``);
- touch_s: one new proctoring event and one human override, then the dashboard;
- restart_s: a new service on the copy saved in its file: loading it, the changes after its
  position, every chart;
- pandas: the same aggregations in pandas (``bench/pandas_reference.py``) on the same data,
  against the DuckDB queries alone (no figures), best of 3 each; ratio = pandas / DuckDB.
The machine's load average is printed (other processes share the cores).

    .venv/bin/python bench/analytics.py [--interviews 100000] [--backends sqlite,postgres]

PostgreSQL: INTERVISTA_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/
test); a dedicated schema is created and dropped. The last line printed is JSON, with the
targets and whether each backend meets them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pandas_reference as reference  # noqa: E402
from core.analytics import queries_scores  # noqa: E402
from core.analytics.chart_plan import load_code  # noqa: E402
from core.analytics.dashboard import AnalyticsService, run_queries  # noqa: E402
from core.analytics.filters import DashboardRequest  # noqa: E402
from core.analytics.tables import ALL_TABLES  # noqa: E402
from core.cli.synth.generate import generate  # noqa: E402
from core.db.engine import Database  # noqa: E402
from core.db.migrate import upgrade_to_head  # noqa: E402
from core.db.models import InterviewResponse, ProctorEvent  # noqa: E402
from core.domain import ProctorEventKind, Severity  # noqa: E402
from core.review import judgement  # noqa: E402

logger = logging.getLogger("bench.analytics")
POSTGRES_URL = os.environ.get(
    "INTERVISTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def best_of(n: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def postgres_database() -> Iterator[Database]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = Database(POSTGRES_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    db = Database(url.render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def settle(db: Database) -> None:
    """Bring the freshly bulk-loaded database to a steady state, as a running app's is: SQLite's
    WAL checkpointed (else every read looks pages up in a WAL of the whole data set), PostgreSQL
    vacuumed and analyzed (else the first scan of each new row sets its hint bits, a cost that
    falls on whichever read comes first, and the planner has no statistics)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:  # the tables the copy reads, in the bench's schema only
            names = [t.name for t in ALL_TABLES] + ["interview_questions", "changes"]
            conn.exec_driver_sql("VACUUM ANALYZE " + ", ".join(f'"{n}"' for n in names))


def touch_data(db: Database, now: datetime) -> None:
    """One new proctoring event and one human override (what a live system does)."""
    with db.write() as s:
        first = s.scalars(select(ProctorEvent).limit(1)).one()
        s.add(
            ProctorEvent(
                interview_id=first.interview_id,
                kind=ProctorEventKind.PHONE,
                severity=Severity.CRITICAL,
                started_at=now,
            )
        )
        response_id = s.scalars(
            select(InterviewResponse.id).where(InterviewResponse.score.is_not(None)).limit(1)
        ).one()
    judgement.override_score(
        db, response_id=response_id, score=7.5, reason="benchmark override", actor_id=None, now=now
    )  # type: ignore[arg-type]


def first_build(service: AnalyticsService) -> tuple[float, float]:
    """The first-ever copy built in the background; (seconds until ready, longest page call)."""
    started = time.perf_counter()
    warming = service.start_warm_up()
    assert warming is not None
    page_wait = 0.0
    while not warming.done():
        asked = time.perf_counter()
        service.prepare(wait_s=0.0)  # what the page does: never waits for the build
        page_wait = max(page_wait, time.perf_counter() - asked)
        time.sleep(0.05)
    if warming.result() < 0:
        raise RuntimeError("the first build failed (see the log)")
    return time.perf_counter() - started, page_wait


def measure(db: Database, interviews: int, seed: int, copy_file: Path) -> dict[str, Any]:
    upgrade_to_head(db.engine)
    now = datetime.now(UTC)
    report = generate(db, interviews, seed, now)
    result: dict[str, Any] = {"generate_s": round(report.seconds, 2), "rows": report.rows}
    started = time.perf_counter()
    settle(db)
    result["settle_s"] = time.perf_counter() - started
    request = DashboardRequest()
    result["code_load_s"] = load_code()  # as the app does when it starts (see the docstring)
    service = AnalyticsService(db.engine, path=copy_file)
    try:
        result["first_build_s"], result["page_wait_max_s"] = first_build(service)
        service.store.wait_saved()  # the copy's save to its file, begun after the build
        result["save_s"] = service.store.last_save_seconds
        started = time.perf_counter()
        first = service.dashboard(request, now)
        result["first_dashboard_s"] = time.perf_counter() - started
        result["charts"] = len(first.charts)
        result["warm_s"] = best_of(5, lambda: service.dashboard(request, now))
        thresholds = iter(range(50, 100))
        result["recompute_s"] = best_of(
            3, lambda: service.dashboard(DashboardRequest(pass_threshold=next(thresholds)), now)
        )
        service.store.wait_saved()
        result["generate_100_s"] = generate(db, 100, seed + 1, now).seconds
        version = service.store.version
        started = time.perf_counter()
        after = service.dashboard(request, now)
        result["after_100_interviews_s"] = time.perf_counter() - started
        assert service.store.version == version + 1 and after.headline.interviews > 0
        last = service.store.last_refresh
        assert last is not None and last.changed and not last.full
        result["incremental_rows"] = last.rows_read
        result["incremental_refresh_s"] = last.seconds
        result["incremental_charts_s"] = after.seconds  # the rest: per-interview facts
        service.store.wait_saved()
        touch_data(db, now)
        started = time.perf_counter()
        refresh = service.store.refresh()
        result["touch_refresh_s"] = time.perf_counter() - started
        result["touch_rows"] = refresh.rows_read
        result["touch_s"] = (
            best_of(1, lambda: service.dashboard(request, now)) + result["touch_refresh_s"]
        )
        result.update(compare_with_pandas(service, request, now))
    finally:
        service.close()
    restarted = AnalyticsService(db.engine, path=copy_file)  # the copy kept in its file
    try:
        started = time.perf_counter()
        restarted.dashboard(request, now)
        result["restart_s"] = time.perf_counter() - started
    finally:
        restarted.close()
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def compare_with_pandas(
    service: AnalyticsService, request: DashboardRequest, now: datetime
) -> dict[str, float]:
    as_of = now.replace(minute=0, second=0, microsecond=0)

    def duck() -> None:
        with service.store.lock:
            con = service.store.cursor()
            queries_scores.build_interview_facts(con)
            try:
                queries_scores.select_interviews(con, request.filters, as_of)
                queries_scores.headline(con, request.pass_threshold)
                run_queries(con, request)
            finally:
                con.close()

    frames = service.store.frames()
    duck_s = best_of(3, duck)
    pandas_s = best_of(
        3, lambda: reference.compute(frames, request.pass_threshold, as_of, request.questions)
    )
    return {
        "duckdb_queries_s": duck_s,
        "pandas_s": pandas_s,
        "pandas_over_duckdb": pandas_s / duck_s,
    }


# The targets: at most (seconds), or at least (the pandas ratio).
TARGETS = {
    "warm_s": 0.2,
    "after_100_interviews_s": 0.5,
    "first_build_s": 5.0,
    "pandas_over_duckdb": 3.0,
}


def met(key: str, limit: float, value: Any) -> bool | None:
    if not isinstance(value, int | float):
        return None
    return value >= limit if key == "pandas_over_duckdb" else value <= limit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backends = {"sqlite": sqlite_database, "postgres": postgres_database}
    summary: dict[str, Any] = {
        "interviews": args.interviews,
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    for name in args.backends.split(","):
        if name not in backends:
            parser.error(f"unknown backend {name!r} (sqlite, postgres)")
        try:
            with backends[name]() as db, tempfile.TemporaryDirectory() as folder:
                figures = measure(db, args.interviews, args.seed, Path(folder) / "copy.duckdb")
        except Exception as exc:  # a missing PostgreSQL server must not hide the SQLite figures
            logger.exception("%s failed", name)
            figures = {"error": f"{type(exc).__name__}: {exc}"}
        summary[name] = figures
        print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items() if k != "rows"))
        print(f"{name} rows: {figures.get('rows')}")
    summary["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    summary["targets"] = TARGETS
    summary["met"] = {
        name: {key: met(key, limit, summary[name].get(key)) for key, limit in TARGETS.items()}
        for name in args.backends.split(",")
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
