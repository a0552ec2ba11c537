"""Which charts the dashboard has: each one's query and figure, in section order.

``run_queries`` gives every chart's data (DuckDB), ``compute_charts`` adds the figures; both run
on a cursor where ``queries_scores.select_interviews`` made the ``sel`` temp table
(``compute_charts`` may also use a second cursor, on a worker thread).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
from pyarrow import csv as pa_csv

from core.analytics import charts
from core.analytics import queries_activity as qa
from core.analytics import queries_scores as qs
from core.analytics.filters import DashboardRequest

SECTIONS = ("Scores", "Funnel", "Proctoring", "Templates", "Questions", "Coding")
GROUP_DIMENSIONS = ("job", "template", "type", "difficulty")


@dataclass(frozen=True)
class Chart:
    key: str  # also the CSV file name
    section: str
    data: pd.DataFrame
    figure: go.Figure


Query = Callable[[duckdb.DuckDBPyConnection, DashboardRequest], pd.DataFrame]
Draw = Callable[[pd.DataFrame, DashboardRequest], go.Figure]
# key, section, query, figure; the four score groupings share one query (score_by_group).
PLAN: tuple[tuple[str, str, Query, Draw], ...] = (
    (
        "score_distribution",
        "Scores",
        lambda c, r: qs.score_histogram(c, r.pass_threshold),
        lambda d, r: charts.score_histogram(d, r.pass_threshold),
    ),
    (
        "score_trend",
        "Scores",
        lambda c, r: qs.score_trend(c, r.pass_threshold),
        lambda d, r: charts.score_trend(d),
    ),
    ("funnel", "Funnel", lambda c, r: qs.funnel(c), lambda d, r: charts.funnel(d)),
    (
        "outcomes",
        "Funnel",
        lambda c, r: qs.funnel_outcomes(c),
        lambda d, r: charts.funnel_outcomes(d),
    ),
    (
        "time_to_complete",
        "Funnel",
        lambda c, r: qs.completion_minutes(c),
        lambda d, r: charts.completion_minutes(d),
    ),
    (
        "events_by_kind",
        "Proctoring",
        lambda c, r: qa.events_by_kind(c),
        lambda d, r: charts.events_by_kind(d),
    ),
    (
        "warning_share",
        "Proctoring",
        lambda c, r: qa.warning_share_trend(c),
        lambda d, r: charts.warning_share_trend(d),
    ),
    (
        "warnings_over_time",
        "Proctoring",
        lambda c, r: qa.warnings_over_time(c),
        lambda d, r: charts.warnings_over_time(d),
    ),
    (
        "most_flagged",
        "Proctoring",
        lambda c, r: qa.most_flagged(c),
        lambda d, r: charts.most_flagged(d),
    ),
    (
        "templates",
        "Templates",
        lambda c, r: qa.template_stats(c, r.pass_threshold),
        lambda d, r: charts.template_stats(d),
    ),
    (
        "template_trend",
        "Templates",
        lambda c, r: qa.template_trend(c),
        lambda d, r: charts.template_trend(d),
    ),
    (
        "questions",
        "Questions",
        lambda c, r: qa.question_stats(c, r.questions),
        lambda d, r: charts.question_stats(d),
    ),
    (
        "language_mix",
        "Coding",
        lambda c, r: qa.language_mix(c),
        lambda d, r: charts.language_mix(d),
    ),
    (
        "coding_pass_rates",
        "Coding",
        lambda c, r: qa.coding_pass_rates(c),
        lambda d, r: charts.coding_pass_rates(d),
    ),
    (
        "submits_to_accept",
        "Coding",
        lambda c, r: qa.submits_to_accept(c),
        lambda d, r: charts.submits_to_accept(d),
    ),
)


# Computed on a second cursor at the same time as the others (``compute_charts``).
SECOND_LANE = frozenset(
    {
        "events_by_kind",
        "warning_share",
        "warnings_over_time",
        "most_flagged",
        "language_mix",
        "coding_pass_rates",
        "submits_to_accept",
    }
)
CHART_KEYS = (*(f"score_by_{dim}" for dim in GROUP_DIMENSIONS), *(key for key, *_ in PLAN))
_LANES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="analytics-charts")


def run_queries(
    con: duckdb.DuckDBPyConnection, request: DashboardRequest
) -> dict[str, pd.DataFrame]:
    """Every chart's data, on a cursor where ``select_interviews`` already made ``sel``."""
    by_group = qs.score_by_group(con, request.pass_threshold)
    data = {
        f"score_by_{dim}": by_group[by_group["dimension"] == dim].reset_index(drop=True)
        for dim in GROUP_DIMENSIONS
    }
    qa.prepare_coding(con)
    for key, _section, query, _draw in PLAN:
        data[key] = query(con, request)
    return data


