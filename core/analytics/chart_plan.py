"""Which charts the dashboard has: each one's query and figure, in section order.

``run_queries`` gives every chart's data (DuckDB), ``compute_charts`` adds the figures; both run
on a cursor where ``queries_scores.select_interviews`` made the ``sel`` temp table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

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


def compute_charts(con: duckdb.DuckDBPyConnection, request: DashboardRequest) -> list[Chart]:
    """Every chart (data and figure), in section order."""
    data = run_queries(con, request)
    out = [
        Chart(
            f"score_by_{dim}",
            "Scores",
            data[f"score_by_{dim}"],
            charts.score_by_group(data[f"score_by_{dim}"], dim),
        )
        for dim in GROUP_DIMENSIONS
    ]
    out.extend(
        Chart(key, section, data[key], draw(data[key], request))
        for key, section, _query, draw in PLAN
    )
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(out, key=lambda c: order[c.section])
