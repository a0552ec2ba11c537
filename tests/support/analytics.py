"""Helpers for the analytics tests: computing a dashboard and reading its charts exactly."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from core.analytics.dashboard import AnalyticsService, Dashboard
from core.analytics.filters import AnalyticsFilters, DashboardRequest, QuestionThresholds
from tests.support.analytics_dataset import NOW

QUESTIONS = QuestionThresholds(min_answers=2)


Compute = Callable[..., Dashboard]


def compute_with(svc: AnalyticsService) -> Compute:
    def _compute(threshold: float = 60.0, **filters: object) -> Dashboard:
        request = DashboardRequest(
            filters=AnalyticsFilters(**filters),  # type: ignore[arg-type]
            pass_threshold=threshold,
            questions=QUESTIONS,
        )
        return svc.dashboard(request, NOW)

    return _compute


def chart_data(dashboard: Dashboard, key: str) -> pd.DataFrame:
    return next(c.data for c in dashboard.charts if c.key == key)


def records(frame: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    """Rows as plain tuples (floats rounded to 4 places, NaN as None) for exact comparisons."""
    out = []
    for row in frame[list(columns)].itertuples(index=False):
        out.append(tuple(_plain(v) for v in row))
    return out


def _plain(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())  # type: ignore[attr-defined]
    return value
