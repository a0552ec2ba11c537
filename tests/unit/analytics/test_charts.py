"""Chart builders: pure DataFrame -> Figure, a clear annotation when there is nothing to draw."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from core.analytics import charts

EMPTY_CASES: list[tuple[str, Callable[[pd.DataFrame], go.Figure], list[str]]] = [
    ("histogram", lambda d: charts.score_histogram(d, 60), ["bin_start", "interviews", "passed"]),
    ("by group", lambda d: charts.score_by_group(d, "job"), ["dimension", "group"]),
    ("trend", charts.score_trend, ["week", "interviews", "mean_score", "pass_rate"]),
    ("funnel", charts.funnel, ["stage", "interviews"]),
    ("outcomes", charts.funnel_outcomes, ["outcome", "interviews"]),
    ("minutes", charts.completion_minutes, ["interview_type", "minutes_from", "interviews"]),
    ("events", charts.events_by_kind, ["kind", "severity", "per_started_interview"]),
    ("share", charts.warning_share_trend, ["week", "share_with_warnings"]),
    ("over time", charts.warnings_over_time, ["week", "kind", "warnings"]),
    ("flagged", charts.most_flagged, ["interview_id", "title", "warnings", "critical"]),
    ("templates", charts.template_stats, ["title", "interviews", "completion_rate"]),
    ("template trend", charts.template_trend, ["week", "template", "interviews"]),
    ("questions", charts.question_stats, ["question", "mean", "discrimination", "flag"]),
    ("languages", charts.language_mix, ["language", "kind", "submissions"]),
    ("pass rates", charts.coding_pass_rates, ["language", "accepted_share"]),
    ("submits", charts.submits_to_accept, ["submits", "problems"]),
]


@pytest.mark.parametrize(("name", "build", "columns"), EMPTY_CASES, ids=[c[0] for c in EMPTY_CASES])
def test_empty_data_gives_an_annotated_empty_figure(
    name: str, build: Callable[[pd.DataFrame], go.Figure], columns: list[str]
) -> None:
    fig = build(pd.DataFrame(columns=columns))
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == [charts.NO_DATA]
    assert fig.layout.title.text


def test_histogram_splits_pass_and_fail() -> None:
    data = pd.DataFrame({"bin_start": [50.0, 70.0], "interviews": [4, 3], "passed": [0, 3]})
    fig = charts.score_histogram(data, 60)
    assert [t.name for t in fig.data] == ["below threshold", "pass (≥ 60%)"]
    assert list(fig.data[0].x) == ["50–60", "70–80"]
    assert list(fig.data[0].y) == [4, 0] and list(fig.data[1].y) == [0, 3]


def test_box_plot_uses_database_quartiles() -> None:
    data = pd.DataFrame(
        {
            "dimension": ["type", "job"],
            "group": ["coding", "Backend"],
            "interviews": [2, 1],
            "mean": [50.0, 40.0],
            "q1": [45.0, 40.0],
            "median": [50.0, 40.0],
            "q3": [55.0, 40.0],
            "min": [40.0, 40.0],
            "max": [60.0, 40.0],
            "pass_rate": [0.5, 0.0],
        }
    )
    fig = charts.score_by_group(data, "type")
    box, rate = fig.data
    assert list(box.x) == ["coding"] and list(box.q1) == [45.0] and list(box.upperfence) == [60.0]
    assert list(rate.y) == [50.0]


def test_one_trace_per_series() -> None:
    data = pd.DataFrame(
        {"week": [date(2026, 3, 2)] * 3, "kind": ["phone", "book", "phone"], "warnings": [1, 2, 3]}
    )
    fig = charts.warnings_over_time(data)
    assert [t.name for t in fig.data] == ["book", "phone"]


def test_funnel_with_nobody_scheduled_is_empty() -> None:
    data = pd.DataFrame({"stage": ["scheduled", "started"], "interviews": [0, 0]})
    assert len(charts.funnel(data).data) == 0
