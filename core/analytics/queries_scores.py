"""DuckDB queries: the filtered selection, headline numbers, scores and the hiring funnel.

Every function takes a DuckDB cursor on which ``select_interviews`` made the temp table ``sel``
(one row per interview that passes the filters) and returns a pandas DataFrame.

Definitions (docs/analytics.md):
- effective response score = the human override where one is set, else the evaluator's score;
- interview score (%) = 10 x mean effective score of its scored responses, completed only;
- a pass = interview score >= the threshold;
- reviewed = completed and (a decision, an overridden response or a review comment);
- no-show = scheduled time passed, never started, not cancelled.

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd
import pyarrow as pa

from core.analytics.filters import AnalyticsFilters
from core.proctor.warning_count import warning_sql

SCORE_BIN = 10  # percent


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


_TOUCHED = "touched_interviews"  # a registered table of ``id``: the interviews to update
_ONLY_TOUCHED = "interview_id IN (SELECT id FROM touched_interviews)"


def _facts_query(*, touched_only: bool = False) -> str:
    """The per-interview facts, for every interview or for the ``_TOUCHED`` ones alone."""
    keep = f"WHERE {_ONLY_TOUCHED}" if touched_only else ""
    also = f"AND {_ONLY_TOUCHED}" if touched_only else ""
    return f"""
        WITH scored AS (
            SELECT interview_id,
                   avg(coalesce(override_score, score)) AS mean_score,
                   count(coalesce(override_score, score)) AS n_scored,
                   bool_or(override_score IS NOT NULL) AS any_override
            FROM interview_responses {keep} GROUP BY interview_id
        ),
        warned AS (
            SELECT interview_id, count(*) AS warnings,
                   count(*) FILTER (WHERE severity = 'critical') AS critical
            FROM proctor_events WHERE {warning_sql()} {also}
            GROUP BY interview_id
        ),
        commented AS (SELECT DISTINCT interview_id FROM review_comments {keep})
        SELECT i.id AS interview_id, s.mean_score, s.n_scored,
               coalesce(s.any_override, false) AS any_override,
               coalesce(w.warnings, 0) AS warnings, coalesce(w.critical, 0) AS critical,
               m.interview_id IS NOT NULL AS commented
        FROM interviews i
        LEFT JOIN scored s ON s.interview_id = i.id
        LEFT JOIN warned w ON w.interview_id = i.id
        LEFT JOIN commented m ON m.interview_id = i.id
        {"WHERE i.id IN (SELECT id FROM touched_interviews)" if touched_only else ""}
    """  # noqa: S608


def build_interview_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``interview_facts``: per-interview aggregates that no filter changes (scores,
    overrides, warnings, comments). Built once per data version, shared by every request."""
    con.execute(f"CREATE OR REPLACE TABLE interview_facts AS {_facts_query()}")


def update_interview_facts(con: duckdb.DuckDBPyConnection, interview_ids: set[int]) -> None:
    """Bring ``interview_facts`` up to date for these interviews only (their rows changed;
    a deleted interview loses its row). The table must exist (``build_interview_facts``)."""
    if not interview_ids:
        return
    con.register(
        "touched_interviews", pa.table({"id": pa.array(sorted(interview_ids), pa.int64())})
    )
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "DELETE FROM interview_facts "
                "WHERE interview_id IN (SELECT id FROM touched_interviews)"
            )
            con.execute(f"INSERT INTO interview_facts {_facts_query(touched_only=True)}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.unregister(_TOUCHED)


def select_interviews(
    con: duckdb.DuckDBPyConnection, filters: AnalyticsFilters, now: datetime
) -> None:
    """Temp table ``sel``: the interviews that pass the filters, with their facts (needs
    ``build_interview_facts`` for the current data)."""
    where, params = filters.where()
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sel AS
        SELECT i.*,
               coalesce(i.scheduled_at, i.started_at, i.created_at) AS interview_at,
               CASE WHEN i.status = 'completed' AND f.n_scored > 0
                    THEN round(10 * f.mean_score, 6) END AS score_pct,
               f.any_override, f.warnings, f.critical,
               i.started_at IS NOT NULL OR i.status IN ('in_progress', 'completed') AS started,
               i.status = 'completed' AS completed,
               i.status <> 'cancelled' AND i.started_at IS NULL
                 AND i.status NOT IN ('in_progress', 'completed')
                 AND i.scheduled_at < ? AS no_show,
               i.status = 'completed' AND (i.decision IS NOT NULL
                 OR f.any_override OR f.commented) AS reviewed
        FROM interviews i JOIN interview_facts f ON f.interview_id = i.id
        WHERE {where}
        """,  # noqa: S608
        [naive_utc(now), *params],
    )


def headline(con: duckdb.DuckDBPyConnection, threshold: float) -> pd.DataFrame:
    return con.execute(
        """
        SELECT count(*) AS interviews,
               count(*) FILTER (WHERE completed) AS completed,
               count(score_pct) AS scored,
               avg(score_pct) AS mean_score,
               avg(CASE WHEN score_pct >= ? THEN 1.0 ELSE 0.0 END)
                 FILTER (WHERE score_pct IS NOT NULL) AS pass_rate,
               count(*) FILTER (WHERE any_override AND score_pct IS NOT NULL) AS overridden,
               count(*) FILTER (WHERE no_show) AS no_shows,
               median((epoch(completed_at) - epoch(started_at)) / 60.0)
                 FILTER (WHERE completed) AS median_minutes
        FROM sel
        """,
        [threshold],
    ).df()


def score_histogram(con: duckdb.DuckDBPyConnection, threshold: float) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT least(floor(score_pct / {SCORE_BIN}), {100 // SCORE_BIN - 1}) * {SCORE_BIN}
                 AS bin_start,
               count(*) AS interviews,
               count(*) FILTER (WHERE score_pct >= ?) AS passed
        FROM sel WHERE score_pct IS NOT NULL
        GROUP BY ALL ORDER BY bin_start
        """,  # noqa: S608
        [threshold],
    ).df()


