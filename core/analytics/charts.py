"""Chart builders: pure functions from a query's DataFrame to a plotly Figure.

Built in one ``go.Figure(data, layout)`` call from numpy arrays (plotly validates every
property it is given, and pandas Series cost a conversion each); box plots are drawn from the
quartiles the database computed, so no figure carries one point per interview.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

LAYOUT: dict[str, Any] = {"margin": {"l": 40, "r": 20, "t": 50, "b": 40}, "height": 380}
NO_DATA = "No data for these filters"


def _a(series: pd.Series) -> np.ndarray:
    return series.to_numpy()


def _figure(title: str, traces: list[Any], **layout: Any) -> go.Figure:
    spec = {**LAYOUT, "title": {"text": title}, **layout}
    if not traces:
        spec["annotations"] = [
            {
                "text": NO_DATA,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        ]
    return go.Figure(data=traces, layout=spec)


def _split(data: pd.DataFrame, column: str) -> list[tuple[str, pd.DataFrame]]:
    return [(str(k), rows) for k, rows in data.groupby(column, sort=True)]


def score_histogram(data: pd.DataFrame, threshold: float) -> go.Figure:
    traces = []
    if not data.empty:
        labels = np.array([f"{int(b)}–{int(b) + 10}" for b in data["bin_start"]], dtype=object)
        traces = [
            go.Bar(x=labels, y=_a(data["interviews"] - data["passed"]), name="below threshold"),
            go.Bar(x=labels, y=_a(data["passed"]), name=f"pass (≥ {threshold:g}%)"),
        ]
    return _figure(
        "Interview scores (%)",
        traces,
        barmode="stack",
        xaxis={"title": {"text": "score %"}},
        yaxis={"title": {"text": "interviews"}},
    )


def score_by_group(data: pd.DataFrame, dimension: str) -> go.Figure:
    rows = data[data["dimension"] == dimension] if not data.empty else data
    traces = []
    if not rows.empty:
        groups = _a(rows["group"]).astype(object)
        traces = [
            go.Box(
                x=groups,
                q1=_a(rows["q1"]),
                median=_a(rows["median"]),
                q3=_a(rows["q3"]),
                lowerfence=_a(rows["min"]),
                upperfence=_a(rows["max"]),
                mean=_a(rows["mean"]),
                name="score %",
            ),
            go.Scatter(
                x=groups,
                y=_a(rows["pass_rate"] * 100),
                mode="markers",
                name="pass rate %",
                marker={"symbol": "diamond", "size": 10},
                text=[f"n={n}" for n in rows["interviews"]],
            ),
        ]
    return _figure(
        f"Scores by {dimension} (box: min, quartiles, max)",
        traces,
        yaxis={"title": {"text": "score % / pass rate %"}, "range": [0, 100]},
    )


def score_trend(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        week = _a(data["week"])
        traces = [
            go.Scatter(x=week, y=_a(data["mean_score"]), name="mean score %", mode="lines"),
            go.Scatter(x=week, y=_a(data["pass_rate"] * 100), name="pass rate %", mode="lines"),
            go.Bar(x=week, y=_a(data["interviews"]), name="interviews", yaxis="y2", opacity=0.3),
        ]
    return _figure(
        "Score trend by week of completion (human overrides count)",
        traces,
        yaxis={"title": {"text": "%"}, "range": [0, 100]},
        yaxis2={"title": {"text": "interviews"}, "overlaying": "y", "side": "right"},
    )


def funnel(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty and int(data["interviews"].iloc[0]) > 0:
        traces = [
            go.Funnel(
                y=_a(data["stage"]).astype(object),
                x=_a(data["interviews"]),
                textinfo="value+percent initial+percent previous",
            )
        ]
    return _figure("Hiring funnel (cancelled interviews left out)", traces)


def funnel_outcomes(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        traces = [go.Bar(x=_a(data["outcome"]).astype(object), y=_a(data["interviews"]))]
    return _figure("Outcomes (no-show: time passed, never started)", traces)


def completion_minutes(data: pd.DataFrame) -> go.Figure:
    traces = [
        go.Bar(x=_a(rows["minutes_from"]), y=_a(rows["interviews"]), name=kind)
        for kind, rows in _split(data, "interview_type")
    ]
    return _figure(
        "Time to complete (minutes from start, 5-minute bins; last is 115+)",
        traces,
        barmode="stack",
        xaxis={"title": {"text": "minutes"}},
        yaxis={"title": {"text": "interviews"}},
    )


def events_by_kind(data: pd.DataFrame) -> go.Figure:
    traces = [
        go.Bar(
            x=_a(rows["kind"]).astype(object), y=_a(rows["per_started_interview"]), name=severity
        )
        for severity, rows in _split(data, "severity")
    ]
    return _figure(
        "Proctoring events per started interview, by kind and severity",
        traces,
        barmode="stack",
        yaxis={"title": {"text": "events per started interview"}},
    )


def warning_share_trend(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        every, labels = week_labels(data["week"])
        share = (
            data.assign(week=pd.to_datetime(data["week"]).dt.normalize())
            .set_index("week")["share_with_warnings"]
            .reindex(every)  # a week without started interviews has no share: a gap
        )
        traces = [
            go.Scatter(
                x=labels,
                y=share.to_numpy(dtype=float) * 100,
                mode="lines+markers",  # one week alone is a point, not an invisible line
                name="% with warnings",
            )
        ]
    return _figure(
        "Share of started interviews with at least one warning, by week",
        traces,
        xaxis=WEEK_AXIS,
        yaxis={"title": {"text": "%"}, "range": [0, 100]},
    )


WEEK_AXIS: dict[str, Any] = {"type": "category", "title": {"text": "week starting (Monday)"}}


def week_labels(weeks: pd.Series) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Every week from the first to the last in ``weeks`` (weeks with nothing included), and
    their labels ("02 Mar 2026"), for a category axis: one tick per week, never a time of day."""
    days = pd.to_datetime(weeks).dt.normalize()
    every = pd.date_range(days.min(), days.max(), freq="7D")
    return every, np.array([d.strftime("%d %b %Y") for d in every], dtype=object)


