"""Fixtures: the hand-built dataset loaded into an analytics service."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import pandas as pd
import pytest

from core.analytics.dashboard import AnalyticsService, Dashboard
from core.analytics.filters import AnalyticsFilters, DashboardRequest, QuestionThresholds
from core.db.engine import Database
from tests.integration.analytics.small_dataset import NOW, SmallDataset, build

QUESTIONS = QuestionThresholds(min_answers=2)


@pytest.fixture
def small(db: Database) -> SmallDataset:
    return build(db)


@pytest.fixture
def service(db: Database) -> Iterator[AnalyticsService]:
    svc = AnalyticsService(  # deltas exactly what is new
        db.engine, id_lookback=0, updated_lookback_seconds=0
    )
    yield svc
    svc.close()


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


@pytest.fixture
def compute(small: SmallDataset, service: AnalyticsService) -> Compute:
    return compute_with(service)


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
