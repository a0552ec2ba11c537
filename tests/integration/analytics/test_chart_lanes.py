"""The charts computed on two cursors at once equal those of one cursor; an error in the worker's
lane reaches the caller and leaves the service usable."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from core.analytics import queries_activity, queries_scores
from core.analytics.chart_plan import SECOND_LANE, compute_charts
from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest
from tests.support.analytics import QUESTIONS
from tests.support.analytics_dataset import NOW, SmallDataset

REQUEST = DashboardRequest(pass_threshold=60.0, questions=QUESTIONS)


def _charts(service: AnalyticsService, *, lanes: bool) -> list[tuple[str, pd.DataFrame]]:
    service.warm_up()
    with service.store.lock:
        con = service.store.cursor()
        try:
            queries_scores.select_interviews(con, REQUEST.filters, NOW)
            second = service.store.cursor() if lanes else None
            charts = compute_charts(con, REQUEST, second, NOW if lanes else None)
        finally:
            con.close()
    return [(c.key, c.data) for c in charts]


def test_two_lanes_give_the_charts_of_one_cursor(
    small: SmallDataset, service: AnalyticsService
) -> None:
    one, two = _charts(service, lanes=False), _charts(service, lanes=True)
    assert [key for key, _ in two] == [key for key, _ in one]
    assert {key for key, _ in two} >= SECOND_LANE
    for (key, left), (_, right) in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(left, right, obj=key)


def test_an_error_in_the_second_lane_reaches_the_caller(
    small: SmallDataset, service: AnalyticsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        raise duckdb.InvalidInputException("events_by_kind broke")

    with monkeypatch.context() as patch:
        patch.setattr(queries_activity, "events_by_kind", broken)
        with pytest.raises(duckdb.InvalidInputException, match="events_by_kind broke"):
            service.dashboard(REQUEST, NOW)
    dashboard = service.dashboard(REQUEST, NOW)  # the lock was released, the lanes are free
    assert "events_by_kind" in {c.key for c in dashboard.charts}
