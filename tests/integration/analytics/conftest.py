"""Fixtures: the hand-built dataset loaded into an analytics service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.analytics.dashboard import AnalyticsService
from core.db.engine import Database
from tests.support.analytics import Compute, compute_with
from tests.support.analytics_dataset import SmallDataset, build


@pytest.fixture
def small(db: Database) -> SmallDataset:
    return build(db)


@pytest.fixture
def service(db: Database) -> Iterator[AnalyticsService]:
    svc = AnalyticsService(db.engine)
    yield svc
    svc.close()


@pytest.fixture
def compute(small: SmallDataset, service: AnalyticsService) -> Compute:
    return compute_with(service)