def warnings_over_time(data: pd.DataFrame) -> go.Figure:
    """Stacked bars: warnings per week (rows) and kind; weeks without warnings show as 0.

    A line per kind drew nothing for a kind seen in one week only, and a date axis around a
    single week ticked in milliseconds ("23:59:59.999"); bars on a category axis of week
    labels show one week as well as many.
    """
    traces = []
    if not data.empty:
        every, labels = week_labels(data["week"])
        counts = (
            data.assign(week=pd.to_datetime(data["week"]).dt.normalize())
            .pivot_table(index="week", columns="kind", values="warnings", aggfunc="sum")
            .reindex(every, fill_value=0)
            .fillna(0)
        )
        traces = [
            go.Bar(x=labels, y=counts[kind].to_numpy(dtype=np.int64), name=str(kind))
            for kind in sorted(counts.columns, key=str)
        ]
    return _figure(
        "Warnings by week and kind",
        traces,
        barmode="stack",
        xaxis=WEEK_AXIS,
        yaxis={"title": {"text": "warnings"}, "rangemode": "tozero"},
    )


def most_flagged(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        labels = np.array(
            [f"#{i} {t}" for i, t in zip(data["interview_id"], data["title"], strict=True)],
            dtype=object,
        )
        traces = [
            go.Bar(
                y=labels, x=_a(data["warnings"] - data["critical"]), orientation="h", name="warning"
            ),
            go.Bar(y=labels, x=_a(data["critical"]), orientation="h", name="critical"),
        ]
    return _figure(
        "Interviews flagged most (warnings)",
        traces,
        barmode="stack",
        yaxis={"autorange": "reversed"},
    )


def template_stats(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        title = _a(data["title"]).astype(object)
        traces = [
            go.Bar(x=title, y=_a(data["interviews"]), name="interviews"),
            go.Scatter(
                x=title,
                y=_a(data["completion_rate"] * 100),
                yaxis="y2",
                mode="markers",
                name="completion %",
                marker={"size": 10},
            ),
            go.Scatter(
                x=title,
                y=_a(data["mean_score"]),
                yaxis="y2",
                mode="markers",
                name="mean score %",
                marker={"symbol": "diamond", "size": 10},
            ),
        ]
    return _figure(
        "Templates: interviews, completion rate and mean score",
        traces,
        yaxis={"title": {"text": "interviews"}},
        yaxis2={"title": {"text": "%"}, "overlaying": "y", "side": "right", "range": [0, 100]},
    )


def template_trend(data: pd.DataFrame) -> go.Figure:
    traces = [
        go.Scatter(x=_a(rows["week"]), y=_a(rows["interviews"]), name=name, mode="lines")
        for name, rows in _split(data, "template")
    ]
    return _figure("Interviews per week by template (most used)", traces)


def question_stats(data: pd.DataFrame) -> go.Figure:
    traces = [
        go.Scatter(
            x=_a(rows["mean"]),
            y=_a(rows["discrimination"]),
            mode="markers",
            name=flag,
            text=_a(rows["question"]).astype(object),
            marker={"size": 8},
        )
        for flag, rows in _split(data, "flag")
    ]
    return _figure(
        "Questions: mean score against discrimination",
        traces,
        xaxis={"title": {"text": "mean score (0-10)"}, "range": [0, 10]},
        yaxis={"title": {"text": "item-rest correlation"}},
    )


def language_mix(data: pd.DataFrame) -> go.Figure:
    traces = [
        go.Bar(x=_a(rows["language"]).astype(object), y=_a(rows["submissions"]), name=kind)
        for kind, rows in _split(data, "kind")
    ]
    return _figure("Code submissions by language", traces, barmode="stack")


def coding_pass_rates(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        language = _a(data["language"]).astype(object)
        traces = [
            go.Bar(x=language, y=_a(data[column] * 100), name=name)
            for column, name in (
                ("accepted_share", "Submits accepted"),
                ("tests_passed_share", "hidden tests passed"),
                ("solved_share", "problems solved"),
            )
        ]
    return _figure(
        "Coding pass rates by language",
        traces,
        barmode="group",
        yaxis={"title": {"text": "%"}, "range": [0, 100]},
    )


def submits_to_accept(data: pd.DataFrame) -> go.Figure:
    traces = []
    if not data.empty:
        traces = [go.Bar(x=_a(data["submits"]).astype(object), y=_a(data["problems"]))]
    return _figure(
        "Submits until the first accepted one (per coding problem)",
        traces,
        xaxis={"title": {"text": "submits"}, "type": "category"},
        yaxis={"title": {"text": "problems"}},
    )
