"""Proctoring, templates, questions and coding on the hand-built dataset: exact numbers."""

from __future__ import annotations

import pytest

from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest, QuestionThresholds
from tests.support.analytics import Compute, chart_data, records
from tests.support.analytics_dataset import NOW, SmallDataset


def test_events_by_kind_per_started_interview(compute: Compute) -> None:
    data = chart_data(compute(), "events_by_kind")
    assert records(data, "kind", "severity", "events", "per_started_interview") == [
        ("phone", "critical", 2, 0.5),  # 4 started interviews: I1, I2, I3, I7
        ("book", "warning", 1, 0.25),
        ("could_not_tell", "info", 1, 0.25),
        ("no_person", "warning", 1, 0.25),
    ]


def test_warning_share_and_over_time(compute: Compute) -> None:
    dash = compute()
    share = chart_data(dash, "warning_share")
    assert records(share, "started", "with_warnings", "share_with_warnings") == [
        (3, 2, 0.6667),  # week of 03-02: I1 (phone), I2 (none), I7 (book)
        (1, 1, 1.0),  # week of 03-09: I3 (no_person)
    ]
    over_time = chart_data(dash, "warnings_over_time")
    assert [d.isoformat() for d in over_time["week"].dt.date] == [
        "2026-03-02",
        "2026-03-02",
        "2026-03-09",
    ]
    assert records(over_time, "kind", "warnings") == [("book", 1), ("phone", 2), ("no_person", 1)]


def test_most_flagged(compute: Compute, small: SmallDataset) -> None:
    data = chart_data(compute(), "most_flagged")
    ids = small.interviews
    assert records(data, "interview_id", "warnings", "critical", "kinds") == [
        (ids["I1"], 2, 2, "phone"),
        (ids["I3"], 1, 0, "no_person"),
        (ids["I7"], 1, 0, "book"),
    ]


def test_templates(compute: Compute, small: SmallDataset) -> None:
    data = chart_data(compute(), "templates")
    assert records(
        data, "title", "interviews", "completed", "completion_rate", "mean_score", "pass_rate"
    ) == [
        ("T1", 4, 2, 0.6667, 52.5, 0.5),  # due: I1, I2, I7 (I5 upcoming)
        ("T2", 3, 1, 0.5, 30.0, 0.0),  # due: I3, I4 (I6 cancelled)
    ]
    trend = chart_data(compute(), "template_trend")
    assert records(trend, "template", "interviews") == [("T1", 3), ("T2", 2), ("T2", 1), ("T1", 1)]


def test_questions_mean_spread_and_flags(compute: Compute) -> None:
    data = chart_data(compute(), "questions")
    assert records(data, "question", "answers", "mean", "spread", "discrimination", "flag") == [
        ("b1", 2, 6.0, 2.8284, 1.0, "ok"),  # 8 and 4; rest 6 and 3
        ("b2", 2, 4.5, 2.1213, 1.0, "ok"),  # 6 and the override 3; rest 8 and 4
        ("b3", 1, 3.0, None, None, "too few answers"),
    ]


@pytest.mark.parametrize(
    ("limits", "flags"),
    [
        (QuestionThresholds(min_answers=2, too_easy_mean=5.5), ["too easy", "ok"]),
        (QuestionThresholds(min_answers=2, too_hard_mean=4.5), ["ok", "too hard"]),
        (
            QuestionThresholds(min_answers=2, min_discrimination=1.5),
            ["not discriminating", "not discriminating"],
        ),
    ],
)
def test_question_flag_thresholds(
    small: SmallDataset, service: AnalyticsService, limits: QuestionThresholds, flags: list[str]
) -> None:
    dash = service.dashboard(DashboardRequest(questions=limits), NOW)
    data = chart_data(dash, "questions")
    assert data["flag"].tolist()[:2] == flags


def test_coding(compute: Compute) -> None:
    dash = compute()
    mix = chart_data(dash, "language_mix")
    assert records(mix, "language", "kind", "submissions") == [
        ("PYTHON", "submit", 2),
        ("JAVA", "submit", 1),
        ("PYTHON", "run", 1),
    ]
    rates = chart_data(dash, "coding_pass_rates")
    assert records(
        rates, "language", "submits", "accepted_share", "tests_passed_share", "solved_share"
    ) == [
        ("PYTHON", 2, 0.5, 0.6875, 1.0),
        ("JAVA", 1, 0.0, 0.0, 0.0),
    ]
    attempts = chart_data(dash, "submits_to_accept")
    assert records(attempts, "submits", "problems") == [("2", 1), ("never", 1)]