def _planned(
    con: duckdb.DuckDBPyConnection, request: DashboardRequest, *, second_lane: bool
) -> list[Chart]:
    """The charts of ``PLAN`` in ``SECOND_LANE`` (or not in it), on ``con``."""
    out = []
    for key, section, query, draw in PLAN:
        if (key in SECOND_LANE) == second_lane:
            data = query(con, request)
            out.append(Chart(key, section, data, draw(data, request)))
    return out


def _first_lane(con: duckdb.DuckDBPyConnection, request: DashboardRequest) -> list[Chart]:
    """The score groupings and every chart not in ``SECOND_LANE``, on ``con`` (with ``sel``)."""
    by_group = qs.score_by_group(con, request.pass_threshold)
    out = []
    for dim in GROUP_DIMENSIONS:
        rows = by_group[by_group["dimension"] == dim].reset_index(drop=True)
        out.append(Chart(f"score_by_{dim}", "Scores", rows, charts.score_by_group(rows, dim)))
    return out + _planned(con, request, second_lane=False)


def _second_lane(
    con: duckdb.DuckDBPyConnection, request: DashboardRequest, now: datetime
) -> list[Chart]:
    """The charts of ``SECOND_LANE`` on a cursor of their own (a worker thread)."""
    try:
        qs.select_interviews(con, request.filters, now)
        qa.prepare_coding(con)
        return _planned(con, request, second_lane=True)
    finally:
        con.close()


def compute_charts(
    con: duckdb.DuckDBPyConnection,
    request: DashboardRequest,
    second: duckdb.DuckDBPyConnection | None = None,
    now: datetime | None = None,
) -> list[Chart]:
    """Every chart (data and figure), in section order, on ``con`` (where
    ``select_interviews`` made ``sel`` for ``now``).

    With ``second``, another cursor on the same copy (it is closed after), the charts of
    ``SECOND_LANE`` are computed on it by a worker thread at the same time: these queries are
    small and mostly single-threaded, and DuckDB releases the GIL (``bench/analytics.py``:
    0.36 s down to 0.27 s for the full dashboard at 100,000 interviews)."""
    if second is None or now is None:
        qa.prepare_coding(con)
        out = _first_lane(con, request) + _planned(con, request, second_lane=True)
    else:
        try:
            lane = _LANES.submit(_second_lane, second, request, now)
        except RuntimeError:  # the interpreter is shutting down: one cursor will do
            second.close()
            return compute_charts(con, request)
        try:
            out = _first_lane(con, request)
        finally:
            rest = lane.result()  # waits for it (and raises its error) whatever happened here
        out.extend(rest)
    order = {name: i for i, name in enumerate(SECTIONS)}
    keys = {key: i for i, key in enumerate(CHART_KEYS)}
    return sorted(out, key=lambda c: (order[c.section], keys[c.key]))


def load_code() -> float:
    """Load now what the first dashboard of a process would load lazily (about 0.08 s, once):
    plotly's classes and validators for the figures drawn here, DuckDB's conversion to pandas
    and Arrow's CSV reader. The app does it when it warms the copy up (``warm_up``); returns
    the seconds it took. Any thread."""
    started = time.perf_counter()
    one = np.array([1.0])
    go.Figure(  # one trace of each kind drawn in ``charts``, with the layout keys it sets
        data=[
            go.Bar(x=one, y=one),
            go.Box(x=one, q1=one, median=one, q3=one, lowerfence=one, upperfence=one, mean=one),
            go.Scatter(x=one, y=one, mode="markers", yaxis="y2"),
            go.Funnel(x=one, y=np.array(["one"], dtype=object)),
        ],
        layout={**charts.LAYOUT, "barmode": "stack", "yaxis2": {"overlaying": "y"}},
    )
    with duckdb.connect() as con:
        con.execute("SELECT 1 AS one").df()
    pa_csv.read_csv(pa.BufferReader(b"one\n1\n"))
    return time.perf_counter() - started