_GROUPS = {
    "job": (
        "coalesce(j.title || ' — ' || j.company, 'No job')",
        "LEFT JOIN jobs j ON j.id = s.job_id",
    ),
    "template": (
        "coalesce(t.title, 'No template')",
        "LEFT JOIN interview_templates t ON t.id = s.template_id",
    ),
    "type": ("CAST(s.interview_type AS VARCHAR)", ""),
    "difficulty": ("CAST(s.difficulty AS VARCHAR)", ""),
}


def score_by_group(con: duckdb.DuckDBPyConnection, threshold: float) -> pd.DataFrame:
    """Quartiles, mean and pass rate of interview scores by job, template, type, difficulty."""
    parts = []
    for dimension, (label, join) in _GROUPS.items():
        parts.append(
            f"""
            SELECT '{dimension}' AS dimension, {label} AS "group",
                   count(*) AS interviews,
                   avg(score_pct) AS mean,
                   quantile_cont(score_pct, 0.25) AS q1,
                   median(score_pct) AS median,
                   quantile_cont(score_pct, 0.75) AS q3,
                   min(score_pct) AS min, max(score_pct) AS max,
                   avg(CASE WHEN score_pct >= $threshold THEN 1.0 ELSE 0.0 END) AS pass_rate
            FROM sel s {join} WHERE s.score_pct IS NOT NULL GROUP BY ALL
            """  # noqa: S608
        )
    sql = " UNION ALL ".join(parts) + ' ORDER BY dimension, "group"'
    return con.execute(sql, {"threshold": threshold}).df()


def score_trend(con: duckdb.DuckDBPyConnection, threshold: float) -> pd.DataFrame:
    """Per week of completion: interviews scored, mean score, pass rate, share overridden."""
    return con.execute(
        """
        SELECT CAST(date_trunc('week', completed_at) AS DATE) AS week,
               count(*) AS interviews,
               avg(score_pct) AS mean_score,
               avg(CASE WHEN score_pct >= ? THEN 1.0 ELSE 0.0 END) AS pass_rate,
               avg(CASE WHEN any_override THEN 1.0 ELSE 0.0 END) AS overridden_share
        FROM sel WHERE score_pct IS NOT NULL
        GROUP BY ALL ORDER BY week
        """,
        [threshold],
    ).df()


FUNNEL_STAGES = ("scheduled", "started", "completed", "reviewed", "decided")


def funnel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Stage counts (cancelled interviews left out), share of scheduled and drop-off."""
    row = con.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE started), count(*) FILTER (WHERE completed),
               count(*) FILTER (WHERE reviewed),
               count(*) FILTER (WHERE completed AND decision IS NOT NULL)
        FROM sel WHERE status <> 'cancelled'
        """
    ).fetchall()
    counts = [int(v) for v in (row[0] if row else (0, 0, 0, 0, 0))]
    frame = pd.DataFrame({"stage": list(FUNNEL_STAGES), "interviews": counts})
    first = counts[0] or 1
    frame["share_of_scheduled"] = frame["interviews"] / first if counts[0] else 0.0
    previous = frame["interviews"].shift(1)
    frame["drop_from_previous"] = (previous - frame["interviews"]).fillna(0).astype(int)
    return frame


def funnel_outcomes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Interviews by outcome: completed, no-show, cancelled, started but not completed, upcoming."""
    return con.execute(
        """
        SELECT CASE WHEN completed THEN 'completed'
                    WHEN status = 'cancelled' THEN 'cancelled'
                    WHEN no_show THEN 'no-show'
                    WHEN started THEN 'started, not completed'
                    ELSE 'upcoming' END AS outcome,
               count(*) AS interviews
        FROM sel GROUP BY ALL ORDER BY interviews DESC, outcome
        """
    ).df()


def completion_minutes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Histogram of time to complete (start to completion) in 5-minute bins, by type."""
    return con.execute(
        """
        SELECT CAST(interview_type AS VARCHAR) AS interview_type,
               least(floor(date_diff('second', started_at, completed_at) / 300.0), 23) * 5
                 AS minutes_from,
               count(*) AS interviews
        FROM sel WHERE completed AND started_at IS NOT NULL AND completed_at >= started_at
        GROUP BY ALL ORDER BY interview_type, minutes_from
        """
    ).df()
