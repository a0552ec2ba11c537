"""Filters turn into one parameterized condition; bad input is refused with a clear message."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.analytics.filters import AnalyticsFilters, AnalyticsInputError, DashboardRequest

DAY = "CAST(coalesce(i.scheduled_at, i.started_at, i.created_at) AS DATE)"

CASES: list[tuple[AnalyticsFilters, str, list[Any]]] = [
    (AnalyticsFilters(), "NOT i.is_practice", []),
    (
        AnalyticsFilters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)),
        f"NOT i.is_practice AND {DAY} >= ? AND {DAY} <= ?",
        [date(2026, 1, 1), date(2026, 1, 31)],
    ),
    (AnalyticsFilters(job_ids=(3, 4)), "NOT i.is_practice AND i.job_id IN (?, ?)", [3, 4]),
    (
        AnalyticsFilters(template_ids=(9,), interview_types=("coding",), difficulties=("hard",)),
        "NOT i.is_practice AND i.template_id IN (?) AND i.interview_type IN (?)"
        " AND i.difficulty IN (?)",
        [9, "coding", "hard"],
    ),
]


@pytest.mark.parametrize(("filters", "sql", "params"), CASES)
def test_where(filters: AnalyticsFilters, sql: str, params: list[Any]) -> None:
    assert filters.where() == (sql, params)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: AnalyticsFilters(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)),
            "The start date is after the end date.",
        ),
        (
            lambda: AnalyticsFilters(interview_types=("'; DROP TABLE x; --",)),
            "Unknown interview type",
        ),
        (lambda: AnalyticsFilters(difficulties=("brutal",)), "Unknown difficulty: brutal"),
        (lambda: DashboardRequest(pass_threshold=101), "between 0 and 100%"),
        (lambda: DashboardRequest(pass_threshold=-1), "between 0 and 100%"),
    ],
)
def test_bad_input_is_refused(make: Any, message: str) -> None:
    with pytest.raises(AnalyticsInputError, match=message.replace("(", r"\(")):
        make()


def test_requests_are_hashable_cache_keys() -> None:
    a = DashboardRequest(AnalyticsFilters(job_ids=(1, 2)), 70.0)
    b = DashboardRequest(AnalyticsFilters(job_ids=(1, 2)), 70.0)
    assert a == b and hash(a) == hash(b)
    assert DashboardRequest(AnalyticsFilters(job_ids=(2, 1)), 70.0) != a
