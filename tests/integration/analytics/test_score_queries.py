"""Scores and the funnel on the hand-built dataset (small_dataset.py): exact numbers."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.analytics import Compute, chart_data, records
from tests.support.analytics_dataset import SmallDataset


def test_headline(compute: Compute) -> None:
    h = compute().headline
    assert h.interviews == 7  # I8 is practice
    assert h.completed == 3
    assert h.scored == 3
    assert h.mean_score == pytest.approx((70 + 35 + 30) / 3)
    assert h.pass_rate == pytest.approx(1 / 3)  # only I1 (70%) reaches 60%
    assert h.overridden == 1  # I2
    assert h.no_shows == 1  # I4
    assert h.median_minutes == pytest.approx(45.0)  # 30, 45, 60


def test_pass_rate_follows_the_threshold(compute: Compute) -> None:
    assert compute(threshold=35).headline.pass_rate == pytest.approx(2 / 3)
    assert compute(threshold=30).headline.pass_rate == pytest.approx(1.0)
    assert compute(threshold=71).headline.pass_rate == pytest.approx(0.0)


def test_score_histogram(compute: Compute) -> None:
    data = chart_data(compute(), "score_distribution")
    assert records(data, "bin_start", "interviews", "passed") == [(30.0, 2, 0), (70.0, 1, 1)]


def test_scores_by_type_use_the_override(compute: Compute) -> None:
    data = chart_data(compute(), "score_by_type")
    assert records(
        data, "group", "interviews", "mean", "q1", "median", "q3", "min", "max", "pass_rate"
    ) == [
        ("coding", 1, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 0.0),
        ("technical", 2, 52.5, 43.75, 52.5, 61.25, 35.0, 70.0, 0.5),
    ]


def test_scores_by_job_and_template(compute: Compute) -> None:
    dash = compute()
    assert records(chart_data(dash, "score_by_job"), "group", "interviews", "mean") == [
        ("Backend — A", 2, 52.5),
        ("Data — B", 1, 30.0),
    ]
    assert records(chart_data(dash, "score_by_template"), "group", "mean") == [
        ("T1", 52.5),
        ("T2", 30.0),
    ]


def test_score_trend_by_week(compute: Compute) -> None:
    data = chart_data(compute(), "score_trend")
    assert [d.isoformat() for d in data["week"].dt.date] == ["2026-03-02", "2026-03-09"]
    assert records(data, "interviews", "mean_score", "pass_rate", "overridden_share") == [
        (2, 52.5, 0.5, 0.5),
        (1, 30.0, 0.0, 0.0),
    ]


def test_funnel_and_outcomes(compute: Compute) -> None:
    dash = compute()
    funnel = chart_data(dash, "funnel")
    assert records(funnel, "stage", "interviews", "drop_from_previous") == [
        ("scheduled", 6, 0),  # I6 cancelled is left out
        ("started", 4, 2),
        ("completed", 3, 1),
        ("reviewed", 3, 0),  # I1 decision, I2 override, I3 comment
        ("decided", 1, 2),
    ]
    assert funnel["share_of_scheduled"].round(4).tolist() == [1.0, 0.6667, 0.5, 0.5, 0.1667]
    outcomes = dict(records(chart_data(dash, "outcomes"), "outcome", "interviews"))
    assert outcomes == {
        "completed": 3,
        "no-show": 1,
        "cancelled": 1,
        "started, not completed": 1,
        "upcoming": 1,
    }


def test_time_to_complete(compute: Compute) -> None:
    data = chart_data(compute(), "time_to_complete")
    assert records(data, "interview_type", "minutes_from", "interviews") == [
        ("coding", 60.0, 1),
        ("technical", 30.0, 1),
        ("technical", 45.0, 1),
    ]


def test_filters_narrow_every_chart(compute: Compute, small: SmallDataset) -> None:
    by_job = compute(job_ids=(small.job_b,))
    assert by_job.headline.interviews == 3  # I3, I4, I6
    assert records(chart_data(by_job, "score_distribution"), "bin_start", "interviews") == [
        (30.0, 1)
    ]
    by_dates = compute(date_from=date(2026, 3, 3), date_to=date(2026, 3, 5))
    assert by_dates.headline.interviews == 3  # I2, I6, I4
    assert by_dates.headline.mean_score == pytest.approx(35.0)
    by_type = compute(interview_types=("coding",), difficulties=("hard",))
    assert by_type.headline.completed == 1
    assert compute(template_ids=(small.t1,)).headline.interviews == 4
    nothing = compute(interview_types=("hr",))
    assert nothing.is_empty
    assert nothing.charts == ()
