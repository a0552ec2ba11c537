"""Benchmark of the analytics dashboard at scale, on SQLite and PostgreSQL, against pandas.

For each backend: synthetic data (``python -m core synth``'s generator; its time is reported
apart and not counted), settled (``settle``: WAL checkpoint / VACUUM ANALYZE, also apart), then
- code_load_s: ``chart_plan.load_code``, what the app does once when it starts (with its
  warm-up): the lazy first use of plotly's figure classes, DuckDB's pandas conversion and
  Arrow's CSV reader (about 0.1 s), which belong to the process, not to the data;
- cold: a new AnalyticsService computing the full dashboard (every chart's data and plotly
  figure), including reading the tables out of the database into DuckDB; split into
  load (read + DuckDB) and compute (queries + figures). The copy is then saved to its file on
  a background thread (the dashboard does not wait for it): ``save_s``, waited for before
  the next step;
- warm: the same request again (fingerprint check + cache hit), best of 5;
- recompute: another pass threshold (cache miss, copy already loaded), best of 3;
- incremental: one new proctoring event and one human override, then the dashboard;
- restart_cold: a new service on the copy saved in its DuckDB file (what the app does after a
  restart): loading the file into memory, fingerprint, no delta, per-interview facts and
  every chart;
- cold_row_reader_s: at the end, the cold dashboard once more with the full read through the
  row reader (DBAPI ``fetchall`` / psycopg ``COPY``: the path before the database-rendered
  text), to compare within one run (it runs last, so imports and caches favour it);
- pandas: the same aggregations in pandas (core.analytics.reference) on the same data, against
  the DuckDB queries alone (no figures), best of 3 each; ratio = pandas / DuckDB.
The machine's load average is printed (other processes share the cores).

    .venv/bin/python bench/analytics.py [--interviews 100000] [--backends sqlite,postgres]

PostgreSQL: INTERVISTA_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/
test); a dedicated schema is created and dropped. The last line printed is JSON.
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

from core.analytics import queries_scores, reference  # noqa: E402
from core.analytics.chart_plan import load_code  # noqa: E402
from core.analytics.dashboard import AnalyticsService, run_queries  # noqa: E402
from core.analytics.filters import DashboardRequest  # noqa: E402
from core.analytics.synthetic import generate  # noqa: E402
from core.analytics.tables import ALL_TABLES  # noqa: E402
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
            names = [t.name for t in ALL_TABLES] + ["interview_questions"]
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
        started = time.perf_counter()
        cold = service.dashboard(request, now)
        result["cold_s"] = time.perf_counter() - started
        result["cold_compute_s"] = cold.seconds
        result["cold_load_s"] = result["cold_s"] - cold.seconds
        result["charts"] = len(cold.charts)
        service.store.wait_saved()  # the copy's save to its file, begun after the dashboard
        result["save_s"] = service.store.last_save_seconds
        result["warm_s"] = best_of(5, lambda: service.dashboard(request, now))
        thresholds = iter(range(50, 100))
        result["recompute_s"] = best_of(
            3, lambda: service.dashboard(DashboardRequest(pass_threshold=next(thresholds)), now)
        )
        touch_data(db, now)
        started = time.perf_counter()
        refresh = service.store.refresh()
        result["incremental_refresh_s"] = time.perf_counter() - started
        result["incremental_rows"] = refresh.rows_read
        result["incremental_dashboard_s"] = (
            best_of(1, lambda: service.dashboard(request, now)) + result["incremental_refresh_s"]
        )
        result.update(compare_with_pandas(service, request, now))
    finally:
        service.close()
    restarted = AnalyticsService(db.engine, path=copy_file)  # the copy kept in its file
    try:
        started = time.perf_counter()
        restarted.dashboard(request, now)
        result["restart_cold_s"] = time.perf_counter() - started
    finally:
        restarted.close()
    result["cold_row_reader_s"] = cold_with_row_reader(db, request, now, copy_file)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def cold_with_row_reader(
    db: Database, request: DashboardRequest, now: datetime, copy_file: Path
) -> float:
    """The cold dashboard with the full read through the row reader, on a new, empty copy."""
    older = AnalyticsService(db.engine, path=copy_file.with_name("row-reader.duckdb"))
    older.store.text_reads = False
    try:
        started = time.perf_counter()
        older.dashboard(request, now)
        return time.perf_counter() - started
    finally:
        older.close()
        copy_file.with_name("row-reader.duckdb").unlink(missing_ok=True)


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
    summary["targets"] = {"cold_s": 2.0, "warm_s": 0.2, "pandas_over_duckdb": 3.0}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
